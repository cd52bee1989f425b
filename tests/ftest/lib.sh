# shellcheck shell=bash disable=SC2034  # globals are used by the fixtures
# Shared functions of the functional tests (tests/ftest/<name>/fixture.sh).
# See tests/ftest/README.md. Source it, then:
#
#   ft_init NAME SIZE               output folder, traps, logging
#   ft_require_source TYPE          fail early when the binary lacks the source
#   ft_engine_start                 own engine (ENGINE, default elasticsearch) → FT_ES_URL
#   ft_defer CMD...                 run CMD at exit (last registered runs first)
#   ft_write_service_config         $FT_OUT/config.yml (service) and $FT_OUT/cli.yml (CLI)
#   ft_create_connector TYPE INDEX [key=value...]   → FT_CONNECTOR_ID, FT_INDEX
#   ft_service_start                elastic-ingest in the background + RSS/CPU sampler
#   ft_sync LABEL                   start a full job, wait for it → FT_JOB_FILE, FT_JOB_*
#   ft_expect_job FIELD VALUE       check a field of the last job document
#   ft_expect_count N               _refresh then _count of the content index
#   ft_verify_ids FILE              the index holds exactly these ids (one a line)
#   ft_verify_docs FILE             expected documents (JSON lines), field by field
#   ft_service_stop                 SIGTERM the service, check it exits cleanly
#   ft_report                       report.json, report.svg, summary; exit status
#
# Environment: ENGINE (elasticsearch|opensearch), BUILD_DIR (default build),
# FT_SYNC_TIMEOUT (s per sync), FT_KEEP_DATA=1 (keep engine data and generated
# data after a passing run), FT_CONFIG_EXTRA (YAML appended to the service
# config), FT_ENFORCE_BUDGET=1 (fail when the peak RSS passes the fixture's
# FT_MAX_RSS_MIB), FT_OUT_ROOT (default out/ftest).

