#!/usr/bin/env python3
"""Fault-injecting HTTP reverse proxy for integration tests (stdlib only).

Forwards every request to --upstream and relays the answer, unless a rule
installed through the control API under /__fault/ says otherwise.  See
README.md next to this file for the control API.
"""
import argparse
import http.client
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTROL_PREFIX = "/__fault/"
ACTIONS = ("status", "drop", "delay", "reset")
# Hop-by-hop headers (RFC 9110 7.6.1) are never relayed; framing headers are
# recomputed because we always buffer the full body.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "proxy-authenticate", "te",
              "proxy-authorization", "trailer", "transfer-encoding", "upgrade", "expect",
              "content-length"}


class Rule:
    def __init__(self, rule_id, spec):
        if not isinstance(spec, dict):
            raise ValueError("rule must be a JSON object")
        self.id, self.spec = rule_id, spec
        self.action = spec.get("action", "status")
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}, expected one of {ACTIONS}")
        self.status = int(spec.get("status", 500))
        if self.action == "status" and not 100 <= self.status <= 599:
            raise ValueError("status must be within 100..599")
        self.count = int(spec.get("count", 1))
        self.every = int(spec.get("every", 1))
        if self.every < 1 or self.count < -1:
            raise ValueError("every must be >= 1 and count >= -1")
        self.path_re = re.compile(spec.get("path_regex") or "")
        self.method = (spec.get("method") or "").upper() or None
        # only requests whose body is larger (a 413 for oversized requests)
        larger = spec.get("body_larger_than")
        self.body_larger_than = None if larger is None else int(larger)
        if self.body_larger_than is not None and self.body_larger_than < 0:
            raise ValueError("body_larger_than must be >= 0")
        self.delay_s = float(spec.get("delay_ms", 1000)) / 1000.0
        if self.delay_s < 0:
            raise ValueError("delay_ms must be >= 0")
        self.headers = {str(k): str(v) for k, v in (spec.get("headers") or {}).items()}
        body = spec.get("body")
        if body is None:
            etype = "es_rejected_execution_exception" if self.status == 429 else "injected_fault"
            body = {"error": {"type": etype, "reason": "injected by fault_proxy"},
                    "status": self.status}
        self.body = (body if isinstance(body, str) else json.dumps(body)).encode()
        self.matched = self.injected = 0  # `count` limits injected, `every` uses matched

    def active(self):
        return self.count == -1 or self.injected < self.count

    def info(self):
        return {"id": self.id, "rule": self.spec, "matched": self.matched,
                "injected": self.injected,
                "remaining": -1 if self.count == -1 else self.count - self.injected}


