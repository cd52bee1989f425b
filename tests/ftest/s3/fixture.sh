#!/usr/bin/env bash
# Functional test of the `s3` source through the service, with the framework's
# fixture (sources.md §5) on a throw-away MinIO (tests/servers/minio.sh, which
# verifies every signature): bucket ent-search-ingest-dev with folder keys,
# small text files and 20 KiB text files (SMALL 1 000 / MEDIUM 5 000 / LARGE
# 10 000 objects), full sync; then OBJECT_COUNT (5/10/15) folder keys deleted
# and 10 small files rewritten, sync again; then a sync with no change, which
# must download nothing. After each sync: the job's counts, the index's _count,
# the exact id set and a sample of documents field by field (body included).
# Usage: tests/ftest/s3/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ft_init s3 "${1:-SMALL}"
HERE="$FT_LIB_DIR/s3"
ft_require_source s3
eval "$(python3 "$HERE/data.py" counts "$FT_SIZE")"

ft_log "starting MinIO"
S3_LINE=$(SERVER_OWNER_PID=$$ "$FT_REPO/tests/servers/minio.sh" start 2>"$FT_OUT/db-start.log") ||
  ft_die "MinIO did not start: $(tail -n 5 "$FT_OUT/db-start.log")"
declare -A S3
for kv in $S3_LINE; do S3[${kv%%=*}]=${kv#*=}; done
ft_defer "$FT_REPO/tests/servers/minio.sh" stop "${S3[dir]}"

ft_log "loading $TOTAL objects into ${S3[url]}"
t0=$(date +%s.%N)
python3 "$HERE/data.py" load "$FT_SIZE" "${S3[url]}" "${S3[user]}" "${S3[password]}" >"$FT_OUT/load.log" 2>&1 ||
  ft_die "loading failed: $(tail -n 5 "$FT_OUT/load.log")"
load_s=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
ft_dataset "server=MinIO" "objects=$TOTAL" "load_s=$load_s" \
  "description=bucket ent-search-ingest-dev: folder keys, small text files, 20 KiB text files; then $REMOVED folder keys deleted and $CHANGED files rewritten"
python3 "$HERE/data.py" expect "$FT_SIZE" 1 "$FT_OUT/expected/ids-1.txt" "$FT_OUT/expected/docs-1.jsonl" 40

ft_engine_start
ft_write_service_config
# use_text_extraction_service on, no extraction_service.host: our extractor fills `body`
# (the engines here run no attachment pipeline for `_attachment`).
ft_create_connector s3 "search-ftest-s3" "buckets=ent-search-ingest-dev" \
  "aws_access_key_id=${S3[user]}" "aws_secret_access_key=${S3[password]}" "endpoint_url=${S3[url]}" \
  "use_text_extraction_service=true"
ft_service_start

# 1. Everything is new.
ft_first_sync_indexes_everything "$TOTAL"

# 2. Folder keys deleted, small files rewritten: only those are downloaded.
ft_log "changing: $REMOVED folder keys deleted, $CHANGED files rewritten"
python3 "$HERE/data.py" change "$FT_SIZE" "${S3[url]}" "${S3[user]}" "${S3[password]}" >>"$FT_OUT/load.log" 2>&1 ||
  ft_die "changing the objects failed: $(tail -n 5 "$FT_OUT/load.log")"
python3 "$HERE/data.py" expect "$FT_SIZE" 2 "$FT_OUT/expected/ids-2.txt" "$FT_OUT/expected/docs-2.jsonl" 40
ft_sync "changed"
ft_expect_job indexed_document_count "$CHANGED"
ft_expect_job deleted_document_count "$REMOVED"
ft_expect_count "$((TOTAL - REMOVED))"
ft_verify_ids "$FT_OUT/expected/ids-2.txt"
ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

# 3. Nothing changed: nothing sent, nothing deleted, nothing downloaded.
ft_finish_with_unchanged_sync "$((TOTAL - REMOVED))"
