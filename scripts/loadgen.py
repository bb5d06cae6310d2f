#!/usr/bin/env python3
"""A bounded load generator: steady GETs at a web host while something else happens.

Usage: loadgen.py URL [--host NAME] [--concurrency N] [--rate R] [--max-seconds S]
                  [--stop-file PATH] [--out FILE] [--insecure]

N threads share a budget of R requests per second (so it never floods the host), until
STOP_FILE exists or S seconds pass. Every answer is counted: 2xx, other statuses, and
errors (refused, reset, timed out). When the body is JSON with "host" and "version"
(the demo's /healthz), those are counted too, which shows how requests were spread over
the app hosts and when a new release began answering; so is each request's time, and
the slowest one is reported (with when it started). Prints a summary and, with
--out, writes it as JSON. Exits 0 whatever it saw: the caller judges the counts.
"""

import argparse
import collections
import http.client
import json
import os
import ssl
import threading
import time
import urllib.parse


class NamedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address, with the TLS name (SNI) of the Host header: a site answers
    only for its name, as for a browser."""

    def __init__(self, *args, server_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.server_name = server_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.server_name or self.host)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--host", help="Host header (default: the URL's host)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second, all threads together")
    parser.add_argument("--max-seconds", type=float, default=300.0)
    parser.add_argument("--stop-file")
    parser.add_argument("--out")
    parser.add_argument("--insecure", action="store_true",
                        help="HTTPS without checking the certificate (a test host's self-signed one)")
    args = parser.parse_args()

    url = urllib.parse.urlsplit(args.url)
    path = url.path or "/"
    if url.query:
        path += "?" + url.query
    host_header = args.host or url.hostname
    lock = threading.Lock()
    counts = collections.Counter()
    statuses = collections.Counter()
    errors = collections.Counter()
    hosts = collections.Counter()
    versions = collections.Counter()
    first_seen = {}
    slowest = {"ms": 0.0, "at_s": 0.0}
    start = time.monotonic()
    deadline = start + args.max_seconds
    interval = args.concurrency / args.rate
    stop = threading.Event()
    context = ssl._create_unverified_context() if args.insecure else ssl.create_default_context()  # noqa: S323

    def worker() -> None:
        next_at = time.monotonic()
        while not stop.is_set():
            now = time.monotonic()
            if now >= deadline or (args.stop_file and os.path.exists(args.stop_file)):
                stop.set()
                break
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            if url.scheme == "https":
                conn = NamedHTTPSConnection(url.hostname, url.port, timeout=10, context=context, server_name=host_header)
            else:
                conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            sent = time.monotonic()
            try:
                conn.request("GET", path, headers={"Host": host_header, "User-Agent": "pywebstack-loadgen"})
                response = conn.getresponse()
                body = response.read()
                with lock:
                    counts["total"] += 1
                    statuses[response.status] += 1
                    counts["ok" if 200 <= response.status < 300 else "non_2xx"] += 1
                try:
                    data = json.loads(body)
                except ValueError:
                    data = None
                if isinstance(data, dict):
                    with lock:
                        hosts[str(data.get("host"))] += 1
                        version = str(data.get("version"))
                        versions[version] += 1
                        first_seen.setdefault(version, round(time.monotonic() - start, 1))
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    counts["total"] += 1
                    counts["failed"] += 1
                    errors[type(exc).__name__] += 1
            finally:
                conn.close()
                took = (time.monotonic() - sent) * 1000
                with lock:
                    if took > slowest["ms"]:
                        slowest.update(ms=round(took, 1), at_s=round(sent - start, 1))

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = {
        "seconds": round(time.monotonic() - start, 1),
        "total": counts["total"],
        "ok": counts["ok"],
        "non_2xx": counts["non_2xx"],
        "failed": counts["failed"],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors),
        "hosts": dict(hosts),
        "versions": dict(versions),
        "version_first_seen_s": first_seen,
        "slowest_ms": slowest["ms"],
        "slowest_at_s": slowest["at_s"],
    }
    print(
        f"{summary['total']} requests in {summary['seconds']} s: {summary['ok']} ok, "
        f"{summary['non_2xx']} non-2xx, {summary['failed']} failed; slowest {summary['slowest_ms']} ms "
        f"(at {summary['slowest_at_s']} s); hosts {summary['hosts']}; versions {summary['versions']}"
    )
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
