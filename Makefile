# Developer and user entry points. `make install` then `make test` on a fresh
# Debian 12 machine; `.ci/run` runs exactly these.
BUILD_DIR      ?= build
ASAN_BUILD_DIR ?= build-asan
CONFIG_FILE    ?= config.yml
ENGINES        ?= opensearch elasticsearch
NAME           ?=
DATA_SIZE      ?= SMALL
JOBS           ?= $(shell nproc)

.PHONY: install deps build build-all build-asan build-release demo fuzz test unit-test run ftest format clean help

help:
	@echo "make demo        a local Elasticsearch, a directory connector and its first sync"
	@echo "make install     install dependencies (Debian packages) and build"
	@echo "make test        unit tests (ASan/UBSan build) and integration tests against real engines"
	@echo "make run         run elastic-ingest with ./config.yml in debug mode"
	@echo "make ftest NAME=<source> DATA_SIZE=SMALL|MEDIUM|LARGE   functional test of a source"
	@echo "variables: ENGINES='$(ENGINES)' CONFIG_FILE=$(CONFIG_FILE)"

install: deps build

deps:
	bash scripts/install-deps.sh

# The programs only: the tests are built (with sanitizers) by `make test`.
build:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j $(JOBS) --target elastic-ingest connectors

build-all:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The programs as a packager builds them (-O3, warnings as errors): CI checks it builds.
build-release:
	cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONNECTORS_TESTS=OFF
	cmake --build build-release -j $(JOBS) --target elastic-ingest connectors

build-asan:
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCONNECTORS_SANITIZE=ON
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)

test: build build-asan
	ENGINES="$(ENGINES)" BUILD_DIR=$(ASAN_BUILD_DIR) bash scripts/run-tests.sh

unit-test: build build-asan
	cd $(ASAN_BUILD_DIR) && ctest -L unit --output-on-failure

run: build
	$(BUILD_DIR)/bin/elastic-ingest -c $(CONFIG_FILE) --debug

ftest: build
	bash tests/ftest/run.sh "$(NAME)" "$(DATA_SIZE)"

format:
	find src tests bench -name '*.cpp' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) build-release

# Each extraction parser under libFuzzer for FUZZ_SECONDS (fuzz/README.md).
FUZZ_SECONDS ?= 60
fuzz:
	bash fuzz/run.sh $(FUZZ_SECONDS)

demo:
	bash scripts/demo.sh
