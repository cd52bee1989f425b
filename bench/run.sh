#!/usr/bin/env bash
# Sync throughput benchmark: our `connectors sync` against the engine's own _bulk
# limit, on one engine started for this run. See bench/README.md.
#
# Usage: bench/run.sh NAME DOCS
#
#   warm-up           WARMUP_DOCS documents posted to a throw-away index (JIT warm-up)
#   limit             the generator's documents, serialised as the sync sends them
#                     (build/bin/make_ndjson), posted by curl to _bulk, CONCURRENCY at once
#   first_sync        connectors sync of the same documents into a new index
#                     (limit and first_sync alternate for ROUNDS rounds; best of each)
#   resync_unchanged  the same sync again: nothing to send, nothing to delete; the
#                     ids come from the id cache the first sync saved
#   resync_unchanged_scan  the same with --no-id-cache: every id read back from the index
#   resync_changed    generation 1: 10 % changed, 10 % deleted (RESYNC_CHANGED=0 skips it)
#
# Writes bench/results/NAME.json and prints a summary.
#
# Environment:
#   ENGINE          elasticsearch (default) | opensearch
#   DOC_SIZE        document size in bytes (default 1024)
#   CHUNK_SIZE      operations per _bulk (default 500)
#   CONCURRENCY     concurrent _bulk requests (default 5)
#   RESYNC_CHANGED  1 (default) = also run the changed resync
#   WARMUP_DOCS     documents posted to a throw-away index before measuring (default: DOCS,
#                   at least 300000: the first pass over an index of that size JIT-compiles
#                   its merges too)
#   ROUNDS          rounds of limit + first sync, alternated; the best of each counts (default 2)
#   ENGINE_HEAP     the engine's heap (default 1g; use 2g for 1M documents if GC struggles)
#   BIN_DIR         where connectors and make_ndjson are (default build/bin)
#   BENCH_KEEP=1    keep the work dir (NDJSON, logs, engine data) under /tmp
set -euo pipefail

if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ ]]; then
  echo "usage: bench/run.sh NAME DOCS" >&2
  exit 2
fi
NAME=$1
DOCS=$2
if [[ ! $NAME =~ ^[a-z0-9][a-z0-9._-]*$ ]]; then
  echo "bench/run.sh: NAME must be lowercase letters, digits, '.', '_' or '-' (it names indices)" >&2
  exit 2
fi

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
ENGINE=${ENGINE:-elasticsearch}
DOC_SIZE=${DOC_SIZE:-1024}
CHUNK_SIZE=${CHUNK_SIZE:-500}
CONCURRENCY=${CONCURRENCY:-5}
RESYNC_CHANGED=${RESYNC_CHANGED:-1}
WARMUP_DOCS=${WARMUP_DOCS:-$((DOCS > 300000 ? DOCS : 300000))}
ROUNDS=${ROUNDS:-2}
ENGINE_HEAP=${ENGINE_HEAP:-1g}
BIN_DIR=${BIN_DIR:-$REPO/build/bin}
RESULTS_DIR=$SCRIPT_DIR/results
ENGINES_SH=$REPO/tests/servers/elasticsearch.sh

log() { echo "bench [$NAME]: $*" >&2; }
die() {
  log "$*"
  exit 1
}

for tool in curl jq python3 /usr/bin/time xargs; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
for bin in connectors make_ndjson; do
  [[ -x $BIN_DIR/$bin ]] || die "$BIN_DIR/$bin is missing: cmake --build build -j2"
done

WORK=$(mktemp -d "/tmp/bench-$NAME.XXXXXX")
STATE_DIR=$WORK/engine
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  ENGINE=$ENGINE ENGINE_STATE_DIR=$STATE_DIR "$ENGINES_SH" stop >/dev/null 2>&1 || true
  if [[ ${BENCH_KEEP:-} == 1 ]]; then
    log "kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Private copies: a rebuild of build/ during the run does not change what is measured.
mkdir -p "$WORK/bin"
cp "$BIN_DIR/connectors" "$BIN_DIR/make_ndjson" "$WORK/bin/"
CONNECTORS=$WORK/bin/connectors
MAKE_NDJSON=$WORK/bin/make_ndjson

