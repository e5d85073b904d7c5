#!/usr/bin/env python3
"""heap-peak-share: what holds the heap at its peak, by the innermost frame of a module.

Reads a heaptrack flame-graph stack file written with the peak as its cost (one line per call
stack, frames outermost first and separated by ";", then a space and the bytes that stack held
at the peak) and prints the bytes summed by each stack's innermost frame from PATTERN (default:
RecurKit's mangled names), largest first, demangled with `swift demangle` when it is installed.
With --depth 2 the key is that frame and its caller, so that ChunkedColumn.append is told apart
by who appends.

Example (the 4 GB archive's heap at its peak, as in the README):
  heaptrack -o ht .build/release/recur analyze .build/bench-archives/4GB --exclude README.md \\
      --exclude truth.json --quiet --jobs 2 --out /tmp/o4g
  heaptrack_print -f ht.zst -p 0 -a 0 -T 0 --flamegraph-cost-type peak -F stacks.txt
  scripts/heap-peak-share.py stacks.txt --depth 2
"""
import argparse
import collections
import re
import shutil
import subprocess


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("stacks", help="heaptrack_print -F output written with --flamegraph-cost-type peak")
    ap.add_argument("--pattern", default=r"RecurKit|\$s5recur", help="frames to key by (regular expression)")
    ap.add_argument("--depth", type=int, default=1, help="innermost matching frames in the key")
    ap.add_argument("--top", type=int, default=30, help="rows printed")
    args = ap.parse_args()
    pattern = re.compile(args.pattern)
    held = collections.Counter()
    total = 0
    with open(args.stacks) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            total += int(count)
            frames = [fr for fr in stack.split(";") if pattern.search(fr)]
            key = " <- ".join(reversed(frames[-args.depth:])) if frames else "(outside " + args.pattern + ")"
            held[key] += int(count)
    rows = held.most_common(args.top)
    names = [k for k, _ in rows]
    if shutil.which("swift"):
        out = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(names),
                             capture_output=True, text=True).stdout.split("\n")
        if len(out) >= len(names):
            names = out[:len(names)]
    print(f"heap at the peak: {total / 1e6:.2f} MB")
    for (_, count), name in zip(rows, names):
        print(f"{count / 1e6:8.2f} MB  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
