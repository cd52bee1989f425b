#!/usr/bin/env bash
# The functional test of a source read through ODBC (mssql, oracle) against the
# user's own server, given by environment variables (no such server runs on the
# project's machines, so CI does not run it). Loads the framework's fixture data
# (odbc_data.py) with unixODBC's isql through the same driver, then: full sync;
# in every customers table but the last 10 rows updated, 10 deleted, 10
# inserted, sync again; a sync with no change. After each sync: the job's
# counts, the index's _count, the exact id set, and a sample of documents field
# by field.
# Usage (from mssql/fixture.sh, oracle/fixture.sh): odbc_fixture_run NAME SIZE
# with ODBC_CONNECTION (the isql connection string), CONNECTOR_FIELDS (an array:
# the connector's fields besides tables/fetch_size/retry_count), DB_LABEL,
# DATABASE, SCHEMA.
set -euo pipefail

# braced VALUE: an ODBC connection string value, {…} with } doubled.
braced() { printf '{%s}' "${1//\}/\}\}}"; }

# odbc_require_env PREFIX VAR...: every variable set, else say what to set and exit 1.
odbc_require_env() {
  local source=$1 missing=() v
  shift
  for v in "$@"; do [[ -n "${!v:-}" ]] || missing+=("$v"); done
  if ((${#missing[@]})); then
    echo "ftest $source: no server configured: set ${missing[*]} (and see docs/sources/$source.md," \
      "\"Functional test against your server\"). No $source server runs on this machine; CI does not run this test." >&2
    exit 1
  fi
}

odbc_fixture_run() {
  local name=$1 size=$2
  # shellcheck source=tests/ftest/lib.sh
  source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
  ft_init "$name" "$size"
  local data="$FT_LIB_DIR/odbc_data.py" sample=20
  command -v isql >/dev/null || ft_die "isql not found (Debian: unixodbc)"
  ft_require_source "$name"
  eval "$("$data" "$name" counts "$FT_SIZE")"
  local tables
  tables=$("$data" "$name" tables "$FT_SIZE")

  odbc_sql() {  # statements on stdin, one per line
    isql -k "$ODBC_CONNECTION" -b -e -v >>"$FT_OUT/load.log" 2>&1
  }
  ft_log "loading $TABLES tables × $ROWS rows (20 KiB descriptions) into $DB_LABEL"
  local t0 load_s
  t0=$(date +%s.%N)
  "$data" "$name" load "$FT_SIZE" | odbc_sql || ft_die "loading failed: $(tail -n 5 "$FT_OUT/load.log")"
  grep -q '\[ISQL\]ERROR\|^\[[0-9A-Z]\{5\}\]' "$FT_OUT/load.log" &&
    ft_die "loading failed: $(grep -m 3 'ERROR\|^\[' "$FT_OUT/load.log")"
  load_s=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
  ft_log "loaded $TOTAL rows in $load_s s"
  ft_dataset "server=$DB_LABEL" "tables=$TABLES" "rows=$TOTAL" "load_s=$load_s" \
    "description=$TABLES tables customers_N × $ROWS rows (20 KiB description: a random 1 KiB × 20); then 10 rows updated, 10 deleted, 10 inserted in $CHANGED_TABLES tables"
  "$data" "$name" expect "$FT_SIZE" 1 "$DATABASE" "$SCHEMA" "$FT_OUT/expected/ids-1.txt" \
    "$FT_OUT/expected/docs-1.jsonl" "$sample"

  ft_engine_start
  ft_write_service_config
  ft_create_connector "$name" "search-ftest-$name" "${CONNECTOR_FIELDS[@]}" \
    "tables=$tables" "fetch_size=500" "retry_count=3"
  ft_service_start

  ft_first_sync_indexes_everything "$TOTAL"

  ft_log "changing $CHANGED_TABLES tables"
  "$data" "$name" change "$FT_SIZE" | odbc_sql || ft_die "changing failed: $(tail -n 5 "$FT_OUT/load.log")"
  "$data" "$name" expect "$FT_SIZE" 2 "$DATABASE" "$SCHEMA" "$FT_OUT/expected/ids-2.txt" \
    "$FT_OUT/expected/docs-2.jsonl" "$sample"
  ft_sync "changed"
  # A changed table's rows are all sent again when the server tells its update
  # time; when it cannot, the engine compares content: then only the changed rows.
  ft_expect_job_oneof indexed_document_count "$CHANGED_TABLE_ROWS" "$CHANGED_ROWS"
  ft_expect_job deleted_document_count "$DELETED_ROWS"
  ft_expect_count "$TOTAL"
  ft_verify_ids "$FT_OUT/expected/ids-2.txt"
  ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

  ft_finish_with_unchanged_sync "$TOTAL"
}
