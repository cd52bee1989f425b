#!/usr/bin/env python3
"""Scores our extraction against Tika's (bench/extraction/run.sh): per file the
token overlap of the two texts, 2*|A & B| / (|A| + |B|) over the multisets of
lower-cased word tokens (1.0 when both are empty), then per type the mean and
the minimum over the files Tika could read (a file Tika fails on is listed, not
scored: there is no reference text), and the throughput of each side.
Standard library only.

Usage: score.py WORK_DIR TIKA_VERSION > extraction.json
"""
import collections
import datetime
import json
import os
import platform
import re
import sys

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return collections.Counter(TOKEN.findall(f.read().lower()))
    except FileNotFoundError:
        return collections.Counter()


def overlap(a, b):
    total = sum(a.values()) + sum(b.values())
    return 1.0 if total == 0 else 2 * sum((a & b).values()) / total


def read_lines(path):
    files, rss = {}, 0
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            row = json.loads(line)
            if "peak_rss_kib" in row:
                rss = row["peak_rss_kib"]
            else:
                files[row["file"]] = row
    return files, rss


def speed(rows):
    seconds = sum(r["seconds"] for r in rows)
    size = sum(r["bytes"] for r in rows)
    return {"seconds": round(seconds, 6), "bytes": size,
            "files_per_s": round(len(rows) / seconds, 1) if seconds else None,
            "mb_per_s": round(size / 1e6 / seconds, 2) if seconds else None}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main():
    work, tika_version = sys.argv[1], sys.argv[2]
    ours, ours_rss = read_lines(os.path.join(work, "ours.jsonl"))
    tika, tika_rss = read_lines(os.path.join(work, "tika.jsonl"))
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "differences.json")) as f:
        differences = json.load(f)
    by_type = collections.defaultdict(list)
    files = []
    for name, row in sorted(ours.items()):
        other = tika.get(name)
        if other is None:
            continue
        score = overlap(tokens(os.path.join(work, "ours", name + ".txt")),
                        tokens(os.path.join(work, "tika", name + ".txt")))
        entry = {"file": name, "type": row["type"], "bytes": row["bytes"], "overlap": round(score, 4),
                 "ours_seconds": row["seconds"], "tika_seconds": other["seconds"]}
        if "error" in row:
            entry["ours_error"] = row["error"]
        if "error" in other:
            entry["tika_error"] = other["error"]
        if name in differences:
            entry["difference"] = differences[name]
        files.append(entry)
        by_type[row["type"]].append((entry, row, other))
    types = {}
    for kind, items in sorted(by_type.items()):
        scores = [e["overlap"] for e, _, _ in items if "tika_error" not in e]
        # Files whose difference is Tika's own (differences.json) left out:
        # how close we are where Tika's text is the right one.
        fair = [e["overlap"] for e, _, _ in items
                if "tika_error" not in e and e.get("difference", {}).get("cause") != "tika"]
        types[kind] = {
            "files": len(items),
            "tika_failed": [e["file"] for e, _, _ in items if "tika_error" in e],
            "overlap_mean": round(sum(scores) / len(scores), 4) if scores else None,
            "overlap_min": min(scores) if scores else None,
            "overlap_mean_where_tika_is_right": round(sum(fair) / len(fair), 4) if fair else None,
            "ours": speed([o for _, o, _ in items]),
            "tika": speed([t for _, _, t in items]),
        }
    mixed_ours = speed([o for items in by_type.values() for _, o, _ in items])
    mixed_tika = speed([t for items in by_type.values() for _, _, t in items])
    result = {
        "what": "in-process extraction (best of N runs per file) vs Apache Tika tika-app, warmed up",
        "tika_version": tika_version,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cpu": cpu_model(), "cores": os.cpu_count()},
        "mixed": {"ours": mixed_ours, "tika": mixed_tika,
                  "files_per_s_ratio": round(mixed_ours["files_per_s"] / mixed_tika["files_per_s"], 2)
                  if mixed_ours["files_per_s"] and mixed_tika["files_per_s"] else None},
        "peak_rss_mib": {"ours": round(ours_rss / 1024, 1), "tika": round(tika_rss / 1024, 1)},
        "types": types,
        "files": files,
    }
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
