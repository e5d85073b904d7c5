# recur: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
DEBIAN_PACKAGES := libicu-dev libmecab-dev mecab-ipadic-utf8 libvoikko-dev voikko-fi libstemmer-dev unicode-data pkg-config
RECUR := .build/release/recur
OUT ?= out/demo

.PHONY: demo test setup build quality fuzz sanitize bench clean

## Installs the Debian packages recur needs, when any is missing (needs root or sudo).
setup:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: setup
	swift build -c release --product recur

## Sets up, builds in release mode and runs `recur analyze` on the bundled demo archive.
demo: build
	$(RECUR) analyze corpora/demo --exclude README.md --exclude truth.json --timings --out $(OUT)
	@echo "open $(OUT)/report.html in a browser; the CSVs and summary.json are beside it"

## Runs the whole test suite (unit, end-to-end, quality bars when ../shared is present).
test: setup
	swift build --build-tests
	swift test --skip-build --parallel

## Prints every quality figure (UD treebanks and encodings from ../shared when present, the demo's truth).
quality: build
	$(RECUR) quality

## Runs each libFuzzer target (Fuzz/) for FUZZ_SECONDS (default 300) over its corpus.
fuzz: setup
	scripts/fuzz.sh $(or $(FUZZ_SECONDS),300)

## Runs the macro benchmark (scripts/bench.sh): recur analyze at 1 and 2 jobs vs the analyzers alone, datasketch and YAKE, peak RSS; one table, also in .build/bench-report.md (README: BENCH_* settings).
bench: setup
	scripts/bench.sh

## Runs the whole test suite under AddressSanitizer, then ThreadSanitizer (separate build folders).
sanitize: setup
	swift build --build-tests --sanitize=address --scratch-path .build/asan
	# Leak reports come from the toolchain's XCTest and Dispatch runtimes, not from recur.
	ASAN_OPTIONS=detect_leaks=0 swift test --skip-build --sanitize=address --scratch-path .build/asan
	# ThreadSanitizer does not see a contended Synchronization.Mutex acquired in the kernel (a PI
	# futex) on Linux: it reports "Swift access race" on state touched only inside withLock when
	# two threads contend (two threads adding to a Mutex<Int> reproduce it). ReadingProgress gets
	# such reports when two large files are read at once.
	swift build --build-tests --sanitize=thread --scratch-path .build/tsan
	swift test --skip-build --sanitize=thread --scratch-path .build/tsan

clean:
	rm -rf .build out
