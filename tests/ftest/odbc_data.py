#!/usr/bin/env python3
"""The data of the mssql and oracle functional tests, as the framework's fixtures
make it (reference/sources.md §2.6): NUM_TABLES tables customers_{i}, 10 000 rows
each with a 20 KiB [A-Z0-9] description; NUM_TABLES = 5 / 10 / 30 for SMALL /
MEDIUM / LARGE. SQL Server: name VARCHAR(255) primary key, age int, description
TEXT. Oracle: id int primary key, name, age, description LONG. The description
is a table's random 1 KiB repeated 20 times (built by the server, so that every
statement is one short line for isql), not the framework's one random 20 KiB.

  odbc_data.py DIALECT load SIZE      statements, one per line (stdout)
  odbc_data.py DIALECT change SIZE    in every table but the last: 10 rows
                                      updated, 10 deleted, 10 inserted
  odbc_data.py DIALECT counts SIZE    shell assignments TABLES ROWS TOTAL ...
  odbc_data.py DIALECT tables SIZE    the tables, comma-separated
  odbc_data.py DIALECT expect SIZE STAGE DATABASE SCHEMA IDS_OUT DOCS_OUT [SAMPLE]
"""
import functools, json, random, string, sys

SIZES = {"SMALL": 5, "MEDIUM": 10, "LARGE": 30}
ROWS, CHANGES, BATCH, REPEAT = 10000, 10, 1000, 20


@functools.lru_cache(maxsize=None)
def chunk(t):
    return "".join(random.Random(f"description:{t}").choices(string.ascii_uppercase + string.digits, k=1024))


def desc(t):
    return chunk(t) * REPEAT


def changes(t):
    picked = random.Random(f"change:{t}").sample(range(1, ROWS), 2 * CHANGES)
    return sorted(picked[:CHANGES]), sorted(picked[CHANGES:]), list(range(ROWS, ROWS + CHANGES))


def updated(t, j):
    return f"updated {t}/{j} " + chunk(t) * 2


