#!/usr/bin/env bash
# The macro benchmark (`make bench`): recur end to end on generated archives, its peers, one table.
#
#   scripts/bench.sh                                   # 50 MB slice, 3 runs, memory rows at 1GB and 4GB
#   BENCH_SLICE=20MB BENCH_MEMORY_SIZES= BENCH_RUNS=1 scripts/bench.sh   # a quick run
#
# 1. installs datasketch, yake and scikit-learn from PyPI into .build/bench-venv (python3-venv and
#    GNU time from apt when missing); builds recur, recur-corpus, dedup-compare and analyzer-baseline (release);
# 2. generates the archives with `recur-corpus --seed 7 --size SIZE` once, cached in
#    .build/bench-archives/SIZE (delete a folder to regenerate it, e.g. after a generator change);
# 3. on the slice (BENCH_SLICE): `recur normalize` once (the paragraphs the peers read; untimed),
#    then BENCH_RUNS rounds of `recur analyze --jobs 1` and `--jobs 2` under /usr/bin/time -v
#    (wall time, peak RSS; MB/s over the input files' bytes, paragraphs/s from summary.json);
#    the analyzers alone on 2 threads (analyzer-baseline); recur's dedup stage and datasketch's
#    (scripts/bench/lib.sh, shared with scripts/bench-dedup-vs-datasketch.sh) scored against an
#    exact reference; YAKE + scikit-learn themes on 2 processes (scripts/bench/yake_themes.py);
# 4. for every size in BENCH_MEMORY_SIZES, one `recur analyze --jobs 2` (peak RSS; speed measured once);
# 5. prints one markdown table (scripts/bench/macro_report.py) and writes it to .build/bench-report.md.
#
# Environment:
#   BENCH_SLICE          slice size for the speed rows and the peers (default 50MB; recur-corpus's
#                        size syntax: 500KB, 20MB, 1GB, ...)
#   BENCH_MEMORY_SIZES   archive sizes for the memory rows, the first one against the 1 GB goal, the
#                        others against 1.3x the first (default "1GB 4GB"; set it empty to skip them:
#                        the table says "not run"). Generating 1 GB takes about 12 minutes, 4 GB about 50.
#   BENCH_RUNS           runs of every timed measurement on the slice; medians are reported (default 3)
#   BENCH_YAKE_BUDGET    seconds all YAKE runs together may take; beyond it YAKE is measured on every
#                        k-th paragraph and scaled by bytes (default 900)
#   BENCH_YAKE_EVERY     measure YAKE on every k-th paragraph (default: decided by the budget)
#   BENCH_KEEP=1         keep the work folder (.build/bench-work: outputs, time files, JSON summaries)
#   RECUR_SCRATCH_PATH, RECUR_BENCH_SCRATCH_PATH, RECUR_BENCH_VENV: build folders and the Python
#                        environment (defaults .build, Benchmarks/.build, .build/bench-venv)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRATCH="${RECUR_SCRATCH_PATH:-$ROOT/.build}"
BENCH_SCRATCH="${RECUR_BENCH_SCRATCH_PATH:-$ROOT/Benchmarks/.build}"
VENV="${RECUR_BENCH_VENV:-$ROOT/.build/bench-venv}"
SLICE="${BENCH_SLICE:-50MB}"
MEMORY_SIZES="${BENCH_MEMORY_SIZES-1GB 4GB}"  # set but empty: no memory rows
RUNS="${BENCH_RUNS:-3}"
YAKE_BUDGET="${BENCH_YAKE_BUDGET:-900}"
YAKE_EVERY="${BENCH_YAKE_EVERY:-0}"
ARCHIVES="$ROOT/.build/bench-archives"
WORK="$ROOT/.build/bench-work"
REPORT="$ROOT/.build/bench-report.md"
EXCLUDE=(--exclude README.md --exclude truth.json)  # the generator's description of the archive, not inquiries

# shellcheck source=bench/lib.sh
. "$ROOT/scripts/bench/lib.sh"

size_re='^[0-9]+([.][0-9]+)?(B|KB|MB|GB|KiB|MiB|GiB)$'
for size in $SLICE $MEMORY_SIZES; do
    [[ "$size" =~ $size_re ]] || { echo "error: '$size' is not a size like 50MB or 1GB (BENCH_SLICE, BENCH_MEMORY_SIZES)" >&2; exit 64; }
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "error: BENCH_RUNS must be a positive integer, not '$RUNS'" >&2; exit 64; }
[[ "$YAKE_EVERY" =~ ^[0-9]+$ ]] || { echo "error: BENCH_YAKE_EVERY must be a number, not '$YAKE_EVERY'" >&2; exit 64; }
[[ "$YAKE_BUDGET" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "error: BENCH_YAKE_BUDGET must be seconds, not '$YAKE_BUDGET'" >&2; exit 64; }

COMMAND="BENCH_SLICE=$SLICE BENCH_MEMORY_SIZES=\"$MEMORY_SIZES\" BENCH_RUNS=$RUNS make bench"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)"
if [ -n "$LOAD" ] && awk -v l="${LOAD%% *}" 'BEGIN { exit !(l >= 0.5) }'; then
    echo "warning: load average $LOAD: other processes are using the CPU; speeds will be low (noted in the table)" >&2
fi
START=$SECONDS

