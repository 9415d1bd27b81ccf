"""A user's first day (issue #10): mistakes in the settings are refused when they load, with one line that
says which value and why; a web page given as a feed is named as one; a busy warehouse says it waits."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, SHARED, Response, publish
from test_pipeline import AID_HIGH, AID_LOW, rows
from typer.testing import CliRunner

from monitor.address_guard import GuardedTransport
from monitor.cli import app
from monitor.errors import ConfigError, RefusedInput
from monitor.pipeline import run_pass
from monitor.settings import load_settings
from monitor.sources import feed_links, is_web_page, read_feed

runner = CliRunner()


def _monitor(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real `monitor` command in a process of its own, as a user runs it."""
    environ = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false", COLUMNS="200")
    environ.pop("PREFECT_API_URL", None)  # unless the test sets it
    environ.update(env)
    cmd = [sys.executable, "-m", "monitor.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=environ, cwd=ROOT)


# ---------------------------------------------------------------- notification URLs


def test_run_refuses_an_unknown_notification_scheme_in_one_line(tmp_path, seeds_dir):
    urls = '["json://127.0.0.1:9/hook", "foo://user:s3cret-pass@bar/s3cret-path"]'
    proc = _monitor("run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), MONITOR_NOTIFY_URLS=urls)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "notify_urls: URL 2 (foo://" in lines[0] and "unknown scheme foo://" in lines[0]
    assert "mailto://, json://, slack://" in lines[0]
    assert "s3cret" not in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert not (tmp_path / "w.duckdb").exists()  # refused before any work


def test_a_valid_webhook_url_is_accepted(webhook, tmp_path, seeds_dir):
    env = {"MONITOR_NOTIFY_URLS": f'["json://127.0.0.1:{webhook.server.server_address[1]}/"]'}
    args = ["run", "--no-prefect", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir)]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("jsn://127.0.0.1/hook", "unknown scheme jsn://; did you mean json://?"),
        ("https://example.org/hook", "a webhook is json://"),
        ("json://", "not a valid JSON URL"),
        ("slack://tok3n-SECRET-987", "not a valid Slack URL"),
        ("hooks.example.org/x", "has no scheme://"),
    ],
)
def test_every_notification_setting_is_checked_and_secrets_stay_masked(url, expected):
    for setting in ("notify_urls", "feed_health_urls"):
        with pytest.raises(ConfigError) as caught:
            load_settings(None, **{setting: [url]})
        message = str(caught.value)
        assert f"invalid settings: {setting}: URL 1 " in message and expected in message, message
        assert "tok3n-SECRET" not in message and "\n" not in message
        assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no input in tracebacks


def test_native_service_urls_are_accepted():
    """apprise also reads services' own webhook addresses; the check must not refuse them."""
    slack = "https://hooks.slack.com/services/T1234567/B1234567/abcdefghijklmnopqrstuvwx"
    assert load_settings(None, notify_urls=[slack]).notify_urls[0].get_secret_value() == slack


# ---------------------------------------------------------------- feed URLs


def test_run_refuses_a_feed_url_without_a_scheme_at_once(tmp_path, seeds_dir):
    proc = _monitor(
        "run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), "--feed", "127.0.0.1:8000/f.xml"
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "'127.0.0.1:8000/f.xml' has no scheme" in proc.stderr
    assert "https://127.0.0.1:8000/f.xml" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        ("example.org/feed.xml", "has no scheme: write it in full, e.g. https://example.org/feed.xml"),
        ("ftp://example.org/feed.xml", "has the scheme ftp://"),
        ("https:///feed.xml", "names no host"),
    ],
)
def test_feed_urls_are_checked_when_settings_load(feed, expected):
    with pytest.raises(ConfigError, match=expected):
        load_settings(None, feeds=["https://example.org/ok.xml", feed])


def test_a_misspelt_setting_is_named_with_its_likely_meaning(tmp_path):
    config = tmp_path / "monitor.toml"
    config.write_text('feedz = ["https://example.org/feed.xml"]\n')
    with pytest.raises(ConfigError, match="feedz: unknown setting; did you mean feeds"):
        load_settings(config)


# ---------------------------------------------------------------- a web page given as a feed