now_ns() { date +%s%N; }
seconds_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.3f", (b - a) / 1e9 }'; }
# CPU ticks (USER_HZ) used so far by the whole machine and by the engine's JVM:
# a phase's difference tells how much CPU the engine took and how much went to
# other work on the machine (other people's builds and tests skew the figures).
cpu_ticks() {
  echo "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat)" \
    "$(awk '{ print $14 + $15 }' "/proc/$ENGINE_PID/stat")"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
log "starting $ENGINE (heap $ENGINE_HEAP, state $STATE_DIR; load average $LOAD_BEFORE)"
URL=$(ENGINE=$ENGINE ENGINE_STATE_DIR=$STATE_DIR ENGINE_HEAP=$ENGINE_HEAP "$ENGINES_SH" start)
ENGINE_PID=$(cat "$STATE_DIR/pid")
ENGINE_VERSION=$(curl -sf "$URL/" | jq -r .version.number)
log "$ENGINE $ENGINE_VERSION on $URL"

es() {  # es METHOD PATH [curl args...]: the answer body; fails on HTTP errors
  local method=$1 path=$2
  shift 2
  curl -sS --fail-with-body -X "$method" "$URL$path" "$@"
}
count_of() {
  es POST "/$1/_refresh" >/dev/null
  es GET "/$1/_count" | jq -r .count
}

cat >"$WORK/config.yml" <<EOF
elasticsearch:
  host: $URL
  bulk:
    chunk_size: $CHUNK_SIZE
    max_concurrency: $CONCURRENCY
service:
  id_cache_dir: $WORK/ids
EOF

# connectors sync of the generator into INDEX, under /usr/bin/time -v.
# run_sync LABEL INDEX [--set ...]: writes $WORK/LABEL.{json,time,log,wall}
run_sync() {
  local label=$1 index=$2
  shift 2
  local start rc=0
  cpu_ticks >"$WORK/$label.cpu"
  start=$(now_ns)
  /usr/bin/time -v -o "$WORK/$label.time" \
    "$CONNECTORS" sync -c "$WORK/config.yml" --service-type generator --index "$index" \
    --set "documents=$DOCS" --set "document_size=$DOC_SIZE" "$@" \
    --no-pipeline --json "$WORK/$label.json" -q >"$WORK/$label.log" 2>&1 || rc=$?
  seconds_since "$start" >"$WORK/$label.wall"
  cpu_ticks >>"$WORK/$label.cpu"
  cat "$WORK/$label.log" >&2
  [[ $rc -eq 0 ]] || die "$label: connectors sync exited with $rc"
  [[ $(jq -r .status "$WORK/$label.json") == completed ]] || die "$label: sync did not complete"
}

# --- the index settings and mappings of our sync --------------------------------
# A sync of no documents creates the content index exactly as every sync does.
"$CONNECTORS" sync -c "$WORK/config.yml" --service-type generator --index "mapping-$NAME" \
  --set documents=0 --no-pipeline -q >"$WORK/mapping.log" 2>&1 || {
  cat "$WORK/mapping.log" >&2
  die "could not create the mapping index"
}
es GET "/mapping-$NAME" | jq '.[] | {
    settings: {index: {number_of_shards: .settings.index.number_of_shards,
                       number_of_replicas: .settings.index.number_of_replicas}},
    mappings: .mappings}' >"$WORK/index.json"
es DELETE "/mapping-$NAME" >/dev/null
create_index() { es PUT "/$1" -H 'Content-Type: application/json' --data-binary "@$WORK/index.json" >/dev/null; }

# --- limit: curl posting the NDJSON ---------------------------------------------
log "writing $DOCS documents as NDJSON"
start=$(now_ns)
"$MAKE_NDJSON" --documents "$DOCS" --document-size "$DOC_SIZE" --chunk-size "$CHUNK_SIZE" \
  --index "limit-$NAME" --out "$WORK/ndjson" 2>&1 | sed 's/^/  /' >&2
log "  in $(seconds_since "$start") s"
ls "$WORK/ndjson"/batch-*.ndjson >"$WORK/files.txt"
NDJSON_BYTES=$(cat "$WORK/ndjson"/batch-*.ndjson | wc -c)

