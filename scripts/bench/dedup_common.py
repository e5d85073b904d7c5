"""What recur's ParagraphDeduplicator does to a key before it compares it, in Python.

Shared by the datasketch side (datasketch_dedup.py) and the exact reference (report.py) of
scripts/bench-dedup-vs-datasketch.sh, so that all three see the same sets:

- quote markers stripped (DedupEngine.stripQuoteMarkers);
- keys shorter than `min_near_length` characters (Unicode scalars) take part in exact matching only;
- character n-gram shingles: `shingle_size`, or `short_japanese_shingle_size` for Japanese keys
  shorter than `short_japanese_length`; a Japanese key near that boundary is also looked up with
  the other size (DedupEngine.alternateShingleSize);
- similarity is the Jaccard index of the shingle *sets*.

The options come from `dedup-compare --print-options` (recur's DedupOptions defaults).
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    shingle_size: int
    short_japanese_shingle_size: int
    short_japanese_length: int
    threshold: float
    bands: int
    rows: int
    min_near_length: int
    max_candidates: int

    @staticmethod
    def load(path: str) -> "Options":
        with open(path, encoding="utf-8") as f:
            o = json.load(f)
        return Options(**{name: o[name] for name in Options.__dataclass_fields__})

    def shingle_size_for(self, lang: str, chars: int) -> int:
        if lang == "ja" and chars < self.short_japanese_length:
            return self.short_japanese_shingle_size
        return self.shingle_size

    def alternate_shingle_size(self, lang: str, chars: int) -> int | None:
        """The other Japanese size when a near duplicate could lie across the short/long boundary."""
        if lang != "ja" or self.short_japanese_shingle_size == self.shingle_size:
            return None
        boundary = float(self.short_japanese_length)
        if chars < self.short_japanese_length:
            return self.shingle_size if chars >= boundary * self.threshold else None
        return self.short_japanese_shingle_size if chars < boundary / self.threshold else None

    def query_sizes(self, lang: str, chars: int) -> list[int]:
        """Shingle sizes a new key is looked up with, in order."""
        sizes = [self.shingle_size_for(lang, chars)]
        other = self.alternate_shingle_size(lang, chars)
        if other is not None:
            sizes.append(other)
        return sizes


@dataclass(frozen=True)
class Paragraph:
    lang: str
    raw_key: str  # the key as written in the file
    key: str  # quote markers stripped (what recur compares)
    key_bytes: int  # UTF-8 bytes of raw_key
    text: str


def load_paragraphs(path: str) -> list[Paragraph]:
    """Every line of a `recur normalize` JSONL file; ids are 0-based line numbers."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            key = r["key"]
            out.append(Paragraph(r["lang"], key, strip_quote_markers(key), len(key.encode("utf-8")), r["text"]))
    return out


_SPACE = (" ", "\t")


def strip_quote_markers(key: str) -> str:
    """recur's DedupEngine.stripQuoteMarkers: drops '>' runs (and the spaces after them) at the start
    of the key or of a line, and '>' runs standing alone between spaces (keys have their line breaks
    collapsed, so "> a\\n> b" arrives as "> a > b"). Every character it tests is ASCII, so working on
    characters gives the same result as the Swift code working on UTF-8 bytes."""
    if ">" not in key:
        return key
    src = key
    n = len(src)
    out: list[str] = []
    i = 0
    line_start = True
    while i < n:
        c = src[i]
        if c == ">":
            j = i
            while j < n and src[j] == ">":
                j += 1
            preceded_by_space = i > 0 and src[i - 1] in _SPACE
            followed_by_space = j == n or src[j] in (" ", "\t", "\n")
            if line_start or (preceded_by_space and followed_by_space):
                while j < n and src[j] in (" ", "\t", ">"):
                    j += 1
                i = j
                line_start = False
                continue
        if line_start and c in _SPACE:
            j = i
            while j < n and src[j] in _SPACE:
                j += 1
            if j < n and src[j] == ">":
                i = j
                continue
        out.append(c)
        line_start = c == "\n"
        i += 1
    while out and out[-1] in _SPACE:
        out.pop()
    return "".join(out)


def shingles(key: str, n: int) -> frozenset[str]:
    """The set of character n-grams of `key` (the whole key when it is shorter than n)."""
    if len(key) <= n:
        return frozenset((key,)) if key else frozenset()
    return frozenset(key[i : i + n] for i in range(len(key) - n + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a and not b:
        return 1.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def read_duplicates(path: str) -> dict[int, tuple[int, str, float]]:
    """A duplicates TSV (id, kept_id, kind, similarity) as {id: (kept_id, kind, similarity)}."""
    out = {}
    with open(path, encoding="utf-8") as f:
        next(f)  # header
        for line in f:
            i, kept, kind, sim = line.rstrip("\n").split("\t")
            out[int(i)] = (int(kept), kind, float(sim))
    return out


def write_duplicates(path: str, found: dict[int, tuple[int, str, float]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write("id\tkept_id\tkind\tsimilarity\n")
        for i in sorted(found):
            kept, kind, sim = found[i]
            f.write(f"{i}\t{kept}\t{kind}\t{sim:.6f}\n")


def median(values: list[float]) -> float:
    s = sorted(values)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2
