#!/usr/bin/env python3
"""Google's OAuth 2.0 token endpoint and an authenticating front for fake-gcs-server, for tests.

POST /token takes a JWT bearer assertion (RFC 7523) as Google does, verifies it (RS256
signature with the service account's public key, iss, aud, scope, iat/exp) and answers
{"access_token", "expires_in", "token_type"}, or 400 invalid_grant like Google. Every other
request must carry `Authorization: Bearer <a token issued here, unexpired>` (else 401 like
the JSON API) and is forwarded to fake-gcs-server, which checks no auth. It also answers
projects.serviceAccount.get, which fake-gcs-server lacks.

Test hooks: GET /_stats (tokens issued, API requests, rejected ones); POST /_fail
?bucket=B&status=S[&after=N] makes object listings of B answer S once N pages were
served (N=0: the first page too); POST /_fail with no bucket clears it;
--expires-in sets the tokens' lifetime.
"""
import argparse
import base64
import http.client
import json
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


SCOPE = "https://www.googleapis.com/auth/devstorage.read_only"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_rs256(public_key_pem, message, signature):
    """RSASSA-PKCS1-v1_5 with SHA-256, checked by the openssl CLI (every
    machine has it; no Python package to install)."""
    with tempfile.NamedTemporaryFile() as sig:
        sig.write(signature)
        sig.flush()
        result = subprocess.run(["openssl", "dgst", "-sha256", "-verify", public_key_pem,
                                 "-signature", sig.name], input=message, capture_output=True)
    return result.returncode == 0


class State:
    def __init__(self, args):
        self.args = args
        self.public_key = args.public_key  # a PEM file, read by openssl
        self.lock = threading.Lock()
        self.tokens = {}  # token -> expiry (epoch seconds)
        self.stats = {"tokens_issued": 0, "api_requests": 0, "rejected_tokens": 0,
                      "rejected_assertions": 0}
        self.fail = None  # {"bucket", "status", "after", "served"}

    def count(self, key):
        with self.lock:
            self.stats[key] += 1

    def check_assertion(self, assertion):
        """The error description Google would give, or None when the JWT is good."""
        parts = assertion.split(".")
        if len(parts) != 3:
            return "Invalid JWT: malformed"
        try:
            header = json.loads(b64url_decode(parts[0]))
            claims = json.loads(b64url_decode(parts[1]))
            signature = b64url_decode(parts[2])
        except ValueError:
            return "Invalid JWT: not base64url JSON"
        if header.get("alg") != "RS256":
            return "Invalid JWT: alg must be RS256"
        if not verify_rs256(self.public_key, f"{parts[0]}.{parts[1]}".encode(), signature):
            return "Invalid JWT Signature."
        if claims.get("iss") != self.args.client_email:
            return "Invalid grant: account not found"
        if claims.get("aud") != self.args.token_uri:
            return "Invalid JWT: audience must be " + self.args.token_uri
        if SCOPE not in str(claims.get("scope", "")).split():
            return "Invalid JWT: scope must include " + SCOPE
        now = time.time()
        iat, exp = claims.get("iat"), claims.get("exp")
        if not isinstance(iat, int) or not isinstance(exp, int):
            return "Invalid JWT: iat and exp must be integers"
        if exp < now or iat > now + 300 or exp - iat > 3600:
            return ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                    "reasonable timeframe. Check your iat and exp values in the JWT claim.")
        return None

    def issue(self):
        token = "ya29.test-" + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = time.time() + self.args.expires_in
            self.stats["tokens_issued"] += 1
        return token

    def valid(self, authorization):
        if not authorization or not authorization.startswith("Bearer "):
            return False
        with self.lock:
            expiry = self.tokens.get(authorization[len("Bearer "):])
        return expiry is not None and expiry > time.time()

    def injected_failure(self, path):
        """The status to answer for an object listing the test asked to fail, else None."""
        with self.lock:
            fail = self.fail
            if not fail or path != f"/storage/v1/b/{fail['bucket']}/o":
                return None
            if fail["served"] < fail["after"]:
                fail["served"] += 1
                return None
            return fail["status"]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state = None

    def log_message(self, fmt, *args):  # quiet: tests read the answers
        pass

    def reply(self, status, body, content_type="application/json", headers=()):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PUT(self):
        self.route("PUT")

    def do_DELETE(self):
        self.route("DELETE")

    def do_PATCH(self):
        self.route("PATCH")

    def route(self, method):
        url = urllib.parse.urlsplit(self.path)
        body = self.body()
        if url.path == "/healthz":
            return self.reply(200, {"ok": True})
        if url.path == "/_stats":
            with self.state.lock:
                return self.reply(200, dict(self.state.stats))
        if url.path == "/_fail":
            query = dict(urllib.parse.parse_qsl(url.query))
            with self.state.lock:
                self.state.fail = None if "bucket" not in query else {
                    "bucket": query["bucket"], "status": int(query.get("status", 500)),
                    "after": int(query.get("after", 0)), "served": 0}
            return self.reply(200, {"ok": True})
        if url.path == "/token" and method == "POST":
            return self.token(body)
        if not self.state.valid(self.headers.get("Authorization")):
            self.state.count("rejected_tokens")
            error = {"code": 401, "message": "Invalid Credentials",
                     "errors": [{"message": "Invalid Credentials", "domain": "global",
                                 "reason": "authError", "location": "Authorization"}]}
            return self.reply(401, {"error": error},
                              headers=[("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/"')])
        self.state.count("api_requests")
        prefix = "/storage/v1/projects/"
        if url.path.startswith(prefix) and url.path.endswith("/serviceAccount"):
            project = url.path[len(prefix):-len("/serviceAccount")]
            return self.reply(200, {"kind": "storage#serviceAccount",
                                    "email_address": f"service-{project}@gs-project-accounts.test"})
        status = self.state.injected_failure(url.path) if method == "GET" else None
        if status:
            return self.reply(status, {"error": {"code": status, "message": "injected failure"}})
        self.forward(method, body)

    def token(self, body):
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if form.get("grant_type") != GRANT:
            return self.reply(400, {"error": "unsupported_grant_type",
                                    "error_description": "Invalid grant_type: " + form.get("grant_type", "")})
        problem = self.state.check_assertion(form.get("assertion", ""))
        if problem:
            self.state.count("rejected_assertions")
            return self.reply(400, {"error": "invalid_grant", "error_description": problem})
        self.reply(200, {"access_token": self.state.issue(), "expires_in": self.state.args.expires_in,
                         "token_type": "Bearer"})

    def forward(self, method, body):
        backend = urllib.parse.urlsplit(self.state.args.backend)
        connection = http.client.HTTPConnection(backend.hostname, backend.port, timeout=60)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("authorization", "host", "connection", "content-length")}
        if body:
            headers["Content-Length"] = str(len(body))
        connection.request(method, self.path, body=body or None, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        passed = [(k, v) for k, v in response.getheaders()
                  if k.lower() not in ("content-length", "transfer-encoding", "connection",
                                       "content-type")]
        self.reply(response.status, data, response.getheader("Content-Type", "application/json"),
                   passed)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--public-key", required=True)
    parser.add_argument("--client-email", required=True)
    parser.add_argument("--token-uri", required=True)
    parser.add_argument("--expires-in", type=int, default=3599)
    args = parser.parse_args()
    Handler.state = State(args)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
