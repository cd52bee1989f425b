"""The framework's GCS fixture (sources.md §6), loaded into fake-gcs-server, and the expected documents.

generate URL SMALL_N LARGE_N: sample-small-files-bucket gets SMALL_N empty `.random` blobs,
sample-large-files-bucket LARGE_N 2 MiB `.txt` blobs. change URL: 10 small blobs removed,
5 large ones overwritten, 5 small ones added. expect URL PROJECT IDS DOCS: the ids and a sample
of documents as the source must index them (listing the emulator itself for the timestamps).
"""
import concurrent.futures, json, re, sys, urllib.parse, urllib.request

SMALL, LARGE = "sample-small-files-bucket", "sample-large-files-bucket"

def call(url, method="GET", data=None, content_type="application/json"):
    req = urllib.request.Request(url, method=method, data=data, headers={"Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=120) as r:
        body = r.read()
    return json.loads(body) if body else None

def large_text(i, version):
    line = f"large file {i} version {version} lorem ipsum dolor sit amet\n"
    return (line * (2 * 1024 * 1024 // len(line) + 1))[: 2 * 1024 * 1024].encode()

def put(base, bucket, name, data):
    q = urllib.parse.urlencode({"uploadType": "media", "name": name})
    call(f"{base}/upload/storage/v1/b/{bucket}/o?{q}", "POST", data, "text/plain")

def listing(base, bucket):
    items, token = [], None
    while True:
        q = {"maxResults": 1000, **({"pageToken": token} if token else {})}
        page = call(f"{base}/storage/v1/b/{bucket}/o?{urllib.parse.urlencode(q)}")
        items += page.get("items", [])
        token = page.get("nextPageToken")
        if not token:
            return items

def generate(base, small, large):
    for bucket in (SMALL, LARGE):
        call(f"{base}/storage/v1/b?project=connectors-test", "POST", json.dumps({"name": bucket}).encode())
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        jobs = [pool.submit(put, base, SMALL, f"small-{i:05d}.random", b"") for i in range(small)]
        jobs += [pool.submit(put, base, LARGE, f"large-{i:04d}.txt", large_text(i, 0)) for i in range(large)]
        for j in jobs:
            j.result()

def change(base):
    names = sorted(o["name"] for o in listing(base, SMALL))
    for name in names[:10]:
        call(f"{base}/storage/v1/b/{SMALL}/o/{urllib.parse.quote(name, safe='')}", "DELETE")
    for i in range(5):
        put(base, LARGE, f"large-{i:04d}.txt", large_text(i, 1))
        put(base, SMALL, f"added-{i}.random", b"")

def expect(base, project, ids_out, docs_out):
    objects = listing(base, SMALL) + listing(base, LARGE)
    with open(ids_out, "w") as f:
        for o in sorted(objects, key=lambda o: o["id"]):
            f.write(o["id"] + "\n")
    sample = [o for o in objects if o["bucket"] == LARGE] + [o for o in objects if o["bucket"] == SMALL][:50]
    with open(docs_out, "w") as f:
        for o in sample:
            fields = {
                "id": o["id"], "name": o["name"], "bucket_name": o["bucket"], "size": o["size"],
                "type": o.get("contentType"), "storage_class": o.get("storageClass"),
                "version": o.get("generation"), "_timestamp": o["updated"], "last_updated": o["updated"],
                "created_at": o["timeCreated"], "component_count": None, "content_encoding": None,
                "content_language": None, "metadata": o.get("metadata"),
                "url": "https://console.cloud.google.com/storage/browser/_details/"
                       f"{o['bucket']}/{urllib.parse.quote(o['name'], safe=chr(39))};tab=live_object?project={project}",
            }
            entry = {"id": o["id"], "fields": fields}
            if o["bucket"] == LARGE:
                text = urllib.request.urlopen(
                    f"{base}/storage/v1/b/{LARGE}/o/{urllib.parse.quote(o['name'], safe='')}?alt=media").read()
                fields["body"] = re.sub(r"[ \t\n\v\f\r]+", " ", text.decode()).strip()
            else:
                entry["absent_fields"] = ["body"]
            f.write(json.dumps(entry) + "\n")
    print(len(objects))

def main():
    cmd, base = sys.argv[1], sys.argv[2]
    if cmd == "generate":
        generate(base, int(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "change":
        change(base)
    elif cmd == "expect":
        expect(base, sys.argv[3], sys.argv[4], sys.argv[5])


if __name__ == "__main__":
    main()