post_files() {  # post_files LIST [time -v args]: every file of LIST to _bulk, CONCURRENCY at once
  local list=$1
  shift
  "$@" xargs -P "$CONCURRENCY" -I{} \
    curl -sS --fail -o {}.resp -H 'Content-Type: application/x-ndjson' -H 'Expect:' \
    --data-binary @{} "$URL/_bulk" <"$list"
}

# A cold JVM indexes at half speed for its first few hundred thousand documents
# (JIT): warm it up on a throw-away index so that neither side pays for that.
if [[ $WARMUP_DOCS -gt 0 ]]; then
  log "warming the engine up: $WARMUP_DOCS documents into a throw-away index"
  start=$(now_ns)
  "$MAKE_NDJSON" --documents "$WARMUP_DOCS" --document-size "$DOC_SIZE" --chunk-size "$CHUNK_SIZE" \
    --index "warmup-$NAME" --out "$WORK/warmup" 2>/dev/null
  ls "$WORK/warmup"/batch-*.ndjson >"$WORK/warmup-files.txt"
  create_index "warmup-$NAME"
  post_files "$WORK/warmup-files.txt" || die "warm-up: a _bulk request failed"
  es DELETE "/warmup-$NAME" >/dev/null
  rm -rf "$WORK/warmup"
  log "  in $(seconds_since "$start") s"
fi

