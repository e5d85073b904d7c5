# recur: the two commands are `make demo` and `make test` (see README.md).
SHELL := /bin/bash
DEBIAN_PACKAGES := libicu-dev libmecab-dev mecab-ipadic-utf8 libvoikko-dev voikko-fi libstemmer-dev unicode-data pkg-config
RECUR := .build/release/recur
OUT ?= out/demo

.PHONY: demo test setup build quality clean

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

## Sets up, builds in release mode and runs recur on the bundled corpus.
demo: build
	@mkdir -p $(OUT)
	$(RECUR) normalize corpora/seeds --out $(OUT)/paragraphs.jsonl
	@echo "wrote $(OUT)/paragraphs.jsonl"

## Runs the whole test suite (unit, end-to-end, quality bars when ../shared is present).
test: setup
	swift build --build-tests
	swift test --skip-build --parallel

quality: build
	$(RECUR) quality

clean:
	rm -rf .build out
