#!/usr/bin/env bash
# A throw-away Confluence or Jira for tests: the Python mock of
# tests/servers/atlassian_mock/ (no Atlassian server can run here;
# reference/test-infra.md "Confluence and Jira"), Cloud or Server shaped.
#
# Usage: PRODUCT=confluence|jira DEPLOYMENT=cloud|server tests/servers/atlassian.sh start
#          prints one line: host=127.0.0.1 port=P user=U password=S database=PRODUCT dir=D
#          url=http://127.0.0.1:P   (Confluence Cloud's API is below url/wiki)
#        tests/servers/atlassian.sh stop D    stops it and removes D. Idempotent.
#
# Environment:
#   MOCK_ARGS="--size SMALL --latency-ms 50 ..."   passed to atlassian_mock.py
#   TLS=1                  serve HTTPS with a certificate for 127.0.0.1/localhost from a test
#                          CA; the line then ends with url=https://... ca=D/ca.pem
#   SERVER_OWNER_PID=PID   stop the mock when that process ends
set -euo pipefail

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PRODUCT=${PRODUCT:-confluence}
DEPLOYMENT=${DEPLOYMENT:-cloud}
SERVER_SCRIPT=atlassian.sh
SERVER_LABEL="$PRODUCT mock ($DEPLOYMENT)"
TEST_DIR_PREFIX=/tmp/atlassian-test
if [[ $DEPLOYMENT == cloud ]]; then
  USER_NAME=connectors@example.com
  PASSWORD=atl-token-$RANDOM$RANDOM
else
  USER_NAME=admin
  PASSWORD=atl-pass-$RANDOM$RANDOM
fi
DATABASE=$PRODUCT

launch_server() {
  local dir=$1 port=$2 i
  local -a tls=()
  [[ -f $dir/server.pem ]] && tls=(--cert "$dir/server.pem" --key "$dir/server.key")
  # shellcheck disable=SC2086
  python3 "$SCRIPT_DIR/atlassian_mock/atlassian_mock.py" --product "$PRODUCT" \
    --deployment "$DEPLOYMENT" --port "$port" --user "$USER_NAME" --secret "$PASSWORD" \
    "${tls[@]}" ${MOCK_ARGS:-} </dev/null >"$dir/server.log" 2>&1 &
  echo $! >"$dir/server.pid"
  for ((i = 0; i < 300; i++)); do
    kill -0 "$(cat "$dir/server.pid")" 2>/dev/null || return 1
    grep -q '^ready' "$dir/server.log" && return 0
    sleep 0.1
  done
  return 1
}

stop_server() { stop_pid_file "$1"; }

start() {
  local dir line scheme=http ca=""
  dir=$(mktemp -d "$TEST_DIR_PREFIX.XXXXXX")
  mkdir -p "$dir/data"
  if [[ ${TLS:-} == 1 ]]; then
    make_certificates "$dir"
    scheme=https
    ca=" ca=$dir/ca.pem"
  fi
  line=$(serve_on_free_port "$dir" "$dir/server.log" "" stop_server) || exit 1
  echo "$line url=$scheme://127.0.0.1:$(cat "$dir/port")$ca"
}

server_main "$@"
