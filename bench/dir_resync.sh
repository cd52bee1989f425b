#!/usr/bin/env bash
# Lazy content benchmark: what `connectors sync` of the dir source reads from
# disk. A tree of FILES files is synced once, again without change (from the
# id cache, then with --no-id-cache), and again after CHANGED text files were
# rewritten. Each sync's content_bytes_read must be: every text file's bytes,
# 0, 0, the rewritten files' bytes — the run fails otherwise. See bench/README.md.
#
# Usage: bench/dir_resync.sh NAME FILES      writes bench/results/NAME.json
#
# Environment:
#   ENGINE      elasticsearch (default) | opensearch
#   CHANGED     text files rewritten before the last sync (default FILES / 100)
#   BIN_DIR     where connectors is (default build/bin)
#   BENCH_KEEP  1 keeps the work dir (files, logs, engine data) under /tmp
set -euo pipefail

if [[ $# -ne 2 || ! $2 =~ ^[0-9]+$ || ! $1 =~ ^[a-z0-9][a-z0-9._-]*$ ]]; then
  echo "usage: bench/dir_resync.sh NAME FILES   (NAME: lowercase letters, digits, . _ -)" >&2
  exit 2
fi
NAME=$1
FILES=$2
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENGINE=${ENGINE:-elasticsearch}
CHANGED=${CHANGED:-$((FILES / 100))}
BIN_DIR=${BIN_DIR:-$REPO/build/bin}
ENGINES_SH=$REPO/tests/servers/elasticsearch.sh

BENCH_TAG="dir bench [$NAME]"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
bench_start "bench-$NAME" curl jq python3 /usr/bin/time
STOPS+=("ENGINE=$ENGINE ENGINE_STATE_DIR='$WORK/engine' '$ENGINES_SH' stop")

# The tree: 100 folders; 9 of 10 files are text (read for `body`), 1 of 10
# binary (.dat: metadata only, never read). Content is a function of the path.
log "writing $FILES files"
python3 - "$WORK/tree" "$FILES" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
words = "alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima".split()
for i in range(n):
    folder = os.path.join(root, f"d{i % 100:02d}")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(i)
    if i % 10 == 9:
        data = rng.randbytes(rng.randint(256, 4096))
        name = f"f{i}.dat"
    else:
        data = " ".join(rng.choices(words, k=rng.randint(20, 300))).encode()
        name = f"f{i}.txt"
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)
PY
TEXT_BYTES=$(find "$WORK/tree" -name '*.txt' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')

log "starting $ENGINE"
URL=$(ENGINE=$ENGINE ENGINE_STATE_DIR=$WORK/engine "$ENGINES_SH" start)
ENGINE_VERSION=$(curl -sf "$URL/" | jq -r .version.number)
printf 'elasticsearch:\n  host: %s\nservice:\n  id_cache_dir: %s\n' "$URL" "$WORK/ids" >"$WORK/config.yml"

# run_sync LABEL [args]: one sync of the tree; writes $WORK/LABEL.{json,time}
run_sync() {
  local label=$1
  shift
  log "$label"
  /usr/bin/time -v -o "$WORK/$label.time" "$WORK/connectors" sync -c "$WORK/config.yml" \
    --service-type dir --index "dir-$NAME" --set "directory=$WORK/tree" --no-pipeline \
    --json "$WORK/$label.json" -q "$@" >"$WORK/$label.log" 2>&1 || {
    cat "$WORK/$label.log" >&2
    die "$label: connectors sync failed"
  }
  [[ $(jq -r .status "$WORK/$label.json") == completed ]] || die "$label: the sync did not complete"
}
expect_read() {  # expect_read LABEL BYTES
  local read
  read=$(jq -r .content_bytes_read "$WORK/$1.json")
  [[ $read == "$2" ]] || die "$1: $read bytes of content read, expected $2"
}

run_sync first_sync
expect_read first_sync "$TEXT_BYTES"
run_sync resync_unchanged
expect_read resync_unchanged 0
run_sync resync_unchanged_scan --no-id-cache
expect_read resync_unchanged_scan 0

log "rewriting $CHANGED text files"
CHANGED_BYTES=$(python3 - "$WORK/tree" "$CHANGED" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
total, i = 0, 0
while n > 0:
    path = os.path.join(root, f"d{i % 100:02d}", f"f{i}.txt")
    if os.path.exists(path):
        data = f"rewritten file {i}\n".encode() * 3
        with open(path, "wb") as f:
            f.write(data)
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
        total += len(data)
        n -= 1
    i += 1
print(total)
PY
)
run_sync resync_changed
expect_read resync_changed "$CHANGED_BYTES"
[[ $(jq -r .indexed_document_count "$WORK/resync_changed.json") == "$CHANGED" ]] ||
  die "resync_changed: not exactly the $CHANGED rewritten files were indexed"

export NAME FILES CHANGED ENGINE ENGINE_VERSION TEXT_BYTES CHANGED_BYTES WORK
mkdir -p "$REPO/bench/results"
python3 - >"$REPO/bench/results/$NAME.json" <<'PY'
import datetime, json, os
env, work = os.environ, os.environ["WORK"]

def phase(label):
    with open(os.path.join(work, label + ".json")) as f:
        summary = json.load(f)
    times = {}
    with open(os.path.join(work, label + ".time")) as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            times[key] = value
    out = {key: summary[key] for key in (
        "seconds", "docs_extracted", "docs_unchanged", "indexed_document_count", "deleted_document_count",
        "content_fetches", "content_bytes_read", "ids_from_cache")}
    out["peak_rss_mib"] = round(int(times["Maximum resident set size (kbytes)"]) / 1024, 1)
    out["cpu_seconds"] = round(float(times["User time (seconds)"]) + float(times["System time (seconds)"]), 2)
    out["wall_seconds"] = times["Elapsed (wall clock) time (h:mm:ss or m:ss)"]
    return out

result = {
    "name": env["NAME"], "source": "dir", "engine": env["ENGINE"], "engine_version": env["ENGINE_VERSION"],
    "machine": {"nproc": os.cpu_count(), "load_average": open("/proc/loadavg").read().split()[:3]},
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "files": int(env["FILES"]), "text_files": sum(1 for i in range(int(env["FILES"])) if i % 10 != 9),
    "text_bytes": int(env["TEXT_BYTES"]), "changed_files": int(env["CHANGED"]),
    "changed_bytes": int(env["CHANGED_BYTES"]),
}
for label in ("first_sync", "resync_unchanged", "resync_unchanged_scan", "resync_changed"):
    result[label] = phase(label)
print(json.dumps(result, indent=2))
PY
jq -c '{first: .first_sync.content_bytes_read, unchanged: .resync_unchanged.content_bytes_read,
        scan: .resync_unchanged_scan.content_bytes_read, changed: .resync_changed.content_bytes_read}' \
  "$REPO/bench/results/$NAME.json" >&2
