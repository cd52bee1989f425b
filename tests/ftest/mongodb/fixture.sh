#!/usr/bin/env bash
# Functional test of the `mongodb` source through the service, with the data of
# the framework's fixture (data.py): a throw-away SecantusDB
# (tests/servers/mongodb.sh, with SCRAM auth, user admin as in the fixture),
# SIZE + 50 documents loaded and the first 50 removed, full sync; then 10
# documents updated, 10 deleted, 10 inserted, sync again; then a sync with no
# change. After each sync: the job's counts, the index's _count, the exact id
# set and a sample of documents field by field (ObjectIds as hex, dates as
# isoformat, no _id field).
# Usage: tests/ftest/mongodb/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ft_init mongodb "${1:-SMALL}"
HERE="$FT_LIB_DIR/mongodb"
ft_require_source mongodb
eval "$(python3 "$HERE/data.py" counts "$FT_SIZE")"

# --- the database ---
ft_log "starting SecantusDB (MongoDB wire protocol)"
MONGO_LINE=$(MONGO_AUTH=1 SERVER_OWNER_PID=$$ "$FT_REPO/tests/servers/mongodb.sh" start 2>"$FT_OUT/db-start.log") ||
  ft_die "SecantusDB did not start: $(tail -n 5 "$FT_OUT/db-start.log")"
declare -A DB
for kv in $MONGO_LINE; do DB[${kv%%=*}]=${kv#*=}; done
ft_defer "$FT_REPO/tests/servers/mongodb.sh" stop "${DB[dir]}"
PY="$FT_REPO/.cache/servers/mongodb-venv/bin/python"
ADMIN_URI="mongodb://${DB[user]}:${DB[password]}@${DB[host]}:${DB[port]}/?directConnection=true"
ft_log "SecantusDB on ${DB[host]}:${DB[port]}"

ft_log "loading $TOTAL documents (+ 50 removed after the load)"
t0=$(date +%s.%N)
loaded=$("$PY" "$HERE/data.py" load "$FT_SIZE" "$ADMIN_URI" 2>"$FT_OUT/load.log") ||
  ft_die "loading failed: $(tail -n 5 "$FT_OUT/load.log")"
[[ "$loaded" == "$TOTAL" ]] || ft_die "the collection holds $loaded documents after the load, expected $TOTAL"
load_s=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
ft_dataset "server=SecantusDB 0.7.0b3" "documents=$TOTAL" "load_s=$load_s" \
  "description=sample_database.sample_collection: $TOTAL + 50 documents (first 50 removed), then $((CHANGED / 2)) updated, $DELETED deleted, $((CHANGED / 2)) inserted"
python3 "$HERE/data.py" expect "$FT_SIZE" 1 "$FT_OUT/expected/ids-1.txt" "$FT_OUT/expected/docs-1.jsonl" 20

# --- the connector ---
ft_engine_start
ft_write_service_config
ft_create_connector mongodb "search-ftest-mongodb" \
  "host=mongodb://${DB[host]}:${DB[port]}" "user=${DB[user]}" "password=${DB[password]}" \
  "database=sample_database" "collection=sample_collection" "direct_connection=true"
ft_service_start

# 1. Everything is new.
ft_first_sync_indexes_everything "$TOTAL"

# 2. Changes: documents carry no _timestamp, the engine compares content, so
# only the updated and inserted documents are sent (the framework re-sends all).
ft_log "changing: $((CHANGED / 2)) updated, $DELETED deleted, $((CHANGED / 2)) inserted"
"$PY" "$HERE/data.py" change "$FT_SIZE" "$ADMIN_URI" >>"$FT_OUT/load.log" 2>&1 ||
  ft_die "changing the documents failed: $(tail -n 5 "$FT_OUT/load.log")"
python3 "$HERE/data.py" expect "$FT_SIZE" 2 "$FT_OUT/expected/ids-2.txt" "$FT_OUT/expected/docs-2.jsonl" 20
ft_sync "changed"
ft_expect_job indexed_document_count "$CHANGED"
ft_expect_job deleted_document_count "$DELETED"
ft_expect_count "$TOTAL"
ft_verify_ids "$FT_OUT/expected/ids-2.txt"
ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

# 3. Nothing changed.
ft_finish_with_unchanged_sync "$TOTAL"
