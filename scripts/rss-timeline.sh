#!/usr/bin/env bash
# rss-timeline.sh [-i SECONDS] [-o FILE] -- COMMAND...
#
# Runs COMMAND and samples its resident set size every SECONDS (default 5) from /proc: one line
# "elapsed_seconds rss_MB peak_so_far_MB" per sample (the peak is the kernel's VmHWM, so short
# peaks between samples count in it), to FILE (default: stderr), then the largest peak seen. The
# phases of a `recur analyze --timings` run can be read off against its stage seconds. COMMAND
# must be the program itself (not wrapped in `time`, whose own process would be sampled).
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
    read -r kb hwm < <(awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { print r, h }' "/proc/$pid/status" 2>/dev/null || true) || true
    if [ -n "${kb:-}" ] && [ -n "${hwm:-}" ] && [ "$kb" -gt 0 ]; then
        sample "$((SECONDS - start)) $((kb / 1024)) $((hwm / 1024))"
        [ "$hwm" -gt "$peak" ] && peak=$hwm
    fi
    sleep "$interval"
done
status=0
wait "$pid" || status=$?
echo "peak resident set size: $((peak / 1024)) MB (VmHWM as last sampled, every ${interval} s)" >&2
exit "$status"
