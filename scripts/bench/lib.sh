# Shared pieces of scripts/bench.sh (the macro benchmark) and scripts/bench-dedup-vs-datasketch.sh.
# Sourced, not run. Every function reports its steps on stderr and exits with a message on failure.
#
# Set before sourcing (the callers do): ROOT (the repository), SCRATCH (the root package's build
# folder), BENCH_SCRATCH (the Benchmarks package's build folder), VENV (the Python environment).

# PyPI pins (major versions) of the peers.
BENCH_PIP_DATASKETCH='datasketch>=2.0,<3'
BENCH_PIP_YAKE='yake>=0.7,<1'
BENCH_PIP_SKLEARN='scikit-learn>=1.5,<2'

bench_step() { printf '==> %s\n' "$*" >&2; }
bench_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# bench_apt_install PACKAGE...: installs Debian packages (apt-get; with sudo when not root).
bench_apt_install() {
    bench_step "installing $* (apt)"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"; } \
        || bench_die "apt-get could not install $*"
}

# bench_python_env REQUIREMENT...
# Creates $VENV (python3-venv from apt when missing, with sudo when not root) and installs every
# requirement that is not installed at a matching version; sets PY to the environment's python.
bench_python_env() {
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        bench_apt_install python3-venv
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        bench_step "creating the virtual environment $VENV"
        python3 -m venv "$VENV" || bench_die "python3 -m venv $VENV failed"
    fi
    PY="$VENV/bin/python"
    # Which requirements are missing or at a version outside the pin (pip's own packaging module).
    local missing
    missing="$("$PY" - "$@" <<'EOF'
import sys
from importlib import metadata
from pip._vendor.packaging.requirements import Requirement
for spec in sys.argv[1:]:
    r = Requirement(spec)
    try:
        ok = r.specifier.contains(metadata.version(r.name), prereleases=True)
    except metadata.PackageNotFoundError:
        ok = False
    if not ok:
        print(spec)
EOF
)" || bench_die "cannot inspect the virtual environment $VENV (delete it to recreate it)"
    if [ -n "$missing" ]; then
        bench_step "installing from PyPI: $(echo $missing)"
        local specs=()
        mapfile -t specs <<<"$missing"
        "$VENV/bin/pip" install -q --disable-pip-version-check "${specs[@]}" \
            || bench_die "pip could not install $(echo $missing) (is PyPI reachable?)"
    fi
    export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in scripts/bench
}

# bench_build_root PRODUCT...: builds the root package's products in release mode; sets BIN.
bench_build_root() {
    local product
    bench_step "building $* (release, $SCRATCH)"
    for product in "$@"; do
        swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --product "$product" >&2 \
            || bench_die "swift build --product $product failed"
    done
    BIN="$(swift build -c release --package-path "$ROOT" --scratch-path "$SCRATCH" --show-bin-path)"
}

# bench_build_benchmarks PRODUCT...: builds Benchmarks package executables in release mode; sets BENCH_BIN.
bench_build_benchmarks() {
    local product
    bench_step "building $* (release, $BENCH_SCRATCH)"
    for product in "$@"; do
        if ! swift build -c release --package-path "$ROOT/Benchmarks" --scratch-path "$BENCH_SCRATCH" --product "$product" >&2; then
            # SwiftPM keeps the build plan of the root package (a path dependency here) in this scratch
            # folder and does not notice a RecurKit source file added, renamed or removed since ("missing
            # inputs", "cannot find ... in scope"): the plan is dropped and the build tried once more.
            bench_step "rebuilding $product with a fresh build plan"
            rm -f "$BENCH_SCRATCH/release.yaml" "$BENCH_SCRATCH/build.db"
            swift build -c release --package-path "$ROOT/Benchmarks" --scratch-path "$BENCH_SCRATCH" --product "$product" >&2 \
                || bench_die "swift build --product $product (Benchmarks) failed"
        fi
    done
    BENCH_BIN="$(swift build -c release --package-path "$ROOT/Benchmarks" --scratch-path "$BENCH_SCRATCH" --show-bin-path)"
}

# bench_dedup_peers WORK RECUR_RUNS DATASKETCH_RUNS
# recur's deduplication stage (dedup-compare, one thread) and the same stage on datasketch, on the
# paragraph keys in WORK/keys.jsonl (`recur normalize` output). Writes WORK/options.json,
# WORK/recur.json and .tsv, WORK/datasketch.json and .tsv (scored by scripts/bench/report.py).
# Needs BENCH_BIN (dedup-compare built) and PY (datasketch installed).
bench_dedup_peers() {
    local work="$1" recur_runs="$2" datasketch_runs="$3"
    "$BENCH_BIN/dedup-compare" --print-options > "$work/options.json" || bench_die "dedup-compare --print-options failed"
    bench_step "recur dedup stage (dedup-compare): $recur_runs runs"
    # --similarity-histogram: one more, untimed pass gives the real similarity of every LSH candidate verified.
    "$BENCH_BIN/dedup-compare" "$work/keys.jsonl" --duplicates "$work/recur.tsv" --runs "$recur_runs" --similarity-histogram > "$work/recur.json" \
        || bench_die "dedup-compare failed"
    bench_step "datasketch dedup stage: $datasketch_runs runs"
    "$PY" "$ROOT/scripts/bench/datasketch_dedup.py" "$work/keys.jsonl" "$work/options.json" "$work/datasketch.tsv" \
        --runs "$datasketch_runs" --normalize > "$work/datasketch.json" || bench_die "scripts/bench/datasketch_dedup.py failed"
}

# bench_dedup_report WORK MB [REPORT.py OPTION...]: scores both tools' duplicates against the exact
# reference and prints the table (e.g. `--json FILE` also writes the scores).
bench_dedup_report() {
    local work="$1" mb="$2"
    shift 2
    "$PY" "$ROOT/scripts/bench/report.py" "$work/keys.jsonl" "$work/options.json" "$work/recur.json" "$work/recur.tsv" \
        "$work/datasketch.json" "$work/datasketch.tsv" --archive-mb "$mb" "$@" || bench_die "scripts/bench/report.py failed"
}
