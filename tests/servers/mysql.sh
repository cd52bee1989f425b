#!/usr/bin/env bash
# A throw-away MariaDB server (MySQL protocol) for tests, from the Debian
# mariadb-server package: its own data directory in a temp dir, listening on
# 127.0.0.1 on a free port and on a Unix socket in that dir. The first start
# runs mariadb-install-db into a cached template ($REPO/.cache/servers); later
# starts copy it. Credentials are those of the framework's MySQL fixture.
#
# Usage: tests/servers/mysql.sh start
#          prints one line: host=127.0.0.1 port=P user=root password=changeme database=customerinfo dir=D
#          (with MYSQL_SSL=1 also ca=D/ca.pem: TLS on, certificate for 127.0.0.1 signed by that CA)
#        tests/servers/mysql.sh stop D
#          stops that server and removes D. Idempotent.
#
# Environment:
#   MYSQL_SSL=1            serve TLS with a fresh CA and server certificate
#   SERVER_OWNER_PID=PID   stop the server when that process ends (tests that crash leave nothing)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
CACHE_DIR=$REPO/.cache/servers
TEMPLATE=$CACHE_DIR/mariadb-template
USER_NAME=root
PASSWORD=changeme
DATABASE=customerinfo
SERVER=$(command -v mariadbd || echo /usr/sbin/mariadbd)

log() { echo "mysql.sh: $*" >&2; }
die() {
  log "$*"
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs mariadbd on the data dir $1 with socket dir $1/.. and extra options; waits until it answers.
run_server() {
  local dir=$1 password=$2
  shift 2
  "$SERVER" --no-defaults --datadir="$dir/data" --socket="$dir/mysql.sock" --pid-file="$dir/mariadbd.pid" \
    --log-error="$dir/error.log" --user="$(id -un)" --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M --max-connections=50 \
    --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 "$@" </dev/null >>"$dir/error.log" 2>&1 &
  local pid=$!
  local i
  for i in $(seq 1 300); do
    if mariadb-admin --no-defaults --socket="$dir/mysql.sock" -uroot ${password:+-p"$password"} ping \
      >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
  done
  kill "$pid" 2>/dev/null || true
  return 1
}

stop_server() {
  local dir=$1 pid i
  [[ -f $dir/mariadbd.pid ]] || return 0
  pid=$(cat "$dir/mariadbd.pid")
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}

# mariadb-install-db once, with the fixture's users and database, into the cached template.
ensure_template() {
  [[ -d $TEMPLATE/mysql ]] && return 0
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/mariadb.lock"
  flock 9
  [[ -d $TEMPLATE/mysql ]] && return 0
  local work
  work=$(mktemp -d /tmp/mariadb-template.XXXXXX)
  mariadb-install-db --no-defaults --datadir="$work/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db >"$work/install.log" 2>&1 ||
    die "mariadb-install-db failed: $(cat "$work/install.log")"
  if ! run_server "$work" "" --skip-networking; then
    stop_server "$work"
    die "template server did not start: $(cat "$work/error.log")"
  fi
  if ! mariadb --no-defaults --socket="$work/mysql.sock" -uroot -e "
    CREATE USER IF NOT EXISTS '$USER_NAME'@'127.0.0.1';
    ALTER USER '$USER_NAME'@'127.0.0.1' IDENTIFIED BY '$PASSWORD';
    GRANT ALL PRIVILEGES ON *.* TO '$USER_NAME'@'127.0.0.1' WITH GRANT OPTION;
    ALTER USER '$USER_NAME'@'localhost' IDENTIFIED BY '$PASSWORD';
    CREATE DATABASE $DATABASE;"; then
    stop_server "$work"
    rm -rf "$work"
    die "template setup failed"
  fi
  stop_server "$work"
  rm -f "$work/data/"*.pid
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
}

start() {
  [[ -x $SERVER ]] || die "no mariadbd (install mariadb-server)"
  ensure_template
  local dir
  dir=$(mktemp -d /tmp/mysql-test.XXXXXX)
  cp -a "$TEMPLATE" "$dir/data"
  local ssl=() ca=""
  if [[ ${MYSQL_SSL:-0} == 1 ]]; then
    make_certificates "$dir"
    ssl=(--ssl-ca="$dir/ca.pem" --ssl-cert="$dir/server.pem" --ssl-key="$dir/server.key")
    ca=" ca=$dir/ca.pem"
  fi
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if run_server "$dir" "$PASSWORD" --port="$port" --bind-address=127.0.0.1 "${ssl[@]}"; then
      echo "$port" >"$dir/port"
      if [[ -n ${SERVER_OWNER_PID:-} ]]; then
        (
          while kill -0 "$SERVER_OWNER_PID" 2>/dev/null && [[ -d $dir/data ]]; do sleep 1; done
          "$SCRIPT_DIR/mysql.sh" stop "$dir"
        ) </dev/null >/dev/null 2>&1 &
        echo $! >"$dir/watchdog.pid"
      fi
      echo "host=127.0.0.1 port=$port user=$USER_NAME password=$PASSWORD database=$DATABASE dir=$dir$ca"
      return 0
    fi
    log "start on port $port failed (attempt $attempt): $(tail -n 3 "$dir/error.log" 2>/dev/null)"
    stop_server "$dir"
  done
  rm -rf "$dir"
  die "could not start MariaDB"
}

stop() {
  local dir=${1:-}
  [[ -n $dir && $dir == /tmp/mysql-test.* ]] || die "stop needs the dir= that start printed"
  [[ -d $dir ]] || return 0
  stop_server "$dir"
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
