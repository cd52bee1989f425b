# The data of the MongoDB functional test, as the framework's fixture makes it
# (fixtures/mongodb@8.8, sources.md §3): SIZE + 50 documents {id: ObjectId,
# name, address, birthdate (date string), time (string), comment} in
# sample_database.sample_collection, then the first 50 removed -> 750 / 1500 /
# 3000. Faker is replaced by a seeded generator, and two fields are added to
# check serialisation through the engine: `created` (a BSON date) and `owner`
# ({"ref": ObjectId}). Everything is a function of the size and the document
# number, so the expected documents can be computed again.
#
#   python data.py load SIZE URI       insert SIZE + 50, then remove the first 50
#   python data.py change SIZE URI     10 updated, 10 deleted, 10 inserted
#   python data.py counts SIZE         shell assignments: TOTAL CHANGED DELETED
#   python data.py expect SIZE STAGE IDS_OUT DOCS_OUT [SAMPLE]
import datetime, json, random, sys

SIZES = {"SMALL": 750, "MEDIUM": 1500, "LARGE": 3000}
EXTRA, CHANGES = 50, 10
DB, COLL = "sample_database", "sample_collection"
WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike".split()


def oid_hex(prefix, i):
    return f"{prefix:016x}{i:08x}"


def doc(i, stage_comment=None):
    r = random.Random(f"doc:{i}")
    created = datetime.datetime(2020, 1, 1) + datetime.timedelta(seconds=r.randrange(10**8), milliseconds=r.randrange(1000))
    return {
        "_id": oid_hex(0x65000000AAAA0000, i),
        "id": oid_hex(0x65000000BBBB0000, i),
        "name": f"{r.choice(WORDS).title()} {r.choice(WORDS).title()} {i}",
        "address": f"{r.randrange(1, 999)} {r.choice(WORDS).title()} Street, Town {r.randrange(100)}",
        "birthdate": f"{r.randrange(1940, 2005)}-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}",
        "time": f"{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}",
        "comment": stage_comment or " ".join(r.choice(WORDS) for _ in range(20)),
        "created": created,
        "owner": {"ref": oid_hex(0x65000000CCCC0000, i % 7)},
    }


def changes(n):
    picked = random.Random("change").sample(range(EXTRA, n + EXTRA), 2 * CHANGES)
    return sorted(picked[:CHANGES]), sorted(picked[CHANGES:]), list(range(n + EXTRA, n + EXTRA + CHANGES))


def updated_comment(i):
    return f"updated comment of {i} ✓"


def to_bson(d):
    from bson import ObjectId
    out = dict(d)
    for k in ("_id", "id"):
        out[k] = ObjectId(out[k])
    out["owner"] = {"ref": ObjectId(d["owner"]["ref"])}
    return out


def collection(uri):
    import pymongo
    return pymongo.MongoClient(uri)[DB][COLL]


def isoformat(dt):
    return dt.isoformat()


def expected_doc(d):
    fields = {k: v for k, v in d.items() if k != "_id"}
    fields["id"] = d["_id"]  # the framework: doc["id"] = doc.pop("_id")
    fields["created"] = isoformat(d["created"])
    fields["_timestamp"] = {"$iso8601": True}  # the engine: "now", as the framework
    return {"id": d["_id"], "fields": fields}


def main():
    cmd, size = sys.argv[1], sys.argv[2]
    n = SIZES[size]
    upd, dele, ins = changes(n)
    if cmd == "load":
        c = collection(sys.argv[3])
        c.drop()
        for start in range(0, n + EXTRA, 500):
            c.insert_many([to_bson(doc(i)) for i in range(start, min(start + 500, n + EXTRA))])
        # remove(): the first 50
        from bson import ObjectId
        c.delete_many({"_id": {"$in": [ObjectId(oid_hex(0x65000000AAAA0000, i)) for i in range(EXTRA)]}})
        print(c.count_documents({}))
    elif cmd == "change":
        from bson import ObjectId
        c = collection(sys.argv[3])
        for i in upd:
            c.update_one({"_id": ObjectId(oid_hex(0x65000000AAAA0000, i))}, {"$set": {"comment": updated_comment(i)}})
        c.delete_many({"_id": {"$in": [ObjectId(oid_hex(0x65000000AAAA0000, i)) for i in dele]}})
        c.insert_many([to_bson(doc(i)) for i in ins])
        print(c.count_documents({}))
    elif cmd == "counts":
        print(f"TOTAL={n} CHANGED={2 * CHANGES} DELETED={CHANGES}")
    elif cmd == "expect":
        stage, ids_out, docs_out = int(sys.argv[3]), sys.argv[4], sys.argv[5]
        sample = int(sys.argv[6]) if len(sys.argv) > 6 else 20
        rows = {i: doc(i) for i in range(EXTRA, n + EXTRA)}
        if stage == 2:
            for i in upd:
                rows[i] = doc(i, updated_comment(i))
            for i in dele:
                del rows[i]
            for i in ins:
                rows[i] = doc(i)
        chosen = set(random.Random(f"sample:{stage}").sample(sorted(rows), sample)) | {EXTRA, n + EXTRA - 1}
        if stage == 2:
            chosen |= set(upd) | set(ins)
        chosen &= set(rows)
        with open(ids_out, "w") as f:
            f.write("\n".join(d["_id"] for d in rows.values()) + "\n")
        with open(docs_out, "w") as f:
            for i in sorted(chosen):
                f.write(json.dumps(expected_doc(rows[i]), ensure_ascii=False) + "\n")
            for i in list(range(EXTRA)) + (dele if stage == 2 else []):
                f.write(json.dumps({"id": oid_hex(0x65000000AAAA0000, i), "absent": True}) + "\n")
    else:
        sys.exit("usage: data.py load|change|counts|expect SIZE ...")


main()