FT_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FT_LIB_DIR="$FT_REPO/tests/ftest"
FT_BIN="${BUILD_DIR:-$FT_REPO/build}/bin"
[[ "$FT_BIN" = /* ]] || FT_BIN="$FT_REPO/$FT_BIN"
ENGINE=${ENGINE:-elasticsearch}

FT_DEFERRED=()
FT_FAILED=0
FT_REPORTED=0
FT_SERVICE_PID=
FT_SAMPLER_PID=
FT_ES_URL=
FT_ES_USER=${FT_ES_USER:-elastic}
FT_ES_PASSWORD=${FT_ES_PASSWORD:-changeme}
FT_MAX_RSS_MIB=${FT_MAX_RSS_MIB:-}

# --- logging and failure -------------------------------------------------------

ft_log() {
  local line
  line="[ftest $(date +%H:%M:%S)] $*"
  echo "$line" >&2
  [[ -n "${FT_OUT:-}" && -d "$FT_OUT" ]] && echo "$line" >>"$FT_OUT/ftest.log"
  return 0
}

# Records one check: ft_check_record ok|fail NAME DETAIL
ft_check_record() {
  local result=$1 name=$2 detail=${3:-}
  python3 -c 'import json,sys; print(json.dumps({"check": sys.argv[2], "result": sys.argv[1], "detail": sys.argv[3]}))' \
    "$result" "$name" "$detail" >>"$FT_OUT/checks.jsonl"
  if [[ "$result" == ok ]]; then ft_log "ok: $name${detail:+ ($detail)}"; fi
}

ft_die() {
  FT_FAILED=1
  ft_log "FAILED: $*"
  if [[ -n "${FT_OUT:-}" && -d "$FT_OUT" ]]; then
    ft_check_record fail "${FT_CURRENT_CHECK:-ftest}" "$*" 2>/dev/null || true
  fi
  exit 1
}

# --- cleanup -------------------------------------------------------------------

# ft_defer CMD [ARGS...]: run at exit, in reverse order of registration.
ft_defer() {
  local quoted
  quoted=$(printf '%q ' "$@")
  FT_DEFERRED+=("$quoted")
}

ft__on_exit() {
  local code=$?
  set +e
  trap - EXIT INT TERM HUP
  [[ $code -ne 0 ]] && FT_FAILED=1
  if [[ $code -ne 0 && -n "${FT_OUT:-}" && -f "$FT_OUT/checks.jsonl" ]] && ! grep -q '"result": "fail"' "$FT_OUT/checks.jsonl"; then
    local why="unexpected failure: ${FT_LAST_ERR:-exit $code}"
    [[ $code -eq 130 || $code -eq 143 ]] && why="interrupted (exit $code)"
    ft_log "$why"
    ft_check_record fail "${FT_CURRENT_CHECK:-ftest}" "$why"
  fi
  if [[ -n "$FT_SERVICE_PID" ]]; then ft__stop_service_pid 20 >/dev/null 2>&1; fi
  if [[ $FT_REPORTED -eq 0 && -n "${FT_OUT:-}" && -d "$FT_OUT" ]]; then
    ft__write_report failed 2>/dev/null
  fi
  local i
  for ((i = ${#FT_DEFERRED[@]} - 1; i >= 0; i--)); do
    eval "${FT_DEFERRED[i]}" || ft_log "cleanup step failed: ${FT_DEFERRED[i]}"
  done
  if [[ $code -eq 0 && $FT_FAILED -eq 0 ]]; then
    if [[ "${FT_KEEP_DATA:-0}" != 1 && -n "${FT_OUT:-}" ]]; then
      rm -rf "$FT_OUT/engine/home" "$FT_OUT/data" "$FT_OUT/bin" 2>/dev/null
    fi
  elif [[ -n "${FT_OUT:-}" ]]; then
    ft_log "FAILED ($FT_NAME $FT_SIZE, exit $code); everything is in $FT_OUT"
    [[ $code -eq 0 ]] && code=1
  fi
  exit "$code"
}

# --- setup ---------------------------------------------------------------------

# ft_init NAME SIZE: the output folder out/ftest/NAME-SIZE-TIMESTAMP and the traps.
ft_init() {
  FT_NAME=$1
  FT_SIZE=${2:-SMALL}
  case "$FT_SIZE" in SMALL | MEDIUM | LARGE) ;; *)
    echo "ftest: DATA_SIZE must be SMALL, MEDIUM or LARGE, not '$FT_SIZE'" >&2
    exit 2
    ;;
  esac
  local root=${FT_OUT_ROOT:-$FT_REPO/out/ftest}
  FT_STAMP=$(date -u +%Y%m%d-%H%M%S)
  FT_OUT="$root/$FT_NAME-$FT_SIZE-$FT_STAMP"
  mkdir -p "$FT_OUT/expected"
  FT_OUT=$(cd "$FT_OUT" && pwd)
  : >"$FT_OUT/checks.jsonl"
  : >"$FT_OUT/syncs.jsonl"
  echo '{}' >"$FT_OUT/dataset.json"
  FT_STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  set -o errtrace
  trap 'FT_LAST_ERR="line $LINENO: ${BASH_COMMAND:0:160} (status $?)"' ERR
  trap ft__on_exit EXIT
  trap 'ft_log "interrupted"; exit 130' INT
  trap 'ft_log "terminated"; exit 143' TERM HUP
  case "$FT_SIZE" in
    SMALL) FT_SYNC_TIMEOUT=${FT_SYNC_TIMEOUT:-600} ;;
    MEDIUM) FT_SYNC_TIMEOUT=${FT_SYNC_TIMEOUT:-1800} ;;
    LARGE) FT_SYNC_TIMEOUT=${FT_SYNC_TIMEOUT:-7200} ;;
  esac
  # A copy of the programs (the service starts its extractor workers from next to
  # itself): the shared build dir may be relinked during a run.
  local b
  mkdir -p "$FT_OUT/bin"
  for b in elastic-ingest connectors connectors-extractor; do
    [[ -x "$FT_BIN/$b" ]] || ft_die "$FT_BIN/$b not found: build first (cmake --build build)"
    cp "$FT_BIN/$b" "$FT_OUT/bin/$b"
    "$FT_OUT/bin/$b" --version >/dev/null 2>&1 || ft_die "$FT_BIN/$b does not run (a build in progress?)"
  done
  FT_BIN="$FT_OUT/bin"
  ft_log "ftest $FT_NAME $FT_SIZE → $FT_OUT"
}

# ft_require_source TYPE: the service binary must have it.
ft_require_source() {
  local list
  list=$("$FT_BIN/elastic-ingest" --action list 2>&1) || true
  if ! grep -Eq "^- $1( |$)" <<<"$list"; then
    ft_die "source '$1' is not built into $FT_BIN/elastic-ingest (it has: $(grep '^- ' <<<"$list" | cut -d' ' -f2 | tr '\n' ' '))"
  fi
}

# ft_dataset KEY=VALUE...: describes the data set in the report (numbers stay numbers).
ft_dataset() {
  python3 - "$FT_OUT/dataset.json" "$@" <<'PY'
import json, sys
path = sys.argv[1]
data = json.load(open(path))
for item in sys.argv[2:]:
    key, _, value = item.partition("=")
    try:
        data[key] = json.loads(value)
    except ValueError:
        data[key] = value
json.dump(data, open(path, "w"), indent=2)
PY
}

# --- engine --------------------------------------------------------------------

ft_engine_start() {
  local state="$FT_OUT/engine"
  export ENGINE
  ft_log "starting $ENGINE (state: $state)"
  ft_defer ft__engine_stop
  if ! FT_ES_URL=$(ENGINE_STATE_DIR="$state" "$FT_REPO/tests/servers/elasticsearch.sh" start 2>>"$FT_OUT/engine-start.log"); then
    tail -n 20 "$FT_OUT/engine-start.log" >&2
    ft_die "$ENGINE did not start (see $FT_OUT/engine-start.log)"
  fi
  local info
  info=$(curl -s --max-time 10 -u "$FT_ES_USER:$FT_ES_PASSWORD" "$FT_ES_URL/") || ft_die "$ENGINE at $FT_ES_URL does not answer"
  FT_ENGINE_VERSION=$(jq -r '.version.number // "unknown"' <<<"$info")
  FT_ENGINE_DIST=$(jq -r '.version.distribution // "elasticsearch"' <<<"$info")
  ft_log "$FT_ENGINE_DIST $FT_ENGINE_VERSION at $FT_ES_URL"
}

ft__engine_stop() {
  ENGINE_STATE_DIR="$FT_OUT/engine" "$FT_REPO/tests/servers/elasticsearch.sh" stop 2>>"$FT_OUT/engine-start.log"
}

# ft_es METHOD PATH [BODY]: a request to the engine; prints the response body.
ft_es() {
  local method=$1 path=$2 body=${3:-}
  if [[ -n "$body" ]]; then
    curl -sS --max-time 120 -u "$FT_ES_USER:$FT_ES_PASSWORD" -X "$method" -H 'Content-Type: application/json' \
      "$FT_ES_URL$path" -d "$body"
  else
    curl -sS --max-time 120 -u "$FT_ES_USER:$FT_ES_PASSWORD" -X "$method" "$FT_ES_URL$path"
  fi
}

# --- configuration and connector ------------------------------------------------

ft_write_service_config() {
  cat >"$FT_OUT/cli.yml" <<EOF
elasticsearch:
  host: $FT_ES_URL
  username: $FT_ES_USER
  password: $FT_ES_PASSWORD
EOF
  cat >"$FT_OUT/config.yml" <<EOF
elasticsearch:
  host: $FT_ES_URL
  username: $FT_ES_USER
  password: $FT_ES_PASSWORD
service:
  idling: 1
  log_level: INFO
EOF
  if [[ -n "${FT_CONFIG_EXTRA:-}" ]]; then
    printf '%s\n' "$FT_CONFIG_EXTRA" >>"$FT_OUT/config.yml"
  fi
}

# ft_create_connector TYPE INDEX [key=value ...]
ft_create_connector() {
  local type=$1 index=$2
  shift 2
  local -a sets=()
  local kv
  for kv in "$@"; do sets+=(--set "$kv"); done
  FT_SERVICE_TYPE=$type
  FT_INDEX=$index
  if ! "$FT_BIN/connectors" -c "$FT_OUT/cli.yml" connector create --service-type "$type" --index-name "$index" \
    "${sets[@]}" --update-config --connector-service-config "$FT_OUT/config.yml" --json \
    >"$FT_OUT/connector.json" 2>"$FT_OUT/connector-create.log"; then
    cat "$FT_OUT/connector-create.log" >&2
    ft_die "connectors connector create failed (see $FT_OUT/connector-create.log)"
  fi
  FT_CONNECTOR_ID=$(jq -r '.id' "$FT_OUT/connector.json")
  [[ -n "$FT_CONNECTOR_ID" && "$FT_CONNECTOR_ID" != null ]] || ft_die "no connector id in $FT_OUT/connector.json"
  ft_log "connector $FT_CONNECTOR_ID ($type → $index)"
}

# --- the service and its sampler ------------------------------------------------

ft_service_start() {
  ft_log "starting elastic-ingest"
  "$FT_BIN/elastic-ingest" -c "$FT_OUT/config.yml" </dev/null >>"$FT_OUT/service.log" 2>&1 &
  FT_SERVICE_PID=$!
  FT_SERVICE_STARTED=$(date +%s.%N)
  echo "$FT_SERVICE_PID" >"$FT_OUT/service.pid"
  ft__start_sampler "$FT_SERVICE_PID"
  sleep 0.5
  if ! kill -0 "$FT_SERVICE_PID" 2>/dev/null; then
    ft__service_log_tail
    FT_SERVICE_PID=
    ft_die "elastic-ingest exited at start (see $FT_OUT/service.log)"
  fi
}

# Every 0.5 s: RSS and high-water mark (kB, /proc/PID/status), CPU seconds
# (utime+stime of /proc/PID/stat), threads. Ends when the process is gone.
ft__start_sampler() {
  python3 - "$1" "$FT_OUT/samples.csv" <<'PY' >/dev/null 2>>"$FT_OUT/sampler.log" &
import os, sys, time
pid, path = int(sys.argv[1]), sys.argv[2]
tick = os.sysconf("SC_CLK_TCK")
with open(path, "w", buffering=1) as out:
    out.write("epoch_s,rss_kib,hwm_kib,cpu_s,threads\n")
    nxt = time.time()
    while True:
        try:
            with open(f"/proc/{pid}/status") as f:
                status = {k: v.strip() for k, _, v in (line.partition(":") for line in f)}
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError, IndexError):
            break
        if fields[0] == "Z":
            break
        cpu = (int(fields[11]) + int(fields[12])) / tick
        rss = int(status.get("VmRSS", "0 kB").split()[0])
        hwm = int(status.get("VmHWM", "0 kB").split()[0])
        out.write(f"{time.time():.3f},{rss},{hwm},{cpu:.2f},{status.get('Threads', '0')}\n")
        nxt += 0.5
        time.sleep(max(0.0, nxt - time.time()))
PY
  FT_SAMPLER_PID=$!
  ft_defer ft__stop_sampler
}

ft__stop_sampler() {
  if [[ -n "$FT_SAMPLER_PID" ]] && kill -0 "$FT_SAMPLER_PID" 2>/dev/null; then
    kill "$FT_SAMPLER_PID" 2>/dev/null
    wait "$FT_SAMPLER_PID" 2>/dev/null
  fi
  FT_SAMPLER_PID=
  return 0
}

ft__service_log_tail() {
  if [[ -f "$FT_OUT/service.log" ]]; then
    echo "----- last 40 lines of $FT_OUT/service.log -----" >&2
    tail -n 40 "$FT_OUT/service.log" >&2
    echo "-----" >&2
  fi
}

# SIGTERM, wait up to $1 seconds, then SIGKILL. Sets FT_SERVICE_EXIT.
ft__stop_service_pid() {
  local timeout=${1:-30} pid=$FT_SERVICE_PID i
  FT_SERVICE_EXIT=
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < timeout * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      ft_log "elastic-ingest (pid $pid) still running ${timeout} s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null
      FT_SERVICE_KILLED=1
    fi
  fi
  wait "$pid" 2>/dev/null
  FT_SERVICE_EXIT=$?
  FT_SERVICE_PID=
  # Let the sampler see the exit.
  for ((i = 0; i < 20; i++)); do
    if [[ -z "$FT_SAMPLER_PID" ]] || ! kill -0 "$FT_SAMPLER_PID" 2>/dev/null; then break; fi
    sleep 0.1
  done
  ft__stop_sampler
}

ft_service_stop() {
  FT_CURRENT_CHECK="service stops cleanly"
  ft_log "stopping elastic-ingest"
  FT_SERVICE_KILLED=0
  ft__stop_service_pid 30
  if [[ "$FT_SERVICE_KILLED" == 1 ]]; then ft_die "elastic-ingest did not stop within 30 s of SIGTERM"; fi
  if [[ "$FT_SERVICE_EXIT" != 0 ]]; then
    ft__service_log_tail
    ft_die "elastic-ingest exited with status $FT_SERVICE_EXIT after SIGTERM"
  fi
  ft_check_record ok "service stops cleanly" "exit 0"
}

# --- sync jobs -----------------------------------------------------------------

# ft_sync LABEL [JOB_TYPE]: starts a job through the CLI, waits for a terminal
# status, records it for the report. Fails unless it completed.
# Sets FT_JOB_ID and FT_JOB_FILE (the final job document).
ft_sync() {
  local label=$1 type=${2:-full} n
  n=$(($(wc -l <"$FT_OUT/syncs.jsonl") + 1))
  FT_CURRENT_CHECK="sync $n ($label) completes"
  local requested
  requested=$(date +%s.%N)
  if ! "$FT_BIN/connectors" -c "$FT_OUT/cli.yml" job start -i "$FT_CONNECTOR_ID" -t "$type" --json \
    >"$FT_OUT/job-$n-start.json" 2>"$FT_OUT/job-$n-start.log"; then
    cat "$FT_OUT/job-$n-start.log" >&2
    ft_die "connectors job start failed (see $FT_OUT/job-$n-start.log)"
  fi
  FT_JOB_ID=$(jq -r '.id' "$FT_OUT/job-$n-start.json")
  FT_JOB_FILE="$FT_OUT/job-$n.json"
  ft_log "sync $n ($label): job $FT_JOB_ID"
  local rc=0
  python3 - "$FT_BIN/connectors" "$FT_OUT/cli.yml" "$FT_JOB_ID" "$FT_JOB_FILE" "$FT_SYNC_TIMEOUT" \
    "${FT_SERVICE_PID:-0}" <<'PY' || rc=$?
import json, os, signal, subprocess, sys, time
cli, cfg, job_id, out, timeout, pid = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
terminal = {"completed", "error", "canceled"}
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
start = time.time()
last_print, last_status, doc = 0.0, None, None
while True:
    try:
        r = subprocess.run([cli, "-c", cfg, "job", "view", job_id, "--json"], capture_output=True, text=True,
                           timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        r = subprocess.CompletedProcess([], 1, "", str(e))
    if r.returncode == 0:
        try:
            doc = json.loads(r.stdout)
        except ValueError:
            doc = None
    if doc is not None:
        status = doc.get("status")
        now = time.time()
        if status != last_status or now - last_print >= 10:
            print(f"  [{now - start:6.1f} s] {status}: {doc.get('indexed_document_count', 0)} indexed, "
                  f"{doc.get('deleted_document_count', 0)} deleted", file=sys.stderr, flush=True)
            last_print, last_status = now, status
        if status in terminal:
            json.dump(doc, open(out, "w"), indent=2)
            sys.exit(0)
    if pid and not os.path.exists(f"/proc/{pid}"):
        if doc is not None:
            json.dump(doc, open(out, "w"), indent=2)
        print(f"elastic-ingest (pid {pid}) is gone; job status {doc and doc.get('status')}", file=sys.stderr)
        sys.exit(3)
    if time.time() - start > timeout:
        if doc is not None:
            json.dump(doc, open(out, "w"), indent=2)
        status = doc and doc.get("status")
        hint = " (the service never claimed it)" if status == "pending" else ""
        print(f"job {job_id} still {status}{hint} after {timeout:.0f} s; "
              f"last error: {doc and doc.get('error')}; cli: {r.stderr.strip()[-300:]}", file=sys.stderr)
        sys.exit(4)
    time.sleep(1)
PY
  local finished
  finished=$(date +%s.%N)
  if [[ $rc -ne 0 ]]; then
    ft__service_log_tail
    ft_die "sync $n ($label): job $FT_JOB_ID did not finish (see above and $FT_OUT/service.log)"
  fi
  local status error
  status=$(jq -r '.status' "$FT_JOB_FILE")
  error=$(jq -r '.error // ""' "$FT_JOB_FILE")
  jq -c --arg lbl "$label" --arg n "$n" --arg req "$requested" --arg fin "$finished" \
    '{"n": ($n|tonumber), "label": $lbl, "job_id": .id, "job_type": .job_type, "status": .status,
      "error": .error, "created_at": .created_at, "started_at": .started_at, "completed_at": .completed_at,
      "indexed_document_count": .indexed_document_count, "deleted_document_count": .deleted_document_count,
      "indexed_document_volume": .indexed_document_volume, "total_document_count": .total_document_count,
      "requested_epoch": ($req|tonumber), "observed_epoch": ($fin|tonumber)}' "$FT_JOB_FILE" >>"$FT_OUT/syncs.jsonl"
  if [[ "$status" != completed ]]; then
    ft__service_log_tail
    ft_die "sync $n ($label): job $FT_JOB_ID ended '$status'${error:+: $error}"
  fi
  ft_check_record ok "sync $n ($label) completes" \
    "$(jq -r '"\(.indexed_document_count) indexed, \(.deleted_document_count) deleted"' "$FT_JOB_FILE")"
}

# ft_expect_job FIELD VALUE: exact value of a field of the last job document.
ft_expect_job() {
  local field=$1 want=$2 got
  FT_CURRENT_CHECK="job $FT_JOB_ID $field = $want"
  got=$(jq -r --arg f "$field" '.[$f]' "$FT_JOB_FILE")
  [[ "$got" == "$want" ]] || ft_die "job $FT_JOB_ID: $field is $got, expected $want"
  ft_check_record ok "job $field = $want"
}

# ft_expect_job_oneof FIELD VALUE... : one of the values (e.g. when a source's
# change detection may work per table or per row).
ft_expect_job_oneof() {
  local field=$1 got v
  shift
  FT_CURRENT_CHECK="job $FT_JOB_ID $field in {$*}"
  got=$(jq -r --arg f "$field" '.[$f]' "$FT_JOB_FILE")
  for v in "$@"; do
    if [[ "$got" == "$v" ]]; then
      ft_check_record ok "job $field in {$*}" "$got"
      return 0
    fi
  done
  ft_die "job $FT_JOB_ID: $field is $got, expected one of: $*"
}

# ft_expect_job_min FIELD MIN: at least MIN.
ft_expect_job_min() {
  local field=$1 want=$2 got
  FT_CURRENT_CHECK="job $FT_JOB_ID $field >= $want"
  got=$(jq -r --arg f "$field" '.[$f]' "$FT_JOB_FILE")
  [[ "$got" =~ ^[0-9]+$ && "$got" -ge "$want" ]] || ft_die "job $FT_JOB_ID: $field is $got, expected at least $want"
  ft_check_record ok "job $field >= $want" "$got"
}

# --- verification --------------------------------------------------------------

ft_expect_count() {
  local want=$1 got
  FT_CURRENT_CHECK="$FT_INDEX holds $want documents"
  ft_es POST "/$FT_INDEX/_refresh" >/dev/null || ft_die "_refresh of $FT_INDEX failed"
  got=$(ft_es GET "/$FT_INDEX/_count" | jq -r '.count')
  [[ "$got" == "$want" ]] || ft_die "$FT_INDEX holds $got documents, expected $want"
  ft_check_record ok "$FT_INDEX holds $want documents"
}

# ft_verify_ids FILE: the index holds exactly the ids of FILE (one a line).
ft_verify_ids() {
  local file=$1
  FT_CURRENT_CHECK="ids of $FT_INDEX = $(basename "$file")"
  local msg rc=0
  msg=$(python3 - "$FT_ES_URL" "$FT_INDEX" "$file" "$FT_ES_USER:$FT_ES_PASSWORD" <<'PY'
import base64, json, sys, urllib.request
url, index, path, auth = sys.argv[1:5]
hdr = {"Content-Type": "application/json", "Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}
def call(method, p, body=None):
    req = urllib.request.Request(url + p, method=method, headers=hdr, data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.load(r)
want = set(line.rstrip("\n") for line in open(path, encoding="utf-8") if line.strip())
call("POST", f"/{index}/_refresh")
have = set()
r = call("POST", f"/{index}/_search?scroll=2m", {"size": 10000, "_source": False, "sort": ["_doc"], "query": {"match_all": {}}})
while r["hits"]["hits"]:
    have.update(h["_id"] for h in r["hits"]["hits"])
    r = call("POST", "/_search/scroll", {"scroll": "2m", "scroll_id": r["_scroll_id"]})
try:
    call("DELETE", "/_search/scroll", {"scroll_id": r["_scroll_id"]})
except Exception:
    pass
missing, extra = sorted(want - have), sorted(have - want)
if missing or extra:
    print(f"{len(missing)} ids missing (e.g. {missing[:5]}), {len(extra)} unexpected (e.g. {extra[:5]}); "
          f"index has {len(have)}, expected {len(want)}")
    sys.exit(1)
print(f"{len(have)} ids")
PY
) || rc=$?
  [[ $rc -eq 0 ]] || ft_die "$FT_INDEX: ${msg:-id check failed}"
  ft_check_record ok "ids of $FT_INDEX are exactly those of $(basename "$file")" "$msg"
}

# ft_verify_docs FILE: JSON lines {"id": ..., "fields": {name: value}} (each
# field compared exactly: strings, numbers by value, bools as bools, null,
# arrays and objects recursively; {"$exists": true} only requires the field,
# {"$iso8601": true} requires an ISO-8601 date-time) or {"id": ..., "absent":
# true}. Every document must also have no _extract_binary_content, _attachment.
ft_verify_docs() {
  local file=$1
  FT_CURRENT_CHECK="documents of $(basename "$file")"
  local msg rc=0
  msg=$(python3 - "$FT_ES_URL" "$FT_INDEX" "$file" "$FT_ES_USER:$FT_ES_PASSWORD" <<'PY'
import base64, json, re, sys, urllib.request
url, index, path, auth = sys.argv[1:5]
hdr = {"Content-Type": "application/json", "Authorization": "Basic " + base64.b64encode(auth.encode()).decode()}
def call(method, p, body=None):
    req = urllib.request.Request(url + p, method=method, headers=hdr, data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.load(r)
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
def short(v):
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 120 else s[:80] + f"...({len(s)} chars)"
def same(want, got):
    if isinstance(want, dict) and set(want) == {"$exists"}:
        return True
    if isinstance(want, dict) and set(want) == {"$iso8601"}:
        return isinstance(got, str) and bool(ISO.match(got))
    if isinstance(want, bool) or isinstance(got, bool):
        return type(want) is type(got) and want == got
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        return want == got
    if isinstance(want, dict) and isinstance(got, dict):
        return set(want) == set(got) and all(same(want[k], got[k]) for k in want)
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(same(a, b) for a, b in zip(want, got))
    return type(want) is type(got) and want == got
expected = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
problems, checked_fields = [], 0
# 25 at a time: a response of 200 documents of 2 MiB (GCS LARGE) is more than the engine sends.
for start in range(0, len(expected), 25):
    batch = expected[start:start + 25]
    found = {d["_id"]: d for d in call("POST", f"/{index}/_mget", {"ids": [e["id"] for e in batch]})["docs"]}
    for e in batch:
        d = found.get(e["id"], {})
        if e.get("absent"):
            if d.get("found"):
                problems.append(f"{e['id']}: should not be in the index")
            continue
        if not d.get("found"):
            problems.append(f"{e['id']}: not in the index")
            continue
        src = d["_source"]
        for bad in ("_extract_binary_content", "_attachment"):
            if bad in src:
                problems.append(f"{e['id']}: has {bad}")
        for k, v in e.get("fields", {}).items():
            checked_fields += 1
            if k not in src:
                problems.append(f"{e['id']}: no field {k!r} (expected {short(v)})")
            elif not same(v, src[k]):
                problems.append(f"{e['id']}: {k} = {short(src[k])}, expected {short(v)}")
        for k in e.get("absent_fields", []):
            if k in src:
                problems.append(f"{e['id']}: field {k!r} should be absent, is {short(src[k])}")
if problems:
    print(f"{len(problems)} mismatches in {len(expected)} documents: " + "; ".join(problems[:8]))
    sys.exit(1)
print(f"{len(expected)} documents, {checked_fields} fields")
PY
) || rc=$?
  [[ $rc -eq 0 ]] || ft_die "$FT_INDEX: ${msg:-document check failed}"
  ft_check_record ok "documents of $(basename "$file") match" "$msg"
}

# --- report --------------------------------------------------------------------

ft__write_report() {
  local status=$1
  local commit dirty=false
  commit=$(git -C "$FT_REPO" rev-parse HEAD 2>/dev/null || echo unknown)
  [[ -n "$(git -C "$FT_REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]] && dirty=true
  python3 - "$FT_OUT" "$status" "${FT_NAME:-}" "${FT_SIZE:-}" "${FT_ENGINE_DIST:-$ENGINE}" \
    "${FT_ENGINE_VERSION:-unknown}" "$FT_STARTED_AT" "$commit" "$dirty" "${FT_MAX_RSS_MIB:-}" \
    "${FT_SERVICE_STARTED:-0}" "${FT_ENFORCE_BUDGET:-0}" <<'PY'
import csv, json, os, platform, sys
from datetime import datetime
from xml.sax.saxutils import escape
(out, status, name, size, engine, version, started, commit, dirty, budget, svc_started, enforce) = sys.argv[1:13]

def epoch(iso):
    if not iso:
        return None
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()

samples = []
if os.path.exists(f"{out}/samples.csv"):
    with open(f"{out}/samples.csv") as f:
        for row in csv.DictReader(f):
            try:
                samples.append((float(row["epoch_s"]), int(row["rss_kib"]), int(row["hwm_kib"]), float(row["cpu_s"])))
            except (ValueError, KeyError, TypeError):
                pass
t0 = samples[0][0] if samples else (float(svc_started) or 0.0)

def cpu_at(t):
    """CPU seconds at time t, linear between the samples around it."""
    if not samples:
        return None
    if t <= samples[0][0]:
        return samples[0][3]
    for a, b in zip(samples, samples[1:]):
        if a[0] <= t <= b[0]:
            return a[3] + (b[3] - a[3]) * (t - a[0]) / max(b[0] - a[0], 1e-9)
    return samples[-1][3]

syncs = []
for line in open(f"{out}/syncs.jsonl"):
    if not line.strip():
        continue
    s = json.loads(line)
    start, end = epoch(s.get("started_at")), epoch(s.get("completed_at"))
    if start is None:
        start = s["requested_epoch"]
    if end is None:
        end = s["observed_epoch"]
    duration = max(end - start, 0.0)
    window = [x for x in samples if start - 0.5 <= x[0] <= end + 0.5]
    peak = max((x[1] for x in window), default=None)
    c0, c1 = cpu_at(start), cpu_at(end)
    cpu = round(c1 - c0, 2) if c0 is not None and c1 is not None else None
    docs = (s.get("indexed_document_count") or 0)
    syncs.append({
        "n": s["n"], "label": s["label"], "job_id": s["job_id"], "status": s["status"], "error": s.get("error"),
        "started_at": s.get("started_at"), "completed_at": s.get("completed_at"),
        "start_s": round(start - t0, 2), "end_s": round(end - t0, 2),
        "duration_s": round(duration, 2),
        "wall_s": round(s["observed_epoch"] - s["requested_epoch"], 2),
        "documents": docs, "deleted": s.get("deleted_document_count") or 0,
        "indexed_volume_mib": s.get("indexed_document_volume"),
        "docs_per_s": round(docs / duration, 1) if duration > 0 else None,
        "peak_rss_mib": round(peak / 1024, 1) if peak is not None else None,
        "cpu_s": cpu,
        "cpu_percent": round(100 * cpu / duration, 1) if cpu is not None and duration > 0 else None,
    })

def meminfo():
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024)
    except OSError:
        return None
def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"

checks = [json.loads(l) for l in open(f"{out}/checks.jsonl") if l.strip()]
peak_all = max((x[2] for x in samples), default=None)
budget_mib = float(budget) if budget else None
within = None if budget_mib is None or peak_all is None else peak_all / 1024 <= budget_mib
if status == "passed" and within is False and enforce == "1":
    status = "failed"
    checks.append({"check": f"peak RSS <= {budget_mib:g} MiB", "result": "fail", "detail": f"{peak_all / 1024:.1f} MiB"})
report = {
    "source": name, "data_size": size, "status": status, "started_at": started,
    "finished_at": datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
    "engine": {"name": engine, "version": version},
    "machine": {"nproc": os.cpu_count(), "cpu_model": cpu_model(), "mem_total_mib": meminfo(),
                "kernel": platform.release()},
    "build": {"commit": commit, "dirty": dirty == "true"},
    "dataset": json.load(open(f"{out}/dataset.json")),
    "syncs": syncs,
    "service": {
        "peak_rss_mib": round(peak_all / 1024, 1) if peak_all is not None else None,
        "cpu_s": samples[-1][3] if samples else None,
        "run_s": round(samples[-1][0] - t0, 1) if samples else None,
        "rss_budget_mib": budget_mib, "within_budget": within,
    },
    "checks": checks,
    "samples_columns": ["t_s", "rss_mib", "cpu_s"],
    "samples": [[round(x[0] - t0, 2), round(x[1] / 1024, 1), x[3]] for x in samples],
}
json.dump(report, open(f"{out}/report.json", "w"), indent=1)

# --- report.svg: RSS (MiB) and CPU (%) of elastic-ingest over time, syncs shaded ---
W, LEFT, RIGHT, PH, GAP, TOP = 1000, 70, 20, 200, 60, 70
H = TOP + 2 * PH + GAP + 60 + 18 * len(syncs) + 10
pts = report["samples"]
tmax = max([p[0] for p in pts] + [s["end_s"] for s in syncs] + [1.0])
cpu_pct = []
for a, b in zip(pts, pts[1:]):
    dt = b[0] - a[0]
    if dt > 0:
        cpu_pct.append((b[0], max(0.0, 100 * (b[2] - a[2]) / dt)))
def nice(v):
    if v <= 0:
        return 1
    m = 10 ** (len(str(int(v))) - 1) if v >= 1 else 1
    for k in (1, 2, 2.5, 5, 10):
        if v <= k * m:
            return k * m
    return 10 * m
rss_max = nice(max([p[1] for p in pts] + [budget_mib or 0, 1]) * 1.1)
cpu_peak = max([c[1] for c in cpu_pct] + [0])
cpu_max = 100 if cpu_peak <= 100 else nice(cpu_peak)
def x(t):
    return LEFT + (W - LEFT - RIGHT) * t / tmax
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{LEFT}" y="24" font-size="16" font-weight="bold">ftest {escape(name)} {escape(size)}: elastic-ingest RSS and CPU</text>',
       f'<text x="{LEFT}" y="44" fill="#555">{escape(engine)} {escape(version)}; {os.cpu_count()} CPUs, {escape(cpu_model())}; '
       f'{escape(status)}; {escape(started)}</text>']
colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"]
def panel(y0, title, series, ymax, unit, color, extra=None):
    svg.append(f'<text x="{LEFT}" y="{y0 - 8}" font-weight="bold">{escape(title)}</text>')
    for s in syncs:
        c = colors[(s["n"] - 1) % len(colors)]
        svg.append(f'<rect x="{x(s["start_s"]):.1f}" y="{y0}" width="{max(x(s["end_s"]) - x(s["start_s"]), 1):.1f}" '
                   f'height="{PH}" fill="{c}" fill-opacity="0.12"/>')
    for i in range(5):
        v = ymax * i / 4
        yy = y0 + PH - PH * i / 4
        svg.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end">{v:g}{unit}</text>')
    if extra is not None:
        yy = y0 + PH - PH * min(extra, ymax) / ymax
        svg.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#d62728" stroke-dasharray="6,4"/>')
        svg.append(f'<text x="{W - RIGHT - 4}" y="{yy - 4:.1f}" text-anchor="end" fill="#d62728">budget {extra:g} MiB</text>')
    if series:
        path = " ".join(f"{x(t):.1f},{y0 + PH - PH * min(v, ymax) / ymax:.1f}" for t, v in series)
        svg.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="1.5"/>')
    svg.append(f'<rect x="{LEFT}" y="{y0}" width="{W - LEFT - RIGHT}" height="{PH}" fill="none" stroke="#888"/>')
y1 = TOP
panel(y1, "RSS (MiB)", [(p[0], p[1]) for p in pts], rss_max, "", "#1f77b4", budget_mib)
y2 = TOP + PH + GAP
panel(y2, "CPU (% of one core, per 0.5 s sample)", cpu_pct, cpu_max, "%", "#ff7f0e")
ly = y2 + PH + 62
for s in syncs:
    c = colors[(s["n"] - 1) % len(colors)]
    svg.append(f'<text x="{x(s["start_s"]) + 3:.1f}" y="{y1 + 14}" fill="{c}" font-weight="bold">{s["n"]}</text>')
    rss = "-" if s["peak_rss_mib"] is None else f'{s["peak_rss_mib"]:g} MiB'
    cpu = "-" if s["cpu_s"] is None else f'{s["cpu_s"]:g} CPU s'
    dps = "" if not s["docs_per_s"] else f' ({s["docs_per_s"]:g} docs/s)'
    label = (f'sync {s["n"]} ({s["label"]}, {s["status"]}): {s["documents"]} indexed, {s["deleted"]} deleted in '
             f'{s["duration_s"]:g} s{dps}; peak RSS {rss}; {cpu}')
    svg.append(f'<rect x="{LEFT}" y="{ly - 10}" width="12" height="12" fill="{c}" fill-opacity="0.35" stroke="{c}"/>')
    svg.append(f'<text x="{LEFT + 18}" y="{ly}" fill="#222">{escape(label)}</text>')
    ly += 18
ticks = nice(tmax / 8)
t = 0.0
while t <= tmax + 1e-9:
    svg.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{y2 + PH}" y2="{y2 + PH + 5}" stroke="#888"/>')
    svg.append(f'<text x="{x(t):.1f}" y="{y2 + PH + 18}" text-anchor="middle">{t:g}</text>')
    t += ticks
svg.append(f'<text x="{(LEFT + W - RIGHT) / 2}" y="{y2 + PH + 38}" text-anchor="middle">seconds since elastic-ingest started</text>')
svg.append("</svg>")
open(f"{out}/report.svg", "w").write("\n".join(svg) + "\n")

# --- summary ---
print(f"\nftest {name} {size}: {status.upper()}   ({engine} {version}, {os.cpu_count()} CPUs, {meminfo()} MiB)")
print(f"{'sync':<22}{'status':<11}{'seconds':>9}{'indexed':>10}{'deleted':>9}{'docs/s':>10}{'peak RSS MiB':>14}{'CPU s':>8}")
for s in syncs:
    dps = "-" if s["docs_per_s"] is None else f'{s["docs_per_s"]:.0f}'
    rss = "-" if s["peak_rss_mib"] is None else f'{s["peak_rss_mib"]:.1f}'
    cpu = "-" if s["cpu_s"] is None else f'{s["cpu_s"]:.1f}'
    print(f'{str(s["n"]) + " " + s["label"]:<22}{s["status"]:<11}{s["duration_s"]:>9.1f}{s["documents"]:>10}'
          f'{s["deleted"]:>9}{dps:>10}{rss:>14}{cpu:>8}')
svc = report["service"]
if svc["peak_rss_mib"] is not None:
    b = "" if budget_mib is None else f' (budget {budget_mib:g} MiB: {"within" if within else "OVER"})'
    print(f'service: peak RSS {svc["peak_rss_mib"]} MiB{b}, {svc["cpu_s"]} CPU s in {svc["run_s"]} s')
fails = [c for c in checks if c["result"] != "ok"]
print(f'checks: {len(checks) - len(fails)} passed, {len(fails)} failed' + "".join(f'\n  FAILED {c["check"]}: {c["detail"]}' for c in fails))
print(f"report: {out}/report.json, {out}/report.svg")
sys.exit(1 if status != "passed" else 0)
PY
}

# ft_report: writes the report of a passing run (a failing run writes its own at exit).
ft_report() {
  FT_REPORTED=1
  local rc=0
  ft__write_report passed || rc=$?
  if [[ $rc -ne 0 ]]; then
    FT_FAILED=1
    exit 1
  fi
  ft_log "PASSED: $FT_NAME $FT_SIZE"
}

# The first step of every fixture: a sync of a fresh index sends all $1
# documents, deletes nothing, and leaves exactly expected/ids-1.txt and docs-1.jsonl.
ft_first_sync_indexes_everything() {
  ft_sync "first"
  ft_expect_job indexed_document_count "$1"
  ft_expect_job deleted_document_count 0
  ft_expect_count "$1"
  ft_verify_ids "$FT_OUT/expected/ids-1.txt"
  ft_verify_docs "$FT_OUT/expected/docs-1.jsonl"
}

# The last step of every fixture: a sync with nothing changed sends and deletes
# nothing and leaves $1 documents; then the service stops and the report is written.
ft_finish_with_unchanged_sync() {
  ft_sync "unchanged"
  ft_expect_job indexed_document_count 0
  ft_expect_job deleted_document_count 0
  ft_expect_count "$1"
  ft_service_stop
  ft_report
}
