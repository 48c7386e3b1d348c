"""Local test sites for the benchmarks: one threaded HTTP/1.1 server per loopback address.

Each host serves `/robots.txt` (allow all) and its pages by path with an ETag, answering 304 to a
matching If-None-Match: `make_hosts` builds small pages (`/` links to every `/p/<i>/`), `serve`
takes pages given (bench/live.py: the replay corpus, stored and sent gzip-encoded as real sites
send them). Every answer is counted per host, so a benchmark can tell full downloads from 304s.
Only 127.0.0.0/8 addresses are used.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROBOTS = b"User-agent: *\nDisallow:\n"


def page_html(host_no: int, i: int, filler: int) -> bytes:
    paragraphs = "".join(
        f"<p>Stad {host_no} skrev under Klimatkontrakt 2030 den 8 december 2023, stycke {k} av sidan {i}.</p>"
        for k in range(filler)
    )
    return (f"<!doctype html><html lang=sv><head><title>Sida {i} hos {host_no}</title></head><body>"
            f"<h1>Klimatkontrakt 2030, sida {i}</h1>{paragraphs}<a href=\"/\">Start</a></body></html>").encode()


@dataclass
class Host:
    address: str
    pages: dict[str, bytes]  # path -> body (gzip-compressed when `gzipped`)
    gzipped: bool = False
    counts: Counter = field(default_factory=Counter)  # (path kind, status) -> n
    bytes_sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    @property
    def root(self) -> str:
        assert self.server is not None
        return f"http://{self.address}:{self.server.server_address[1]}/"

    def reset_counts(self) -> None:
        with self.lock:
            self.counts.clear()
            self.bytes_sent = 0

    def full_downloads(self) -> int:
        """200 answers with a body for pages (robots.txt left out)."""
        return sum(n for (kind, status), n in self.counts.items() if kind == "page" and status == 200)


def _handler(host: Host):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args) -> None:
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)
            with host.lock:
                kind = "robots" if self.path == "/robots.txt" else "sitemap" if self.path.endswith(".xml") else "page"
                host.counts[(kind, status)] += 1
                host.bytes_sent += len(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path == "/robots.txt":
                return self._send(200, ROBOTS, {"Content-Type": "text/plain"})
            body = host.pages.get(self.path)
            if body is None:
                return self._send(404, b"not found", {"Content-Type": "text/plain"})
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", {"ETag": etag})
            headers = {"Content-Type": "text/html; charset=utf-8", "ETag": etag}
            if host.gzipped:
                headers["Content-Encoding"] = "gzip"
            return self._send(200, body, headers)

    return Handler


def make_hosts(n_hosts: int, n_pages: int, filler: int = 20) -> list[Host]:
    """n_hosts sites on 127.0.0.2, 127.0.0.3, ...; each has n_pages pages including `/`."""
    hosts = []
    for h in range(n_hosts):
        pages = {f"/p/{i}/": page_html(h, i, filler) for i in range(1, n_pages)}
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in pages)
        pages["/"] = (f"<!doctype html><html lang=sv><head><title>Start {h}</title></head><body>"
                      f"<h1>Klimatkontrakt 2030</h1><ul>{links}</ul></body></html>").encode()
        hosts.append(serve(Host(address=f"127.0.0.{h + 2}", pages=pages)))
    return hosts


def serve(host: Host) -> Host:
    """Start `host`'s server (a free port on its address, threads of its own); returns `host`."""
    server = ThreadingHTTPServer((host.address, 0), _handler(host))
    server.daemon_threads = True
    host.server = server
    threading.Thread(target=server.serve_forever, name=f"site-{host.address}", daemon=True).start()
    return host


def stop(hosts: list[Host]) -> None:
    for host in hosts:
        if host.server is not None:
            host.server.shutdown()
            host.server.server_close()
