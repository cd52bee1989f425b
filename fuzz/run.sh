#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (build-fuzz/) and runs each for a
# bounded time, seeded with the extraction corpus of its type. Findings (crash-*,
# leak-*, timeout-* files) are left in fuzz/findings/<type>/; each one fixed is
# kept as a regression test in tests/fixtures/extraction/regressions/.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TYPE...]      (default 60 s, every type)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
BUILD=${FUZZ_BUILD_DIR:-build-fuzz}
CXX=clang++ CC=clang cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCONNECTORS_FUZZ=ON -DCONNECTORS_TESTS=OFF -DCONNECTORS_WERROR=OFF >/dev/null
types=("$@")
if [[ ${#types[@]} -eq 0 ]]; then
  read -r -a types <<<"$(sed -n 's/^set(CONNECTORS_FUZZ_TYPES \(.*\)$/\1/p' fuzz/CMakeLists.txt)"
fi
status=0
for type in "${types[@]}"; do
  cmake --build "$BUILD" --target "fuzz_$type" >/dev/null
  corpus="$(mktemp -d)"
  [[ -d tests/fixtures/extraction ]] && find tests/fixtures/extraction -mindepth 2 -type f -iname "*.$type" -exec cp {} "$corpus" \;
  mkdir -p "fuzz/findings/$type"
  echo "=== fuzz_$type: $(ls "$corpus" | wc -l) seeds, ${seconds} s"
  if ! ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=fuzz/lsan.supp:fast_unwind_on_malloc=0 "$BUILD/bin/fuzz_$type" "$corpus" -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -max_len=1048576 -artifact_prefix="fuzz/findings/$type/" \
      -print_final_stats=1 2>"fuzz/findings/$type/log.txt"; then
    echo "=== fuzz_$type: FINDING (fuzz/findings/$type/, log.txt)"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "fuzz/findings/$type/log.txt" || true
  rm -rf "$corpus"
done
exit $status
