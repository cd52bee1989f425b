#!/usr/bin/env bash
# Functional test of the `dir` source through the service:
#   generate SMALL 100 / MEDIUM 10 000 / LARGE 100 000 files (text of several
#   kinds, binary, empty, invalid UTF-8, non-ASCII names, deep folders, plus
#   files the default pattern must skip), full sync, then modify, add and delete
#   1 % of them (at least 10), sync again, then sync once more with no change.
#   After each sync: the job's counts, the index's _count, the exact id set and
#   every field of a sample of documents (all of them for SMALL).
# Usage: tests/ftest/dir/fixture.sh SMALL|MEDIUM|LARGE  (or make ftest NAME=dir DATA_SIZE=...)
set -euo pipefail
# shellcheck source=tests/ftest/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ft_init dir "${1:-SMALL}"
case "$FT_SIZE" in
  SMALL) FILES=100 CHANGES=10 SAMPLE=100 ;;
  MEDIUM) FILES=10000 CHANGES=100 SAMPLE=400 ;;
  LARGE) FILES=100000 CHANGES=1000 SAMPLE=1000 ;;
esac
ft_require_source dir

DATA="$FT_OUT/data"
GEN="$FT_OUT/generator.py"

# The data generator: content is a function of (relative path, version), so the
# expected documents can be computed again without keeping the files' text.
cat >"$GEN" <<'PY'
import hashlib, json, os, random, re, sys
from datetime import datetime, timezone

# The framework's plain-text types: their body is the text, whitespace reduced as
# the framework's _reduce_whitespace. .log, .yml and .dat are not types of the
# framework: indexed without body. (The other types' text is checked by the
# extraction tests, not here.)
TEXT_EXT = {".txt", ".py", ".rst", ".markdown", ".json", ".csv", ".md", ".rb", ".paper", ".sh", ".tsv"}
KINDS = [".txt", ".md", ".json", ".csv", ".log", ".yml", ".rst", ".dat"]  # .dat: binary, no body
WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike november oscar papa "
         "quebec romeo sierra tango uniform victor whiskey xray yankee zulu connector sync index elastic "
         "shard replica bulk pipeline document field mapping analyzer token query filter score").split()
BASE = 1704067200  # 2024-01-01T00:00:00Z
# Always present (they count towards the total). Content bytes fixed.
SPECIAL = {
    "special/empty.txt": b"",
    "special/invalid-utf8.txt": b"abc\xffdef\n",
    "special/r\u00e9sum\u00e9 \u2013 notes.md": "Caf\u00e9 \u2615, na\u00efve r\u00e9sum\u00e9, \u65e5\u672c\u8a9e\n".encode(),
    "special/UPPER.TXT": b"upper-case extension\n",
    "special/quotes \"and\" back\\slash.txt": b"{\"json\": \"in a file\"}\t\r\n",
    "special/a/b/c/d/e/f/deep.md": b"# deep\n\nseven folders down\n",
    "special/whitespace.txt": b"  lots   of\n\n\n   space  \t\n",
}
# Never indexed with the default pattern `**/*.*`: no extension, hidden.
SKIPPED = {"special/README": b"no extension\n", "special/.hidden.txt": b"hidden\n", ".hidden-dir-file.md": b"x\n"}

def content(rel, version):
    if rel in SPECIAL:
        return SPECIAL[rel] if version == 0 else SPECIAL[rel] + f"version {version}\n".encode()
    rng = random.Random(f"{rel}:{version}")
    ext = os.path.splitext(rel)[1]
    if ext == ".dat":
        return rng.randbytes(rng.randint(16, 4096))
    words = rng.choices(WORDS, k=rng.randint(5, 400))
    if ext == ".json":
        return json.dumps({"path": rel, "version": version, "words": words[:50]}).encode()
    if ext == ".csv":
        return ("id,word,n\n" + "".join(f"{i},{w},{len(w)}\n" for i, w in enumerate(words[:60]))).encode()
    if ext == ".xml":
        return ("<doc>" + "".join(f"<w>{w}</w>" for w in words[:80]) + "</doc>\n").encode()
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    return (f"{rel} v{version}\n" + "\n".join(lines) + "\n").encode()

def iso(ns):
    s, rest = divmod(ns, 1_000_000_000)
    return datetime.fromtimestamp(s, timezone.utc).replace(microsecond=rest // 1000).isoformat()

def write(root, rel, version, mtime_ns):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content(rel, version))
    os.utime(path, ns=(mtime_ns, mtime_ns))

def regular_name(i):
    ext = KINDS[i % len(KINDS)]
    return f"d{i // 1000:03d}/s{(i // 100) % 10}/file-{i:06d}{ext}"

def load(root):
    return json.load(open(os.path.join(root, "..", "manifest.json")))

def save(root, m):
    json.dump(m, open(os.path.join(root, "..", "manifest.json"), "w"))

def generate(root, total):
    files = {}
    for k, rel in enumerate(sorted(SPECIAL)):
        files[rel] = [0, (BASE + k) * 1_000_000_000 + (0 if k == 0 else 123_456_789)]  # one whole-second mtime
    for i in range(total - len(SPECIAL)):
        rel = regular_name(i)
        files[rel] = [0, (BASE + 1000 + i * 7) * 1_000_000_000 + (i * 7919 % 999_999 + 1) * 1000 + i % 1000]
    for rel, (v, ns) in files.items():
        write(root, rel, v, ns)
    for rel, data in SKIPPED.items():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        open(p, "wb").write(data)
    save(root, {"files": files, "next": total - len(SPECIAL), "changed": [], "added": [], "deleted": []})