HTML = SHARED / "corpora" / "html"
FEEDS = SHARED / "corpora" / "feeds"
# a real news page whose <head> links its section's RSS feed (protocol-relative, on its own host)
SECTION_PAGE = HTML / "24horas.cl-segundo.html"
SECTION_FEED_HREF = b'href="//www.24horas.cl/politica/?widgetName=rssfeed&widgetId=2391765&getXmlFeed=true"'


def _section_page(href: bytes) -> bytes:
    """The real page, its feed link pointed at `href`."""
    page = SECTION_PAGE.read_bytes()
    assert page.count(SECTION_FEED_HREF) == 1
    return page.replace(SECTION_FEED_HREF, href)


def test_a_web_page_given_as_a_feed_is_read_through_the_feed_it_links(site, tmp_path, seeds_dir):
    feed = publish(site, [AID_HIGH, AID_LOW], feed_path="/politica/feeds/rss.xml")
    site.routes["/politica/"] = Response(body=_section_page(b'href="feeds/rss.xml"'))  # relative to the page
    page = site.url("/politica/")
    db = tmp_path / "w.duckdb"
    args = ["run", "--no-prefect", "--db", str(db), "--seeds", str(seeds_dir), "--feed", page]
    result = runner.invoke(app, args, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert f"notice {page} is a web page, not a feed: read the feed it links to, {feed}, in its place" in out
    assert "failed feed" not in out
    stored = rows(db, "SELECT url, feed_url FROM articles WHERE source = 'feed' ORDER BY url")
    assert [u for u, _ in stored] == [site.url(AID_HIGH.path), site.url(AID_LOW.path)]
    assert {f for _, f in stored} == {page}  # the feed as the user listed it
    assert rows(db, "SELECT feed_url, read_from, last_error FROM feed_status") == [(page, feed, None)]


def test_a_web_page_that_links_no_feed_is_named_as_one(site, make_settings):
    site.routes["/news"] = Response(body=(HTML / "rnz.de.witzel.html").read_bytes())
    settings = make_settings(feeds=[site.url("/news")])
    summary = run_pass(settings)
    [failure] = summary.failures
    assert failure.url == site.url("/news") and failure.stage == "feed" and not failure.transient
    assert failure.reason.startswith("a web page, not a feed, and it links to no RSS or Atom feed")
    [(error,)] = rows(settings.db, "SELECT last_error FROM feed_status")
    assert "a web page, not a feed" in error


def test_a_web_page_whose_linked_feed_fails_names_the_feeds_it_links(site, make_settings):
    page = HTML / "Dezubekizacja – reaktywacja. Czyli daty mają znaczenie - Dziennik.pl.html"
    body = page.read_bytes().replace(b"http://rss.dziennik.pl/", site.base.encode() + b"/rss/")
    site.routes["/dziennik"] = Response(body=body, content_type="text/html; charset=utf-8")
    site.routes["/rss/Dziennik-PL"] = Response(503, b"busy", "text/plain")
    summary = run_pass(make_settings(feeds=[site.url("/dziennik")]))
    [failure] = summary.failures
    first_two = f"{site.base}/rss/Dziennik-PL, {site.base}/rss/Dziennik-Wiadomosci"
    assert failure.reason.startswith(f"a web page, not a feed; it links these feeds: {first_two}")
    assert "and 12 more; use one of them" in failure.reason and "Dziennik-PL: HTTP 503" in failure.reason
    assert failure.transient  # the linked feed may answer next time


def test_the_address_guard_applies_to_a_linked_feed(site, make_settings):
    """The discovered feed is fetched like any feed: through the pass's client and its address guard."""
    site.routes["/page"] = Response(body=_section_page(b'href="http://127.0.0.2:9/internal.xml"'))
    inside = ipaddress.ip_address("127.0.0.2")

    async def read() -> None:
        guard = GuardedTransport(httpx.AsyncHTTPTransport(), refuse=lambda a: "private" if a == inside else None)
        async with httpx.AsyncClient(transport=guard) as client:
            await read_feed(client, site.url("/page"), make_settings())

    with pytest.raises(RefusedInput) as caught:
        asyncio.run(read())
    assert "it links these feeds: http://127.0.0.2:9/internal.xml" in caught.value.reason
    assert "resolves to 127.0.0.2, a private address; refused" in caught.value.reason
    assert site.hits == {"/page": 1}


def test_feeds_are_not_taken_for_web_pages():
    """Some servers send feeds as text/html: only the document itself says it is a page."""
    for path in FEEDS.rglob("*"):
        if path.is_file():
            assert not is_web_page(path.read_bytes(), "text/html; charset=utf-8"), path
    pages = [p for p in HTML.glob("*.html")]
    assert all(is_web_page(p.read_bytes(), "text/html") for p in pages)
    assert sum(is_web_page(p.read_bytes(), None) for p in pages) >= len(pages) - 2  # by their content alone


def test_feed_links_are_the_announced_feeds_made_absolute():
    page = b"""<html><head><base href="/news/">
<link rel="alternate icon" href="/favicon.ico"><link rel="alternate" hreflang="en" href="/en/">
<link rel="Alternate" type="application/atom+xml" href="atom.xml ">
<link rel="alternate" type="application/rss+xml" href="//cdn.example.org/rss">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="https://example.org/news/atom.xml"></head>
<body><link rel="alternate" type="application/rss+xml" href="/body.xml"></body></html>"""
    assert feed_links(page, "https://example.org/a/b.html") == [
        "https://example.org/news/atom.xml",
        "https://cdn.example.org/rss",
    ]


# ---------------------------------------------------------------- a Prefect server that is not there


def _port_nobody_listens_on() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("command", "advice"),
    [
        ("run", "start it with `prefect server start`, or unset PREFECT_API_URL to run with a temporary server"),
        ("serve", "start it with `prefect server start`"),
    ],
)
def test_a_prefect_server_that_does_not_answer_is_named_in_one_line(command, advice, tmp_path, seeds_dir):
    """A PREFECT_API_URL left over from yesterday's server used to cost 400 lines of retries and tracebacks."""
    url = f"http://127.0.0.1:{_port_nobody_listens_on()}/api"
    db = tmp_path / "w.duckdb"
    proc = _monitor(command, "--db", str(db), "--seeds", str(seeds_dir), PREFECT_API_URL=url)
    assert proc.returncode == 1, proc.stderr[-3000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr[-3000:]
    assert f"no Prefect server at {url} (PREFECT_API_URL): nothing answers" in lines[0]
    assert lines[0].endswith(advice)
    assert not db.exists()  # refused before any work


def test_monitor_run_from_the_tests_leaves_the_users_prefect_home_alone(tmp_path, seeds_dir):
    """The tests' flow runs go to the session's own PREFECT_HOME (tests/conftest.py), not into the user's
    ~/.prefect, whose database a local `monitor run` or server shares."""
    home = tmp_path / "home"
    home.mkdir()
    proc = _monitor("run", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), HOME=str(home))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert not (home / ".prefect").exists()
    assert (Path(os.environ["PREFECT_HOME"]) / "prefect.db").is_file()


