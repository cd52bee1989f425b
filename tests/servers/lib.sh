# shellcheck shell=bash
# What the throw-away database servers for tests (mysql.sh, postgresql.sh)
# share: a free port on 127.0.0.1, the lock on the cached templates, the test
# certificates, the start on a free port with the SERVER_OWNER_PID watchdog and
# the line tests read, `stop DIR`, and the command line. Sourced, not run.
#
# The sourcing script sets, before calling server_main "$@":
#   SERVER_SCRIPT    its file name in this folder ("mysql.sh"), for messages and the watchdog
#   SERVER_LABEL     the server's name in messages ("MariaDB")
#   TEST_DIR_PREFIX  what every server dir starts with ("/tmp/mysql-test"); start adds .XXXXXX
#   TEMPLATE         the cached data dir every server dir starts from
#   USER_NAME, PASSWORD, DATABASE   what start prints
# and defines:
#   start                 the `start` command
#   launch_server DIR P   starts the server of DIR on port P and waits for it; fails if it did not start
#   stop_server DIR       stops the server of DIR if it runs

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
CACHE_DIR=$REPO/.cache/servers

log() { echo "$SERVER_SCRIPT: $*" >&2; }
die() {
  log "$*"
  exit 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Takes the lock $CACHE_DIR/$1.lock (on fd 9, held until the script ends):
# one process at a time builds a template.
lock_cache() {
  mkdir -p "$CACHE_DIR"
  exec 9>"$CACHE_DIR/$1.lock"
  flock 9
}

# A fresh server dir holding a copy of the template as data/; prints its path.
new_server_dir() {
  local dir
  dir=$(mktemp -d "$TEST_DIR_PREFIX.XXXXXX") || return 1
  cp -a "$TEMPLATE" "$dir/data" || return 1
  echo "$dir"
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

# With SERVER_OWNER_PID set: a background process that stops the server of
# dir $1 when that process ends.
start_watchdog() {
  local dir=$1
  [[ -n ${SERVER_OWNER_PID:-} ]] || return 0
  (
    while kill -0 "$SERVER_OWNER_PID" 2>/dev/null && [[ -d $dir/data ]]; do sleep 1; done
    "$SCRIPT_DIR/$SERVER_SCRIPT" stop "$dir"
  ) </dev/null >/dev/null 2>&1 &
  echo $! >"$dir/watchdog.pid"
}

# Ends the watchdog of dir $1, unless it is the caller.
stop_watchdog() {
  local dir=$1
  if [[ -f $dir/watchdog.pid ]]; then
    local watchdog
    watchdog=$(cat "$dir/watchdog.pid")
    if [[ $watchdog != "$BASHPID" && $watchdog != "$PPID" ]]; then
      kill "$watchdog" 2>/dev/null || true
    fi
  fi
}

# Starts the server of dir $1 on a free port (three tries: the port may be
# taken in between), then prints the line tests read, followed by $3 (" ca=...").
# $2 is the server's log, quoted when a try fails; $4 is run with the dir after
# a failed try. The dir is removed when every try fails.
serve_on_free_port() {
  local dir=$1 log_file=$2 ca=$3 after_failure=$4
  local port attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    if launch_server "$dir" "$port"; then
      echo "$port" >"$dir/port"
      start_watchdog "$dir"
      echo "host=127.0.0.1 port=$port user=$USER_NAME password=$PASSWORD database=$DATABASE dir=$dir$ca"
      return 0
    fi
    log "start on port $port failed (attempt $attempt): $(tail -n 3 "$log_file" 2>/dev/null)"
    "$after_failure" "$dir"
  done
  rm -rf "$dir"
  die "could not start $SERVER_LABEL"
}

# Stops the process whose pid is in $1/server.pid: SIGTERM, then SIGKILL after
# 10 s; removes the pid file.
stop_pid_file() {
  local dir=$1 pid i
  [[ -f $dir/server.pid ]] || return 0
  pid=$(cat "$dir/server.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$dir/server.pid"
}

stop() {
  local dir=${1:-}
  [[ -n $dir && $dir == "$TEST_DIR_PREFIX".* ]] || die "stop needs the dir= that start printed"
  [[ -d $dir ]] || return 0
  stop_server "$dir"
  stop_watchdog "$dir"
  rm -rf "$dir"
}

server_main() {
  case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *)
      echo "usage: $0 start | stop DIR" >&2
      exit 2
      ;;
  esac
}
