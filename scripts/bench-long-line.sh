#!/usr/bin/env bash
# Writes one file of SIZE_MB megabytes (default 200) with no newline in it and times
# `recur analyze` on it (wall time and peak RSS from /usr/bin/time -v).
#
#   scripts/bench-long-line.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-200}"
work="${TMPDIR:-/tmp}/recur-long-line"
rm -rf "$work" && mkdir -p "$work/in"
swift build -c release --product recur >/dev/null
# (head closes the pipe when it has enough: the SIGPIPE of yes and tr is expected.)
(set +o pipefail; yes 'хотим интеграцию сайта с CRM и сквозную аналитику по всем каналам рекламы бюджет отчёт' \
    | tr '\n' ' ' | head -c "$((size_mb * 1024 * 1024))" > "$work/in/one-line.txt")
echo "input: $(wc -c < "$work/in/one-line.txt") bytes, $(wc -l < "$work/in/one-line.txt") newlines"
/usr/bin/time -v .build/release/recur analyze "$work/in" --out "$work/out" --timings 2>&1 \
    | grep -E '^recur: (read_and|wrote|[0-9]+ files)|Elapsed \(wall|Maximum resident|Exit status'
