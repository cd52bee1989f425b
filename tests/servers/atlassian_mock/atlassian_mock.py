#!/usr/bin/env python3
"""Runs the Confluence or Jira mock (tests/servers/atlassian.sh starts it).

  atlassian_mock.py --product confluence|jira --deployment cloud|server --port P
      --user U --secret S [--latency-ms N] [--storm N] [--size SMALL|MEDIUM|LARGE]
      [--cert PEM --key PEM] [--spaces N --contents N --attachments N --projects N --issues N --file-size N]

Prints "ready <port>" once listening. --size picks the framework's ftest fixture
sizes (sources.md §8, §9); the count options override them.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from mock_base import serve  # noqa: E402

# The framework's fixtures: Confluence 4 000 spaces, 50 pages + 50 blog posts with
# 5 attachments each; Jira 1 000 projects and 2 000 issues with one attachment.
SIZES = {
    "confluence": {"SMALL": 1000000, "MEDIUM": 2000000, "LARGE": 6000000},
    "jira": {"SMALL": 500000, "MEDIUM": 1000000, "LARGE": 3000000},
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--product", choices=["confluence", "jira"], required=True)
    p.add_argument("--deployment", choices=["cloud", "server"], required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--user", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--latency-ms", type=int, default=0)
    p.add_argument("--storm", type=int, default=0, help="answer the first N requests 429")
    p.add_argument("--size", choices=["SMALL", "MEDIUM", "LARGE"])
    p.add_argument("--spaces", type=int)
    p.add_argument("--contents", type=int)
    p.add_argument("--attachments", type=int)
    p.add_argument("--projects", type=int)
    p.add_argument("--issues", type=int)
    p.add_argument("--users", type=int, default=4)
    p.add_argument("--file-size", type=int)
    p.add_argument("--cert", help="serve HTTPS with this certificate (PEM)")
    p.add_argument("--key", help="the certificate's private key (PEM)")
    p.add_argument("--comments", type=int, default=5, help="comments of every third Jira issue")
    a = p.parse_args()
    fixture = a.size is not None
    file_size = a.file_size or (SIZES[a.product][a.size] if fixture else 2000)
    if a.product == "confluence":
        from confluence import Confluence

        mock = Confluence(a.deployment, a.user, a.secret,
                          spaces=a.spaces or (4000 if fixture else 5),
                          contents=a.contents or (50 if fixture else 6),
                          attachments=a.attachments if a.attachments is not None else (5 if fixture else 2),
                          file_size=file_size, users=a.users, latency_ms=a.latency_ms)
    else:
        from jira import Jira

        mock = Jira(a.deployment, a.user, a.secret,
                    projects=a.projects or (1000 if fixture else 4),
                    issues=a.issues or (2000 if fixture else 30),
                    file_size=file_size, users=a.users, latency_ms=a.latency_ms,
                    comments=a.comments)
    mock.storm_left = a.storm
    server = serve(mock, a.port, a.cert, a.key)
    print(f"ready {mock.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
