# Shared by the sync benchmarks (sourced): messages, the tools they need, and a
# work dir under /tmp that is removed on exit (BENCH_KEEP=1 keeps it) after the
# commands pushed on STOPS ran, last first (servers the run started).
#   BENCH_TAG     prefix of every message
#   bench_start PREFIX TOOLS...   checks the tools and BIN_DIR/connectors, makes WORK,
#                                 copies connectors (and the extractor) into it

log() { echo "$BENCH_TAG: $*" >&2; }
die() {
  log "$*"
  exit 1
}

STOPS=()
bench__cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  for ((i = ${#STOPS[@]} - 1; i >= 0; i--)); do eval "${STOPS[i]}" >/dev/null 2>&1 || true; done
  if [[ ${BENCH_KEEP:-} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}

bench_start() {
  local prefix=$1 tool
  shift
  for tool in "$@"; do command -v "$tool" >/dev/null || die "$tool is required"; done
  [[ -x $BIN_DIR/connectors ]] || die "$BIN_DIR/connectors is missing: cmake --build build -j2 --target connectors"
  WORK=$(mktemp -d "/tmp/$prefix.XXXXXX")
  trap bench__cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # Copies: a rebuild during the run changes nothing.
  cp "$BIN_DIR/connectors" "$WORK/connectors"
  if [[ -x $BIN_DIR/connectors-extractor ]]; then cp "$BIN_DIR/connectors-extractor" "$WORK/"; fi
}
