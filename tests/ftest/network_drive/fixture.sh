#!/usr/bin/env bash
# Functional test of the `network_drive` source through the service, with the
# framework's fixture (sources.md §4) in a throw-away Samba (tests/servers/samba.sh,
# a real smbd with NTLM log-on): small files Folder1/file{n}.txt ("File {n} dummy
# content....") and a folder Large-Data-Folder of 1 MiB files of random letters.
# MEDIUM and LARGE hold the framework's 10 000 small + 2 000 large files (about
# 2 GiB, all downloaded and extracted once); SMALL 1 000 + 20, so that CI's run
# stays under two minutes here.
# Sync 1: everything (the folder is a document too). Then, as the framework's
# remove(), file0..file9 deleted, plus file10..file19 rewritten; sync 2 sends
# exactly those 10 and deletes the 10. Sync 3: nothing changed, nothing read.
# Usage: tests/ftest/network_drive/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ft_init network_drive "${1:-SMALL}"
HERE="$FT_LIB_DIR/network_drive"
ft_require_source network_drive
case "$FT_SIZE" in
  SMALL) SMALL_FILES=1000 LARGE_FILES=20 ;;
  *) SMALL_FILES=10000 LARGE_FILES=2000 ;;
esac
TOTAL=$((SMALL_FILES + LARGE_FILES + 1))

# --- the share ---
ft_log "starting Samba"
SMB_LINE=$(SERVER_OWNER_PID=$$ "$FT_REPO/tests/servers/samba.sh" start 2>"$FT_OUT/samba-start.log") ||
  ft_die "Samba did not start: $(tail -n 5 "$FT_OUT/samba-start.log")"
declare -A SMB
for kv in $SMB_LINE; do SMB[${kv%%=*}]=${kv#*=}; done
ft_defer "$FT_REPO/tests/servers/samba.sh" stop "${SMB[dir]}"
share() { python3 "$HERE/share.py" "${SMB[share_dir]}" "$@"; }

ft_log "writing $SMALL_FILES small files and $LARGE_FILES files of 1 MiB into the share"
t0=$(date +%s.%N)
share load "$SMALL_FILES" "$LARGE_FILES" || ft_die "loading the share failed"
load_s=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
ft_dataset "server=Samba $(smbd --version | awk '{print $2}')" "documents=$TOTAL" "load_s=$load_s" \
  "description=$SMALL_FILES small text files + folder Large-Data-Folder of $LARGE_FILES files of 1 MiB; then 10 removed, 10 rewritten"
share expect "$SMALL_FILES" "$LARGE_FILES" 1 "$FT_OUT/expected/ids-1.txt" "$FT_OUT/expected/docs-1.jsonl"

# --- the connector ---
ft_engine_start
ft_write_service_config
# use_text_extraction_service on, no extraction_service.host: our extractor fills `body`
# (the engines here run no attachment pipeline for `_attachment`).
ft_create_connector network_drive "search-ftest-network_drive" \
  "username=${SMB[user]}" "password=${SMB[password]}" "server_ip=127.0.0.1" \
  "server_port=${SMB[port]}" "drive_path=Folder1" "use_text_extraction_service=true"
ft_service_start

# 1. Everything is new.
ft_first_sync_indexes_everything "$TOTAL"

# 2. file0..file9 removed (the framework's remove()), file10..file19 rewritten.
ft_log "changing: file0..file9 removed, file10..file19 rewritten"
share change "$FT_OUT/expected/gone-ids.txt" || ft_die "changing the share failed"
share expect "$SMALL_FILES" "$LARGE_FILES" 2 "$FT_OUT/expected/ids-2.txt" \
  "$FT_OUT/expected/docs-2.jsonl" "$FT_OUT/expected/gone-ids.txt"
ft_sync "changed"
ft_expect_job indexed_document_count 10
ft_expect_job deleted_document_count 10
ft_expect_count $((TOTAL - 10))
ft_verify_ids "$FT_OUT/expected/ids-2.txt"
ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

# 3. Nothing changed: nothing sent, nothing read (the service's "sync ended" line
# counts the bytes of content read).
ft_sync "unchanged"
ft_expect_job indexed_document_count 0
ft_expect_job deleted_document_count 0
ft_expect_count $((TOTAL - 10))
FT_CURRENT_CHECK="no content read by the unchanged sync"
ended=$(grep "sync ended" "$FT_OUT/service.log" | tail -n 1)
[[ $ended == *" 0 bytes of content read"* ]] || ft_die "the unchanged sync read content: $ended"
ft_check_record ok "the unchanged sync read no content" "${ended##*sync ended: }"
ft_service_stop
ft_report
