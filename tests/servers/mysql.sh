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

# shellcheck source=tests/servers/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVER_SCRIPT=mysql.sh
SERVER_LABEL=MariaDB
TEST_DIR_PREFIX=/tmp/mysql-test
TEMPLATE=$CACHE_DIR/mariadb-template
USER_NAME=root
PASSWORD=changeme
DATABASE=customerinfo
SERVER=$(command -v mariadbd || echo /usr/sbin/mariadbd)
SSL_OPTIONS=()

# Runs mariadbd on the data dir $1 with socket dir $1/.. and extra options; waits until it answers.
run_server() {
  local dir=$1 password=$2
  shift 2
  "$SERVER" --no-defaults --datadir="$dir/data" --socket="$dir/mysql.sock" --pid-file="$dir/mariadbd.pid" \
    --log-error="$dir/error.log" --user="$(id -un)" --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M --max-connections=50 \
    --innodb-flush-log-at-trx-commit=0 --sync-binlog=0 "$@" </dev/null >>"$dir/error.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 300); do
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
  local dir=$1 pid
  [[ -f $dir/mariadbd.pid ]] || return 0
  pid=$(cat "$dir/mariadbd.pid")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}

# mariadb-install-db once, with the fixture's users and database, into the cached template.
ensure_template() {
  [[ -d $TEMPLATE/mysql ]] && return 0
  lock_cache mariadb
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

launch_server() {
  run_server "$1" "$PASSWORD" --port="$2" --bind-address=127.0.0.1 "${SSL_OPTIONS[@]}"
}

start() {
  [[ -x $SERVER ]] || die "no mariadbd (install mariadb-server)"
  ensure_template
  local dir
  dir=$(new_server_dir)
  local ca=""
  if [[ ${MYSQL_SSL:-0} == 1 ]]; then
    make_certificates "$dir"
    SSL_OPTIONS=(--ssl-ca="$dir/ca.pem" --ssl-cert="$dir/server.pem" --ssl-key="$dir/server.key")
    ca=" ca=$dir/ca.pem"
  fi
  serve_on_free_port "$dir" "$dir/error.log" "$ca" stop_server
}

server_main "$@"
