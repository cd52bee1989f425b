#!/usr/bin/env bash
# ODBC against native: the same PostgreSQL table of ROWS rows (default 1 000 000)
# read into documents by the native postgresql source (libpq, cursor FETCHes)
# and by the ODBC layer (psqlODBC, row arrays of fetch_size), ROUNDS times each,
# alternating; the best CPU of each is kept. Writes bench/results/odbc-NAME.json.
# The goal (issue 17): ODBC within 1.5x of native CPU per row.
# Usage: bench/odbc/run.sh [NAME] [ROWS]      (build first: cmake --build build --target odbc_read_bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:-pg-1m}
ROWS=${2:-1000000}
ROUNDS=${ROUNDS:-3}
FETCH_SIZE=${FETCH_SIZE:-500}
BIN=${BUILD_DIR:-build}/bin/odbc_read_bench
[[ -x $BIN ]] || { echo "bench/odbc: $BIN not found: cmake --build build --target odbc_read_bench" >&2; exit 1; }
OUT=bench/results/odbc-$NAME.json

line=$(SERVER_OWNER_PID=$$ bash tests/servers/postgresql.sh start)
declare -A PG
for kv in $line; do PG[${kv%%=*}]=${kv#*=}; done
trap 'bash tests/servers/postgresql.sh stop "${PG[dir]}"' EXIT
psql_run() { PGPASSWORD=${PG[password]} psql -h "${PG[host]}" -p "${PG[port]}" -U "${PG[user]}" -d "${PG[database]}" -v ON_ERROR_STOP=1 -qAtX "$@"; }

# A table of the SQL family's common types: key, integers, exact decimal, float,
# short and long text, a date and a timestamp (about 300 bytes a row).
echo "bench/odbc: loading $ROWS rows" >&2
psql_run -c "CREATE TABLE rows_bench (id bigint PRIMARY KEY, name varchar(64), age int,
  price numeric(12,2), ratio double precision, born date, updated timestamp, description text)" \
  -c "INSERT INTO rows_bench SELECT i, 'user_' || i, i % 90, (i % 100000) / 100.0, i / 7.0,
  DATE '2000-01-01' + (i % 9000), TIMESTAMP '2024-01-01' + i * INTERVAL '1 second',
  repeat(md5(i::text), 6) FROM generate_series(1, $ROWS) i" -c "VACUUM ANALYZE rows_bench"
table_bytes=$(psql_run -c "SELECT pg_total_relation_size('rows_bench')")

run() {
  "$BIN" --via "$1" --host "${PG[host]}" --port "${PG[port]}" --user "${PG[user]}" \
    --password "${PG[password]}" --database "${PG[database]}" --table rows_bench --fetch-size "$FETCH_SIZE"
}
runs_file=$(mktemp)
trap 'rm -f "$runs_file"; bash tests/servers/postgresql.sh stop "${PG[dir]}"' EXIT
for round in $(seq 1 "$ROUNDS"); do
  for via in native odbc; do
    r=$(run "$via")
    echo "bench/odbc: round $round $r" >&2
    echo "$r" >>"$runs_file"
  done
done

python3 - "$OUT" "$NAME" "$ROWS" "$FETCH_SIZE" "$table_bytes" "$runs_file" <<'PY'
import json, os, subprocess, sys, time
out, name, rows, fetch_size, table_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
runs = [json.loads(line) for line in open(sys.argv[6]) if line.strip()]
def best(via):
    mine = [r for r in runs if r["via"] == via]
    for r in mine:
        assert r["documents"] == rows, r
    b = min(mine, key=lambda r: r["cpu_seconds"])
    return {"cpu_seconds": round(b["cpu_seconds"], 2), "wall_seconds": round(b["wall_seconds"], 2),
            "cpu_us_per_row": round(b["cpu_us_per_row"], 3), "peak_rss_mib": round(b["peak_rss_mib"], 1),
            "cpu_seconds_all_rounds": [round(r["cpu_seconds"], 2) for r in mine],
            "peak_rss_mib_all_rounds": [round(r["peak_rss_mib"], 1) for r in mine]}
native, odbc = best("native"), best("odbc")
driver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "odbc-postgresql"], capture_output=True, text=True).stdout
report = {
    "name": name, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "machine": {"nproc": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()]},
    "server": "PostgreSQL 15 (tests/servers/postgresql.sh)", "odbc_driver": f"psqlODBC (odbc-postgresql {driver}), UseDeclareFetch=1",
    "rows": rows, "fetch_size": fetch_size, "table_bytes": table_bytes,
    "table": "rows_bench(id bigint PK, name varchar(64), age int, price numeric(12,2), ratio double precision, born date, updated timestamp, description text of 192 chars)",
    "what": "documents built whole (every value converted, JSON fields), then dropped; CPU = user + system of the reading process, the server's not counted",
    "native": native, "odbc": odbc,
    "ratio_odbc_to_native_cpu_per_row": round(odbc["cpu_us_per_row"] / native["cpu_us_per_row"], 3),
    "goal_ratio": 1.5,
}
json.dump(report, open(out, "w"), indent=2)
open(out, "a").write("\n")
print(json.dumps({k: report[k] for k in ("native", "odbc", "ratio_odbc_to_native_cpu_per_row")}))
PY
