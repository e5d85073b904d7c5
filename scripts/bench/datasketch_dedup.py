"""recur's deduplication stage rebuilt on datasketch (MinHash + MinHashLSH), timed.

The same decisions as recur's ParagraphDeduplicator, stage for stage, so that only the engine differs:
paragraphs in file order; quote markers stripped; an exact stage (a dict of keys); keys shorter than
`min_near_length` characters are matched exactly only; the rest are shingled into character n-grams
(3-grams for short Japanese keys), sketched with MinHash (num_perm = bands x rows = 120), looked up in
a MinHashLSH with the same bands and rows (20 x 6, one index per shingle size, as recur's band keys
depend on the size), and every candidate (lowest ids first, at most `max_candidates`) is verified by
the exact Jaccard index of the shingle sets. A paragraph that matches nothing is kept and indexed;
a near duplicate joins the most similar kept paragraph (ties: lowest id) and is not indexed.

Timed: everything after the JSONL is read (strip, exact stage, shingle, sketch, LSH, verify).
datasketch is used the fast way its documentation gives: `update_batch`, and the permutations of one
template MinHash shared by all (instead of drawing them for every MinHash).

Usage: datasketch_dedup.py KEYS.jsonl OPTIONS.json DUPLICATES.tsv [--runs N] [--normalize]
Prints one JSON object (seconds of every run, median, counts) on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata

from datasketch import MinHash, MinHashLSH

from dedup_common import (
    Options, Paragraph, jaccard, load_paragraphs, median, shingles, strip_quote_markers, write_duplicates,
)


def deduplicate(paragraphs: list[Paragraph], o: Options) -> tuple[dict[int, tuple[int, str, float]], dict]:
    num_perm = o.bands * o.rows
    template = MinHash(num_perm=num_perm, seed=1)
    sizes = {o.shingle_size, o.short_japanese_shingle_size}
    lsh = {n: MinHashLSH(threshold=o.threshold, num_perm=num_perm, params=(o.bands, o.rows)) for n in sizes}
    kept_sets: dict[int, dict[int, frozenset]] = {n: {} for n in sizes}  # kept (indexed) paragraphs' shingle sets
    first_of_key: dict[str, int] = {}
    found: dict[int, tuple[int, str, float]] = {}
    counts = {"exact": 0, "near": 0, "short": 0, "candidates_verified": 0, "candidates_accepted": 0}

    def sketch(s: frozenset) -> MinHash:
        m = MinHash(num_perm=num_perm, seed=1, permutations=template.permutations, scheme=template.scheme)
        m.update_batch([x.encode("utf-8") for x in s])
        return m

    for i, p in enumerate(paragraphs):
        key = strip_quote_markers(p.raw_key)  # in the timed part, as in recur
        first = first_of_key.get(key)
        if first is not None:
            # An exact copy joins its first occurrence's cluster; a copy of a near member is near
            # with the member's similarity, as in recur.
            found[i] = found.get(first, (first, "exact", 1.0))
            counts["exact"] += 1
            continue
        first_of_key[key] = i
        chars = len(key)
        if chars < o.min_near_length:
            counts["short"] += 1
            continue
        own = o.shingle_size_for(p.lang, chars)
        own_set = own_minhash = None
        best = None
        for n in o.query_sizes(p.lang, chars):
            s = shingles(key, n)
            m = sketch(s)
            if n == own:
                own_set, own_minhash = s, m
            candidates = sorted(lsh[n].query(m))[: o.max_candidates]
            for c in candidates:
                counts["candidates_verified"] += 1
                sim = jaccard(s, kept_sets[n][c])
                if sim >= o.threshold - 1e-12 and (best is None or sim > best[1]):
                    best = (c, sim)
            if best is not None:
                break
        if best is not None:
            counts["candidates_accepted"] += 1
            found[i] = (best[0], "near", best[1])
            counts["near"] += 1
            continue
        lsh[own].insert(i, own_minhash)
        kept_sets[own][i] = own_set
    counts["removed"] = len(found)
    counts["kept"] = len(paragraphs) - len(found)
    return found, counts


def normalize(text: str) -> str:
    """Python's nearest equivalent of recur's ICU key (NFKC case folding, spaces collapsed, ё → е);
    only its time is reported: the comparison itself runs on the shared keys."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split()).replace("ё", "е")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("keys")
    ap.add_argument("options")
    ap.add_argument("duplicates")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--normalize", action="store_true", help="also time a Python normalization pass over the texts")
    args = ap.parse_args()

    o = Options.load(args.options)
    paragraphs = load_paragraphs(args.keys)
    seconds = []
    found, counts = {}, {}
    for _ in range(args.runs):
        start = time.perf_counter()
        found, counts = deduplicate(paragraphs, o)
        seconds.append(time.perf_counter() - start)
    write_duplicates(args.duplicates, found)
    summary = {
        "tool": "datasketch MinHash + MinHashLSH",
        "paragraphs": len(paragraphs),
        "key_bytes": sum(p.key_bytes for p in paragraphs),
        "counts": counts,
        "dedup_seconds": seconds,
        "dedup_median": median(seconds),
    }
    if args.normalize:
        start = time.perf_counter()
        for p in paragraphs:
            normalize(p.text)
        summary["normalize_seconds"] = time.perf_counter() - start
    json.dump(summary, sys.stdout, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
