#!/usr/bin/env python3
"""Data of the network_drive ftest, written straight into the Samba share's
folder (the fixture runs as root), and the ids and documents the index must
then hold. The framework's fixture (sources.md §4): small files file{n}.txt
("File {n} dummy content....") and a folder Large-Data-Folder of 1 MiB files
large_size_file{n}.txt of random letters. An _id is the SMB FileId, which
Samba makes the file's inode: read here with os.stat.

Usage: share.py DIR load SMALL LARGE          writes the files
       share.py DIR change GONE               removes file0..9 (their ids to GONE), rewrites file10..19
       share.py DIR expect SMALL LARGE ROUND IDS DOCS [GONE]   ids and sample documents
"""
import json
import os
import random
import sys

LETTERS = bytes(range(ord("a"), ord("z") + 1))
TABLE = bytes(LETTERS[b % 26] for b in range(256))  # random bytes → random letters


def small_text(n, changed=False):
    return f"{'Changed' if changed else 'File'} {n} dummy content...."


def load(share, small, large):
    for n in range(small):
        with open(os.path.join(share, f"file{n}.txt"), "w") as f:
            f.write(small_text(n))
    folder = os.path.join(share, "Large-Data-Folder")
    os.makedirs(folder, exist_ok=True)
    rng = random.Random(15)
    for n in range(large):
        with open(os.path.join(folder, f"large_size_file{n}.txt"), "wb") as f:
            f.write(rng.randbytes(1 << 20).translate(TABLE))


def change(share, gone_path):
    with open(gone_path, "w") as out:  # their ids, gone from the index after sync 2
        out.writelines(str(os.stat(os.path.join(share, f"file{n}.txt")).st_ino) + "\n"
                       for n in range(10))
    for n in range(10):
        os.remove(os.path.join(share, f"file{n}.txt"))
    for n in range(10, 20):
        with open(os.path.join(share, f"file{n}.txt"), "w") as f:
            f.write(small_text(n, changed=True))


def expect(share, small, large, round_, ids_path, docs_path, gone_path):
    first = 0 if round_ == 1 else 10
    places = [f"file{n}.txt" for n in range(first, small)] + ["Large-Data-Folder"]
    places += [f"Large-Data-Folder/large_size_file{n}.txt" for n in range(large)]
    ino = {p: str(os.stat(os.path.join(share, p)).st_ino) for p in places}
    with open(ids_path, "w") as out:
        out.writelines(i + "\n" for i in ino.values())
    unc = "\\\\127.0.0.1/Folder1"
    with open(docs_path, "w") as out:
        def doc(place, title, kind, size, body=None):
            fields = {"path": unc + "\\" + place.replace("/", "\\"), "title": title, "type": kind,
                      "size": size, "created_at": {"$iso8601": True},
                      "_timestamp": {"$iso8601": True}}
            if body is not None:
                fields["body"] = body
            out.write(json.dumps({"id": ino[place], "fields": fields}) + "\n")
        samples = [first, first + 1, small - 1] + ([10, 11, 19] if round_ == 2 else [])
        for n in sorted(set(samples)):
            text = small_text(n, changed=round_ == 2 and 10 <= n < 20)
            doc(f"file{n}.txt", f"file{n}.txt", "file", len(text), text)
        doc("Large-Data-Folder", "Large-Data-Folder", "folder", 0)
        for n in (0, large - 1):
            name = f"large_size_file{n}.txt"
            doc(f"Large-Data-Folder/{name}", name, "file", 1 << 20)
        if round_ == 2:
            for gone in open(gone_path).read().split():
                out.write(json.dumps({"id": gone, "absent": True}) + "\n")


def main(argv):
    share, command = argv[1], argv[2]
    if command == "load":
        load(share, int(argv[3]), int(argv[4]))
    elif command == "change":
        change(share, argv[3])
    elif command == "expect":
        expect(share, int(argv[3]), int(argv[4]), int(argv[5]), argv[6], argv[7],
               argv[8] if len(argv) > 8 else "")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
