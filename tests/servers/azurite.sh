#!/usr/bin/env bash
# A throw-away Azurite (Azure Blob Storage emulator, verifies SharedKey
# signatures; reference/test-infra.md) for tests, on 127.0.0.1 on a free port,
# its data in memory. azurite@3.35.0 is the last release for node 20 (3.36+
# want node 22); it is installed once with npm into $REPO/.cache/servers/azurite,
# npm's download cache living in one per-machine dir ($CONNECTORS_NPM_CACHE,
# default ~/.cache/connectors-cpp/npm) so that every checkout reuses it.
#
# Usage: tests/servers/azurite.sh install   installs Azurite if missing (make install runs it)
#        tests/servers/azurite.sh start     prints one line: host=127.0.0.1 port=P
#          user=devstoreaccount1 password=<account key> database=- dir=D
#          url=http://127.0.0.1:P/devstoreaccount1
#        tests/servers/azurite.sh stop D    stops that server and removes D. Idempotent.
#
# Environment:
#   SERVER_OWNER_PID=PID   stop the server when that process ends (tests that crash leave nothing)
set -euo pipefail

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVER_SCRIPT=azurite.sh
SERVER_LABEL=Azurite
TEST_DIR_PREFIX=/tmp/azurite-test
AZURITE_VERSION=3.35.0
AZURITE_DIR=$CACHE_DIR/azurite
AZURITE_BIN=$AZURITE_DIR/node_modules/.bin/azurite-blob
NPM_CACHE=${CONNECTORS_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/connectors-cpp/npm}
# The emulator's well-known development account (the seeds' defaults).
USER_NAME=devstoreaccount1
PASSWORD='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
DATABASE=-

install() {
  [[ -x $AZURITE_BIN ]] && return 0
  lock_cache azurite
  [[ -x $AZURITE_BIN ]] && return 0
  command -v npm >/dev/null || die "npm is required to install Azurite (not found on PATH)"
  mkdir -p "$AZURITE_DIR" "$NPM_CACHE"
  log "installing azurite@$AZURITE_VERSION (about 40 s with a cold npm cache)"
  (cd "$AZURITE_DIR" && npm install --no-audit --no-fund --no-save --cache "$NPM_CACHE" \
    "azurite@$AZURITE_VERSION") >"$CACHE_DIR/azurite-install.log" 2>&1 ||
    die "npm install azurite@$AZURITE_VERSION failed: $(tail -n 5 "$CACHE_DIR/azurite-install.log")"
  [[ -x $AZURITE_BIN ]] || die "npm installed no $AZURITE_BIN"
}

# Starts the server of dir $1 on port $2 and waits until it answers; fails when
# it exits or 30 s pass.
launch_server() {
  local dir=$1 port=$2 i
  "$AZURITE_BIN" --blobHost 127.0.0.1 --blobPort "$port" --inMemoryPersistence \
    --disableTelemetry --skipApiVersionCheck --loose --silent \
    </dev/null >>"$dir/server.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/server.pid"
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    # Any HTTP answer (an unsigned request is refused with 403) means it listens.
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/$USER_NAME?comp=list") != 000 ]] &&
      return 0
    sleep 0.1
  done
  return 1
}

stop_server() { stop_pid_file "$1"; }

clear_data() { rm -f "$1/server.pid"; }

start() {
  install
  local dir line
  dir=$(mktemp -d "$TEST_DIR_PREFIX.XXXXXX")
  mkdir -p "$dir/data"  # the watchdog runs while it exists; Azurite keeps its data in memory
  line=$(serve_on_free_port "$dir" "$dir/server.log" "" clear_data) || exit 1
  echo "$line url=http://127.0.0.1:$(cat "$dir/port")/$USER_NAME"
}

case "${1:-}" in
  install) install ;;
  *) server_main "$@" ;;
esac
