#!/usr/bin/env bash
# rss-timeline.sh [-i SECONDS] [-o FILE] -- COMMAND...
#
# Runs COMMAND and samples its resident set size every SECONDS (default 5) from /proc: one line
# "elapsed_seconds rss_MB" per sample, to FILE (default: stderr), then the largest sample. The
# phases of a `recur analyze --timings` run can be read off against its stage seconds. Samples
# miss short peaks: `/usr/bin/time -v`'s maximum resident set size gives the true peak.
#
# Example (the 4 GB memory timeline in the README):
#   scripts/rss-timeline.sh -o /tmp/rss-4gb.txt -- .build/release/recur analyze .build/bench-archives/4GB \
#       --exclude README.md --exclude truth.json --quiet --timings --jobs 2 --out /tmp/out-4gb
set -euo pipefail
interval=5
out=
while [ $# -gt 0 ]; do
    case "$1" in
        -i) interval="$2"; shift 2 ;;
        -o) out="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "usage: $0 [-i SECONDS] [-o FILE] -- COMMAND..." >&2; exit 64 ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: $0 [-i SECONDS] [-o FILE] -- COMMAND..." >&2; exit 64; }

"$@" &
pid=$!
start=$SECONDS
peak=0
[ -z "$out" ] || : > "$out"
sample() { if [ -n "$out" ]; then echo "$1" >> "$out"; else echo "$1" >&2; fi; }
while kill -0 "$pid" 2>/dev/null; do
    kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    if [ -n "$kb" ]; then
        sample "$((SECONDS - start)) $((kb / 1024))"
        [ "$kb" -gt "$peak" ] && peak=$kb
    fi
    sleep "$interval"
done
status=0
wait "$pid" || status=$?
echo "largest sample: $((peak / 1024)) MB (every ${interval} s)" >&2
exit "$status"