def change(root, n):
    m = load(root)
    rng = random.Random(4242)
    regular = sorted(r for r in m["files"] if r not in SPECIAL)
    picked = rng.sample(regular, 2 * n)
    modify, delete = picked[:n] + ["special/whitespace.txt"], picked[n:]
    t = BASE + 50_000_000
    for k, rel in enumerate(modify):
        v = m["files"][rel][0] + 1
        m["files"][rel] = [v, (t + k) * 1_000_000_000 + 555_000 + k]
        write(root, rel, v, m["files"][rel][1])
    for rel in delete:
        os.remove(os.path.join(root, rel))
        del m["files"][rel]
    added = []
    for k in range(n):
        i = m["next"] + k
        rel = regular_name(i) if k % 2 else f"added/new folder {k // 10}/new-{i:06d}{KINDS[k % len(KINDS)]}"
        m["files"][rel] = [0, (t + 100_000 + k) * 1_000_000_000 + 777_000]
        write(root, rel, 0, m["files"][rel][1])
        added.append(rel)
    m["next"] += n
    m["changed"], m["added"], m["deleted"] = modify, added, delete
    save(root, m)

def doc_id(root, rel):
    return hashlib.md5(os.path.normpath(os.path.join(root, rel)).encode()).hexdigest()

def expect(root, ids_out, docs_out, sample):
    m = load(root)
    with open(ids_out, "w") as f:
        for rel in sorted(m["files"]):
            f.write(doc_id(root, rel) + "\n")
    rng = random.Random(99)
    rels = sorted(m["files"])
    chosen = set(SPECIAL) | set(m["changed"]) | set(m["added"])
    chosen |= set(rng.sample(rels, min(sample, len(rels))))
    uid, gid = os.getuid(), os.getgid()
    with open(docs_out, "w") as f:
        for rel in sorted(chosen):
            v, ns = m["files"][rel]
            path = os.path.normpath(os.path.join(root, rel))
            data = content(rel, v)
            st = os.stat(path)
            ext = os.path.splitext(rel)[1].lower()
            fields = {
                "id": doc_id(root, rel), "title": os.path.basename(rel), "path": path, "relative_path": rel,
                "extension": ext, "size": len(data), "file_size": len(data),
                "_timestamp": iso(ns), "last_modified_time": iso(ns), "created_at": iso(st.st_ctime_ns),
                "last_access_time": {"$iso8601": True},
                "owner_user_id": uid, "owner_group_id": gid, "number_of_links": 1, "inode_number": st.st_ino,
            }
            entry = {"id": doc_id(root, rel), "fields": fields}
            if ext in TEXT_EXT:
                fields["body"] = re.sub(r"[ \t\n\v\f\r]+", " ", data.decode("utf-8", errors="replace")).strip()
            else:
                entry["absent_fields"] = ["body"]
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        for rel in m["deleted"] + sorted(SKIPPED):
            f.write(json.dumps({"id": doc_id(root, rel), "absent": True}) + "\n")
    sizes = sum(len(content(r, v)) for r, (v, _) in m["files"].items()) if len(rels) <= 20000 else None
    print(json.dumps({"files": len(rels), "sampled": len(chosen), "bytes": sizes}))

cmd, root = sys.argv[1], sys.argv[2]
if cmd == "generate":
    generate(root, int(sys.argv[3]))
elif cmd == "change":
    change(root, int(sys.argv[3]))
elif cmd == "expect":
    expect(root, sys.argv[3], sys.argv[4], int(sys.argv[5]))
PY

ft_log "generating $FILES files in $DATA"
mkdir -p "$DATA"
python3 "$GEN" generate "$DATA" "$FILES"
ft_dataset "files=$FILES" "changes_per_kind=$CHANGES" "bytes_on_disk=$(du -sb "$DATA" | cut -f1)" \
  "description=files of 8 kinds (text, json, csv, rst, log, yml, binary) + special names; then ~1 % modified, added, deleted"
python3 "$GEN" expect "$DATA" "$FT_OUT/expected/ids-1.txt" "$FT_OUT/expected/docs-1.jsonl" "$SAMPLE" >/dev/null

ft_engine_start
ft_write_service_config
ft_create_connector dir "search-ftest-dir" "directory=$DATA"
ft_service_start

# 1. Everything is new.
ft_first_sync_indexes_everything "$FILES"

# 2. Modify CHANGES+1 files, add CHANGES, delete CHANGES.
ft_log "changing the files: $((CHANGES + 1)) modified, $CHANGES added, $CHANGES deleted"
python3 "$GEN" change "$DATA" "$CHANGES"
python3 "$GEN" expect "$DATA" "$FT_OUT/expected/ids-2.txt" "$FT_OUT/expected/docs-2.jsonl" "$SAMPLE" >/dev/null
ft_sync "changed"
ft_expect_job indexed_document_count $((2 * CHANGES + 1))
ft_expect_job deleted_document_count "$CHANGES"
ft_expect_count "$FILES"
ft_verify_ids "$FT_OUT/expected/ids-2.txt"
ft_verify_docs "$FT_OUT/expected/docs-2.jsonl"

# 3. Nothing changed: nothing is sent, nothing deleted.
ft_sync "unchanged"
ft_expect_job indexed_document_count 0
ft_expect_job deleted_document_count 0
ft_expect_count "$FILES"
ft_verify_ids "$FT_OUT/expected/ids-2.txt"

ft_service_stop
ft_report
