#!/usr/bin/env bash
# The data of the MySQL functional test, as the framework's fixture makes it
# (sources.md §2.6): NUM_TABLES tables customers_{i} (name VARCHAR(255) primary
# key, age int, description LONGTEXT), 10 000 rows each whose description is one
# random 20 KiB [A-Z0-9] string; NUM_TABLES = 5 / 10 / 30 for SMALL / MEDIUM /
# LARGE, in database customerinfo. Plus one small table `kinds` with one column
# per common type and a key 0 (kept in MySQL ids). Everything is a function of
# the size, so the expected documents can be computed again. MariaDB SQL (rows
# from the SEQUENCE engine's seq_M_to_N tables).
#
#   load.sql.sh load SIZE       SQL that (re)creates and fills the tables (stdout)
#   load.sql.sh change SIZE     SQL of the changes: in every customers table but the
#                               last, 10 rows updated, 10 deleted, 10 inserted
#   load.sql.sh counts SIZE     shell assignments: TABLES ROWS TOTAL CHANGED_TABLES
#                               CHANGED_TABLE_ROWS CHANGED_ROWS DELETED_ROWS
#   load.sql.sh expect SIZE STAGE DATABASE IDS_OUT DOCS_OUT [SAMPLE]
#                               the ids (every one) and a sample of documents, field
#                               by field, after the load (STAGE 1) or the change (2)
#                               (mysql@8.8: raw column names, Table, _id
#                               "{table}_{pk values}")
set -euo pipefail
exec python3 - "$@" <<'PY'
import functools, json, random, string, sys

SIZES = {"SMALL": 5, "MEDIUM": 10, "LARGE": 30}
ROWS, CHANGES, DESC_LEN = 10000, 10, 20 * 1024
@functools.lru_cache(maxsize=None)
def desc(t):
    return "".join(random.Random(f"description:{t}").choices(string.ascii_uppercase + string.digits, k=DESC_LEN))

def changes(t):
    """(updated row numbers, deleted row numbers, inserted row numbers) of table t."""
    picked = random.Random(f"change:{t}").sample(range(1, ROWS), 2 * CHANGES)
    return sorted(picked[:CHANGES]), sorted(picked[CHANGES:]), list(range(ROWS, ROWS + CHANGES))

def updated_description(t, j):
    return f"updated {t}/{j} " + desc(t)[:2000]

def inserted_description(t, j):
    return f"inserted {t}/{j} \u00e9\u00e8 " + desc(t)[-500:]

