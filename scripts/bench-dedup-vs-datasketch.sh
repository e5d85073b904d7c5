#!/usr/bin/env bash
# recur's deduplication stage side by side with datasketch (MinHash + MinHashLSH), in one run.
#
#   scripts/bench-dedup-vs-datasketch.sh [MB]      # MB: archive size to generate (default 20)
#
# 1. installs datasketch from PyPI into a virtual environment (.build/bench-venv; python3-venv
#    from apt when missing, with sudo when not root); the steps shared with scripts/bench.sh are
#    in scripts/bench/lib.sh;
# 2. builds recur, recur-corpus (root package) and dedup-compare (Benchmarks package) in release mode;
# 3. generates a mixed ru/fi/ja archive of MB megabytes (recur-corpus --seed 7) in a temporary folder;
# 4. extracts the paragraph keys once with `recur normalize` into keys.jsonl, which both tools read;
# 5. times recur's ParagraphDeduplicator (dedup-compare; median of RECUR_RUNS runs, one thread) and
#    the same stage built on datasketch (scripts/bench/datasketch_dedup.py; median of DATASKETCH_RUNS);
# 6. scores both against an exact reference computed on the same keys (scripts/bench/report.py)
#    and prints one table: MB, seconds, MB/s, precision, recall, and the speed ratio.
#
# Environment: RECUR_RUNS (5), DATASKETCH_RUNS (3), RECUR_SCRATCH_PATH (the root package's build
# folder, default .build), RECUR_BENCH_SCRATCH_PATH (the Benchmarks package's build folder,
# default Benchmarks/.build), RECUR_BENCH_VENV (default .build/bench-venv), KEEP=1 keeps the temporary
# folder (its path is printed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MB="${1:-20}"
if ! [[ "$MB" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "usage: $0 [MB]   (archive size in megabytes, default 20)" >&2
    exit 64
fi
RECUR_RUNS="${RECUR_RUNS:-5}"
DATASKETCH_RUNS="${DATASKETCH_RUNS:-3}"
SCRATCH="${RECUR_SCRATCH_PATH:-$ROOT/.build}"
BENCH_SCRATCH="${RECUR_BENCH_SCRATCH_PATH:-$ROOT/Benchmarks/.build}"
VENV="${RECUR_BENCH_VENV:-$ROOT/.build/bench-venv}"

# shellcheck source=bench/lib.sh
. "$ROOT/scripts/bench/lib.sh"
step() { bench_step "$@"; }

bench_python_env "$BENCH_PIP_DATASKETCH"
bench_build_root recur recur-corpus
bench_build_benchmarks dedup-compare

# --- Data -----------------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/recur-dedup-bench.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
    step "keeping $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi
step "generating a ${MB} MB archive"
"$BIN/recur-corpus" --seed 7 --size "${MB}MB" --out "$WORK/archive" >&2
# truth.json and README.md describe the archive; they are not inquiries.
mv "$WORK/archive/truth.json" "$WORK/truth.json"
rm -f "$WORK/archive/README.md"
step "extracting paragraph keys once (recur normalize)"
"$BIN/recur" normalize "$WORK/archive" --out "$WORK/keys.jsonl" --quiet

# --- Runs -----------------------------------------------------------------------------------------
bench_dedup_peers "$WORK" "$RECUR_RUNS" "$DATASKETCH_RUNS"
step "exact reference and scores"

echo "recur dedup vs datasketch, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(uname -sm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
echo "$(swift --version 2>/dev/null | head -1); $("$PY" --version); datasketch $("$PY" -c 'import importlib.metadata as m; print(m.version("datasketch"))'), numpy $("$PY" -c 'import numpy; print(numpy.__version__)')"
echo "one thread each; recur: median of $RECUR_RUNS runs, datasketch: median of $DATASKETCH_RUNS"
bench_dedup_report "$WORK" "$MB"
