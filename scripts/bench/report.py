"""Scores recur's and datasketch's duplicates against an exact reference and prints the table.

The reference is computed here, exactly, on the same keys and under the same rules (dedup_common):

- exact: a paragraph whose (quote-stripped) key occurred before;
- near, "leader" reference: recur's clustering rule run with an exact search instead of LSH: in
  file order, a key joins the first earlier *kept* key whose Jaccard similarity is at or above the
  threshold, else it is kept. Both tools apply this rule with an approximate candidate search, so
  recall against it measures what their LSH misses, nothing else;
- near, "any" reference: a key with *any* earlier key at or above the threshold. Both tools can miss
  a few of these by design (a key similar only to a near duplicate, not to its kept paragraph).

The search is an exact all-pairs similarity join (prefix filtering: with every set's n-grams in one
global order, rarest first, two sets with Jaccard >= t share an n-gram among their first
|x| - ceil(t|x|) + 1; size filter t|x| <= |y| <= |x|/t), verified by exact Jaccard, so nothing is
sampled or estimated.

Scores, per paragraph (a paragraph is "found" when the tool marks it as a duplicate of an earlier one):
- precision: found paragraphs whose claimed kept paragraph really is an exact copy or at or above the
  threshold (recomputed here on character n-gram sets);
- recall: found / reference duplicates (leader reference; the "any" reference in its own column);
- near P / near R: the same restricted to paragraphs whose key did not occur before; exact R: recall
  on exact copies.

Usage: report.py KEYS.jsonl OPTIONS.json RECUR.json RECUR.tsv DATASKETCH.json DATASKETCH.tsv --archive-mb X [--json SCORES.json]
(--json also writes both tools' scores, for scripts/bench.sh's table.)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter, defaultdict

from dedup_common import Options, Paragraph, jaccard, load_paragraphs, read_duplicates, shingles


class Reference:
    """Exact duplicates and the two near-duplicate references over `paragraphs` (see module doc)."""

    def __init__(self, paragraphs: list[Paragraph], o: Options):
        self.o = o
        self.paragraphs = paragraphs
        t = o.threshold
        self.exact: set[int] = set()
        first_of_key: dict[str, int] = {}
        self.near_items: list[int] = []  # first occurrences of keys long enough for near matching
        for i, p in enumerate(paragraphs):
            if p.key in first_of_key:
                self.exact.add(i)
                continue
            first_of_key[p.key] = i
            if len(p.key) >= o.min_near_length:
                self.near_items.append(i)
        self.first_of_key = first_of_key

        # Shingle sets per size, only where a size can be used: every near item with its own size and
        # the sizes it is looked up with.
        self.sets: dict[int, dict[int, frozenset]] = defaultdict(dict)
        for i in self.near_items:
            p = paragraphs[i]
            for n in set(o.query_sizes(p.lang, len(p.key))):
                self.sets[n][i] = shingles(p.key, n)
        # One global n-gram order per size: ascending frequency, then the n-gram itself.
        self.rank: dict[int, dict[str, int]] = {}
        for n, sets in self.sets.items():
            df = Counter(g for s in sets.values() for g in s)
            self.rank[n] = {g: r for r, g in enumerate(sorted(df, key=lambda g: (df[g], g)))}

        # Filters use a threshold a hair lower than t, so that rounding never shortens a prefix.
        self.t_filter = t - 1e-9
        self.near_leader: set[int] = set()
        self.near_any: set[int] = set()
        leader_index: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        any_index: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.verified = 0
        for i in self.near_items:
            p = paragraphs[i]
            chars = len(p.key)
            own = o.shingle_size_for(p.lang, chars)
            sizes = o.query_sizes(p.lang, chars)
            if any(self._matches(i, n, leader_index[n]) for n in sizes):
                self.near_leader.add(i)
            else:
                self._index(i, own, leader_index[own])
            if any(self._matches(i, n, any_index[n]) for n in sizes):
                self.near_any.add(i)
            self._index(i, own, any_index[own])

        # Later exact copies of a near duplicate are exact copies (already in self.exact).
        self.leader = self.exact | self.near_leader
        self.any = self.exact | self.near_any

    def _prefix(self, i: int, n: int) -> list[str]:
        s = self.sets[n][i]
        ordered = sorted(s, key=self.rank[n].__getitem__)
        return ordered[: len(s) - math.ceil(self.t_filter * len(s)) + 1]

    def _index(self, i: int, n: int, index: dict[str, list[int]]) -> None:
        for g in self._prefix(i, n):
            index[g].append(i)

    def _matches(self, i: int, n: int, index: dict[str, list[int]]) -> bool:
        s = self.sets[n][i]
        lo, hi = self.t_filter * len(s), len(s) / self.t_filter
        seen = set()
        for g in self._prefix(i, n):
            for c in index.get(g, ()):
                if c in seen:
                    continue
                seen.add(c)
                other = self.sets[n][c]
                if lo <= len(other) <= hi:
                    self.verified += 1
                    if jaccard(s, other) >= self.o.threshold - 1e-12:
                        return True
        return False

    def is_true_pair(self, kept: int, i: int) -> bool:
        """Whether a tool's claim "i duplicates kept" holds: same key, or Jaccard at or above the
        threshold with a shingle size either key is compared with."""
        a, b = self.paragraphs[kept], self.paragraphs[i]
        if kept >= i:
            return False
        if a.key == b.key:
            return True
        if len(a.key) < self.o.min_near_length or len(b.key) < self.o.min_near_length:
            return False
        sizes = {self.o.shingle_size_for(a.lang, len(a.key))} | set(self.o.query_sizes(b.lang, len(b.key)))
        return any(jaccard(shingles(a.key, n), shingles(b.key, n)) >= self.o.threshold - 1e-12 for n in sizes)


def score(found: dict[int, tuple[int, str, float]], ref: Reference) -> dict[str, float]:
    flagged = set(found)
    correct = {i for i, (kept, _, _) in found.items() if ref.is_true_pair(kept, i)}
    near_flagged = flagged - ref.exact

    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    return {
        "precision": ratio(len(correct), len(flagged)),
        "recall": ratio(len(flagged & ref.leader), len(ref.leader)),
        "near_precision": ratio(len(correct & near_flagged), len(near_flagged)),
        "near_recall": ratio(len(flagged & ref.near_leader), len(ref.near_leader)),
        "exact_recall": ratio(len(flagged & ref.exact), len(ref.exact)),
        "recall_any": ratio(len(flagged & ref.any), len(ref.any)),
        "found": len(flagged),
        "wrong": len(flagged - correct),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("keys", "options", "recur_json", "recur_tsv", "datasketch_json", "datasketch_tsv"):
        ap.add_argument(name)
    ap.add_argument("--archive-mb", type=float, required=True)
    ap.add_argument("--json", help="also write both tools' scores to this file")
    args = ap.parse_args()

    o = Options.load(args.options)
    paragraphs = load_paragraphs(args.keys)
    start = time.perf_counter()
    ref = Reference(paragraphs, o)
    reference_seconds = time.perf_counter() - start
    with open(args.recur_json) as f:
        recur = json.load(f)
    with open(args.datasketch_json) as f:
        ds = json.load(f)
    recur_scores = score(read_duplicates(args.recur_tsv), ref)
    ds_scores = score(read_duplicates(args.datasketch_tsv), ref)

    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"recur": recur_scores, "datasketch": ds_scores}, f, sort_keys=True)
            f.write("\n")

    key_mb = recur["key_bytes"] / 1e6
    assert ds["key_bytes"] == recur["key_bytes"] and ds["paragraphs"] == recur["paragraphs"], "the tools read different inputs"
    rows = [
        ("recur (dedup stage)", recur["dedup_median"], len(recur["dedup_seconds"]), recur_scores),
        ("recur (ICU normalize + dedup)", recur["normalize_dedup_median"], len(recur["normalize_dedup_seconds"]), recur_scores),
        ("datasketch (dedup stage)", ds["dedup_median"], len(ds["dedup_seconds"]), ds_scores),
    ]
    if "normalize_seconds" in ds:
        rows.append(("datasketch (py normalize + dedup)", ds["dedup_median"] + ds["normalize_seconds"], len(ds["dedup_seconds"]), ds_scores))

    print()
    print(f"archive {args.archive_mb:g} MB; {len(paragraphs)} paragraphs, {key_mb:.2f} MB of keys; "
          f"{len(ref.first_of_key)} distinct keys, {len(ref.near_items)} long enough for near matching")
    print(f"reference (exact, {reference_seconds:.1f} s, {ref.verified} pairs verified): exact copies {len(ref.exact)}, "
          f"near duplicates {len(ref.near_leader)} (leader rule) / {len(ref.near_any)} (any earlier key)")
    print(f"options: threshold {o.threshold}, shingles {o.shingle_size} ({o.short_japanese_shingle_size} for Japanese under "
          f"{o.short_japanese_length} chars), {o.bands} bands x {o.rows} rows = {o.bands * o.rows} permutations, "
          f"exact-only under {o.min_near_length} chars")
    print()
    header = f"{'tool':<34} {'key MB':>7} {'runs':>4} {'seconds':>8} {'MB/s':>8} {'precision':>9} {'recall':>7} {'near P':>7} {'near R':>7} {'exact R':>7} {'R (any)':>7}"
    print(header)
    print("-" * len(header))
    for name, seconds, runs, s in rows:
        print(f"{name:<34} {key_mb:>7.2f} {runs:>4} {seconds:>8.3f} {key_mb / seconds:>8.2f} {s['precision']:>9.4f} {s['recall']:>7.4f} "
              f"{s['near_precision']:>7.4f} {s['near_recall']:>7.4f} {s['exact_recall']:>7.4f} {s['recall_any']:>7.4f}")
    print()
    ratio = ds["dedup_median"] / recur["dedup_median"]
    print(f"speed ratio, dedup stage (datasketch seconds / recur seconds, medians): {ratio:.1f}x  (goal: >= 40x)")
    if "normalize_seconds" in ds:
        ratio_n = (ds["dedup_median"] + ds["normalize_seconds"]) / recur["normalize_dedup_median"]
        print(f"speed ratio, normalize + dedup: {ratio_n:.1f}x")
    better = recur_scores["precision"] >= ds_scores["precision"] and recur_scores["recall"] >= ds_scores["recall"]
    print(f"recur precision/recall {'equal or better' if better else 'WORSE'} than datasketch's "
          f"({recur_scores['precision']:.4f}/{recur_scores['recall']:.4f} vs {ds_scores['precision']:.4f}/{ds_scores['recall']:.4f}); "
          f"wrong claims: recur {recur_scores['wrong']}, datasketch {ds_scores['wrong']}")
    rc, dc = recur["counts"], ds["counts"]
    print(f"candidates verified: recur {rc['candidates_verified']}, datasketch {dc['candidates_verified']}; "
          f"kept: recur {rc['kept']}, datasketch {dc['kept']}")
    if recur.get("icu_key_mismatches"):
        print(f"note: ICU keys computed in-process differ from the file's for {recur['icu_key_mismatches']} paragraphs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