def lit(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"

KINDS_DDL = """CREATE TABLE kinds (
  num INT PRIMARY KEY, big BIGINT, flag BOOLEAN, price DECIMAL(10,2), ratio DOUBLE,
  label TEXT, short VARCHAR(20), day DATE, moment DATETIME(6), doc JSON, ident CHAR(36)
) DEFAULT CHARSET=utf8mb4"""
LABEL = "Caf\u00e9 \u2615 \u65e5\u672c\u8a9e \"quoted\" \\ back"
KINDS_SQL = [
    f"(1, 9007199254740993, TRUE, 12.50, 0.1, {lit(LABEL)}, 'x', '2024-02-29', '2024-01-02 03:04:05.123456', "
    "'{\"b\": [true, null], \"a\": 1}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')",
    "(0, -1, FALSE, 0, -2.5, '', '', '1999-12-31', '2000-01-01 00:00:00', '[]', NULL)",
    "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
]
# What each kinds row becomes (mysql@8.8 row2doc + serialize): id -> fields.
# BOOLEAN is TINYINT(1): the driver gives 1/0. The key 0 is kept in the id.
def kinds_expected(db):
    return {
        "kinds_1": {"num": 1, "big": 9007199254740993, "flag": 1, "price": 12.5, "ratio": 0.1, "label": LABEL,
                    "short": "x", "day": "2024-02-29", "moment": "2024-01-02T03:04:05.123456",
                    "doc": '{"b": [true, null], "a": 1}', "ident": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
        "kinds_0": {"num": 0, "big": -1, "flag": 0, "price": 0.0, "ratio": -2.5, "label": "", "short": "",
                    "day": "1999-12-31", "moment": "2000-01-01T00:00:00", "doc": "[]", "ident": None},
        "kinds_2": {"num": 2, "big": None, "flag": None, "price": None, "ratio": None, "label": None, "short": None,
                    "day": None, "moment": None, "doc": None, "ident": None},
    }

def load(n):
    out = ["SET NAMES utf8mb4;", "DROP TABLE IF EXISTS kinds;"]
    for t in range(n):
        out.append(f"DROP TABLE IF EXISTS customers_{t};")
        out.append(f"CREATE TABLE customers_{t} (name VARCHAR(255) PRIMARY KEY, age INT, description LONGTEXT) "
                   "DEFAULT CHARSET=utf8mb4;")
        # 10 batches of 1000 rows, as the framework's fixture.
        for b in range(10):
            out.append(f"INSERT INTO customers_{t} (name, age, description) SELECT CONCAT('user_', seq), seq, "
                       f"{lit(desc(t))} FROM seq_{b * 1000}_to_{b * 1000 + 999};")
    out.append(KINDS_DDL + ";")
    out.append("INSERT INTO kinds VALUES " + ", ".join(KINDS_SQL) + ";")
    return out

def change(n):
    out = ["SET NAMES utf8mb4;"]
    for t in range(n - 1):
        upd, dele, ins = changes(t)
        out.append("START TRANSACTION;")
        for j in upd:
            out.append(f"UPDATE customers_{t} SET age = {j + 100000}, description = {lit(updated_description(t, j))} "
                       f"WHERE name = 'user_{j}';")
        out.append(f"DELETE FROM customers_{t} WHERE name IN ({', '.join(lit(f'user_{j}') for j in dele)});")
        out.append(f"INSERT INTO customers_{t} (name, age, description) VALUES "
                   + ", ".join(f"('user_{j}', {j}, {lit(inserted_description(t, j))})" for j in ins) + ";")
        out.append("COMMIT;")
    return out

def counts(n):
    changed = n - 1
    return {"TABLES": n, "ROWS": ROWS, "TOTAL": n * ROWS + len(KINDS_SQL), "CHANGED_TABLES": changed,
            "CHANGED_TABLE_ROWS": changed * ROWS, "CHANGED_ROWS": changed * 2 * CHANGES, "DELETED_ROWS": changed * CHANGES}

def expect(n, stage, db, ids_out, docs_out, sample):
    ids, docs = [], []
    for t in range(n):
        table = f"customers_{t}"
        upd, dele, ins = changes(t) if (stage == 2 and t < n - 1) else ([], [], [])
        rows = {j: (j, desc(t)) for j in range(ROWS)}
        for j in upd:
            rows[j] = (j + 100000, updated_description(t, j))
        for j in dele:
            del rows[j]
        for j in ins:
            rows[j] = (j, inserted_description(t, j))
        ident = lambda j: f"{table}_user_{j}"
        ids.extend(ident(j) for j in rows)
        chosen = set(random.Random(f"sample:{t}:{stage}").sample(sorted(rows), min(sample, len(rows))))
        chosen |= {0, ROWS - 1} & set(rows)
        chosen |= set(upd) | set(ins)
        for j in sorted(chosen):
            age, description = rows[j]
            docs.append({"id": ident(j), "fields": {
                "id": ident(j), "name": f"user_{j}", "age": age, "description": description,
                "Table": table, "_timestamp": {"$iso8601": True}}, "absent_fields": ["Database"]})
        docs.extend({"id": ident(j), "absent": True} for j in dele)
    for doc_id, fields in kinds_expected(db).items():
        ids.append(doc_id)
        fields.update({"id": doc_id, "Table": "kinds", "_timestamp": {"$iso8601": True}})
        docs.append({"id": doc_id, "fields": fields})
    with open(ids_out, "w") as f:
        f.write("\n".join(ids) + "\n")
    with open(docs_out, "w") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")

cmd = sys.argv[1] if len(sys.argv) > 1 else ""
size = sys.argv[2] if len(sys.argv) > 2 else ""
if size not in SIZES:
    sys.exit("usage: load.sql.sh load|change|counts|expect SMALL|MEDIUM|LARGE ...")
n = SIZES[size]
if cmd == "load":
    print("\n".join(load(n)))
elif cmd == "change":
    print("\n".join(change(n)))
elif cmd == "counts":
    print(" ".join(f"{k}={v}" for k, v in counts(n).items()))
elif cmd == "expect":
    expect(n, int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7]) if len(sys.argv) > 7 else 20)
else:
    sys.exit("usage: load.sql.sh load|change|counts|expect SMALL|MEDIUM|LARGE ...")
PY
