#!/usr/bin/env python3
"""Seeds and changes an Azurite for the azure_blob_storage tests, with the
standard library only: SharedKey-signed REST calls (the signing rules of
Microsoft's "Authorize with Shared Key"), a few threads each with one kept-alive
connection.

Usage: azure_blobs.py URL KEY COMMAND ...
  URL   the blob endpoint, http://127.0.0.1:P/devstoreaccount1 (the account is its last segment)
  put-container NAME [k=v ...]                  a container with metadata (exists: fine)
  put-blobs CONTAINER PREFIX COUNT SIZE [changed] [k=v]
                                                COUNT blobs PREFIX{n}.txt of SIZE bytes each (SIZE
                                                0: the framework's short text, "Changed ..." with
                                                `changed`)
  put-blob CONTAINER NAME TEXT [k=v ...]        one blob with that text and metadata
  delete-container NAME
  delete-blob CONTAINER NAME
  get URL-PATH-AND-QUERY                        prints the answer (probing)
  expect PER_CONTAINER ROUND IDS DOCS           the ids and sample documents the index must
                                                hold after sync ROUND (1, or 2 after `change`)
"""
import base64
import hashlib
import hmac
import http.client
import random
import string
import sys
import threading
import urllib.parse
from email.utils import formatdate

VERSION = "2021-08-06"


class Account:
    def __init__(self, url, key):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/")
        self.name = self.prefix.rsplit("/", 1)[-1]
        self.key = base64.b64decode(key)
        self.local = threading.local()

    def connection(self):
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        return self.local.conn

    def request(self, method, path, query=None, body=b"", headers=None, ok=(200, 201, 202)):
        path = self.prefix + path
        query = query or {}
        headers = dict(headers or {})
        headers["x-ms-date"] = formatdate(usegmt=True)
        headers["x-ms-version"] = VERSION
        length = str(len(body)) if body else ""
        standard = [headers.get(h, "") for h in ("Content-Encoding", "Content-Language")]
        standard += [length]
        standard += [headers.get(h, "") for h in ("Content-MD5", "Content-Type", "Date",
                     "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since",
                     "Range")]
        canonical_headers = "".join(
            f"{k.lower()}:{v.strip()}\n" for k, v in sorted(headers.items(), key=lambda kv: kv[0].lower())
            if k.lower().startswith("x-ms-"))
        resource = f"/{self.name}{path}" + "".join(
            f"\n{k.lower()}:{v}" for k, v in sorted(query.items()))
        to_sign = "\n".join([method] + standard) + "\n" + canonical_headers + resource
        mac = hmac.new(self.key, to_sign.encode(), hashlib.sha256).digest()
        headers["Authorization"] = f"SharedKey {self.name}:{base64.b64encode(mac).decode()}"
        url = path + ("?" + urllib.parse.urlencode(query) if query else "")
        for attempt in range(3):
            conn = self.connection()
            try:
                conn.request(method, url, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                break
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        if answer.status not in ok:
            raise SystemExit(f"{method} {url}: HTTP {answer.status}: {data[:300]!r}")
        return answer.status, data


def metadata_headers(pairs):
    return {f"x-ms-meta-{k}": v for k, v in (p.split("=", 1) for p in pairs)}


def text_of_size(n, seed):
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_letters + " ") for _ in range(n)).encode()


def put_blob(account, container, name, body, meta=()):
    headers = {"x-ms-blob-type": "BlockBlob", "Content-Type": "text/plain"}
    headers.update(metadata_headers(meta))
    account.request("PUT", f"/{container}/{urllib.parse.quote(name, safe='/~')}", body=body,
                    headers=headers)


def put_blobs(account, container, prefix, count, size, meta, word="Testing"):
    def work(start):
        for n in range(start, count, 8):
            body = text_of_size(size, n) if size else \
                f"{word} blob{n} document for {container}".encode()
            put_blob(account, container, f"{prefix}{n}.txt", body, meta)
    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


SMALL = [f"containersmall{i}" for i in range(7)]
LARGE = [f"containerlarge{i}" for i in range(3)]
REMOVED = SMALL[:2]       # deleted before sync 2, as the framework's remove()
CHANGED = "containersmall2"  # its first 10 blobs rewritten before sync 2
ADDED = "containersmall3"    # 10 blobs new{n}.txt added before sync 2


def expect(per_container, round_, ids_path, docs_path):
    import json
    containers = SMALL + LARGE if round_ == 1 else [c for c in SMALL + LARGE if c not in REMOVED]
    ids = [f"{c}/file{n}.txt" for c in containers for n in range(per_container)]
    if round_ == 2:
        ids += [f"{ADDED}/new{n}.txt" for n in range(10)]
    with open(ids_path, "w") as out:
        out.writelines(i + "\n" for i in ids)
    lease = "{'status': 'unlocked', 'state': 'available', 'duration': None}"
    with open(docs_path, "w") as out:
        for c in containers:
            for n in (0, per_container - 1):
                text = f"Testing blob{n} document for {c}"
                if round_ == 2 and c == CHANGED and n < 10:
                    text = f"Changed blob{n} document for {c}"
                size = 20480 if c in LARGE else len(text)
                fields = {"title": f"file{n}.txt", "container": c, "size": size, "tier": "Hot",
                          "content type": "text/plain", "metadata": "{}",
                          "container metadata": "None", "leasedata": lease,
                          "created at": {"$iso8601": True}, "_timestamp": {"$iso8601": True}}
                out.write(json.dumps({"id": f"{c}/file{n}.txt", "fields": fields}) + "\n")
        if round_ == 2:
            for c in REMOVED:
                out.write(json.dumps({"id": f"{c}/file0.txt", "absent": True}) + "\n")


def main(argv):
    command, args = argv[3], argv[4:]
    if command == "expect":  # no server needed
        return expect(int(args[0]), int(args[1]), args[2], args[3])
    account = Account(argv[1], argv[2])
    if command == "put-container":
        account.request("PUT", f"/{args[0]}", {"restype": "container"},
                        headers=metadata_headers(args[1:]), ok=(201, 409))
    elif command == "put-blobs":
        word = "Changed" if args[4:5] == ["changed"] else "Testing"
        put_blobs(account, args[0], args[1], int(args[2]), int(args[3]),
                  [a for a in args[4:] if "=" in a], word)
    elif command == "put-blob":
        put_blob(account, args[0], args[1], args[2].encode(), args[3:])
    elif command == "delete-container":
        account.request("DELETE", f"/{args[0]}", {"restype": "container"}, ok=(202, 404))
    elif command == "delete-blob":
        account.request("DELETE", f"/{args[0]}/{urllib.parse.quote(args[1], safe='/~')}",
                        ok=(202, 404))
    elif command == "expect":
        expect(int(args[0]), int(args[1]), args[2], args[3])
    elif command == "get":
        path, _, query = args[0].partition("?")
        print(account.request("GET", path, dict(urllib.parse.parse_qsl(query)))[1].decode())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
