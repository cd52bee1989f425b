#!/usr/bin/env bash
# A throw-away MinIO (S3 API, verifies AWS Signature V4; reference/test-infra.md
# §2a) for tests, on 127.0.0.1 on a free port, with its data in a temp dir.
# MinIO has no release tags on the Go proxy: the pseudo-version below is pinned
# and built once with `go install` into $REPO/.cache/servers/minio/bin; the Go
# module and build caches live in one per-machine dir ($CONNECTORS_GO_CACHE,
# default ~/.cache/connectors-cpp/go) so that every checkout reuses them
# (about 4 min cold on 2 cores, seconds warm).
#
# Usage: tests/servers/minio.sh install   builds the binary if missing (make install runs it)
#        tests/servers/minio.sh start     prints one line: host=127.0.0.1 port=P
#          user=<access key> password=<secret key> database=- dir=D url=http://127.0.0.1:P
#          region=us-east-1
#        tests/servers/minio.sh stop D    stops that server and removes D. Idempotent.
#
# Environment:
#   SERVER_OWNER_PID=PID   stop the server when that process ends (tests that crash leave nothing)
set -euo pipefail

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVER_SCRIPT=minio.sh
SERVER_LABEL=MinIO
TEST_DIR_PREFIX=/tmp/minio-test
MINIO_MODULE=github.com/minio/minio@v0.0.0-20260212201848-7aac2a2c5b7c
MINIO_BIN=$CACHE_DIR/minio/bin/minio
GO_CACHE=${CONNECTORS_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/connectors-cpp/go}
USER_NAME=connaccess
PASSWORD=connsecret123
DATABASE=-
REGION=us-east-1

install() {
  [[ -x $MINIO_BIN ]] && return 0
  lock_cache minio
  [[ -x $MINIO_BIN ]] && return 0
  command -v go >/dev/null || die "go is required to build MinIO (not found on PATH)"
  mkdir -p "$GO_CACHE" "$(dirname "$MINIO_BIN")"
  log "building $MINIO_MODULE (minutes when $GO_CACHE is cold)"
  GOBIN=$(dirname "$MINIO_BIN") GOMODCACHE=$GO_CACHE/mod GOCACHE=$GO_CACHE/build \
    GOFLAGS=-modcacherw GOTOOLCHAIN=local \
    go install "$MINIO_MODULE" >"$CACHE_DIR/minio-install.log" 2>&1 ||
    die "go install $MINIO_MODULE failed: $(tail -n 5 "$CACHE_DIR/minio-install.log")"
}

# Starts the server of dir $1 on port $2 and waits until it is ready; fails when
# it exits or 30 s pass.
launch_server() {
  local dir=$1 port=$2 console i
  console=$(free_port)
  MINIO_ROOT_USER=$USER_NAME MINIO_ROOT_PASSWORD=$PASSWORD MINIO_BROWSER=off MINIO_UPDATE=off \
    MINIO_CALLHOME_ENABLE=off MINIO_REGION=$REGION \
    "$MINIO_BIN" server "$dir/data" --address "127.0.0.1:$port" \
    --console-address "127.0.0.1:$console" --quiet </dev/null >>"$dir/server.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$dir/server.pid"
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/minio/health/ready") == 200 ]] &&
      return 0
    sleep 0.1
  done
  return 1
}

stop_server() { stop_pid_file "$1"; }

clear_data() { rm -rf "$1/data" "$1/server.pid"; mkdir -p "$1/data"; }

start() {
  install
  local dir line
  dir=$(mktemp -d "$TEST_DIR_PREFIX.XXXXXX")
  mkdir -p "$dir/data"
  line=$(serve_on_free_port "$dir" "$dir/server.log" "" clear_data) || exit 1
  echo "$line url=http://127.0.0.1:$(cat "$dir/port") region=$REGION"
}

case "${1:-}" in
  install) install ;;
  *) server_main "$@" ;;
esac
