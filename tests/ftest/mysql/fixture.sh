#!/usr/bin/env bash
# Functional test of the `mysql` source through the service, with the data of
# the framework's fixture (load.sql.sh): a throw-away MariaDB
# (tests/servers/mysql.sh), full sync; then in every customers table but the
# last 10 rows updated, 10 deleted, 10 inserted, sync again; then a sync with no
# change. After each sync: the job's counts, the index's _count, the exact id
# set, and a sample of documents field by field (ids `{table}_{pk values}`, raw
# column names, Table, as mysql@8.8).
# Usage: tests/ftest/mysql/fixture.sh SMALL|MEDIUM|LARGE
set -euo pipefail
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ft_init mysql "${1:-SMALL}"
HERE="$FT_LIB_DIR/mysql"
# shellcheck disable=SC2034  # read by lib.sh: the framework fixture's perf8 MAX_RSS
FT_MAX_RSS_MIB=240
case "$FT_SIZE" in SMALL) SAMPLE=20 ;; MEDIUM) SAMPLE=20 ;; LARGE) SAMPLE=10 ;; esac
ft_require_source mysql
eval "$("$HERE/load.sql.sh" counts "$FT_SIZE")"

# --- the database ---
ft_log "starting MariaDB"
DB_LINE=$(SERVER_OWNER_PID=$$ "$FT_REPO/tests/servers/mysql.sh" start 2>"$FT_OUT/db-start.log") ||
  ft_die "MariaDB did not start: $(tail -n 5 "$FT_OUT/db-start.log")"
declare -A DB
for kv in $DB_LINE; do DB[${kv%%=*}]=${kv#*=}; done
ft_defer "$FT_REPO/tests/servers/mysql.sh" stop "${DB[dir]}"

sql_run() {
  MYSQL_PWD=${DB[password]} mariadb --no-defaults --protocol=TCP -h "${DB[host]}" -P "${DB[port]}" -u "${DB[user]}" \
    --default-character-set=utf8mb4 "$@"
}
sql_run -e "CREATE DATABASE IF NOT EXISTS \`${DB[database]}\` DEFAULT CHARACTER SET utf8mb4" ||
  ft_die "cannot create database ${DB[database]}"
DB_VERSION=$(sql_run -N -e 'SELECT VERSION()' 2>/dev/null || echo unknown)
ft_log "MariaDB $DB_VERSION on ${DB[host]}:${DB[port]} (database ${DB[database]})"

ft_log "loading $TABLES tables × $ROWS rows (20 KiB descriptions)"
t0=$(date +%s.%N)
"$HERE/load.sql.sh" load "$FT_SIZE" | sql_run "${DB[database]}" >"$FT_OUT/load.log" 2>&1 ||
  ft_die "loading failed: $(tail -n 5 "$FT_OUT/load.log")"
load_s=$(python3 -c "import time; print(round(time.time() - $t0, 1))")
DB_BYTES=$(sql_run -N -e "SELECT SUM(DATA_LENGTH + INDEX_LENGTH) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = '${DB[database]}'")
ft_log "loaded $TOTAL rows in $load_s s ($((DB_BYTES / 1048576)) MiB)"
ft_dataset "server=MariaDB $DB_VERSION" "tables=$((TABLES + 1))" "rows=$TOTAL" "load_s=$load_s" \
  "database_bytes=$DB_BYTES" \
  "description=$TABLES tables customers_N × $ROWS rows (name PK, age, 20 KiB description) + table kinds (3 rows of typed columns); then 10 rows updated, 10 deleted, 10 inserted in $CHANGED_TABLES tables"
"$HERE/load.sql.sh" expect "$FT_SIZE" 1 "${DB[database]}" "$FT_OUT/expected/ids-1.txt" "$FT_OUT/expected/docs-1.jsonl" "$SAMPLE"

# --- the connector ---
ft_engine_start
ft_write_service_config
ft_create_connector mysql "search-ftest-mysql" \
  "host=${DB[host]}" "port=${DB[port]}" "user=${DB[user]}" "password=${DB[password]}" \
  "database=${DB[database]}" "tables=*" "ssl_enabled=false" "fetch_size=500" "retry_count=3"
ft_service_start

# 1. Everything is new.
ft_first_sync_indexes_everything "$TOTAL"

# 2. Changes in all customers tables but the last one (and not in kinds).
ft_log "changing $CHANGED_TABLES tables: $((CHANGED_ROWS / 2)) rows updated, $DELETED_ROWS deleted, $((CHANGED_ROWS / 2)) inserted"
"$HERE/load.sql.sh" change "$FT_SIZE" | sql_run "${DB[database]}" >>"$FT_OUT/load.log" 2>&1 ||
  ft_die "changing the rows failed: $(tail -n 5 "$FT_OUT/load.log")"
"$HERE/load.sql.sh" expect "$FT_SIZE" 2 "${DB[database]}" "$FT_OUT/expected/ids-2.txt" "$FT_OUT/expected/docs-2.jsonl" "$SAMPLE"
ft_sync "changed"
# The _timestamp of a row is its table's UPDATE_TIME: every row of a changed table
# is sent again, rows of the unchanged tables are not. (When the server does not
# report UPDATE_TIME the source falls back to comparing content: then only the
# changed rows.)
ft_expect_job_oneof indexed_document_count "$CHANGED_TABLE_ROWS" "$CHANGED_ROWS"
ft_expect_job deleted_document_count "$DELETED_ROWS"
ft_expect_count "$TOTAL"
ft_verify_ids "$FT_OUT/expected/ids-2.txt"
ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

# 3. Nothing changed.
ft_finish_with_unchanged_sync "$TOTAL"
