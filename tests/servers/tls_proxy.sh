#!/usr/bin/env bash
# Start/stop a TLS-terminating, authentication-checking nginx in front of a plain
# HTTP engine, for the TLS and authentication integration tests
# (tests/integration/tls_auth_test.cpp).
#
# Usage: UPSTREAM=http://127.0.0.1:9200 [TLS_STATE_DIR=DIR] tests/servers/tls_proxy.sh start
#        TLS_STATE_DIR=DIR tests/servers/tls_proxy.sh stop
#
#   start   make a test CA, a server certificate for IP:127.0.0.1 / DNS:localhost
#           signed by it, a second unrelated "wrong" CA, an htpasswd file and an
#           nginx.conf in the state dir; start nginx (one process, no daemon, no
#           master/worker split) on a free loopback port; wait until it answers.
#           Prints, one per line (to be eval'ed or parsed):
#             url=https://127.0.0.1:PORT
#             ca=PATH         the CA that signed the server certificate
#             wrong_ca=PATH   a CA that signed nothing here
#             dir=PATH        the state dir (pass it back as TLS_STATE_DIR to stop)
#   stop    SIGTERM, then SIGKILL after TLS_STOP_TIMEOUT seconds. Idempotent. The
#           state dir (logs, certificates) is kept unless TLS_REMOVE_STATE=1.
#
# Requests are let through to UPSTREAM (HTTP/1.1, keep-alive) when they carry
# either basic auth tester / tls-test-pw or `Authorization: ApiKey
# dGVzdC1pZDp0ZXN0LWtleQ==`; anything else gets a 401 with an ES-like body
# {"error":{"type":"security_exception",...},"status":401}.
# Every request is logged to DIR/access.log as "STATUS METHOD URI" (except the
# script's own readiness probe, GET /__tls_proxy_ready).
#
# Environment:
#   UPSTREAM          http://host:port of the engine (start only, required)
#   TLS_STATE_DIR     certificates, config, logs and pid; default: a fresh mktemp dir
#   TLS_PROXY_PORT    port to listen on (must be free); default: a free one
#   TLS_START_TIMEOUT seconds to wait for nginx to answer (default 20)
#   TLS_STOP_TIMEOUT  seconds to wait after SIGTERM (default 10)
#   NGINX, OPENSSL    the commands (default: nginx from PATH or /usr/sbin/nginx, openssl)
set -euo pipefail

START_TIMEOUT=${TLS_START_TIMEOUT:-20}
STOP_TIMEOUT=${TLS_STOP_TIMEOUT:-10}
OPENSSL=${OPENSSL:-openssl}
if [[ -z "${NGINX:-}" ]]; then
  NGINX=$(command -v nginx 2>/dev/null || true)
  [[ -n "$NGINX" ]] || NGINX=/usr/sbin/nginx
fi

readonly TEST_USER=tester
readonly TEST_PASSWORD=tls-test-pw
readonly TEST_API_KEY=dGVzdC1pZDp0ZXN0LWtleQ==

log() { echo "tls_proxy.sh: $*" >&2; }
die() {
  log "$*"
  exit 1
}

now_ms() { date +%s%3N; }

# True if PID exists and is not a zombie (an exited child not yet reaped).
alive() {
  local pid=$1 state
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/stat ]]; then
    state=$(sed -E 's/^[0-9]+ \(.*\) (.).*/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
    [[ "$state" != Z ]] || return 1
  fi
  return 0
}

# True if PID is alive and is the nginx of this state dir (guards against PID reuse).
is_our_nginx() {
  local pid=$1 dir=$2
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/nginx.conf" || return 1
  fi
  return 0
}

# Stops PID: SIGTERM, wait STOP_TIMEOUT, SIGKILL, wait until gone.
stop_pid() {
  local pid=$1 deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$(($(now_ms) + STOP_TIMEOUT * 1000))
  while alive "$pid" && (($(now_ms) < deadline)); do
    sleep 0.05
  done
  if alive "$pid"; then
    log "pid $pid still alive after ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$(($(now_ms) + 10000))
    while alive "$pid" && (($(now_ms) < deadline)); do
      sleep 0.05
    done
    alive "$pid" && die "pid $pid survived SIGKILL"
  fi
  return 0
}

port_free() {
  local port=$1
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  return 0
}

