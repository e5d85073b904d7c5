#!/usr/bin/env bash
# Builds recur's libFuzzer targets (Fuzz/, with AddressSanitizer and coverage instrumentation) and
# runs each for SECONDS (default 300) over its corpus in Fuzz/Corpus/TARGET; new inputs that reach
# new code are added there. A crash stops the run and leaves crash-* beside the corpus: fix it, add
# the input to a unit test, run again.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: FuzzReader FuzzCharset FuzzDates FuzzSlices
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzReader FuzzCharset FuzzDates FuzzSlices)
scratch="${FUZZ_SCRATCH:-/tmp/recur-fuzz-build}"
(cd Fuzz && swift build --scratch-path "$scratch" \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
for target in "${targets[@]}"; do
    mkdir -p "Fuzz/Corpus/$target" "Fuzz/Crashes/$target"
    echo "== $target: ${seconds}s"
    "$scratch/debug/$target" "Fuzz/Corpus/$target" -max_total_time="$seconds" -max_len=8192 \
        -artifact_prefix="Fuzz/Crashes/$target/" -print_final_stats=1 2>&1 \
        | grep -E '^(#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|Done)' || true
    if ls "Fuzz/Crashes/$target"/crash-* >/dev/null 2>&1; then
        echo "$target: crash inputs in Fuzz/Crashes/$target" >&2
        exit 1
    fi
done
