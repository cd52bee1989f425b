#!/usr/bin/env bash
# File-store benchmark (issue 15): OBJECTS files of mixed types (corpus.py:
# text, PDF, DOCX, 10 KB - 1 MB) in one bucket / container / share of a real
# server on loopback. Measured in one run:
#   limit        curl (smbclient for SMB) downloads every object, CONCURRENCY at
#                once: the time the server takes to serve the bytes
#   first sync   `connectors sync` of the store, concurrent_downloads CONCURRENCY,
#                local extraction into `body`: wall, docs/s, MB/s, peak RSS, CPU
#   resync       the same again with nothing changed: must download 0 bytes
#   CPU floor    (sync CPU + engine CPU) / cores: the least wall time those allow,
#                and the share of the machine busy during the first sync
# The run fails unless every object is indexed, the bytes downloaded equal the
# corpus and the resync downloads nothing.
#
# Usage: bench/file_stores/run.sh STORE [OBJECTS]   writes bench/results/files-STORE.json
#   STORE: s3 | google_cloud_storage | azure_blob_storage | network_drive; OBJECTS 10000
# Environment: CONCURRENCY (100), ENGINE (elasticsearch), BIN_DIR (build/bin),
#   BENCH_KEEP=1 keeps the work dir, SYNC_WRAPPER runs the syncs under a profiler
#   (e.g. "heaptrack -o /tmp/ht"; the figures are then the profiler's). The corpus is cached in .cache/bench/.
set -euo pipefail

STORE=${1:-}
OBJECTS=${2:-10000}
case "$STORE" in s3 | google_cloud_storage | azure_blob_storage | network_drive) ;; *)
  echo "usage: bench/file_stores/run.sh s3|google_cloud_storage|azure_blob_storage|network_drive [OBJECTS]" >&2
  exit 2
  ;;
esac
[[ $OBJECTS =~ ^[0-9]+$ ]] || { echo "OBJECTS must be a number" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CONCURRENCY=${CONCURRENCY:-100}
ENGINE=${ENGINE:-elasticsearch}
BIN_DIR=${BIN_DIR:-$REPO/build/bin}
ENGINES_SH=$REPO/tests/servers/elasticsearch.sh

BENCH_TAG="file-store bench [$STORE]"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
bench_start "bench-files-$STORE" curl jq python3 /usr/bin/time

CORPUS=$REPO/.cache/bench/corpus-$OBJECTS
if [[ ! -f $CORPUS/manifest.tsv ]]; then
  log "writing the corpus of $OBJECTS files into $CORPUS"
  mkdir -p "$CORPUS"
  python3 "$HERE/corpus.py" "$CORPUS" "$OBJECTS"
fi
CORPUS_BYTES=$(awk -F'\t' '{ s += $3 } END { print s + 0 }' "$CORPUS/manifest.tsv")

# --- the store, loaded; SET: the source's configuration; LIMIT: the yardstick ---
declare -A S
start_store() {  # start_store SCRIPT: fills S from the server's key=value line
  local line kv
  line=$(SERVER_OWNER_PID=$$ "$REPO/tests/servers/$1" start 2>"$WORK/store-start.log") ||
    die "$1 did not start: $(tail -n 5 "$WORK/store-start.log")"
  for kv in $line; do S[${kv%%=*}]=${kv#*=}; done
  STOPS+=("'$REPO/tests/servers/$1' stop '${S[dir]}'")
}
load() { python3 "$HERE/load.py" "$STORE" "$CORPUS" "$WORK/urls.cfg" "$@" >"$WORK/load.log" 2>&1 ||
  die "loading failed: $(tail -n 5 "$WORK/load.log")"; }
t0=$(date +%s.%N)
# limit_script CMD...: the yardstick's command, quoted into WORK/limit.sh
limit_script() { printf '%q ' "$@" >"$WORK/limit.sh"; }
SET=()
EXPECT_DOCS=$OBJECTS
case "$STORE" in
  s3)
    start_store minio.sh
    SERVER="MinIO"
    load "${S[url]}" "${S[user]}" "${S[password]}"
    SET=(buckets=bench "aws_access_key_id=${S[user]}" "aws_secret_access_key=${S[password]}" "endpoint_url=${S[url]}")
    limit_script curl -sS --fail --parallel --parallel-max "$CONCURRENCY" --aws-sigv4 "aws:amz:${S[region]}:s3" \
      -u "${S[user]}:${S[password]}" -w '%{size_download}\n' -K "$WORK/urls.cfg"
    ;;
  google_cloud_storage)
    start_store fake_gcs.sh
    SERVER="fake-gcs-server"
    load "${S[emulator]}"
    # The key's token_uri is the verifying token endpoint; data goes straight to the emulator.
    export STORAGE_EMULATOR_HOST=${S[emulator]}
    SET=(buckets=bench "service_account_credentials=$(cat "${S[credentials]}")")
    limit_script curl -sS --fail --parallel --parallel-max "$CONCURRENCY" -w '%{size_download}\n' -K "$WORK/urls.cfg"
    ;;
  azure_blob_storage)
    start_store azurite.sh
    SERVER="Azurite"
    load "${S[url]}" "${S[password]}"
    SET=(containers=bench "account_name=${S[user]}" "account_key=${S[password]}" "blob_endpoint=${S[url]}"
      "concurrent_downloads=$CONCURRENCY")
    limit_script curl -sS --fail --parallel --parallel-max "$CONCURRENCY" -w '%{size_download}\n' -K "$WORK/urls.cfg"
    ;;
  network_drive)
    start_store samba.sh
    SERVER="Samba $(smbd --version | awk '{print $2}')"
    cp -r "$CORPUS"/f[0-9]* "${S[share_dir]}/"
    SET=("username=${S[user]}" "password=${S[password]}" server_ip=127.0.0.1 "server_port=${S[port]}"
      "drive_path=${S[database]}")
    EXPECT_DOCS=$((OBJECTS + $(find "$CORPUS" -mindepth 1 -type d | wc -l)))  # folders are documents too
    limit_script env "CORPUS=$CORPUS" "CONCURRENCY=$CONCURRENCY" "SMB_PORT=${S[port]}" \
      "SMB_SHARE=${S[database]}" "SMB_AUTH=${S[user]}%${S[password]}" bash "$HERE/smb_get.sh"
    ;;
