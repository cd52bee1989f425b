"""Self-test for fault_proxy.py (stdlib only).

    python3 -m unittest tests/fault_proxy/test_fault_proxy.py -v

Starts an in-process echo upstream on 127.0.0.1 and the proxy as a child
process (the real CLI), and tears both down afterwards.
"""
import hashlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PROXY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fault_proxy.py")


class EchoUpstream(BaseHTTPRequestHandler):
    """Answers with a JSON description of what it received."""
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if self.path.startswith("/big"):
            out = b"x" * int(self.path.split("=")[1])
        else:
            out = json.dumps({
                "method": self.command, "path": self.path,
                "authorization": self.headers.get("Authorization"),
                "host": self.headers.get("Host"),
                "transfer_encoding": self.headers.get("Transfer-Encoding"),
                "content_length": self.headers.get("Content-Length"),
                "len": len(body), "sha256": hashlib.sha256(body).hexdigest(),
                "body": body.decode("latin-1") if len(body) < 4096 else None,
            }).encode()
        # /close: drop the upstream connection silently, as an idle-timeout would
        self.close_connection = self.path.startswith("/close")
        self.send_response(201 if self.command == "PUT" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Upstream", "yes")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


def start_proxy(upstream_url, port_file=None):
    cmd = [sys.executable, PROXY, "--upstream", upstream_url, "--listen-port", "0"]
    if port_file:
        cmd += ["--port-file", port_file]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    if not line.startswith("listening http://127.0.0.1:"):
        proc.kill()
        proc.wait()
        raise RuntimeError(f"proxy did not start: {line!r}")
    return proc, int(line.rsplit(":", 1)[1])


def stop_proxy(proc, sig=signal.SIGTERM):
    """Stop the proxy and return its exit code; never leaves it running."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    proc.stdout.close()
    return proc.returncode


class FaultProxyTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.upstream = ThreadingHTTPServer(("127.0.0.1", 0), EchoUpstream)
        cls.upstream.daemon_threads = True
        threading.Thread(target=cls.upstream.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.upstream.server_close)
        cls.addClassCleanup(cls.upstream.shutdown)
        cls.upstream_url = f"http://127.0.0.1:{cls.upstream.server_address[1]}"
        cls.tmp = tempfile.mkdtemp()
        cls.addClassCleanup(shutil.rmtree, cls.tmp)
        port_file = os.path.join(cls.tmp, "port")
        cls.proc, cls.port = start_proxy(cls.upstream_url, port_file)
        cls.addClassCleanup(stop_proxy, cls.proc)
        with open(port_file) as f:
            assert int(f.read()) == cls.port

    def setUp(self):
        self.assertEqual(self.call("DELETE", "/__fault/rules")[0], 200)
        self.assertEqual(self.call("DELETE", "/__fault/stats")[0], 200)

    # -- helpers -----------------------------------------------------------
    def conn(self):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        self.addCleanup(c.close)
        return c

    def call(self, method, path, body=None, headers=None, conn=None):
        c = conn or self.conn()
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        if conn is None:
            c.close()
        return r.status, r, data

    def echo(self, method, path, **kw):
        status, _, data = self.call(method, path, **kw)
        self.assertEqual(status, 200, data)
        return json.loads(data)

    def add_rule(self, **rule):
        status, _, data = self.call("POST", "/__fault/rules", json.dumps(rule),
                                    {"Content-Type": "application/json"})
        self.assertEqual(status, 201, data)
        return json.loads(data)["added"][0]["id"]

    def stats(self):
        return json.loads(self.call("GET", "/__fault/stats")[2])

    # -- forwarding --------------------------------------------------------
    def test_forward_get_with_query_and_auth(self):
        status, r, data = self.call("GET", "/idx/_search?q=a%20b&size=1",
                                    headers={"Authorization": "Basic dTpw"})
        self.assertEqual(status, 200)
        self.assertEqual(r.getheader("X-Upstream"), "yes")
        got = json.loads(data)
        self.assertEqual(got["path"], "/idx/_search?q=a%20b&size=1")
        self.assertEqual(got["authorization"], "Basic dTpw")
        self.assertEqual(got["host"], self.upstream_url[len("http://"):])

    def test_forward_post_and_put_body(self):
        got = self.echo("POST", "/idx/_doc", body=b'{"a":1}',
                        headers={"Content-Type": "application/json"})
        self.assertEqual((got["method"], got["body"]), ("POST", '{"a":1}'))
        status, _, data = self.call("PUT", "/idx", body=b"{}")
        self.assertEqual((status, json.loads(data)["body"]), (201, "{}"))

    def test_large_bodies(self):
        big = os.urandom(1024) * (24 * 1024)  # 24 MiB request
        got = self.echo("POST", "/_bulk", body=big)
        self.assertEqual(got["len"], len(big))
        self.assertEqual(got["sha256"], hashlib.sha256(big).hexdigest())
        status, r, data = self.call("GET", "/big?n=%d" % (8 << 20))  # 8 MiB response
        self.assertEqual((status, len(data)), (200, 8 << 20))

    def test_head_keeps_connection_usable(self):
        c = self.conn()
        status, r, data = self.call("HEAD", "/idx", conn=c)
        self.assertEqual((status, data), (200, b""))
        self.assertGreater(int(r.getheader("Content-Length")), 0)
        self.assertEqual(self.echo("GET", "/after-head", conn=c)["path"], "/after-head")

    def test_keep_alive(self):
        c = self.conn()
        self.echo("GET", "/one", conn=c)
        sock = c.sock
        self.assertIsNotNone(sock)
        self.echo("POST", "/two", body=b"x", conn=c)
        self.assertIs(c.sock, sock, "client connection was not reused")

    def test_upstream_closing_keep_alive_is_retried(self):
        c = self.conn()
        self.echo("GET", "/close", conn=c)  # upstream closes without telling
        self.echo("POST", "/next", body=b"x", conn=c)  # stale connection -> one retry
        self.assertEqual(self.stats()["upstream_errors"], 0)

    def test_chunked_request_body(self):
        c = self.conn()
        # An iterator body without Content-Length makes http.client send chunks.
        got = self.echo("POST", "/idx/_bulk", body=iter([b"hello", b" ", b"world"]), conn=c)
        self.assertEqual((got["body"], got["content_length"]), ("hello world", "11"))
        self.assertIsNone(got["transfer_encoding"])
        self.assertEqual(self.echo("GET", "/again", conn=c)["path"], "/again")

    def test_expect_100_continue(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                      b"Expect: 100-continue\r\n\r\n")
            f = s.makefile("rb")
            self.assertTrue(f.readline().startswith(b"HTTP/1.1 100"))
            self.assertEqual(f.readline(), b"\r\n")
            s.sendall(b"abc")
            r = http.client.HTTPResponse(s)
            r.begin()
            self.assertEqual(json.loads(r.read())["body"], "abc")

    @unittest.skipUnless(shutil.which("curl"), "curl not installed")
    def test_curl_chunked_and_expect(self):
        path = os.path.join(self.tmp, "bulk.ndjson")
        with open(path, "wb") as f:
            f.write(b'{"index":{}}\n{"f":1}\n' * 20000)
        out = subprocess.run(
            ["curl", "-sS", "--noproxy", "*", "-H", "Transfer-Encoding: chunked",
             "-H", "Expect: 100-continue", "--data-binary", "@" + path,
             f"http://127.0.0.1:{self.port}/_bulk"],
            check=True, capture_output=True, timeout=60).stdout
        got = json.loads(out)
        self.assertEqual(got["len"], os.path.getsize(path))

    def test_upstream_down_gives_502(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
        s.close()  # nothing listens on that port now
        proc, port = start_proxy(dead)
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/")
            r = c.getresponse()
            self.assertEqual(r.status, 502)
            self.assertEqual(json.loads(r.read())["error"]["type"], "proxy_upstream_error")
            c.close()
        finally:
            self.assertEqual(stop_proxy(proc, signal.SIGINT), 0)

    # -- faults ------------------------------------------------------------
    def test_429_count_then_pass_through(self):
        self.add_rule(status=429, count=2, path_regex="_bulk", method="POST",
                      headers={"Retry-After": "1"})
        c = self.conn()  # fault responses must keep the connection usable
        self.assertEqual(self.echo("GET", "/_bulk", conn=c)["method"], "GET")  # method differs
        for _ in range(2):
            status, r, data = self.call("POST", "/idx/_bulk", body=b"{}\n", conn=c)
            self.assertEqual(status, 429)
            self.assertEqual(r.getheader("Retry-After"), "1")
            err = json.loads(data)
            self.assertEqual(err["status"], 429)
            self.assertEqual(err["error"]["type"], "es_rejected_execution_exception")
        self.assertEqual(self.echo("POST", "/idx/_bulk", body=b"{}\n", conn=c)["len"], 3)
        st = self.stats()
        self.assertEqual(st["rules"][0]["injected"], 2)
        self.assertEqual(st["rules"][0]["remaining"], 0)
        self.assertEqual(st["forwarded_by_path"], {"GET /_bulk": 1, "POST /idx/_bulk": 1})

    def test_custom_status_and_body(self):
        self.add_rule(status=503, body='{"custom":true}')
        status, _, data = self.call("GET", "/")
        self.assertEqual((status, json.loads(data)), (503, {"custom": True}))
        self.add_rule(status=500)
        err = json.loads(self.call("GET", "/")[2])
        self.assertEqual(err["error"]["type"], "injected_fault")

    def test_every(self):
        self.add_rule(status=503, every=3, count=2, path_regex="^/s")
        statuses = [self.call("GET", "/s")[0] for _ in range(9)]
        self.assertEqual(statuses, [200, 200, 503, 200, 200, 503, 200, 200, 200])

    def test_body_larger_than(self):
        self.add_rule(status=413, count=-1, path_regex="_bulk", body_larger_than=10)
        self.assertEqual(self.echo("POST", "/_bulk", body=b"x" * 10)["len"], 10)
        status, _, data = self.call("POST", "/_bulk", body=b"x" * 11)
        self.assertEqual((status, json.loads(data)["error"]["type"]), (413, "injected_fault"))
        self.assertEqual(self.echo("GET", "/_bulk")["method"], "GET")  # no body: 0 bytes
        self.assertEqual(self.stats()["rules"][0]["matched"], 1)

    def test_drop(self):
        self.add_rule(action="drop", count=1, path_regex="^/d")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError)):
            self.call("GET", "/d")
        self.assertEqual(self.echo("GET", "/d")["path"], "/d")

    def test_reset(self):
        self.add_rule(action="reset", count=1)
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as s:
            s.sendall(b"GET /r HTTP/1.1\r\nHost: x\r\n\r\n")
            with self.assertRaises(ConnectionResetError):
                s.recv(100)  # a FIN would return b"" instead
        self.assertEqual(self.echo("GET", "/r")["path"], "/r")

    def test_delay(self):
        self.add_rule(action="delay", delay_ms=600, count=1)
        t0 = time.monotonic()
        self.assertEqual(self.echo("GET", "/slow")["path"], "/slow")
        self.assertGreaterEqual(time.monotonic() - t0, 0.55)
        t0 = time.monotonic()
        self.echo("GET", "/slow")
        self.assertLess(time.monotonic() - t0, 0.5)

    def test_rule_order_and_stats(self):
        self.add_rule(status=429, count=1, path_regex="_bulk")
        self.add_rule(status=500, count=-1, path_regex="_bulk")
        self.assertEqual(self.call("POST", "/_bulk", b"")[0], 429)
        self.assertEqual(self.call("POST", "/_bulk", b"")[0], 500)
        self.assertEqual(self.call("POST", "/_bulk", b"")[0], 500)
        self.echo("GET", "/x?a=1")
        self.echo("GET", "/x?a=2")
        st = self.stats()
        self.assertEqual((st["requests_total"], st["forwarded"], st["faults_injected"]), (5, 2, 3))
        self.assertEqual([r["injected"] for r in st["rules"]], [1, 2])
        self.assertEqual(st["rules"][1]["remaining"], -1)
        self.assertEqual(st["forwarded_by_path"], {"GET /x": 2})

    def test_rule_list_and_concurrency(self):
        status, _, data = self.call("POST", "/__fault/rules", json.dumps(
            [{"status": 429, "count": 5, "path_regex": "^/p"}, {"action": "delay", "delay_ms": 1, "count": -1}]))
        self.assertEqual((status, len(json.loads(data)["added"])), (201, 2))
        results = []

        def worker():
            for _ in range(5):
                results.append(self.call("POST", "/p", b"{}")[0])
        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(results), [200] * 35 + [429] * 5)
        st = self.stats()
        self.assertEqual([r["injected"] for r in st["rules"]], [5, 35])  # the rest fell through to the delay rule
        self.assertEqual((st["requests_total"], st["forwarded"]), (40, 35))

    def test_clear(self):
        self.add_rule(status=500, count=-1)
        self.assertEqual(self.call("GET", "/c")[0], 500)
        status, _, data = self.call("DELETE", "/__fault/rules")
        self.assertEqual((status, json.loads(data)["cleared"]), (200, 1))
        self.assertEqual(self.call("GET", "/c")[0], 200)
        self.assertEqual(self.stats()["rules"], [])

    def test_bad_rules_rejected(self):
        for bad in (b"not json", b'{"action":"explode"}', b'{"path_regex":"("}',
                    b'{"status":"x"}', b'{"every":0}', b'{"body_larger_than":-1}',
                    b'{"action":"delay","delay_ms":-5}', b'[{"status":429}, 7]'):
            self.assertEqual(self.call("POST", "/__fault/rules", bad)[0], 400, bad)
        self.assertEqual(self.call("GET", "/__fault/nope")[0], 404)
        self.assertEqual(self.stats()["rules"], [])

    def test_sigterm_and_sigint_exit_zero(self):
        for sig in (signal.SIGTERM, signal.SIGINT):
            proc, port = start_proxy(self.upstream_url)
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            c.request("GET", "/")  # leave an idle keep-alive connection open
            c.getresponse().read()
            self.assertEqual(stop_proxy(proc, sig), 0)
            c.close()


if __name__ == "__main__":
    unittest.main()
