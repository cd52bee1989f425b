#!/usr/bin/env bash
# Functional test of the `google_cloud_storage` source through the service,
# with the framework's fixture (sources.md §6): sample-small-files-bucket of
# empty `.random` blobs and sample-large-files-bucket of 2 MiB `.txt` blobs,
# SMALL 1000/10, MEDIUM 5000/50, LARGE 9500/500, in fake-gcs-server behind the
# JWT-verifying token endpoint (tests/servers/fake_gcs.sh). Full sync; then 10
# small blobs removed, 5 large ones overwritten, 5 small ones added; then a
# sync with no change (no content read). Exact id set and a field sample.
# Usage: tests/ftest/google_cloud_storage/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ft_init google_cloud_storage "${1:-SMALL}"
case "$FT_SIZE" in
  SMALL) SMALL_N=1000 LARGE_N=10 ;;
  MEDIUM) SMALL_N=5000 LARGE_N=50 ;;
  LARGE) SMALL_N=9500 LARGE_N=500 ;;
esac
ft_require_source google_cloud_storage
TOTAL=$((SMALL_N + LARGE_N))
DATA_PY="$(dirname "${BASH_SOURCE[0]}")/data.py"

ft_log "starting fake-gcs-server and the token endpoint"
GCS_LINE=$(SERVER_OWNER_PID=$$ "$FT_REPO/tests/servers/fake_gcs.sh" start 2>"$FT_OUT/gcs-start.log") ||
  ft_die "fake-gcs-server did not start: $(tail -n 5 "$FT_OUT/gcs-start.log")"
declare -A GCS
for kv in $GCS_LINE; do GCS[${kv%%=*}]=${kv#*=}; done
ft_defer "$FT_REPO/tests/servers/fake_gcs.sh" stop "${GCS[dir]}"

ft_log "loading $SMALL_N small and $LARGE_N large blobs"
python3 "$DATA_PY" generate "${GCS[emulator]}" "$SMALL_N" "$LARGE_N" >"$FT_OUT/load.log" 2>&1 ||
  ft_die "loading failed: $(tail -n 5 "$FT_OUT/load.log")"
ft_dataset "server=fake-gcs-server v1.56.1" "blobs=$TOTAL" "small_blobs=$SMALL_N" "large_blobs=$LARGE_N" \
  "description=empty .random blobs and 2 MiB .txt blobs; then 10 removed, 5 overwritten, 5 added"
python3 "$DATA_PY" expect "${GCS[emulator]}" "${GCS[database]}" "$FT_OUT/expected/ids-1.txt" \
  "$FT_OUT/expected/docs-1.jsonl" >/dev/null

ft_engine_start
ft_write_service_config
# use_text_extraction_service on, no extraction_service.host: our extractor fills `body`
# (the engines here run no attachment pipeline for `_attachment`).
ft_create_connector google_cloud_storage "search-ftest-google_cloud_storage" \
  "buckets=*" "service_account_credentials=$(cat "${GCS[credentials]}")" "use_text_extraction_service=true"
# The framework's switch to an emulator; the token endpoint is the key's token_uri.
export STORAGE_EMULATOR_HOST="${GCS[url]}"
ft_service_start

ft_first_sync_indexes_everything "$TOTAL"

ft_log "changing: 10 small blobs removed, 5 large overwritten, 5 small added"
python3 "$DATA_PY" change "${GCS[emulator]}" >>"$FT_OUT/load.log" 2>&1 || ft_die "changing failed"
python3 "$DATA_PY" expect "${GCS[emulator]}" "${GCS[database]}" "$FT_OUT/expected/ids-2.txt" \
  "$FT_OUT/expected/docs-2.jsonl" >/dev/null
TOTAL=$((TOTAL - 10 + 5))
ft_sync "changed"
ft_expect_job indexed_document_count 10
ft_expect_job deleted_document_count 10
ft_expect_count "$TOTAL"
ft_verify_ids "$FT_OUT/expected/ids-2.txt"
ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

ft_finish_with_unchanged_sync "$TOTAL"