pick_port() {
  local port i
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

# --- certificates ------------------------------------------------------------

# A self-signed CA: make_ca NAME "COMMON NAME" writes NAME.key and NAME.pem.
make_ca() {
  local name=$1 cn=$2
  "$OPENSSL" req -x509 -new -nodes -config "$DIR/openssl.cnf" -extensions v3_ca \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$DIR/$name.key" -out "$DIR/$name.pem" -days 30 -subj "/O=connectors tests/CN=$cn" \
    2>>"$DIR/openssl.log"
}

make_certificates() {
  cat >"$DIR/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no

[dn]
CN = unused

[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
EOF
  make_ca ca "connectors test CA"
  make_ca wrong-ca "connectors unrelated CA"
  "$OPENSSL" req -new -nodes -config "$DIR/openssl.cnf" \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$DIR/server.key" -out "$DIR/server.csr" -subj "/O=connectors tests/CN=localhost" \
    2>>"$DIR/openssl.log"
  "$OPENSSL" x509 -req -in "$DIR/server.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" \
    -set_serial "0x$("$OPENSSL" rand -hex 8)" -days 30 \
    -extfile "$DIR/openssl.cnf" -extensions server -out "$DIR/server.pem" \
    2>>"$DIR/openssl.log"
  "$OPENSSL" verify -CAfile "$DIR/ca.pem" "$DIR/server.pem" >/dev/null 2>>"$DIR/openssl.log" ||
    die "the generated server certificate does not verify (see $DIR/openssl.log)"
  chmod 600 "$DIR"/*.key
}

# --- nginx -------------------------------------------------------------------

write_config() {
  local port=$1 upstream_hostport=$2
  # nginx runs as one process (master_process off) as the invoking user, so it
  # can read everything in the state dir and SIGTERM/SIGKILL of one pid stops it.
  cat >"$DIR/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $DIR/nginx.pid;
error_log $DIR/error.log info;

events {
  worker_connections 256;
}

http {
  log_format tls_proxy '\$status \$request_method \$request_uri';
  access_log $DIR/access.log tls_proxy;
  client_body_temp_path $DIR/tmp/body;
  proxy_temp_path $DIR/tmp/proxy;
  fastcgi_temp_path $DIR/tmp/fastcgi;
  uwsgi_temp_path $DIR/tmp/uwsgi;
  scgi_temp_path $DIR/tmp/scgi;
  client_max_body_size 100m;
  server_tokens off;

  # The right API key switches basic auth off; anything else must pass basic auth.
  map \$http_authorization \$tls_proxy_realm {
    "ApiKey $TEST_API_KEY" off;
    default "tls-proxy";
  }

  upstream engine {
    server $upstream_hostport;
    keepalive 16;
  }

  server {
    listen 127.0.0.1:$port ssl;
    server_name localhost;
    ssl_certificate $DIR/server.pem;
    ssl_certificate_key $DIR/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;

    auth_basic \$tls_proxy_realm;
    auth_basic_user_file $DIR/htpasswd;
    error_page 401 = @unauthorized;

    location / {
      proxy_pass http://engine;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "";
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 300s;
    }

    # The readiness probe of this script: no auth, not logged, not proxied, so
    # that access.log holds only the requests of the tests.
    location = /__tls_proxy_ready {
      auth_basic off;
      access_log off;
      default_type text/plain;
      return 200 'ready';
    }

    location @unauthorized {
      auth_basic off;
      default_type application/json;
      return 401 '{"error":{"type":"security_exception","reason":"missing authentication credentials"},"status":401}';
    }
  }
}
EOF
}

START_PID=
abort_start() {
  if [[ -n "$START_PID" ]]; then
    stop_pid "$START_PID" || true
    rm -f "$DIR/pid"
  fi
}

cmd_start() {
  [[ -n "${UPSTREAM:-}" ]] || die "UPSTREAM is not set (e.g. UPSTREAM=http://127.0.0.1:9200)"
  local upstream_hostport=${UPSTREAM#http://}
  upstream_hostport=${upstream_hostport%%/*}
  [[ "$UPSTREAM" == http://* && -n "$upstream_hostport" ]] ||
    die "UPSTREAM must be http://host:port, got '$UPSTREAM'"
  [[ -x "$NGINX" ]] || command -v "$NGINX" >/dev/null 2>&1 ||
    die "nginx not found ($NGINX): run scripts/install-deps.sh (Debian package nginx-light)"
  command -v "$OPENSSL" >/dev/null 2>&1 || die "openssl not found"
  command -v curl >/dev/null 2>&1 || die "curl not found"

  if [[ -n "${TLS_STATE_DIR:-}" ]]; then
    DIR=$TLS_STATE_DIR
    mkdir -p "$DIR"
  else
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/tls-proxy.XXXXXX")
  fi
  DIR=$(cd "$DIR" && pwd)
  if [[ -f "$DIR/pid" ]] && is_our_nginx "$(<"$DIR/pid")" "$DIR"; then
    die "already running in $DIR (pid $(<"$DIR/pid")); stop it first"
  fi
  rm -rf "$DIR/tmp" "$DIR"/*.log "$DIR/pid" "$DIR/nginx.pid"
  mkdir -p "$DIR/tmp"

  make_certificates
  printf '%s:%s\n' "$TEST_USER" "$("$OPENSSL" passwd -apr1 "$TEST_PASSWORD")" >"$DIR/htpasswd"

  local attempt port pid deadline code
  for attempt in 1 2 3 4 5; do
    if [[ -n "${TLS_PROXY_PORT:-}" ]]; then
      port=$TLS_PROXY_PORT
    else
      port=$(pick_port)
    fi
    write_config "$port" "$upstream_hostport"
    "$NGINX" -t -q -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" >>"$DIR/nginx.out" 2>&1 ||
      die "nginx rejects $DIR/nginx.conf: $(tail -n 5 "$DIR/nginx.out")"
    # Not a daemon: $! is nginx itself. Its output goes to a file, never to our
    # caller's pipe, so a caller reading our stdout to EOF does not wait for nginx.
    "$NGINX" -p "$DIR" -c "$DIR/nginx.conf" -e "$DIR/error.log" \
      </dev/null >>"$DIR/nginx.out" 2>&1 &
    pid=$!
    echo "$pid" >"$DIR/pid"
    # Never leave a half-started nginx behind (interrupted, timed out, or any error).
    START_PID=$pid
    trap abort_start EXIT
    trap 'exit 1' INT TERM HUP
    deadline=$(($(now_ms) + START_TIMEOUT * 1000))
    code=
    while kill -0 "$pid" 2>/dev/null && (($(now_ms) < deadline)); do
      # An answer over verified TLS means it is up.
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$DIR/ca.pem" \
        "https://127.0.0.1:$port/__tls_proxy_ready" 2>/dev/null) || true
      [[ "$code" == 200 ]] && break
      sleep 0.05
    done
    if [[ "$code" == 200 ]] && kill -0 "$pid" 2>/dev/null; then
      START_PID=
      trap - EXIT INT TERM HUP
      echo "url=https://127.0.0.1:$port"
      echo "ca=$DIR/ca.pem"
      echo "wrong_ca=$DIR/wrong-ca.pem"
      echo "dir=$DIR"
      log "listening on https://127.0.0.1:$port (pid $pid) in front of $UPSTREAM"
      return 0
    fi
    if kill -0 "$pid" 2>/dev/null; then
      die "nginx did not answer within $START_TIMEOUT s: $(tail -n 5 "$DIR/error.log" 2>/dev/null)"
    fi
    wait "$pid" 2>/dev/null || true
    START_PID=
    trap - EXIT INT TERM HUP
    rm -f "$DIR/pid"
    # Most likely the port was taken between the check and the bind: try another one.
    [[ -z "${TLS_PROXY_PORT:-}" ]] ||
      die "nginx exited: $(tail -n 5 "$DIR/error.log" 2>/dev/null)"
    log "nginx exited on port $port (attempt $attempt): $(tail -n 1 "$DIR/error.log" 2>/dev/null)"
  done
  die "nginx could not be started (see $DIR/error.log)"
}

cmd_stop() {
  [[ -n "${TLS_STATE_DIR:-}" ]] || die "TLS_STATE_DIR is not set (the dir= line printed by start)"
  [[ -d "$TLS_STATE_DIR" ]] || {
    log "not running (no $TLS_STATE_DIR)"
    return 0
  }
  DIR=$(cd "$TLS_STATE_DIR" && pwd)
  local pid
  if [[ -f "$DIR/pid" ]]; then
    pid=$(<"$DIR/pid")
    if is_our_nginx "$pid" "$DIR"; then
      stop_pid "$pid"
      log "stopped pid $pid"
    else
      log "not running (stale pid file removed)"
    fi
    rm -f "$DIR/pid"
  else
    log "not running"
  fi
  if [[ "${TLS_REMOVE_STATE:-0}" == 1 ]]; then
    rm -rf "$DIR"
  fi
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  *)
    echo "usage: UPSTREAM=http://host:port $0 start | TLS_STATE_DIR=DIR $0 stop" >&2
    exit 2
    ;;
esac
