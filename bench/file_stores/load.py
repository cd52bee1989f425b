"""Loads the benchmark corpus (corpus.py) into a store, with the ftests' own
clients (tests/ftest/<store>/), 16 uploads at a time, and writes the URL list
curl downloads for the yardstick.

  load.py s3 CORPUS URLS ENDPOINT KEY SECRET
  load.py google_cloud_storage CORPUS URLS EMULATOR
  load.py azure_blob_storage CORPUS URLS ACCOUNT_URL KEY
Bucket / container `bench`, object names = the corpus' relative paths. URLS gets
one `url = ...` line per object, in curl's --config syntax.
"""
import concurrent.futures, os, sys, urllib.parse

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUCKET = "bench"


def manifest(corpus):
    with open(os.path.join(corpus, "manifest.tsv")) as f:
        return [line.split("\t")[0] for line in f]


def upload_all(corpus, put):
    def one(rel):
        with open(os.path.join(corpus, rel), "rb") as f:
            put(rel, f.read())
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        for _ in pool.map(one, manifest(corpus)):
            pass


def main():
    store, corpus, urls_out = sys.argv[1:4]
    args = sys.argv[4:]
    quote = lambda rel: urllib.parse.quote(rel, safe="/")
    if store == "s3":
        sys.path.insert(0, os.path.join(REPO, "tests/ftest/s3"))
        import data as s3
        endpoint, key, secret = args
        s3.call(endpoint, key, secret, "PUT", f"/{BUCKET}")
        upload_all(corpus, lambda rel, body: s3.call(endpoint, key, secret, "PUT", f"/{BUCKET}/{rel}", body))
        url = lambda rel: f"{endpoint}/{BUCKET}/{quote(rel)}"
    elif store == "google_cloud_storage":
        sys.path.insert(0, os.path.join(REPO, "tests/ftest/google_cloud_storage"))
        import data as gcs, json
        (emulator,) = args
        gcs.call(f"{emulator}/storage/v1/b?project=bench", "POST", json.dumps({"name": BUCKET}).encode())
        upload_all(corpus, lambda rel, body: gcs.put(emulator, BUCKET, rel, body))
        url = lambda rel: f"{emulator}/storage/v1/b/{BUCKET}/o/{urllib.parse.quote(rel, safe='')}?alt=media"
    elif store == "azure_blob_storage":
        sys.path.insert(0, os.path.join(REPO, "tests/ftest/azure_blob_storage"))
        import azure_blobs as az
        account_url, key = args
        account = az.Account(account_url, key)
        # Public read, so that curl needs no SharedKey signature; the source still signs.
        account.request("PUT", f"/{BUCKET}", {"restype": "container"},
                        headers={"x-ms-blob-public-access": "container"}, ok=(201, 409))
        upload_all(corpus, lambda rel, body: az.put_blob(account, BUCKET, rel, body))
        url = lambda rel: f"{account_url}/{BUCKET}/{quote(rel)}"
    else:
        raise SystemExit(__doc__)
    with open(urls_out, "w") as f:
        f.writelines(f'url = "{url(rel)}"\noutput = "/dev/null"\n' for rel in manifest(corpus))


if __name__ == "__main__":
    main()
