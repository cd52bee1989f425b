#!/usr/bin/env bash
# Runs every test: unit tests, the fault proxy's self-test, then the integration
# tests once per engine in $ENGINES, each against a freshly started engine that
# is always stopped again (also on failure or Ctrl-C).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build-asan}"
ENGINES="${ENGINES:-opensearch elasticsearch}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=0
passed=0
run() {
  local what="$1"; shift
  local start=$SECONDS
  echo "=== $what"
  if "$@"; then passed=$((passed + 1)); else echo "=== FAILED: $what"; failed=$((failed + 1)); fi
  echo "=== $what: $((SECONDS - start)) s"  # where CI's time goes
}

run "unit tests" ctest --test-dir "$BUILD_DIR" -L unit --output-on-failure
run "fault proxy self-test" python3 -m unittest tests/fault_proxy/test_fault_proxy.py

current_engine=""
stop_engine() {
  if [[ -n "$current_engine" ]]; then
    ENGINE="$current_engine" tests/servers/elasticsearch.sh stop || true
    current_engine=""
  fi
}
trap stop_engine EXIT INT TERM

for engine in $ENGINES; do
  echo "=== starting $engine"
  current_engine="$engine"
  if ! url="$(ENGINE="$engine" tests/servers/elasticsearch.sh start)"; then
    echo "=== FAILED: could not start $engine"
    failed=$((failed + 1))
    stop_engine
    continue
  fi
  run "integration tests on $engine ($url)" \
    env ES_URL="$url" ENGINE="$engine" ctest --test-dir "$BUILD_DIR" -L integration --output-on-failure
  stop_engine
done

# The functional tests of the database, file and Atlassian sources (Cloud and Server each) at
# SMALL, through the service, with the release programs (make ftest NAME=... runs the same, at
# any size).
for source in ${FTESTS:-postgresql mysql mongodb s3 google_cloud_storage azure_blob_storage network_drive confluence jira}; do
  run "ftest $source SMALL" env BUILD_DIR=build tests/ftest/run.sh "$source" SMALL
done

echo "test suites: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
