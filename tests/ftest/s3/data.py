"""The data of the s3 ftest, the framework's fixture (sources.md §5) on MinIO:
bucket ent-search-ingest-dev, folder keys `<bucket>/<i>/`, small text files
`<bucket>/small_file_<i>.txt` and 20 KiB text files `<bucket>/big_file_<i>.txt`.
Written with the standard library only (AWS Signature V4 by hand here: a test
fixture, not the product). Content is a function of (key, version).

  data.py counts SIZE                         shell assignments of the sizes
  data.py load|change SIZE URL KEY SECRET     writes the objects / the changes
  data.py expect SIZE ROUND IDS DOCS SAMPLE   the expected ids and documents
"""
import concurrent.futures, datetime, hashlib, hmac, http.client, json, random, sys, urllib.parse

BUCKET = "ent-search-ingest-dev"
SIZES = {"SMALL": (400, 500, 100, 5), "MEDIUM": (2000, 2500, 500, 10), "LARGE": (4000, 5000, 1000, 15)}
CHANGED = 10  # small files rewritten before sync 2


def keys(size, round_):
    folders, small, big, removed = SIZES[size]
    out = [f"{BUCKET}/{i}/" for i in range(folders)]
    out += [f"{BUCKET}/small_file_{i}.txt" for i in range(small)]
    out += [f"{BUCKET}/big_file_{i}.txt" for i in range(big)]
    if round_ == 2:
        out = [k for k in out if k not in {f"{BUCKET}/{i}/" for i in range(removed)}]
    return out


def version(key, round_):
    changed = {f"{BUCKET}/small_file_{i}.txt" for i in range(CHANGED)}
    return 1 if round_ == 2 and key in changed else 0


def content(key, v):
    if key.endswith("/"):
        return b""
    if "/small_file_" in key:
        i = key.rsplit("_", 1)[1].split(".")[0]
        text = f"Testing object{i} document for bucket: {BUCKET}"
        return (text + (f" changed {v}" if v else "")).encode()
    rng = random.Random(f"{key}:{v}")
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(20480)).encode()


def sign(method, url, key, secret, body_hash="UNSIGNED-PAYLOAD", region="us-east-1"):
    u = urllib.parse.urlsplit(url)
    now = datetime.datetime.now(datetime.timezone.utc)
    amz, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    headers = {"host": u.netloc, "x-amz-content-sha256": body_hash, "x-amz-date": amz}
    signed = ";".join(sorted(headers))
    canonical = "\n".join([method, u.path, u.query, "".join(f"{h}:{headers[h]}\n" for h in sorted(headers)),
                           signed, body_hash])
    scope = f"{day}/{region}/s3/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in (day, region, "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={signed}, Signature={sig}"
    return headers


def call(base, key, secret, method, path, body=b""):
    url = base + urllib.parse.quote(path)
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    conn.request(method, u.path, body=body, headers=sign(method, url, key, secret))
    r = conn.getresponse()
    data = r.read()
    conn.close()
    if r.status >= 300 and not (method == "PUT" and r.status == 409):
        raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")


def put_all(base, key, secret, objects):
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda kb: call(base, key, secret, "PUT", f"/{BUCKET}/{kb[0]}", kb[1]), objects))


def main():
    cmd, size = sys.argv[1], sys.argv[2]
    folders, small, big, removed = SIZES[size]
    if cmd == "counts":
        print(f"TOTAL={folders + small + big} REMOVED={removed} CHANGED={CHANGED}")
    elif cmd in ("load", "change"):
        base, key, secret = sys.argv[3:6]
        if cmd == "load":
            call(base, key, secret, "PUT", f"/{BUCKET}")
            put_all(base, key, secret, [(k, content(k, 0)) for k in keys(size, 1)])
        else:
            for i in range(removed):
                call(base, key, secret, "DELETE", f"/{BUCKET}/{BUCKET}/{i}/")
            put_all(base, key, secret, [(f"{BUCKET}/small_file_{i}.txt", content(f"{BUCKET}/small_file_{i}.txt", 1))
                                        for i in range(CHANGED)])
    elif cmd == "expect":
        round_, ids_out, docs_out, sample = int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])
        ks = keys(size, round_)
        doc_id = lambda k: hashlib.md5(f"{BUCKET}/{k}".encode()).hexdigest()
        with open(ids_out, "w") as f:
            f.writelines(doc_id(k) + "\n" for k in sorted(ks))
        rng = random.Random(7)
        chosen = set(rng.sample(ks, min(sample, len(ks))))
        chosen |= {f"{BUCKET}/small_file_{i}.txt" for i in range(CHANGED)} | {f"{BUCKET}/0/", f"{BUCKET}/big_file_0.txt"}
        chosen &= set(ks)
        with open(docs_out, "w") as f:
            for k in sorted(chosen):
                data = content(k, version(k, round_))
                fields = {"id": doc_id(k), "filename": k, "size_in_bytes": len(data), "bucket": BUCKET,
                          "owner": {"$exists": True}, "storage_class": "STANDARD",
                          "_timestamp": {"$iso8601": True}}
                entry = {"id": doc_id(k), "fields": fields}
                if data:
                    fields["body"] = data.decode()
                else:
                    entry["absent_fields"] = ["body"]
                f.write(json.dumps(entry) + "\n")
            if round_ == 2:
                for i in range(removed):
                    f.write(json.dumps({"id": doc_id(f"{BUCKET}/{i}/"), "absent": True}) + "\n")


if __name__ == "__main__":
    main()