# --- Environment and builds -------------------------------------------------------------------------
[ -x /usr/bin/time ] || bench_apt_install time  # GNU time: wall time and peak RSS (-v)
bench_python_env "$BENCH_PIP_DATASKETCH" "$BENCH_PIP_YAKE" "$BENCH_PIP_SKLEARN"
bench_build_root recur recur-corpus
bench_build_benchmarks dedup-compare analyzer-baseline

# --- Archives ---------------------------------------------------------------------------------------
# archive SIZE: prints the folder of the SIZE archive, generated first when it is not cached.
archive() {
    local size="$1" dir="$ARCHIVES/$1"
    if [ ! -f "$dir/truth.json" ]; then
        bench_step "generating the $size archive (recur-corpus --seed 7) into $dir"
        mkdir -p "$ARCHIVES"
        rm -rf "$dir" "$dir.partial"
        "$BIN/recur-corpus" --seed 7 --size "$size" --out "$dir.partial" >&2 || bench_die "recur-corpus --size $size failed"
        mv "$dir.partial" "$dir"
    fi
    printf '%s\n' "$dir"
}

# input_bytes DIR: bytes of the files recur reads (README.md and truth.json left out; %.0f: mawk's %d stops at 2^31 - 1).
input_bytes() {
    find "$1" -type f ! -name README.md ! -name truth.json -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# analyze DIR OUT JOBS TIMEFILE: one timed `recur analyze`; exit status 2 (inputs skipped) is a warning.
analyze() {
    local dir="$1" out="$2" jobs="$3" timefile="$4" status=0
    # --timings: summary.json gets each stage's seconds (the table's explanations use them).
    /usr/bin/time -v -o "$timefile" "$BIN/recur" analyze "$dir" "${EXCLUDE[@]}" --quiet --timings --out "$out" --jobs "$jobs" || status=$?
    case $status in
        0) ;;
        2) echo "warning: recur analyze $dir skipped some inputs (exit status 2); see $out/summary.json" >&2 ;;
        *) bench_die "recur analyze $dir --jobs $jobs failed with exit status $status" ;;
    esac
}

rm -rf "$WORK"
mkdir -p "$WORK"
if [ "${BENCH_KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$WORK"' EXIT
fi

SLICE_DIR="$(archive "$SLICE")"
for size in $MEMORY_SIZES; do archive "$size" >/dev/null; done
input_bytes "$SLICE_DIR" > "$WORK/slice.bytes"

# --- Slice: recur, the analyzers alone, the peers ---------------------------------------------------
bench_step "the slice's paragraphs once (recur normalize; the peers' input, untimed)"
"$BIN/recur" normalize "$SLICE_DIR" "${EXCLUDE[@]}" --quiet --out "$WORK/keys.jsonl" || bench_die "recur normalize failed"

for run in $(seq 1 "$RUNS"); do
    for jobs in 1 2; do
        bench_step "recur analyze --jobs $jobs, run $run/$RUNS ($SLICE)"
        analyze "$SLICE_DIR" "$WORK/out-j$jobs" "$jobs" "$WORK/analyze-j$jobs-$run.time"
        cp "$WORK/out-j$jobs/summary.json" "$WORK/analyze-j$jobs-$run-summary.json"
    done
done

bench_step "the analyzers alone, 2 threads: $RUNS runs (analyzer-baseline)"
"$BENCH_BIN/analyzer-baseline" "$SLICE_DIR" "${EXCLUDE[@]}" --threads 2 --runs "$RUNS" > "$WORK/baseline.json" \
    || bench_die "analyzer-baseline failed"

bench_dedup_peers "$WORK" "$RUNS" "$RUNS"
bench_step "scoring both deduplications against the exact reference (scripts/bench/report.py)"
bench_dedup_report "$WORK" "$(( $(cat "$WORK/slice.bytes") / 1000000 ))" --json "$WORK/dedup-scores.json" > "$WORK/dedup-report.txt"

bench_step "YAKE + scikit-learn themes, 2 processes: $RUNS runs"
"$PY" "$ROOT/scripts/bench/yake_themes.py" "$WORK/keys.jsonl" "$WORK/yake-themes.json" --runs "$RUNS" --processes 2 \
    --every "$YAKE_EVERY" --budget-seconds "$YAKE_BUDGET" > "$WORK/yake.json" || bench_die "scripts/bench/yake_themes.py failed"

# --- Memory rows: one run each ----------------------------------------------------------------------
for size in $MEMORY_SIZES; do
    dir="$ARCHIVES/$size"
    bench_step "recur analyze --jobs 2 on the $size archive (one run, for its peak RSS)"
    input_bytes "$dir" > "$WORK/memory-$size.bytes"
    analyze "$dir" "$WORK/out-$size" 2 "$WORK/memory-$size.time"
    cp "$WORK/out-$size/summary.json" "$WORK/memory-$size-summary.json"
    rm -rf "$WORK/out-$size"
done

# --- Table ------------------------------------------------------------------------------------------
bench_step "done in $(( (SECONDS - START) / 60 )) min $(( (SECONDS - START) % 60 )) s; the table is also in ${REPORT#"$ROOT"/}"
"$PY" "$ROOT/scripts/bench/macro_report.py" "$WORK" --slice "$SLICE" --runs "$RUNS" --memory-sizes "$MEMORY_SIZES" \
    --command "$COMMAND" --root "$ROOT" --load "$LOAD" --out "$REPORT" || bench_die "scripts/bench/macro_report.py failed"
