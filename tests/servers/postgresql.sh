#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for tests, from the Debian postgresql-15
# package: its own data directory in a temp dir, listening on 127.0.0.1 on a
# free port and on a Unix socket in that dir, started with
# track_commit_timestamp=on as the framework's fixture does. The first start
# runs initdb into a cached template ($REPO/.cache/servers); later starts copy it.
#
# Usage: tests/servers/postgresql.sh start
#          prints one line: host=127.0.0.1 port=P user=admin password=Password_123 database=xe dir=D
#          (with PG_SSL=1 also ca=D/ca.pem: TLS on, certificate for 127.0.0.1 signed by that CA)
#        tests/servers/postgresql.sh stop D
#          stops that server and removes D. Idempotent.
#
# Environment:
#   PG_SSL=1               serve TLS with a fresh CA and server certificate
#   SERVER_OWNER_PID=PID   stop the server when that process ends (tests that crash leave nothing)
#   PG_BIN                 PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
# As root, the server runs as the `postgres` user (PostgreSQL refuses root).
set -euo pipefail

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVER_SCRIPT=postgresql.sh
SERVER_LABEL=PostgreSQL
TEST_DIR_PREFIX=/tmp/pg-test
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
TEMPLATE=$CACHE_DIR/postgresql-15-template
USER_NAME="admin"
PASSWORD=Password_123
DATABASE=xe
SERVER_OPTIONS=""

as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# initdb once, with the test role and database, into the cached template.
ensure_template() {
  [[ -f $TEMPLATE/PG_VERSION ]] && return 0
  lock_cache postgresql
  [[ -f $TEMPLATE/PG_VERSION ]] && return 0
  local work
  work=$(mktemp -d /tmp/pg-template.XXXXXX)
  [[ $(id -u) -eq 0 ]] && chown postgres: "$work"
  as_server_user "$PG_BIN/initdb" -D "$work/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$work/initdb.log" 2>&1 ||
    die "initdb failed: $(cat "$work/initdb.log")"
  as_server_user "$PG_BIN/pg_ctl" -D "$work/data" -l "$work/setup.log" -w -t 60 \
    -o "-c listen_addresses= -c unix_socket_directories=$work -c fsync=off" start >/dev/null ||
    die "template server did not start: $(cat "$work/setup.log")"
  as_server_user "$PG_BIN/psql" -h "$work" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE $USER_NAME LOGIN SUPERUSER PASSWORD '$PASSWORD'" \
    -c "CREATE DATABASE $DATABASE OWNER $USER_NAME" >/dev/null
  as_server_user "$PG_BIN/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null
  rm -rf "$TEMPLATE"
  mv "$work/data" "$TEMPLATE"
  rm -rf "$work"
}

launch_server() {
  as_server_user "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 \
    -o "$SERVER_OPTIONS -c port=$2" start >/dev/null 2>&1
}

stop_server() {
  local dir=$1
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
}

start() {
  [[ -x $PG_BIN/postgres ]] || die "no PostgreSQL in $PG_BIN (install postgresql-15)"
  ensure_template
  local dir
  dir=$(new_server_dir)
  chmod 755 "$dir"
  SERVER_OPTIONS="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
  SERVER_OPTIONS+=" -c track_commit_timestamp=on -c fsync=off -c synchronous_commit=off"
  SERVER_OPTIONS+=" -c max_connections=30 -c shared_buffers=16MB"
  local ca=""
  if [[ ${PG_SSL:-0} == 1 ]]; then
    make_certificates "$dir"
    chmod 600 "$dir/server.key"
    SERVER_OPTIONS+=" -c ssl=on -c ssl_cert_file=$dir/server.pem -c ssl_key_file=$dir/server.key"
    ca=" ca=$dir/ca.pem"
  fi
  [[ $(id -u) -eq 0 ]] && chown -R postgres: "$dir"
  serve_on_free_port "$dir" "$dir/server.log" "$ca" true
}

server_main "$@"
