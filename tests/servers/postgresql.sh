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

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
CACHE_DIR=$REPO/.cache/servers
TEMPLATE=$CACHE_DIR/postgresql-15-template
USER_NAME=admin
PASSWORD=Password_123
DATABASE=xe

log() { echo "postgresql.sh: $*" >&2; }
die() {
  log "$*"
  exit 1
}

as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# initdb once, with the test role and database, into the cached template.
ensure_template() {
  [[ -f $TEMPLATE/PG_VERSION ]] && return 0
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/postgresql.lock"
  flock 9
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

# A CA and a server certificate for 127.0.0.1 in $1.
make_certificates() {
  local dir=$1
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 \
    -subj "/CN=connectors test CA" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -keyout "$dir/server.key" -out "$dir/server.csr" \
    -subj "/CN=127.0.0.1" >/dev/null 2>&1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
    -out "$dir/server.pem" -days 2 -extfile "$dir/san.ext" >/dev/null 2>&1
  chmod 600 "$dir/server.key"
}

start() {
  [[ -x $PG_BIN/postgres ]] || die "no PostgreSQL in $PG_BIN (install postgresql-15)"
  ensure_template
  local dir
  dir=$(mktemp -d /tmp/pg-test.XXXXXX)
  chmod 755 "$dir"
  cp -a "$TEMPLATE" "$dir/data"
  local options="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir"
  options+=" -c track_commit_timestamp=on -c fsync=off -c synchronous_commit=off"
  options+=" -c max_connections=30 -c shared_buffers=16MB"
  local ca=""
  if [[ ${PG_SSL:-0} == 1 ]]; then
    make_certificates "$dir"
    options+=" -c ssl=on -c ssl_cert_file=$dir/server.pem -c ssl_key_file=$dir/server.key"
    ca=" ca=$dir/ca.pem"
  fi
  [[ $(id -u) -eq 0 ]] && chown -R postgres: "$dir"
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "$options -c port=$port" start >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      if [[ -n ${SERVER_OWNER_PID:-} ]]; then
        (
          while kill -0 "$SERVER_OWNER_PID" 2>/dev/null && [[ -d $dir/data ]]; do sleep 1; done
          "$SCRIPT_DIR/postgresql.sh" stop "$dir"
        ) </dev/null >/dev/null 2>&1 &
        echo $! >"$dir/watchdog.pid"
      fi
      echo "host=127.0.0.1 port=$port user=$USER_NAME password=$PASSWORD database=$DATABASE dir=$dir$ca"
      return 0
    fi
    log "start on port $port failed (attempt $attempt): $(tail -n 3 "$dir/server.log" 2>/dev/null)"
  done
  rm -rf "$dir"
  die "could not start PostgreSQL"
}

stop() {
  local dir=${1:-}
  [[ -n $dir && $dir == /tmp/pg-test.* ]] || die "stop needs the dir= that start printed"
  [[ -d $dir ]] || return 0
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_server_user "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  if [[ -f $dir/watchdog.pid ]]; then
    local watchdog
    watchdog=$(cat "$dir/watchdog.pid")
    [[ $watchdog != "$BASHPID" && $watchdog != "$PPID" ]] && kill "$watchdog" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
