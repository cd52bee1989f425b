#!/usr/bin/env bash
# Start/stop a real search engine for the integration tests: one node in one JVM,
# built from Maven Central jars by the launchers in tests/servers/launcher/.
# See docs/ENGINES.md for what each engine can and cannot do.
#
# Usage: ENGINE=opensearch|elasticsearch tests/servers/elasticsearch.sh start|stop|status|url
#
#   start   build the launcher if needed, start the engine, wait until the cluster
#           is yellow, print its URL (the only line on stdout). If it is already
#           running, just print the URL.
#   stop    SIGTERM, then SIGKILL after ENGINE_STOP_TIMEOUT seconds. Idempotent.
#   status  "running URL" (exit 0) or "stopped" (exit 3).
#   url     the URL if running (exit 0), else exit 3.
#
# Environment:
#   ENGINE                 opensearch (default) | elasticsearch
#   ENGINE_PORT            HTTP port to use (must be free); default: a free one
#   ENGINE_TRANSPORT_PORT  transport port; default 0 (the OS picks one)
#   ENGINE_STATE_DIR       data, logs, pid and url; default $REPO/.cache/engines/$ENGINE/run
#   ENGINE_KEEP_DATA=1     do not wipe the state dir at start
#   ENGINE_START_TIMEOUT   seconds to wait for yellow (default 120)
#   ENGINE_STOP_TIMEOUT    seconds to wait after SIGTERM (default 20)
#   ENGINE_HEAP            JVM heap, -Xms and -Xmx (default 1g)
#   ENGINE_JAVA_OPTS       extra JVM options
#   ENGINE_CACHE_DIR       build outputs; default $REPO/.cache/engines
#   JAVA, MVN              the java and mvn commands (default: java / $JAVA_HOME/bin/java, mvn)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)

ENGINE=${ENGINE:-opensearch}
case "$ENGINE" in
  opensearch) MAIN_CLASS=connectors.testengines.OpenSearchLauncher ;;
  elasticsearch) MAIN_CLASS=connectors.testengines.ElasticsearchLauncher ;;
  *)
    echo "elasticsearch.sh: unknown ENGINE '$ENGINE' (expected opensearch or elasticsearch)" >&2
    exit 2
    ;;
esac

CACHE_DIR=${ENGINE_CACHE_DIR:-$REPO/.cache/engines}
BUILD_DIR=$CACHE_DIR/$ENGINE/build
SRC_DIR=$SCRIPT_DIR/launcher/$ENGINE
STATE_DIR=${ENGINE_STATE_DIR:-$CACHE_DIR/$ENGINE/run}
START_TIMEOUT=${ENGINE_START_TIMEOUT:-120}
STOP_TIMEOUT=${ENGINE_STOP_TIMEOUT:-20}
HEAP=${ENGINE_HEAP:-1g}
TRANSPORT_PORT=${ENGINE_TRANSPORT_PORT:-0}
MVN=${MVN:-mvn}
if [[ -n "${JAVA:-}" ]]; then
  :
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  JAVA=$JAVA_HOME/bin/java
else
  JAVA=java
fi

PID_FILE=$STATE_DIR/pid
URL_FILE=$STATE_DIR/url
LOG_FILE=$STATE_DIR/engine.log

log() { echo "elasticsearch.sh [$ENGINE]: $*" >&2; }
die() {
  log "$*"
  exit 1
}

now_ms() { date +%s%3N; }

# Seconds (with one decimal) since the given now_ms value.
elapsed() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

# Holds an exclusive lock on FILE on file descriptor 9 (state dir) or 8 (build);
# released when this script exits.
take_lock() {
  local file=$1 fd=${2:-9}
  mkdir -p "$(dirname "$file")"
  if [[ "$fd" == 8 ]]; then exec 8>"$file"; else exec 9>"$file"; fi
  if command -v flock >/dev/null 2>&1; then
    flock -w 600 "$fd" || die "could not lock $file"
  fi
}

# True if PID is alive and is one of our launcher JVMs (guards against PID reuse).
is_our_jvm() {
  local pid=$1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$MAIN_CLASS" || return 1
  fi
  return 0
}

running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid=$(<"$PID_FILE")
  is_our_jvm "$pid" || return 1
  echo "$pid"
}

# --- ports -------------------------------------------------------------------