# limit ROUND: posts the NDJSON into a new limit-NAME, checks it, deletes it.
measure_limit() {
  create_index "limit-$NAME"
  log "round $1: limit: posting $(wc -l <"$WORK/files.txt") files with curl, $CONCURRENCY at once"
  local start seconds count label=limit.$1
  cpu_ticks >"$WORK/$label.cpu"
  start=$(now_ns)
  # time -v counts the CPU of every curl (xargs waits for them): the client's share.
  post_files "$WORK/files.txt" /usr/bin/time -v -o "$WORK/$label.time" || die "limit: a _bulk request failed"
  seconds=$(seconds_since "$start")
  cpu_ticks >>"$WORK/$label.cpu"
  echo "$seconds" >"$WORK/$label.wall"
  if grep -l '"errors":true' "$WORK/ndjson"/*.resp >/dev/null; then
    die "limit: some _bulk items failed (see $WORK/ndjson/*.resp; BENCH_KEEP=1 keeps them)"
  fi
  rm -f "$WORK/ndjson"/*.resp
  count=$(count_of "limit-$NAME")
  [[ $count == "$DOCS" ]] || die "limit: $count documents in limit-$NAME, expected $DOCS"
  log "round $1: limit: $DOCS documents in $seconds s"
  # Each measurement has the engine to itself: no merges of the other index.
  es DELETE "/limit-$NAME" >/dev/null
}

# first_sync ROUND: a first sync into a new ours-NAME.
measure_first_sync() {
  es DELETE "/ours-$NAME?ignore_unavailable=true" >/dev/null
  log "round $1: first sync into ours-$NAME"
  run_sync "first_sync.$1" "ours-$NAME"
  [[ $(jq -r .indexed_document_count "$WORK/first_sync.$1.json") == "$DOCS" ]] ||
    die "first sync: not every document was indexed"
  local count
  count=$(count_of "ours-$NAME")
  [[ $count == "$DOCS" ]] || die "first sync: $count documents in ours-$NAME, expected $DOCS"
}

# Rounds alternate the two, so that what is left of warm-up or of other load on
# the machine falls on both; the best round of each is reported.
for ((round = 1; round <= ROUNDS; round++)); do
  measure_limit "$round"
  measure_first_sync "$round"
done
rm -rf "$WORK/ndjson"

# --- resyncs of the last first sync's index ------------------------------------
log "resync, nothing changed"
run_sync resync_unchanged "ours-$NAME"
[[ $(jq -r .indexed_document_count "$WORK/resync_unchanged.json") == 0 ]] || die "unchanged resync indexed documents"
[[ $(jq -r .deleted_document_count "$WORK/resync_unchanged.json") == 0 ]] || die "unchanged resync deleted documents"
[[ $(count_of "ours-$NAME") == "$DOCS" ]] || die "unchanged resync: the count moved"
[[ $(jq -r .ids_from_cache "$WORK/resync_unchanged.json") == true ]] || die "unchanged resync did not use the id cache"

log "resync, nothing changed, without the id cache"
run_sync resync_unchanged_scan "ours-$NAME" --no-id-cache
[[ $(jq -r .indexed_document_count "$WORK/resync_unchanged_scan.json") == 0 ]] || die "unchanged resync (scan) indexed documents"

if [[ $RESYNC_CHANGED == 1 ]]; then
  log "resync, generation 1: 10 % changed, 10 % deleted"
  run_sync resync_changed "ours-$NAME" --set generation=1 --set changed_fraction=0.1 --set deleted_fraction=0.1
  deleted=$(jq -r .deleted_document_count "$WORK/resync_changed.json")
  after=$(count_of "ours-$NAME")
  [[ $after == $((DOCS - deleted)) ]] || die "changed resync: $after documents, expected $((DOCS - deleted))"
fi

ENGINE_RSS_KIB=$(awk '/^VmRSS/ { print $2 }' "/proc/$ENGINE_PID/status" 2>/dev/null || echo 0)
GC_WARNINGS=$(grep -c '\[gc\].*overhead' "$STATE_DIR/engine.log" || true)
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- results --------------------------------------------------------------------
mkdir -p "$RESULTS_DIR"
export NAME DOCS DOC_SIZE CHUNK_SIZE CONCURRENCY ENGINE ENGINE_VERSION ENGINE_HEAP ROUNDS WARMUP_DOCS \
  NDJSON_BYTES ENGINE_RSS_KIB GC_WARNINGS LOAD_BEFORE LOAD_AFTER WORK RESULTS_DIR
python3 - <<'EOF'
import datetime, json, os, re

env = os.environ
work = env["WORK"]
docs = int(env["DOCS"])


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown"


def mem_total_kib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    return 0


def time_v(path):
    values = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            values[key] = value
    return {
        "peak_rss_mib": round(int(values["Maximum resident set size (kbytes)"]) / 1024, 1),
        "cpu_seconds": round(float(values["User time (seconds)"]) + float(values["System time (seconds)"]), 2),
        "user_seconds": float(values["User time (seconds)"]),
        "system_seconds": float(values["System time (seconds)"]),
    }


TICKS = os.sysconf("SC_CLK_TCK")


def phase(label):
    """Wall seconds, the client's CPU and RSS, and the CPU the engine and everything else took."""
    with open(os.path.join(work, label + ".wall")) as f:
        wall = float(f.read())
    client = time_v(os.path.join(work, label + ".time"))
    with open(os.path.join(work, label + ".cpu")) as f:
        (machine0, engine0), (machine1, engine1) = [map(float, line.split()) for line in f.read().splitlines()]
    engine_cpu = (engine1 - engine0) / TICKS
    other_cpu = max(0.0, (machine1 - machine0) / TICKS - engine_cpu - client["cpu_seconds"])
    return {"seconds": round(wall, 3), "docs_per_second": round(docs / wall), **client,
            "engine_cpu_seconds": round(engine_cpu, 2), "other_cpu_seconds": round(other_cpu, 2)}


def ours(label):
    path = os.path.join(work, label + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        summary = json.load(f)
    out = phase(label)
    out["sync_seconds"] = round(summary["seconds"], 3)
    for key in ("docs_extracted", "docs_unchanged", "indexed_document_count", "indexed_document_volume",
                "deleted_document_count", "failed_document_count", "existing_documents", "bulk_requests",
                "bulk_retries", "id_set_bytes", "ids_from_cache", "id_cache_saved"):
        out[key] = summary.get(key)
    return out


def limit(label):
    out = phase(label)
    out["client_cpu_seconds"] = out.pop("cpu_seconds")  # every curl together
    for key in ("peak_rss_mib", "user_seconds", "system_seconds"):
        out.pop(key)
    return out


def best(runs):
    out = dict(min(runs, key=lambda r: r["seconds"]))
    out["seconds_all_rounds"] = [r["seconds"] for r in runs]
    out["engine_cpu_seconds_all_rounds"] = [r["engine_cpu_seconds"] for r in runs]
    out["other_cpu_seconds_all_rounds"] = [r["other_cpu_seconds"] for r in runs]
    return out


rounds = range(1, int(env["ROUNDS"]) + 1)
limit_best = best([limit(f"limit.{r}") for r in rounds])
limit_best["ndjson_bytes"] = int(env["NDJSON_BYTES"])
limit_best["how"] = "curl --data-binary per _bulk file, xargs -P concurrency"
first_best = best([ours(f"first_sync.{r}") for r in rounds])
limit_seconds = limit_best["seconds"]
result = {
    "name": env["NAME"],
    "engine": env["ENGINE"],
    "engine_version": env["ENGINE_VERSION"],
    "engine_heap": env["ENGINE_HEAP"],
    "machine": {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model(),
        "mem_total_mib": mem_total_kib() // 1024,
        "load_average_before": env["LOAD_BEFORE"],
        "load_average_after": env["LOAD_AFTER"],
    },
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "documents": docs,
    "document_size": int(env["DOC_SIZE"]),
    "chunk_size": int(env["CHUNK_SIZE"]),
    "concurrency": int(env["CONCURRENCY"]),
    "rounds": int(env["ROUNDS"]),
    "warmup_documents": int(env["WARMUP_DOCS"]),
    "limit": limit_best,
    "first_sync": first_best,
    "resync_unchanged": ours("resync_unchanged"),
    "resync_unchanged_scan": ours("resync_unchanged_scan"),
}
changed = ours("resync_changed")
if changed:
    result["resync_changed"] = changed
result["ratio_first_sync_to_limit"] = round(result["first_sync"]["seconds"] / limit_seconds, 3)
result["ratio_resync_to_first_sync"] = round(
    result["resync_unchanged"]["seconds"] / result["first_sync"]["seconds"], 3)
result["ratio_resync_scan_to_first_sync"] = round(
    result["resync_unchanged_scan"]["seconds"] / result["first_sync"]["seconds"], 3)
result["engine_rss_mib_at_end"] = round(int(env["ENGINE_RSS_KIB"] or 0) / 1024)
result["engine_gc_overhead_warnings"] = int(env["GC_WARNINGS"] or 0)

path = os.path.join(env["RESULTS_DIR"], env["NAME"] + ".json")
with open(path, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")

print(f"{result['name']}: {docs} documents of {result['document_size']} B on {result['engine']} "
      f"{result['engine_version']} (chunk {result['chunk_size']}, concurrency {result['concurrency']})")
rows = [("limit (curl)", result["limit"])] + [
    (label, result[key]) for label, key in (("first sync", "first_sync"), ("resync unchanged", "resync_unchanged"),
                                            ("resync (scan)", "resync_unchanged_scan"),
                                            ("resync changed", "resync_changed")) if key in result]
for label, r in rows:
    mine = (f"RSS {r['peak_rss_mib']:6.1f} MiB  CPU {r['cpu_seconds']:6.2f} s" if "peak_rss_mib" in r
            else f"{'':14}curl CPU {r['client_cpu_seconds']:6.2f} s")
    print(f"  {label:17} {r['seconds']:8.2f} s {r['docs_per_second']:8d} docs/s  {mine}  "
          f"engine CPU {r['engine_cpu_seconds']:6.2f} s  others {r['other_cpu_seconds']:6.2f} s")
print(f"  first sync / limit: {result['ratio_first_sync_to_limit']:.2f}x   "
      f"unchanged resync / first sync: {result['ratio_resync_to_first_sync']:.2f} "
      f"(reading the ids from the index: {result['ratio_resync_scan_to_first_sync']:.2f})")
print(f"  engine: RSS {result['engine_rss_mib_at_end']} MiB at the end, "
      f"{result['engine_gc_overhead_warnings']} GC overhead warnings; load average {env['LOAD_BEFORE']} -> {env['LOAD_AFTER']}")
print(f"  -> {os.path.relpath(path)}")
EOF
