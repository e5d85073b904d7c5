#!/usr/bin/env python3
"""perf-share: the share of a perf profile's samples whose call stack matches a pattern.

Reads `perf script -F ip,sym --no-demangle` output (a profile recorded with call stacks) on
standard input and prints, for each PATTERN (a regular expression over the stack's mangled symbol
names), how many samples have a frame matching it, their share of all samples and, given --hz, the
CPU seconds they stand for. With --within, only samples whose stack also matches that pattern
count (the share stays of all samples).

Example (the share of recur analyze's samples spent parsing Content-Type values):
  perf record -F 500 -e cpu-clock --call-graph dwarf,16384 -o p.data -- \\
      .build/release/recur analyze ARCHIVE --quiet --jobs 1 --out /tmp/o
  perf script -i p.data -F ip,sym --no-demangle | scripts/perf-share.py --hz 500 ContentType
"""
import argparse
import re
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("patterns", nargs="+", metavar="PATTERN")
    ap.add_argument("--within", help="count only samples whose stack also matches this pattern")
    ap.add_argument("--hz", type=float, help="the sampling frequency of `perf record -F`, for CPU seconds")
    args = ap.parse_args()
    patterns = [re.compile(p) for p in args.patterns]
    within = re.compile(args.within) if args.within else None
    total = 0
    hits = [0] * len(patterns)
    for sample in sys.stdin.read().split("\n\n"):
        if not sample.strip():
            continue
        total += 1
        if within and not within.search(sample):
            continue
        for i, pattern in enumerate(patterns):
            if pattern.search(sample):
                hits[i] += 1
    if total == 0:
        print("perf-share: no samples on standard input", file=sys.stderr)
        return 1
    for pattern, n in zip(args.patterns, hits):
        seconds = f", {n / args.hz:.3f} s" if args.hz else ""
        print(f"{pattern}: {n} of {total} samples, {100 * n / total:.2f} %{seconds}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