class State:
    """Rules and counters shared by all handler threads, guarded by one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.rules, self.next_id = [], 1
        self.reset_stats()

    def reset_stats(self):
        self.total = self.forwarded = self.faults = self.upstream_errors = 0
        self.by_path = {}

    def add_rules(self, specs):
        with self.lock:
            rules = [Rule(self.next_id + i, s) for i, s in enumerate(specs)]  # validate all first
            self.next_id += len(rules)
            self.rules.extend(rules)
            return [r.info() for r in rules]

    def pick(self, method, target, body_len):
        """Count the request and return the rule to apply, or None.

        A matching rule that skips this request because of `every` lets it fall
        through to later rules, so rules compose (e.g. storm + delay)."""
        with self.lock:
            self.total += 1
            for rule in self.rules:
                if not rule.active() or (rule.method and rule.method != method) \
                        or not rule.path_re.search(target) \
                        or (rule.body_larger_than is not None and body_len <= rule.body_larger_than):
                    continue
                rule.matched += 1
                if rule.matched % rule.every == 0:
                    rule.injected += 1
                    self.faults += 1
                    return rule
            return None

    def count_forward(self, key, ok):
        with self.lock:
            if ok:
                self.forwarded += 1
                self.by_path[key] = self.by_path.get(key, 0) + 1
            else:
                self.upstream_errors += 1

    def stats(self):
        with self.lock:
            return {"requests_total": self.total, "forwarded": self.forwarded,
                    "faults_injected": self.faults, "upstream_errors": self.upstream_errors,
                    "rules": [r.info() for r in self.rules],
                    "forwarded_by_path": dict(self.by_path)}


class ProxyHandler(BaseHTTPRequestHandler):
    # HTTP/1.1 gives client keep-alive and makes parse_request() answer
    # "Expect: 100-continue" by itself before we read the body.
    protocol_version = "HTTP/1.1"
    server_version = "fault_proxy/1"
    upstream_conn = None  # one upstream connection per client connection

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("fault_proxy: %s %s\n" % (self.address_string(), fmt % args))

    def finish(self):
        super().finish()
        if self.upstream_conn:
            self.upstream_conn.close()

    def read_body(self):
        """Return the request body (None if the request has none)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline(65537).split(b";", 1)[0].strip(), 16)
                if size == 0:
                    break
                parts.append(self.rfile.read(size))
                if len(parts[-1]) != size or self.rfile.readline(3).strip():
                    raise ValueError("truncated or malformed chunk")
            while self.rfile.readline(65537).strip():  # skip trailer fields
                pass
            return b"".join(parts)
        length = self.headers.get("Content-Length")
        if length is None:
            return None
        body = self.rfile.read(int(length))
        if len(body) != int(length):
            raise ValueError("truncated body")
        return body

    def respond(self, status, body, headers=None, content_type="application/json"):
        self.send_response(status)
        hdrs = {"Content-Type": content_type, **(headers or {})}
        for k, v in hdrs.items():
            if k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def respond_json(self, status, obj):
        self.respond(status, json.dumps(obj, indent=1).encode() + b"\n")

    def handle_request(self):
        try:
            body = self.read_body()
        except ValueError as e:
            self.close_connection = True
            return self.respond_json(400, {"error": {"type": "parse_exception", "reason": str(e)},
                                           "status": 400})
        path = self.path.split("?", 1)[0]
        if path.startswith(CONTROL_PREFIX):
            return self.control(path, body)
        state = self.server.state
        rule = state.pick(self.command, self.path, len(body or b""))
        if rule and rule.action == "status":
            return self.respond(rule.status, rule.body, rule.headers)
        if rule and rule.action in ("drop", "reset"):
            self.close_connection = True
            if rule.action == "reset":
                # linger(on, 0s) makes close() send RST instead of FIN.  detach()
                # so the fd really closes now (rfile still holds a reference) and
                # socketserver does not shutdown(SHUT_WR), which would send a FIN.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                os.close(self.connection.detach())
            return None
        if rule:  # delay
            time.sleep(rule.delay_s)
        self.forward(body, state, f"{self.command} {path}")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = handle_request

    def forward(self, body, state, key):
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
        for attempt in (1, 2):
            reused = self.upstream_conn is not None and self.upstream_conn.sock is not None
            if self.upstream_conn is None:
                host, port, timeout = self.server.upstream
                self.upstream_conn = http.client.HTTPConnection(host, port, timeout=timeout)
            conn = self.upstream_conn
            try:
                conn.putrequest(self.command, self.path, skip_host=True,
                                skip_accept_encoding=True)
                for k, v in headers:
                    conn.putheader(k, self.server.upstream_host if k.lower() == "host" else v)
                if body is not None:
                    conn.putheader("Content-Length", str(len(body)))
                conn.endheaders(body)
                resp = conn.getresponse()
                resp_body = resp.read()
                break
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                self.upstream_conn = None
                # An idle upstream keep-alive connection may have been closed
                # under us; retry exactly once, and only in that case.
                if attempt == 1 and reused and isinstance(e, (ConnectionError,
                                                              http.client.BadStatusLine)):
                    self.log_message("stale upstream connection (%r), retrying", e)
                    continue
                state.count_forward(key, False)
                return self.respond_json(502, {"error": {"type": "proxy_upstream_error",
                                                         "reason": repr(e)}, "status": 502})
        state.count_forward(key, True)
        self.log_request(resp.status)
        self.send_response_only(resp.status, resp.reason)  # upstream sends its own Date etc.
        upstream_len = None
        for k, v in resp.getheaders():
            if k.lower() == "content-length":
                upstream_len = v
            elif k.lower() not in HOP_BY_HOP:
                self.send_header(k, v)
        if self.command == "HEAD" or resp.status == 304:
            if upstream_len is not None:  # describes the body we are not sending
                self.send_header("Content-Length", upstream_len)
        elif resp.status != 204 and resp.status >= 200:
            self.send_header("Content-Length", str(len(resp_body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(resp_body)

    def control(self, path, body):
        state, what = self.server.state, path[len(CONTROL_PREFIX):].strip("/")
        if what == "rules" and self.command == "POST":
            try:
                specs = json.loads(body or b"null")
                infos = state.add_rules(specs if isinstance(specs, list) else [specs])
            except (ValueError, TypeError, AttributeError, re.error) as e:
                return self.respond_json(400, {"error": f"bad rule: {e}"})
            return self.respond_json(201, {"added": infos})
        if what == "rules" and self.command == "DELETE":
            with state.lock:
                n, state.rules = len(state.rules), []
            return self.respond_json(200, {"cleared": n})
        if what == "rules" and self.command == "GET":
            return self.respond_json(200, state.stats()["rules"])
        if what == "stats" and self.command == "GET":
            return self.respond_json(200, state.stats())
        if what == "stats" and self.command == "DELETE":
            with state.lock:
                state.reset_stats()
            return self.respond_json(200, {"reset": True})
        return self.respond_json(404, {"error": f"no control endpoint {self.command} {path}"})


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True  # never block exit on a hung client connection

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # client went away: normal
            super().handle_error(request, client_address)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--upstream", required=True, help="e.g. http://127.0.0.1:9200")
    ap.add_argument("--listen-port", type=int, default=0, help="0 = pick a free port")
    ap.add_argument("--port-file", help="write the listening port to this file")
    ap.add_argument("--upstream-timeout", type=float, default=300.0, help="seconds")
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = ap.parse_args(argv)
    up = urllib.parse.urlsplit(args.upstream)
    if up.scheme != "http" or not up.hostname:
        ap.error("--upstream must be a plain http:// URL")

    server = ProxyServer(("127.0.0.1", args.listen_port), ProxyHandler)
    server.state, server.verbose = State(), args.verbose
    server.upstream = (up.hostname, up.port or 80, args.upstream_timeout)
    server.upstream_host = up.netloc.rsplit("@", 1)[-1]  # Host header sent upstream
    port = server.server_address[1]
    if args.port_file:  # write-then-rename so readers never see a partial file
        tmp = f"{args.port_file}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(f"listening http://127.0.0.1:{port}", flush=True)

    # shutdown() blocks until serve_forever() returns, so it must not run in
    # the signal handler's thread (the one running serve_forever).
    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.serve_forever(poll_interval=0.2)
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