# ---------------------------------------------------------------- a busy warehouse


def test_waiting_for_a_busy_warehouse_is_said_then_the_busy_error(tmp_path):
    import duckdb

    db = tmp_path / "w.duckdb"
    holder = duckdb.connect(str(db))  # this process writes to it, as a pass would
    try:
        proc = _monitor("sql", "--db", str(db), "select 1", MONITOR_LOCK_TIMEOUT="3")
    finally:
        holder.close()
    assert proc.returncode == 1, proc.stderr
    waiting = f"warehouse {db} is in use by process {os.getpid()} ("
    assert waiting in proc.stderr and "(a pass or `monitor sql`); waiting up to 3 s in all" in proc.stderr
    assert proc.stderr.count("is in use by") == 1  # said once, not at every retry
    assert proc.stderr.index(waiting) < proc.stderr.index(f"error: warehouse {db} is locked by another process")
    assert "waited 3 s" in proc.stderr and "Traceback" not in proc.stderr


def test_run_says_why_notifications_failed(site, tmp_path, seeds_dir):
    """A URL apprise reads but that does not answer: the count comes with the reason, the token masked."""
    feed = publish(site, [AID_HIGH, AID_LOW])
    env = {"MONITOR_NOTIFY_URLS": '["json://user:s3cret-pass@127.0.0.1:9/hook"]', "COLUMNS": "400"}
    args = ["run", "--no-prefect", "--db", str(tmp_path / "w.duckdb"), "--seeds", str(seeds_dir), "--feed", feed]
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, result.output
    [line] = [ln for ln in result.output.splitlines() if ln.startswith("not notified")]
    assert "json://127.0.0.1:9/…" in line and "retried with backoff" in line, line
    assert "s3cret" not in result.output
