"""The JSON of one bench/file_stores/run.sh run, from its work dir (environment as run.sh exports it)."""
import collections, datetime, json, os

env, work = os.environ, os.environ["WORK"]


def times(label):
    out = {}
    with open(os.path.join(work, label + ".time")) as f:
        for line in f:
            key, _, value = line.strip().rpartition(": ")
            out[key] = value
    wall = 0.0
    for part in out["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    return {"wall_seconds": round(wall, 2),
            "cpu_seconds": round(float(out["User time (seconds)"]) + float(out["System time (seconds)"]), 2),
            "peak_rss_mib": round(int(out["Maximum resident set size (kbytes)"]) / 1024, 1)}


def sync(label):
    with open(os.path.join(work, label + ".json")) as f:
        summary = json.load(f)
    out = times(label)
    out.update({k: summary[k] for k in ("indexed_document_count", "deleted_document_count", "docs_unchanged",
                                        "content_fetches", "content_bytes_read", "extraction_failures")
                if k in summary})
    with open(os.path.join(work, label + ".engine_cpu")) as f:
        out["engine_cpu_seconds"] = float(f.read())
    with open(os.path.join(work, label + ".machine_cpu")) as f:
        out["machine_cpu_seconds"] = float(f.read())  # every process: the store, the engine, ours, others
    out["docs_per_s"] = round(int(env["OBJECTS"]) / out["wall_seconds"], 1)
    out["mb_per_s"] = round(summary["content_bytes_read"] / 1e6 / out["wall_seconds"], 1)
    return out


kinds = collections.Counter()
with open(os.path.join(env["CORPUS"], "manifest.tsv")) as f:
    for line in f:
        kinds[line.split("\t")[1]] += 1
limit = times("limit")
limit["mb_per_s"] = round(int(env["CORPUS_BYTES"]) / 1e6 / limit["wall_seconds"], 1)
first = sync("first_sync")
result = {
    "store": env["STORE"], "server": env["SERVER"], "engine": env["ENGINE"], "engine_version": env["ENGINE_VERSION"],
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": {"nproc": os.cpu_count(), "load_average": open("/proc/loadavg").read().split()[:3]},
    "objects": int(env["OBJECTS"]), "types": dict(kinds), "bytes": int(env["CORPUS_BYTES"]),
    "concurrency": int(env["CONCURRENCY"]), "load_seconds": float(env["LOAD_S"]),
    "limit": limit, "first_sync": first, "resync_unchanged": sync("resync_unchanged"),
    "ratio_first_sync_to_limit": round(first["wall_seconds"] / limit["wall_seconds"], 2),
    # The least wall time the CPU of the sync and of the engine's indexing allow on these cores,
    # however fast the store serves: when the sync is near it, it is bound by CPU, not by downloads.
    "cpu_floor_seconds": round((first["cpu_seconds"] + first["engine_cpu_seconds"]) / os.cpu_count(), 2),
    "machine_busy_share": round(first["machine_cpu_seconds"] / (os.cpu_count() * first["wall_seconds"]), 2),
}
result["ratio_first_sync_to_cpu_floor"] = round(first["wall_seconds"] / result["cpu_floor_seconds"], 2)
print(json.dumps(result, indent=2))
