#!/usr/bin/env bash
# Functional test of the `azure_blob_storage` source through the service, with
# the framework's fixture (sources.md §7): containers containersmall0..6 of
# blobs file{n}.txt ("Testing blob{n} document for containersmall{i}") and
# containerlarge0..2 of 20 KiB random-text blobs, in a throw-away Azurite
# (tests/servers/azurite.sh, which verifies Shared Key). MEDIUM and LARGE hold
# the framework's 1 000 blobs per container (10 000); SMALL 100 per container
# (1 000), so that CI's run stays under two minutes here.
# Sync 1: everything. Then, as the framework's remove(), containersmall0 and
# containersmall1 deleted, plus 10 blobs of containersmall2 rewritten and 10
# added to containersmall3; sync 2 sends exactly those 20 and deletes the two
# containers' blobs. Sync 3: nothing changed, nothing downloaded.
# Usage: tests/ftest/azure_blob_storage/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ft_init azure_blob_storage "${1:-SMALL}"
HERE="$FT_LIB_DIR/azure_blob_storage"
ft_require_source azure_blob_storage
case "$FT_SIZE" in
  SMALL) PER=100 ;;
  *) PER=1000 ;;
esac
TOTAL=$((10 * PER))
REMOVED=$((2 * PER))

# --- the storage account ---
ft_log "starting Azurite"
AZ_LINE=$(SERVER_OWNER_PID=$$ "$FT_REPO/tests/servers/azurite.sh" start 2>"$FT_OUT/azurite-start.log") ||
  ft_die "Azurite did not start: $(tail -n 5 "$FT_OUT/azurite-start.log")"
declare -A AZ
for kv in $AZ_LINE; do AZ[${kv%%=*}]=${kv#*=}; done
ft_defer "$FT_REPO/tests/servers/azurite.sh" stop "${AZ[dir]}"
blobs() { python3 "$HERE/azure_blobs.py" "${AZ[url]}" "${AZ[password]}" "$@" >>"$FT_OUT/load.log" 2>&1; }

ft_log "loading $TOTAL blobs into 10 containers"
t0=$(date +%s.%N)
for i in 0 1 2 3 4 5 6; do
  blobs put-container "containersmall$i" && blobs put-blobs "containersmall$i" file "$PER" 0 ||
    ft_die "loading containersmall$i failed: $(tail -n 5 "$FT_OUT/load.log")"
done
for i in 0 1 2; do
  blobs put-container "containerlarge$i" && blobs put-blobs "containerlarge$i" file "$PER" 20480 ||
    ft_die "loading containerlarge$i failed: $(tail -n 5 "$FT_OUT/load.log")"
done
load_s=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
ft_dataset "server=Azurite 3.35.0" "documents=$TOTAL" "load_s=$load_s" \
  "description=7 containers x $PER short text blobs + 3 containers x $PER blobs of 20 KiB; then 2 containers removed, 10 blobs rewritten, 10 added"
python3 "$HERE/azure_blobs.py" - - expect "$PER" 1 "$FT_OUT/expected/ids-1.txt" "$FT_OUT/expected/docs-1.jsonl"

# --- the connector ---
ft_engine_start
ft_write_service_config
# use_text_extraction_service on, no extraction_service.host: our extractor fills `body`
# (the engines here run no attachment pipeline for `_attachment`).
ft_create_connector azure_blob_storage "search-ftest-azure_blob_storage" \
  "account_name=${AZ[user]}" "account_key=${AZ[password]}" "blob_endpoint=${AZ[url]}" \
  "containers=*" "concurrent_downloads=100" "use_text_extraction_service=true"
ft_service_start

# 1. Everything is new.
ft_first_sync_indexes_everything "$TOTAL"

# 2. Two containers removed (the framework's remove()), 10 blobs rewritten, 10 added.
ft_log "changing: containersmall0 and containersmall1 removed, 10 blobs rewritten, 10 added"
sleep 1 # a rewritten blob's Last-Modified (whole seconds) must differ from the first
blobs delete-container containersmall0 && blobs delete-container containersmall1 &&
  blobs put-blobs containersmall2 file 10 0 changed && blobs put-blobs containersmall3 new 10 0 ||
  ft_die "changing the blobs failed: $(tail -n 5 "$FT_OUT/load.log")"
python3 "$HERE/azure_blobs.py" - - expect "$PER" 2 "$FT_OUT/expected/ids-2.txt" "$FT_OUT/expected/docs-2.jsonl"
ft_sync "changed"
ft_expect_job indexed_document_count 20
ft_expect_job deleted_document_count "$REMOVED"
ft_expect_count $((TOTAL - REMOVED + 10))
ft_verify_ids "$FT_OUT/expected/ids-2.txt"
ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

# 3. Nothing changed: nothing sent, nothing downloaded.
ft_finish_with_unchanged_sync $((TOTAL - REMOVED + 10))