def mssql_load(n):
    out = []
    for t in range(n):
        out.append(f"IF OBJECT_ID('customers_{t}', 'U') IS NOT NULL DROP TABLE customers_{t}")
        out.append(f"CREATE TABLE customers_{t} (name VARCHAR(255) PRIMARY KEY, age int, description TEXT)")
        for b in range(ROWS // BATCH):
            out.append(
                f"INSERT INTO customers_{t} (name, age, description) SELECT CONCAT('user_', n), n, "
                f"REPLICATE(CAST('{chunk(t)}' AS VARCHAR(MAX)), {REPEAT}) FROM (SELECT TOP ({BATCH}) "
                f"ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) - 1 + {b * BATCH} AS n FROM sys.all_columns a "
                f"CROSS JOIN sys.all_columns b) AS g")
    return out


def mssql_change(n):
    out = []
    for t in range(n - 1):
        upd, dele, ins = changes(t)
        for j in upd:
            out.append(f"UPDATE customers_{t} SET age = {j + 100000}, description = 'updated {t}/{j} ' + "
                       f"REPLICATE(CAST('{chunk(t)}' AS VARCHAR(MAX)), 2) WHERE name = 'user_{j}'")
        out.append(f"DELETE FROM customers_{t} WHERE name IN ({', '.join(repr(f'user_{j}') for j in dele)})")
        for j in ins:
            out.append(f"INSERT INTO customers_{t} (name, age, description) VALUES ('user_{j}', {j}, "
                       f"REPLICATE(CAST('{chunk(t)}' AS VARCHAR(MAX)), {REPEAT}))")
    return out


def oracle_load(n):
    out = []
    for t in range(n):
        out.append(f"BEGIN EXECUTE IMMEDIATE 'DROP TABLE customers_{t}'; EXCEPTION WHEN OTHERS THEN NULL; END;")
        out.append(f"CREATE TABLE customers_{t} (id int PRIMARY KEY, name VARCHAR2(255), age int, description long)")
        # LONG takes a PL/SQL variable of up to 32 760 bytes.
        for b in range(ROWS // BATCH):
            out.append(
                f"DECLARE d VARCHAR2(32767) := ''; BEGIN FOR k IN 1..{REPEAT} LOOP d := d || '{chunk(t)}'; "
                f"END LOOP; FOR i IN {b * BATCH}..{b * BATCH + BATCH - 1} LOOP INSERT INTO customers_{t} "
                f"(id, name, age, description) VALUES (i, 'user_' || i, i, d); END LOOP; COMMIT; END;")
    return out


def oracle_change(n):
    out = []
    for t in range(n - 1):
        upd, dele, ins = changes(t)
        out.append(
            f"DECLARE d VARCHAR2(32767) := ''; c VARCHAR2(1024) := '{chunk(t)}'; BEGIN FOR k IN 1..{REPEAT} "
            "LOOP d := d || c; END LOOP; "
            + " ".join(f"UPDATE customers_{t} SET age = {j + 100000}, description = 'updated {t}/{j} ' || c || c "
                       f"WHERE id = {j};" for j in upd)
            + f" DELETE FROM customers_{t} WHERE id IN ({', '.join(str(j) for j in dele)}); "
            + " ".join(f"INSERT INTO customers_{t} (id, name, age, description) VALUES ({j}, 'user_{j}', {j}, d);"
                       for j in ins)
            + " COMMIT; END;")
    return out


def counts(n):
    changed = n - 1
    return {"TABLES": n, "ROWS": ROWS, "TOTAL": n * ROWS, "CHANGED_TABLES": changed,
            "CHANGED_TABLE_ROWS": changed * ROWS, "CHANGED_ROWS": changed * 2 * CHANGES,
            "DELETED_ROWS": changed * CHANGES}


def expect(dialect, n, stage, db, schema, ids_out, docs_out, sample):
    ids, docs = [], []
    for t in range(n):
        upd, dele, ins = changes(t) if (stage == 2 and t < n - 1) else ([], [], [])
        rows = {j: (j, desc(t)) for j in range(ROWS)}
        for j in upd:
            rows[j] = (j + 100000, updated(t, j))
        for j in dele:
            del rows[j]
        for j in ins:
            rows[j] = (j, desc(t))
        if dialect == "mssql":
            table = f"customers_{t}"
            prefix = f"{schema}_{table}_".lower()
            ident = lambda j: f"{db}_{schema}_{table}_user_{j}_"
            extra = {"Database": db, "Table": table, "schema": schema}
        else:
            table = f"CUSTOMERS_{t}"  # created unquoted: Oracle keeps it upper-case
            prefix = f"customers_{t}_"
            # generic_database@8.8 drops a falsy key: row 0's id has no key value.
            ident = lambda j: f"{db}_{table}_{j}_" if j else f"{db}_{table}_"
            extra = {"Database": db, "Table": table}
        ids.extend(ident(j) for j in rows)
        chosen = set(random.Random(f"sample:{t}:{stage}").sample(sorted(rows), min(sample, len(rows))))
        chosen |= {0, ROWS - 1} & set(rows)
        chosen |= set(upd) | set(ins)
        for j in sorted(chosen):
            age, description = rows[j]
            fields = {"id": ident(j), prefix + "name": f"user_{j}", prefix + "age": age,
                      prefix + "description": description, "_timestamp": {"$iso8601": True}}
            if dialect == "oracle":
                fields[prefix + "id"] = j
            fields.update(extra)
            docs.append({"id": ident(j), "fields": fields})
        docs.extend({"id": ident(j), "absent": True} for j in dele)
    with open(ids_out, "w") as f:
        f.write("\n".join(ids) + "\n")
    with open(docs_out, "w") as f:
        for d in docs:
            f.write(json.dumps(d) + "\n")


def main(argv):
    if len(argv) < 4 or argv[1] not in ("mssql", "oracle") or argv[3] not in SIZES:
        sys.exit(__doc__)
    dialect, cmd, n = argv[1], argv[2], SIZES[argv[3]]
    if cmd == "load":
        print("\n".join(mssql_load(n) if dialect == "mssql" else oracle_load(n)))
    elif cmd == "change":
        print("\n".join(mssql_change(n) if dialect == "mssql" else oracle_change(n)))
    elif cmd == "counts":
        print(" ".join(f"{k}={v}" for k, v in counts(n).items()))
    elif cmd == "tables":
        print(",".join(f"customers_{t}" for t in range(n)))
    elif cmd == "expect":
        expect(dialect, n, int(argv[4]), argv[5], argv[6], argv[7], argv[8], int(argv[9]) if len(argv) > 9 else 20)
    else:
        sys.exit(__doc__)


main(sys.argv)
