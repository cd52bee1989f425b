#!/usr/bin/env bash
# The data of the PostgreSQL functional test, as the framework's fixture makes it
# (sources.md §2.6): NUM_TABLES tables customers_{i} (name VARCHAR(255) primary
# key, age int, description TEXT), 10 000 rows each whose description is one
# random 20 KiB [A-Z0-9] string; NUM_TABLES = 5 / 10 / 30 for SMALL / MEDIUM /
# LARGE. Plus one small table `kinds` with one column per common type and the id
# quirks (a falsy key 0). Everything is a function of the size, so the expected
# documents can be computed again.
#
#   load.sql.sh load SIZE       SQL that (re)creates and fills the tables (stdout)
#   load.sql.sh change SIZE     SQL of the changes: in every customers table but the
#                               last, 10 rows updated, 10 deleted, 10 inserted
#   load.sql.sh counts SIZE     shell assignments: TABLES ROWS TOTAL CHANGED_TABLES
#                               CHANGED_TABLE_ROWS CHANGED_ROWS DELETED_ROWS
#   load.sql.sh expect SIZE STAGE DATABASE IDS_OUT DOCS_OUT [SAMPLE]
#                               the ids (every one) and a sample of documents, field
#                               by field, after the load (STAGE 1) or the change (2)
set -euo pipefail
exec python3 - "$@" <<'PY'
import functools, json, random, string, sys

SIZES = {"SMALL": 5, "MEDIUM": 10, "LARGE": 30}
ROWS, CHANGES, DESC_LEN = 10000, 10, 20 * 1024
SCHEMA = "public"

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
    return "'" + s.replace("'", "''") + "'"

KINDS_DDL = """CREATE TABLE kinds (
  id int PRIMARY KEY, big bigint, flag boolean, price numeric(10,2), ratio double precision,
  label text, short varchar(20), day date, moment timestamp(6), doc jsonb, tags int[], ident uuid)"""
KINDS_SQL = [
    "(1, 9007199254740993, true, 12.50, 0.1, 'Caf\u00e9 \u2615 \u65e5\u672c\u8a9e \"quoted\" \\ back', 'x', "
    "'2024-02-29', '2024-01-02 03:04:05.123456', '{\"b\": [true, null], \"a\": 1}', '{1,2,3}', "
    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')",
    "(0, -1, false, 0, -2.5, '', '', '1999-12-31', '2000-01-01 00:00:00', '[]', '{}', NULL)",
    "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
]
# What each kinds row becomes (generic_database@8.8 serialize): id -> fields.
def kinds_expected(db):
    p = f"{SCHEMA}_kinds_"
    def row(values):
        return {p + k: v for k, v in values.items()}
    return {
        f"{db}_{SCHEMA}_kinds_1_": row({"id": 1, "big": 9007199254740993, "flag": True, "price": 12.5, "ratio": 0.1,
                                        "label": "Caf\u00e9 \u2615 \u65e5\u672c\u8a9e \"quoted\" \\ back", "short": "x",
                                        "day": "2024-02-29", "moment": "2024-01-02T03:04:05.123456",
                                        "doc": '{"a": 1, "b": [true, null]}', "tags": [1, 2, 3],
                                        "ident": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}),
        # id 0 is falsy: the framework leaves it out of the _id.
        f"{db}_{SCHEMA}_kinds_": row({"id": 0, "big": -1, "flag": False, "price": 0.0, "ratio": -2.5, "label": "",
                                      "short": "", "day": "1999-12-31", "moment": "2000-01-01T00:00:00",
                                      "doc": "[]", "tags": [], "ident": None}),
        f"{db}_{SCHEMA}_kinds_2_": row({"id": 2, "big": None, "flag": None, "price": None, "ratio": None, "label": None,
                                        "short": None, "day": None, "moment": None, "doc": None, "tags": None,
                                        "ident": None}),
    }

def load(n):
    out = ["SET client_min_messages = warning;", "DROP TABLE IF EXISTS kinds;"]
    for t in range(n):
        out.append(f"DROP TABLE IF EXISTS customers_{t};")
        out.append(f"CREATE TABLE customers_{t} (name VARCHAR(255) PRIMARY KEY, age int, description TEXT);")
        # 10 batches of 1000 rows, as the framework's fixture.
        for b in range(10):
            out.append(f"INSERT INTO customers_{t} (name, age, description) SELECT 'user_' || g, g, {lit(desc(t))} "
                       f"FROM generate_series({b * 1000}, {b * 1000 + 999}) AS g;")
    out.append(KINDS_DDL + ";")
    out.append("INSERT INTO kinds VALUES " + ", ".join(KINDS_SQL) + ";")
    out.append("ANALYZE;")
    return out

def change(n):
    out = []
    for t in range(n - 1):
        upd, dele, ins = changes(t)
        out.append("BEGIN;")
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
        prefix = f"{SCHEMA}_{table}_"
        upd, dele, ins = changes(t) if (stage == 2 and t < n - 1) else ([], [], [])
        rows = {j: (j, desc(t)) for j in range(ROWS)}
        for j in upd:
            rows[j] = (j + 100000, updated_description(t, j))
        for j in dele:
            del rows[j]
        for j in ins:
            rows[j] = (j, inserted_description(t, j))
        ident = lambda j: f"{db}_{SCHEMA}_{table}_user_{j}_"
        ids.extend(ident(j) for j in rows)
        chosen = set(random.Random(f"sample:{t}:{stage}").sample(sorted(rows), min(sample, len(rows))))
        chosen |= {0, ROWS - 1} & set(rows)
        chosen |= set(upd) | set(ins)
        for j in sorted(chosen):
            age, description = rows[j]
            docs.append({"id": ident(j), "fields": {
                "id": ident(j), prefix + "name": f"user_{j}", prefix + "age": age, prefix + "description": description,
                "Database": db, "Table": table, "schema": SCHEMA, "_timestamp": {"$iso8601": True}}})
        docs.extend({"id": ident(j), "absent": True} for j in dele)
    for doc_id, fields in kinds_expected(db).items():
        ids.append(doc_id)
        fields.update({"id": doc_id, "Database": db, "Table": "kinds", "schema": SCHEMA, "_timestamp": {"$iso8601": True}})
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
