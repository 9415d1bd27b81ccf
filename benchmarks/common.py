"""Shared pieces of the benchmarks: a local site serving real pages through one feed, timing, memory."""

from __future__ import annotations

import email.utils
import http.server
import resource
import socketserver
import statistics
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT.parent / "shared" / "corpora" / "html"


class PageSite:
    """N copies of the corpus pages, each under its own URL, listed in one RSS feed on 127.0.0.1."""

    def __init__(self, n: int) -> None:
        files = sorted(HTML.glob("*.html"))
        self.pages = {f"/p/{i:05d}.html": files[i % len(files)].read_bytes() for i in range(n)}
        start = datetime(2025, 1, 1, tzinfo=UTC)
        items = "".join(
            f"<item><title>page {i}</title><link>{{base}}{path}</link><guid>{{base}}{path}</guid>"
            f"<pubDate>{email.utils.format_datetime(start + timedelta(minutes=i))}</pubDate></item>"
            for i, path in enumerate(self.pages)
        )
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path == "/feed.xml":
                    body, ctype = site.feed, "application/rss+xml"
                elif self.path in site.pages:
                    body, ctype = site.pages[self.path], "text/html; charset=utf-8"
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.feed = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>bench</title><link>x</link>'
            f"<description>d</description>{items.replace('{base}', self.base)}</channel></rss>"
        ).encode()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def feed_url(self) -> str:
        return self.base + "/feed.xml"

    def close(self) -> None:
        self.server.shutdown()


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_rss_mb() -> float:
    """Peak resident memory of this process and its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024