port_free() {
  local port=$1
  # Something answers: taken.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  # Nothing answers; make sure it can also be bound (e.g. not held unlistened).
  if command -v python3 >/dev/null 2>&1; then
    python3 - "$port" <<'PY' 2>/dev/null || return 1
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.close()
PY
  fi
  return 0
}

pick_port() {
  local port i
  if [[ -n "${ENGINE_PORT:-}" ]]; then
    [[ "$ENGINE_PORT" =~ ^[0-9]+$ ]] || die "ENGINE_PORT must be a number, got '$ENGINE_PORT'"
    port_free "$ENGINE_PORT" || die "ENGINE_PORT $ENGINE_PORT is in use on 127.0.0.1"
    echo "$ENGINE_PORT"
    return
  fi
  # Below Linux's ephemeral range (32768-60999) so outgoing sockets do not collide.
  for i in $(seq 1 100); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    if port_free "$port"; then
      echo "$port"
      return
    fi
  done
  die "no free port found on 127.0.0.1 (after $i tries)"
}

# --- build -------------------------------------------------------------------

source_stamp() {
  {
    echo "engine=$ENGINE"
    "$JAVA" -version 2>&1 | head -n 1
    (cd "$SRC_DIR" && find . -type f \( -name pom.xml -o -path './src/*' \) -print0 | LC_ALL=C sort -z |
      xargs -0 sha256sum)
  } | sha256sum | cut -d' ' -f1
}

build_is_current() {
  local stamp=$1 jar
  [[ -f "$BUILD_DIR/stamp" && -f "$BUILD_DIR/classpath.txt" && -d "$BUILD_DIR/classes" ]] || return 1
  [[ "$(<"$BUILD_DIR/stamp")" == "$stamp" ]] || return 1
  # The jars must still be in the Maven cache.
  local IFS=:
  for jar in $(<"$BUILD_DIR/classpath.txt"); do
    [[ -f "$jar" ]] || return 1
  done
  return 0
}

ensure_built() {
  local stamp t0
  [[ -f "$SRC_DIR/pom.xml" ]] || die "launcher sources not found in $SRC_DIR"
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (set JAVA or JAVA_HOME)"
  stamp=$(source_stamp)
  if build_is_current "$stamp"; then
    return
  fi
  # Another start (other state dir) may be building the same launcher.
  take_lock "$CACHE_DIR/$ENGINE/build.lock" 8
  if build_is_current "$stamp"; then
    return
  fi
  command -v "$MVN" >/dev/null 2>&1 || die "mvn not found (set MVN)"
  t0=$(now_ms)
  log "building launcher into $BUILD_DIR"
  rm -rf "$BUILD_DIR"
  mkdir -p "$BUILD_DIR"
  local -a mvn_args=(-B -q -f "$SRC_DIR/pom.xml" "-Dlauncher.buildDir=$BUILD_DIR" -Dstyle.color=never compile)
  if "$MVN" -o "${mvn_args[@]}" >"$BUILD_DIR/mvn-offline.log" 2>&1; then
    log "built offline from ~/.m2 in $(elapsed "$t0") s"
  else
    log "offline build not possible; resolving from Maven Central (first run downloads the jars)"
    if ! "$MVN" "${mvn_args[@]}" >"$BUILD_DIR/mvn.log" 2>&1; then
      tail -n 40 "$BUILD_DIR/mvn.log" >&2 || true
      die "maven build failed (log: $BUILD_DIR/mvn.log)"
    fi
    log "built (with downloads) in $(elapsed "$t0") s"
  fi
  [[ -s "$BUILD_DIR/classpath.txt" ]] || die "maven did not write $BUILD_DIR/classpath.txt"
  echo "$stamp" >"$BUILD_DIR/stamp"
}

# --- stop --------------------------------------------------------------------