esac
LOAD_S=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
log "loaded $OBJECTS objects ($CORPUS_BYTES bytes) in $LOAD_S s"

# timed LABEL CMD...: runs CMD under /usr/bin/time -v into WORK/LABEL.{out,time}
timed() {
  local label=$1
  shift
  /usr/bin/time -v -o "$WORK/$label.time" "$@" >"$WORK/$label.out" 2>"$WORK/$label.err" || {
    tail -n 20 "$WORK/$label.err" >&2
    die "$label failed"
  }
}
log "limit: downloading every object, $CONCURRENCY at once"
timed limit bash "$WORK/limit.sh"
LIMIT_BYTES=$(awk '{ s += $1 } END { print s + 0 }' "$WORK/limit.out")
[[ $LIMIT_BYTES == "$CORPUS_BYTES" ]] || die "the limit downloaded $LIMIT_BYTES bytes, not $CORPUS_BYTES"

log "starting $ENGINE"
URL=$(ENGINE=$ENGINE ENGINE_STATE_DIR=$WORK/engine "$ENGINES_SH" start)
STOPS+=("ENGINE=$ENGINE ENGINE_STATE_DIR='$WORK/engine' '$ENGINES_SH' stop")
ENGINE_VERSION=$(curl -sf "$URL/" | jq -r .version.number)
printf 'elasticsearch:\n  host: %s\n  bulk:\n    concurrent_downloads: %s\nservice:\n  id_cache_dir: %s\n' \
  "$URL" "$CONCURRENCY" "$WORK/ids" >"$WORK/config.yml"

sync_args=()
for kv in "${SET[@]}" use_text_extraction_service=true; do sync_args+=(--set "$kv"); done
ENGINE_PID=$(cat "$WORK/engine/pid")
# engine_cpu: the engine's CPU seconds so far (utime + stime, in clock ticks / 100)
engine_cpu() { awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$ENGINE_PID/stat"; }
# machine_cpu: every process's CPU seconds so far (the busy fields of /proc/stat)
machine_cpu() { awk '/^cpu / { printf "%.2f\n", ($2 + $3 + $4 + $7 + $8 + $9) / 100 }' /proc/stat; }
run_sync() {  # run_sync LABEL: also WORK/LABEL.{engine,machine}_cpu, their CPU during it
  local before machine_before
  before=$(engine_cpu)
  machine_before=$(machine_cpu)
  log "$1"
  # shellcheck disable=SC2086 # SYNC_WRAPPER is words
  timed "$1" ${SYNC_WRAPPER:-} "$WORK/connectors" sync -c "$WORK/config.yml" --service-type "$STORE" --index "files-$STORE" \
    "${sync_args[@]}" --no-pipeline --json "$WORK/$1.json" -q
  [[ $(jq -r .status "$WORK/$1.json") == completed ]] || die "$1: the sync did not complete"
  python3 -c "print(round($(engine_cpu) - $before, 2))" >"$WORK/$1.engine_cpu"
  python3 -c "print(round($(machine_cpu) - $machine_before, 2))" >"$WORK/$1.machine_cpu"
}
expect() {  # expect LABEL FIELD VALUE
  local got
  got=$(jq -r ".$2" "$WORK/$1.json")
  [[ $got == "$3" ]] || die "$1: $2 is $got, expected $3"
}
run_sync first_sync
expect first_sync indexed_document_count "$EXPECT_DOCS"
expect first_sync content_bytes_read "$CORPUS_BYTES"
run_sync resync_unchanged
expect resync_unchanged indexed_document_count 0
expect resync_unchanged content_bytes_read 0
expect resync_unchanged content_fetches 0

export STORE OBJECTS CONCURRENCY ENGINE ENGINE_VERSION CORPUS CORPUS_BYTES SERVER LOAD_S WORK
python3 "$HERE/report.py" >"$REPO/bench/results/files-$STORE.json"
jq -c '{docs_per_s: .first_sync.docs_per_s, mb_per_s: .first_sync.mb_per_s, rss: .first_sync.peak_rss_mib,
        ratio: .ratio_first_sync_to_limit, resync_bytes: .resync_unchanged.content_bytes_read}' \
  "$REPO/bench/results/files-$STORE.json" >&2
