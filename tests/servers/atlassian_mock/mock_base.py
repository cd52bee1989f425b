"""What the Confluence and Jira mocks share: a threaded HTTP server speaking
Atlassian's way (basic auth with its 401 body, JSON errors, 429 with
Retry-After), a fixed latency per request, a 429 storm, and the record of
every endpoint a client called that the mock does not know (answered 404 and
listed by GET /_mock/unknown; the tests fail on any).

Routes are (method, regex over the path, handler); a handler gets the request
and returns (status, body, headers). Control endpoints under /_mock/ need no
auth: /_mock/stats, /_mock/unknown, POST /_mock/round (the product's change
and delete round), POST /_mock/storm?count=N&retry_after=S.
"""

import base64
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# Atlassian's error bodies (Cloud and Server answer these shapes).
UNAUTHORIZED = {"message": "Client must be authenticated to access this resource.",
                "status-code": 401}


def jira_error(message):
    return {"errorMessages": [message], "errors": {}}


class Request:
    def __init__(self, method, target, headers, host):
        parts = urlsplit(target)
        self.method = method
        self.path = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.headers = headers
        self.host = host  # "127.0.0.1:PORT", for links

    def arg(self, name, default=None):
        return self.query.get(name, default)

    def int_arg(self, name, default):
        try:
            return int(self.query.get(name, default))
        except ValueError:
            return default


class Mock:
    """The server state every product module extends with its routes and data."""

    def __init__(self, deployment, user, secret, latency_ms=0):
        self.deployment = deployment  # "cloud" or "server"
        self.cloud = deployment == "cloud"
        self.user, self.secret = user, secret
        self.latency = latency_ms / 1000.0
        self.routes = []
        self.lock = threading.Lock()
        self.unknown = []
        self.calls = {}
        self.storm_left = 0
        self.storm_retry_after = 1
        self.throttled = 0
        self.port = 0
        self.scheme = "http"  # "https" when served with a certificate

    def route(self, method, pattern, handler):
        self.routes.append((method, re.compile(pattern + r"\Z"), handler))

    def authorized(self, headers):
        expected = "Basic " + base64.b64encode(f"{self.user}:{self.secret}".encode()).decode()
        return headers.get("Authorization") == expected

    def control(self, request):
        if request.path == "/_mock/stats":
            with self.lock:
                return 200, {"calls": self.calls, "throttled": self.throttled,
                             "unknown": len(self.unknown)}, {}
        if request.path == "/_mock/unknown":
            with self.lock:
                return 200, list(self.unknown), {}
        if request.path == "/_mock/storm" and request.method == "POST":
            with self.lock:
                self.storm_left = request.int_arg("count", 10)
                self.storm_retry_after = request.int_arg("retry_after", 1)
            return 200, {"storm": self.storm_left}, {}
        if request.path == "/_mock/round" and request.method == "POST":
            return 200, self.change_round(), {}
        if request.path == "/_mock/visible":
            return 200, sorted(self.visible(request.arg("user", ""))), {}
        if request.path == "/_mock/expected":
            return 200, self.expected(request, request.int_arg("sample", 20)), {}
        if request.path == "/_mock/healthz":
            return 200, {"ok": True}, {}
        return None

    def change_round(self):
        return {}

    def expected(self, request, sample):
        """What a full sync with every key and no rules must index: every id, and a sample
        of documents with their fields (ftest format: {"id", "fields"})."""
        return {"ids": [], "docs": []}

    def visible(self, user):
        """The ids of the documents `user` (an account id or username) may see: the oracle
        of the DLS tests, from the mock's own permission model."""
        return []

    def handle(self, request):
        if request.path.startswith("/_mock/"):
            answer = self.control(request)
            if answer is not None:
                return answer
        if self.latency:
            time.sleep(self.latency)
        public = getattr(self, "public_paths", ())
        if not any(request.path.startswith(p) for p in public) and not self.authorized(request.headers):
            return 401, UNAUTHORIZED, {"WWW-Authenticate": 'Basic realm="protected-area"'}
        with self.lock:
            if self.storm_left > 0:
                self.storm_left -= 1
                self.throttled += 1
                return 429, "Rate limit exceeded.", {"Retry-After": str(self.storm_retry_after)}
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if match and method == request.method:
                with self.lock:
                    key = f"{method} {pattern.pattern[:-2]}"
                    self.calls[key] = self.calls.get(key, 0) + 1
                return handler(request, *match.groups())
        with self.lock:
            self.unknown.append(f"{request.method} {request.path}")
        return 404, self.not_found(request), {}

    def not_found(self, request):
        return jira_error(f"No endpoint {request.method} {request.path} in the mock")


def serve(mock, port, cert=None, key=None):
    """The server of `mock` on 127.0.0.1:`port` (0: a free one); TLS with `cert` and `key`."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            request = Request(self.command, self.path, self.headers,
                              self.headers.get("Host") or f"127.0.0.1:{mock.port}")
            try:
                status, body, headers = mock.handle(request)
            except Exception as error:  # a mock bug: show it, never hide it as a 404
                status, body, headers = 500, {"message": f"mock error: {error!r}"}, {}
            if isinstance(body, (bytes, bytearray)):
                data, kind = bytes(body), headers.pop("Content-Type", "application/octet-stream")
            elif isinstance(body, str):
                data, kind = body.encode(), "text/plain;charset=UTF-8"
            else:
                data, kind = json.dumps(body).encode(), "application/json;charset=UTF-8"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = answer

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    mock.port = server.server_address[1]
    if cert:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        mock.scheme = "https"
    return server


def people(count, everyone, second):
    """`count` users and two groups: `everyone` (all of them) and `second` (users 0 and 1)."""
    users = [{"n": i, "account": f"acc-{i}", "name": f"user{i}", "display": f"User {i}",
              "email": f"user{i}@example.com"} for i in range(count)]
    groups = [{"id": "g-0", "name": everyone, "members": set(range(count))},
              {"id": "g-1", "name": second, "members": {0, 1}}]
    return users, groups


# Attachments with real file types, from the extraction fixtures.
FIXTURES = __import__("os").path.join(__import__("os").path.dirname(__file__), "..", "..",
                                      "fixtures", "extraction")
REAL_FILES = [
    ("testWORD.docx", "ooxml/testWORD.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("testAnnotations.pdf", "pdf/testAnnotations.pdf", "application/pdf"),
    ("testEXCEL.xlsx", "ooxml/testEXCEL.xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("english.txt", "text/english.txt", "text/plain"),
]


def real_file(index):
    name, path, media = REAL_FILES[index % len(REAL_FILES)]
    with open(__import__("os").path.join(FIXTURES, path), "rb") as f:
        return name, f.read(), media


def letters(seed, size):
    """The framework's fixture bodies: `size` letters, the same for the same seed."""
    pattern = bytes(97 + (seed * 7 + i) % 26 for i in range(997))
    return (pattern * (size // len(pattern) + 1))[:size]
