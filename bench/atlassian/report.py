"""The JSON of one bench/atlassian/run.sh run, from its work dir (environment as run.sh exports it)."""
import datetime, json, os, sys

env, work = os.environ, os.environ["WORK"]


def read(label, ext):
    with open(os.path.join(work, f"{label}.{ext}")) as f:
        return f.read()


def run(label):
    t = {}
    for line in read(label, "time").splitlines():
        key, _, value = line.strip().rpartition(": ")
        t[key] = value
    wall = 0.0
    for part in t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"):
        wall = wall * 60 + float(part)
    summary = json.loads(read(label, "json"))
    docs = int(env["EXPECT_DOCS"])
    return {"label": label, "concurrency": int(read(label, "concurrency")),
            "wall_seconds": round(wall, 2), "docs": docs, "docs_per_s": round(docs / wall, 1),
            "indexed_document_count": summary.get("indexed_document_count"),
            "content_fetches": summary.get("content_fetches"),
            "content_bytes_read": summary.get("content_bytes_read"),
            "cpu_seconds": round(float(t["User time (seconds)"]) + float(t["System time (seconds)"]), 2),
            "peak_rss_mib": round(int(t["Maximum resident set size (kbytes)"]) / 1024, 1),
            "mock_requests": int(read(label, "requests"))}


print(json.dumps({
    "source": "jira", "deployment": "cloud", "server": "tests/servers/atlassian_mock",
    "engine": env["ENGINE"], "engine_version": env["ENGINE_VERSION"],
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "machine": {"nproc": os.cpu_count(), "load_average": open("/proc/loadavg").read().split()[:3]},
    "issues": int(env["ISSUES"]), "latency_ms": int(env["LATENCY_MS"]),
    "attachment_bytes": int(env["FILE_SIZE"]),
    "runs": [run(label) for label in sys.argv[1:]],
}, indent=2))
