"""Fixtures with real parts: HTTP servers on 127.0.0.1 serving feeds and pages, a webhook receiver,
DuckDB files in tmp_path, the project's own topic profile."""

from __future__ import annotations

import email.utils
import html
import http.server
import json
import os
import shutil
import socketserver
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

# Prefect, before anything imports it: the tests' flow runs (in `monitor` subprocesses, which inherit these)
# go to a PREFECT_HOME of the session's own, not into the user's ~/.prefect, whose database a local
# `monitor run` or server shares; and to no server a PREFECT_API_URL of the shell names (or a profile
# chosen there), unless a test sets one for its subprocess.
PREFECT_HOME = Path(tempfile.mkdtemp(prefix="monitor-tests-prefect-"))
os.environ["PREFECT_HOME"] = str(PREFECT_HOME)
for name in ("PREFECT_API_URL", "PREFECT_PROFILE", "PREFECT_PROFILES_PATH"):
    os.environ.pop(name, None)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
# Prefect's own temporary server (a flow called directly) gets 20 s to start by default, which a loaded CI
# machine has exceeded; a slow start is not what these tests are about.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

from monitor.profile import TopicProfile, load_profile  # noqa: E402
from monitor.settings import Settings, load_settings  # noqa: E402

# Every server of the tests is on 127.0.0.1, which the monitor refuses to fetch from unless told so; the
# variable reaches the `monitor` subprocesses too. Tests of the refusal pass allow_private_addresses=False.
os.environ["MONITOR_ALLOW_PRIVATE_ADDRESSES"] = "true"

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(PREFECT_HOME, ignore_errors=True)


@pytest.fixture(scope="session")
def profile() -> TopicProfile:
    return load_profile(SEEDS / "topic.toml")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between single bytes: a server that never quite finishes


Route = Response | Callable[["http.server.BaseHTTPRequestHandler"], Response]


class Site:
    """A real HTTP server on 127.0.0.1 whose routes a test sets and changes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: dict[str, int] = {}
        self.requests: list[tuple[str, str, bytes]] = []
        self.host_headers: list[str] = []
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                path = self.path
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                site.requests.append((self.command, path, body))
                site.host_headers.append(self.headers.get("Host", ""))
                site.hits[path] = site.hits.get(path, 0) + 1
                route = site.routes.get(path)
                if route is None:
                    resp = Response(404, b"not found", "text/plain")
                else:
                    resp = route(self) if callable(route) else route
                try:
                    self.send_response(resp.status)
                    self.send_header("Content-Type", resp.content_type)
                    for k, v in resp.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(resp.body)))
                    self.end_headers()
                    if resp.trickle:
                        for i in range(len(resp.body)):
                            self.wfile.write(resp.body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(resp.trickle)
                    else:
                        self.wfile.write(resp.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _serve
            do_POST = _serve

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


@dataclass
class Story:
    path: str
    title: str
    published: str  # ISO 8601
    paragraphs: list[str]
    outlet: str = "Test Wire"


def render_page(story: Story) -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{html.escape(story.title)}</title>
<meta property="og:site_name" content="{html.escape(story.outlet)}">
<meta property="article:published_time" content="{story.published}"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>{html.escape(story.title)}</h1>{body}</article></main>
<footer>&copy; {html.escape(story.outlet)}</footer></body></html>"""
    return page.encode()


def render_feed(base: str, stories: list[Story]) -> bytes:
    items = []
    for s in stories:
        when = email.utils.format_datetime(datetime.fromisoformat(s.published.replace("Z", "+00:00")))
        items.append(
            f"<item><title>{html.escape(s.title)}</title><link>{base}{s.path}</link>"
            f"<guid>{base}{s.path}</guid><pubDate>{when}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>{base}/</link><description>d</description>{''.join(items)}</channel></rss>"
    ).encode()


def publish(site: Site, stories: list[Story], feed_path: str = "/feed.xml") -> str:
    """Serve the stories' pages and an RSS feed listing them; return the feed URL."""
    for s in stories:
        site.routes[s.path] = Response(body=render_page(s))
    site.routes[feed_path] = Response(body=render_feed(site.base, stories), content_type="application/rss+xml")
    return site.url(feed_path)


class Webhook(Site):
    """An apprise json:// receiver that can be told to fail the next N posts."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_next = 0
        self.received: list[dict[str, object]] = []
        self.routes["/hook"] = self._hook

    def _hook(self, handler: http.server.BaseHTTPRequestHandler) -> Response:
        if self.fail_next > 0:
            self.fail_next -= 1
            return Response(500, b"down", "text/plain")
        self.received.append(json.loads(self.requests[-1][2]))
        return Response(200, b"{}", "application/json")

    def received_ids(self) -> list[str]:
        """The alert id each delivered message names (its last line says "alert <id>, raised ...")."""
        ids = []
        for message in self.received:
            for word in str(message.get("message", "")).split():
                if len(word) == 21 and word.endswith(","):
                    ids.append(word[:-1])
        return ids

    @property
    def apprise_url(self) -> str:
        return f"json://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    w = Webhook()
    yield w
    w.close()


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    """A copy of the project's seeds, as run_eval.py gives them."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def make_settings(tmp_path: Path, seeds_dir: Path) -> Callable[..., Settings]:
    def make(**overrides: object) -> Settings:
        values: dict[str, object] = {
            "db": tmp_path / "w.duckdb",
            "seeds": seeds_dir,
            "lock_timeout": 10.0,
            "notify_backoff": 0.0,
            "connect_timeout": 2.0,
            "read_timeout": 2.0,
            "fetch_deadline": 5.0,
            "retry_delay": 0.0,  # a page that failed transiently is tried again on the next pass
        }
        values.update(overrides)
        return load_settings(None, **values)

    return make
