#!/usr/bin/env bash
# A throw-away MongoDB-wire server for tests: SecantusDB (PyPI `secantusdb`, a
# single-node server with its own WiredTiger, reference/test-infra.md §2e), since
# no real mongod can be had here. It runs from a venv cached in
# $REPO/.cache/servers/mongodb-venv (secantusdb and pymongo pinned), with its
# own storage dir in a temp dir, on 127.0.0.1 on a free port.
#
# Usage: tests/servers/mongodb.sh start
#          prints one line: host=127.0.0.1 port=P user=admin password=justtesting
#          database=sample_database dir=D url=mongodb://127.0.0.1:P/?directConnection=true
#          (with MONGO_AUTH=1 the server requires SCRAM-SHA-256 and the user exists,
#          with the root role in `admin`; without it, user and password are unused)
#        tests/servers/mongodb.sh stop D     stops that server and removes D. Idempotent.
#        tests/servers/mongodb.sh status D   "running port=P" (exit 0) or "stopped" (exit 1)
#        tests/servers/mongodb.sh url D      the connection URI of that server
#
# Environment:
#   MONGO_AUTH=1           require authentication (user created, then restart with --auth)
#   SERVER_OWNER_PID=PID   stop the server when that process ends (tests that crash leave nothing)
set -euo pipefail

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVER_SCRIPT=mongodb.sh
SERVER_LABEL=SecantusDB
TEST_DIR_PREFIX=/tmp/mongo-test
VENV=$CACHE_DIR/mongodb-venv
PIP_PINS=(secantusdb==0.7.0b3 pymongo==4.20.0)
USER_NAME=admin
PASSWORD=justtesting
DATABASE=sample_database

# The venv with the pinned packages, made once (under the cache lock).
ensure_venv() {
  local check="import importlib.metadata as m; assert m.version('secantusdb') == '0.7.0b3' and m.version('pymongo') == '4.20.0'"
  "$VENV/bin/python" -c "$check" 2>/dev/null && return 0
  lock_cache mongodb
  "$VENV/bin/python" -c "$check" 2>/dev/null && return 0
  rm -rf "$VENV.tmp"
  python3 -m venv "$VENV.tmp" || die "cannot create a venv (python3-venv missing?)"
  "$VENV.tmp/bin/python" -m pip install -q "${PIP_PINS[@]}" >"$CACHE_DIR/mongodb-pip.log" 2>&1 ||
    die "pip install ${PIP_PINS[*]} failed: $(tail -n 5 "$CACHE_DIR/mongodb-pip.log")"
  rm -rf "$VENV"
  mv "$VENV.tmp" "$VENV"
}

uri() { echo "mongodb://127.0.0.1:$1/?directConnection=true"; }

# Runs python with pymongo against port $1: $2 is the code (client `c`).
with_client() {
  "$VENV/bin/python" - "$1" "$2" <<'PY'
import sys, pymongo
port, code = sys.argv[1], sys.argv[2]
c = pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/?directConnection=true", serverSelectionTimeoutMS=1000)
exec(code)
PY
}

# Starts the server of dir $1 on port $2 (with --auth when $3 is "auth") and
# waits until it answers a ping; fails when it exits or 30 s pass.
run_secantus() {
  local dir=$1 port=$2 auth=${3:-}
  local -a flags=(--config "$dir/secantusd.toml" --host 127.0.0.1 --port "$port"
    --storage-path "$dir/data" --log-level WARNING)
  [[ $auth == auth ]] && flags+=(--auth)
  "$VENV/bin/python" -m secantus "${flags[@]}" </dev/null >>"$dir/server.log" 2>&1 &
  echo $! >"$dir/server.pid"
  local i pid=$!
  for ((i = 0; i < 60; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    # A ping needs no authentication (a handshake command).
    with_client "$port" 'c.admin.command("ping")' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  return 1
}

launch_server() {
  local dir=$1 port=$2
  run_secantus "$dir" "$port" || return 1
  if [[ ${MONGO_AUTH:-0} == 1 ]]; then
    with_client "$port" "c.admin.command('createUser', '$USER_NAME', pwd='$PASSWORD', roles=['root'])" \
      >>"$dir/server.log" 2>&1 || return 1
    stop_server "$dir"
    run_secantus "$dir" "$port" auth || return 1
  fi
}

stop_server() { stop_pid_file "$1"; }

clear_data() { rm -rf "$1/data" "$1/server.pid"; mkdir -p "$1/data"; }

start() {
  ensure_venv
  local dir
  dir=$(mktemp -d "$TEST_DIR_PREFIX.XXXXXX")
  mkdir -p "$dir/data"
  : >"$dir/secantusd.toml"  # an empty config: no auto-discovered ./secantusd.toml or ~/.secantus
  local line
  line=$(serve_on_free_port "$dir" "$dir/server.log" "" clear_data) || exit 1
  echo "$line url=$(uri "$(cat "$dir/port")")"
}

status() {
  local dir=${1:-}
  if [[ -n $dir && -f $dir/server.pid ]] && kill -0 "$(cat "$dir/server.pid")" 2>/dev/null; then
    echo "running port=$(cat "$dir/port")"
    return 0
  fi
  echo stopped
  return 1
}

case "${1:-}" in
  status) status "${2:-}" ;;
  url)
    [[ -n ${2:-} && -f ${2}/port ]] || die "url needs the dir= that start printed"
    uri "$(cat "$2/port")"
    ;;
  *) server_main "$@" ;;
esac
