#!/usr/bin/env bash
# A throw-away Google Cloud Storage for tests (reference/test-infra.md §2b):
# fake-gcs-server (the JSON API, in memory) behind gcs_token_proxy.py, which
# plays Google's OAuth 2.0 token endpoint for a service account whose key pair
# start generates: it verifies the JWT bearer assertion (RS256 signature with
# the key's public half, iss, aud, scope, exp) and forwards only API requests
# that carry a token it issued. fake-gcs-server checks no auth by itself.
# Built once with `go install` of the pinned version into
# $REPO/.cache/servers/fake_gcs/bin, with the Go caches shared as minio.sh does.
#
# Usage: tests/servers/fake_gcs.sh install   builds the binary if missing (make install runs it)
#        tests/servers/fake_gcs.sh start     prints one line: host=127.0.0.1 port=P
#          user=<client_email> password=- database=<project_id> dir=D url=http://127.0.0.1:P
#          credentials=D/service_account.json emulator=http://127.0.0.1:Q
#          (url: through the proxy; emulator: fake-gcs-server itself, for seeding)
#        tests/servers/fake_gcs.sh stop D    stops both and removes D. Idempotent.
#
# Environment:
#   SERVER_OWNER_PID=PID   stop the servers when that process ends (tests that crash leave nothing)
set -euo pipefail

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVER_SCRIPT=fake_gcs.sh
SERVER_LABEL=fake-gcs-server
TEST_DIR_PREFIX=/tmp/fake-gcs-test
GCS_MODULE=github.com/fsouza/fake-gcs-server@v1.56.1
GCS_BIN=$CACHE_DIR/fake_gcs/bin/fake-gcs-server
GO_CACHE=${CONNECTORS_GO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/connectors-cpp/go}
USER_NAME=connectors-test@connectors-test.iam.gserviceaccount.com
PASSWORD=-
DATABASE=connectors-test

install() {
  [[ -x $GCS_BIN ]] && return 0
  lock_cache fake_gcs
  [[ -x $GCS_BIN ]] && return 0
  command -v go >/dev/null || die "go is required to build fake-gcs-server (not found on PATH)"
  mkdir -p "$GO_CACHE" "$(dirname "$GCS_BIN")"
  log "building $GCS_MODULE (a minute or two when $GO_CACHE is cold)"
  GOBIN=$(dirname "$GCS_BIN") GOMODCACHE=$GO_CACHE/mod GOCACHE=$GO_CACHE/build \
    GOFLAGS=-modcacherw GOTOOLCHAIN=local \
    go install "$GCS_MODULE" >"$CACHE_DIR/fake_gcs-install.log" 2>&1 ||
    die "go install $GCS_MODULE failed: $(tail -n 5 "$CACHE_DIR/fake_gcs-install.log")"
}

# The service account's key pair and its JSON key file (as Google's console
# gives it, with a universe_domain the source must ignore).
make_key() {
  local dir=$1
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/key.pem" 2>/dev/null
  openssl pkey -in "$dir/key.pem" -pubout -out "$dir/public.pem"
}

write_credentials() {
  local dir=$1 port=$2
  python3 - "$dir" "$port" "$USER_NAME" "$DATABASE" <<'PY'
import json, sys
d, port, email, project = sys.argv[1:]
key = open(f"{d}/key.pem").read()
json.dump({"type": "service_account", "project_id": project, "private_key_id": "test-key-1",
           "private_key": key, "client_email": email, "client_id": "1234567890",
           "auth_uri": "https://accounts.google.com/o/oauth2/auth",
           "token_uri": f"http://127.0.0.1:{port}/token",
           "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
           "universe_domain": "googleapis.com"}, open(f"{d}/service_account.json", "w"), indent=2)
PY
}

wait_http() {
  local pid=$1 url=$2 i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || return 1
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url") != 000 ]] && return 0
    sleep 0.1
  done
  return 1
}

# Starts fake-gcs-server on a second free port, then the proxy on port $2.
launch_server() {
  local dir=$1 port=$2 backend
  backend=$(free_port)
  "$GCS_BIN" -scheme http -host 127.0.0.1 -port "$backend" -backend memory \
    -public-host "127.0.0.1:$port" -external-url "http://127.0.0.1:$port" -log-level warn \
    </dev/null >>"$dir/server.log" 2>&1 &
  echo $! >"$dir/server.pid"
  wait_http "$(cat "$dir/server.pid")" "http://127.0.0.1:$backend/storage/v1/b" || return 1
  echo "$backend" >"$dir/backend_port"
  write_credentials "$dir" "$port"
  python3 "$SCRIPT_DIR/gcs_token_proxy.py" --port "$port" --backend "http://127.0.0.1:$backend" \
    --public-key "$dir/public.pem" --client-email "$USER_NAME" \
    --token-uri "http://127.0.0.1:$port/token" </dev/null >>"$dir/proxy.log" 2>&1 &
  echo $! >"$dir/proxy.pid"
  wait_http "$(cat "$dir/proxy.pid")" "http://127.0.0.1:$port/healthz"
}

stop_server() {
  local dir=$1
  if [[ -f $dir/proxy.pid ]]; then
    kill -TERM "$(cat "$dir/proxy.pid")" 2>/dev/null || true
    rm -f "$dir/proxy.pid"
  fi
  stop_pid_file "$dir"
}

clear_data() { stop_server "$1"; }

start() {
  install
  local dir line
  dir=$(mktemp -d "$TEST_DIR_PREFIX.XXXXXX")
  mkdir -p "$dir/data"
  make_key "$dir"
  line=$(serve_on_free_port "$dir" "$dir/server.log" "" clear_data) || exit 1
  echo "$line url=http://127.0.0.1:$(cat "$dir/port") credentials=$dir/service_account.json" \
    "emulator=http://127.0.0.1:$(cat "$dir/backend_port")"
}

case "${1:-}" in
  install) install ;;
  *) server_main "$@" ;;
esac