# Stops PID: SIGTERM, wait STOP_TIMEOUT, SIGKILL, wait until gone.
stop_pid() {
  local pid=$1 t0 deadline
  t0=$(now_ms)
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$(($(now_ms) + STOP_TIMEOUT * 1000))
  while kill -0 "$pid" 2>/dev/null && (($(now_ms) < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "pid $pid still alive after ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$(($(now_ms) + 10000))
    while kill -0 "$pid" 2>/dev/null && (($(now_ms) < deadline)); do
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && die "pid $pid survived SIGKILL"
  fi
  log "stopped pid $pid in $(elapsed "$t0") s"
}

cmd_stop() {
  take_lock "$STATE_DIR.lock"
  local pid
  if pid=$(running_pid); then
    stop_pid "$pid"
  elif [[ -f "$PID_FILE" ]]; then
    log "not running (stale pid file removed)"
  else
    log "not running"
  fi
  rm -f "$PID_FILE"
}

# --- start -------------------------------------------------------------------

print_log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    log "last lines of $LOG_FILE:"
    tail -n 40 "$LOG_FILE" >&2 || true
  fi
}

START_PID=
abort_start() {
  if [[ -n "$START_PID" ]]; then
    stop_pid "$START_PID" || true
    rm -f "$PID_FILE"
  fi
}

cmd_start() {
  take_lock "$STATE_DIR.lock"
  local pid
  if pid=$(running_pid) && [[ -f "$URL_FILE" ]]; then
    log "already running (pid $pid)"
    cat "$URL_FILE"
    return 0
  fi
  rm -f "$PID_FILE"

  ensure_built

  if [[ "${ENGINE_KEEP_DATA:-0}" != 1 ]]; then
    rm -rf "$STATE_DIR"
  fi
  mkdir -p "$STATE_DIR/tmp"

  local port url classpath t0
  port=$(pick_port)
  url="http://127.0.0.1:$port"
  classpath="$BUILD_DIR/classes:$(<"$BUILD_DIR/classpath.txt")"

  local -a java_opts=(
    "-Xms$HEAP" "-Xmx$HEAP"
    -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-OmitStackTraceInFastThrow
    -Djava.awt.headless=true -Dfile.encoding=UTF-8
    "-Djava.io.tmpdir=$STATE_DIR/tmp"
    # Let our shutdown hook (which closes the node) log; log4j must not stop first.
    -Dlog4j2.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true
    -Dlog4j.shutdownHookEnabled=false
  )
  if [[ -n "${ENGINE_JAVA_OPTS:-}" ]]; then
    local -a extra
    read -r -a extra <<<"$ENGINE_JAVA_OPTS"
    java_opts+=("${extra[@]}")
  fi

  t0=$(now_ms)
  log "starting on $url (state: $STATE_DIR)"
  # The JVM's own PID: java is the background command itself. fds 8 and 9 (the
  # locks) are not passed on, and stdout/stderr go to the log, not to our caller's pipe.
  "$JAVA" "${java_opts[@]}" -cp "$classpath" "$MAIN_CLASS" \
    "$port" "$TRANSPORT_PORT" "$STATE_DIR/home" \
    </dev/null >"$LOG_FILE" 2>&1 8>&- 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  echo "$url" >"$URL_FILE"
  # Never leave a half-started JVM behind (interrupted, timed out, or any error).
  START_PID=$pid
  trap abort_start EXIT
  trap 'exit 1' INT TERM HUP

  local deadline code
  deadline=$(($(now_ms) + START_TIMEOUT * 1000))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null && code=0 || code=$?
      START_PID=
      rm -f "$PID_FILE"
      print_log_tail
      die "the JVM exited (status $code) before the cluster was ready"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
      "$url/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null) || true
    if [[ "$code" == 200 ]]; then
      break
    fi
    if (($(now_ms) >= deadline)); then
      print_log_tail
      die "not ready after $START_TIMEOUT s (last HTTP status: ${code:-none}); stopping it"
    fi
    sleep 0.25
  done
  START_PID=
  trap - EXIT INT TERM HUP
  log "ready in $(elapsed "$t0") s (pid $pid)"
  echo "$url"
}

# --- status / url ------------------------------------------------------------

cmd_status() {
  local pid
  if pid=$(running_pid); then
    echo "running $(cat "$URL_FILE" 2>/dev/null || echo '?') (pid $pid)"
    return 0
  fi
  echo "stopped"
  return 3
}

cmd_url() {
  if running_pid >/dev/null && [[ -f "$URL_FILE" ]]; then
    cat "$URL_FILE"
    return 0
  fi
  log "not running"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) cmd_url ;;
  *)
    echo "usage: ENGINE=opensearch|elasticsearch $0 start|stop|status|url" >&2
    exit 2
    ;;
esac
