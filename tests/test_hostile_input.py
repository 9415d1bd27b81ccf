"""Bad and hostile input: each is refused or cut with a clear error naming it, and the pass goes on."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import subprocess
import sys
import threading
import time

import duckdb
import feedparser
import pytest
from conftest import SHARED, Response, Story, publish, render_feed
from test_pipeline import AID_HIGH, AID_LOW, rows

from monitor.errors import FetchError, ParseError, RefusedInput, SourceError
from monitor.extract import extract_page
from monitor.masking import safe_text, safe_url
from monitor.outbox import deliver
from monitor.pipeline import run_pass
from monitor.sources import download, make_client, parse_feed

FEEDS = SHARED / "corpora" / "feeds"
HTML = SHARED / "corpora" / "html"


def _download(settings, url, max_bytes, truncate=True):
    async def go():
        async with make_client(settings) as client:
            return await download(client, url, max_bytes=max_bytes, deadline=settings.fetch_deadline, truncate=truncate)

    return asyncio.run(go())


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "' + "A" * 100_000 + '">]>'
    '<rss version="2.0"><channel><title>t</title>' + "<item><title>&big;</title></item>" * 2000 + "</channel></rss>"
)

MEASURE = """
import sys
from monitor.errors import RefusedInput
from monitor.sources import parse_feed
body = open(sys.argv[1], 'rb').read()
try:
    parse_feed('http://127.0.0.1/bomb.xml', body)
    outcome = 'parsed'
except RefusedInput as exc:
    outcome = 'refused: ' + str(exc)
# VmHWM: this process's own peak (ru_maxrss would carry the parent's peak across vfork and exec)
peak_kb = next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:'))
print(peak_kb, outcome)
"""


def test_entity_expansion_feed_is_refused_with_bounded_memory(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(BOMB)
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True, text=True, timeout=60)
    peak_kb, outcome = proc.stdout.split(" ", 1)
    assert outcome.startswith("refused") and "entity" in outcome, outcome
    assert int(peak_kb) < 400_000  # the expansion alone would be 200 MB of text, and far more as objects


def test_large_page_is_cut_off_while_downloading(site, make_settings):
    site.routes["/big.html"] = Response(body=b"<html><body><p>" + b"x" * 6_000_000 + b"</p></body></html>")
    body, _, _ = _download(make_settings(), site.url("/big.html"), max_bytes=1_000_000)
    assert len(body) == 1_000_000


def test_feed_over_the_limit_is_refused(site, make_settings):
    site.routes["/huge.xml"] = Response(body=b"<rss>" + b" " * 3_000_000 + b"</rss>", content_type="text/xml")
    with pytest.raises(RefusedInput, match="exceeds the limit"):
        _download(make_settings(), site.url("/huge.xml"), max_bytes=2_000_000, truncate=False)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "javascript:alert(1)", "gopher://x"])
def test_other_schemes_are_refused(make_settings, url):
    with pytest.raises(RefusedInput, match="scheme"):
        _download(make_settings(), url, max_bytes=1000)


def test_feed_links_with_other_schemes_are_dropped():
    feed = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>file:///etc/passwd</link></item>"
        b"<item><title>b</title><link>http://127.0.0.1/ok.html</link></item></channel></rss>"
    )
    assert [e.url for e in parse_feed("http://127.0.0.1/f.xml", feed)] == ["http://127.0.0.1/ok.html"]


def test_redirects_are_bounded(site, make_settings):
    for i in range(10):
        site.routes[f"/r{i}"] = Response(302, b"", headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchError, match="too many redirects"):
        _download(make_settings(max_redirects=3), site.url("/r0"), max_bytes=1000)


def test_redirect_to_another_scheme_is_refused(site, make_settings):
    site.routes["/away"] = Response(302, b"", headers={"Location": "file:///etc/passwd"})
    with pytest.raises(SourceError):
        _download(make_settings(), site.url("/away"), max_bytes=1000)


def test_server_trickling_bytes_hits_the_deadline(site, make_settings):
    site.routes["/slow.html"] = Response(body=b"x" * 200, trickle=0.05)  # 10 s in all, never 2 s silent
    started = time.monotonic()
    with pytest.raises(FetchError, match="no complete response within 1 s"):
        _download(make_settings(fetch_deadline=1.0, read_timeout=2.0), site.url("/slow.html"), max_bytes=10_000)
    assert time.monotonic() - started < 5


def test_server_that_never_answers_times_out(make_settings):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    held: list[socket.socket] = []
    threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        with pytest.raises(FetchError, match="timed out"):
            _download(make_settings(read_timeout=0.5, fetch_deadline=10), url, max_bytes=1000)
    finally:
        listener.close()
        for s in held:
            s.close()


def test_malformed_feed_dates_and_broken_feeds_are_handled(site, make_settings):
    feed_body = render_feed(site.base, [AID_HIGH]).replace(b"<pubDate>", b"<pubDate>Blursday, 45 Smarch 20x5 ")
    publish(site, [AID_HIGH])
    site.routes["/feed.xml"] = Response(body=feed_body, content_type="application/rss+xml")
    site.routes["/broken.xml"] = Response(body=b"<html><body>not a feed at all</body></html>")
    settings = make_settings(feeds=[site.url("/feed.xml"), site.url("/broken.xml")])
    summary = run_pass(settings)
    assert summary.articles_new == 3  # two seeds and the page, dated from its own metadata
    (published,) = rows(settings.db, "SELECT published_at FROM articles WHERE url = ?", [site.url(AID_HIGH.path)])
    assert published[0] is not None and published[0].year == 2025
    failures = dict(rows(settings.db, "SELECT url, reason FROM failures"))
    assert site.url("/broken.xml") in failures


def test_every_corpus_feed_parses_or_fails_clearly():
    outcomes = {"entries": 0, "refused": 0, "unparseable": 0, "empty": 0}
    files = [p for p in FEEDS.rglob("*") if p.is_file()]
    assert len(files) > 400
    # most of these are single-feature test files without items; count those where feedparser alone
    # finds an http(s) item link, and expect at least those to give entries
    with_links = sum(
        any(str(e.get("link", "")).startswith("http") for e in feedparser.parse(p.read_bytes()).entries) for p in files
    )
    for path in files:
        try:
            entries = parse_feed(f"http://127.0.0.1/{path.name}", path.read_bytes())
        except RefusedInput:
            outcomes["refused"] += 1
        except ParseError as exc:
            assert path.name in str(exc)
            outcomes["unparseable"] += 1
        else:
            outcomes["entries" if entries else "empty"] += 1
    assert outcomes["entries"] >= with_links > 20


def test_every_corpus_page_extracts_or_fails_clearly_and_snippets_are_met():
    expectations = json.loads((HTML / "expectations.json").read_text())
    met = total = 0
    for name, spec in expectations.items():
        page = HTML / name
        if not page.exists():
            continue
        try:
            text = extract_page(page.read_bytes(), spec.get("url") or name).text
        except ParseError as exc:
            assert (spec.get("url") or name) in str(exc)
            text = ""
        for snippet in spec.get("with", []):
            total += 1
            met += snippet in text
        for snippet in spec.get("without", []):
            total += 1
            met += snippet not in text
    assert total > 1000
    assert met / total >= 0.90, f"{met}/{total}"


def test_trafilatura_records_reach_our_logger_at_debug_only(caplog):
    """An unparseable page is our ParseError; trafilatura's ERROR lines about it are passed on to our
    logger at DEBUG instead of reaching the root logger's handlers (stderr)."""
    with caplog.at_level(logging.DEBUG), pytest.raises(ParseError, match="no article text"):
        extract_page(b"%PDF-1.4 binary", "http://127.0.0.1/x.pdf")
    ours = [r for r in caplog.records if r.name == "monitor.extract.page" and "empty HTML tree" in r.getMessage()]
    assert [r.levelno for r in ours] == [logging.DEBUG]
    # (pytest also hooks non-propagating loggers: the stderr a user sees is checked in test_cli.py)
    assert not logging.getLogger("trafilatura").propagate


def test_untrusted_text_reaches_sql_only_as_parameters(site, make_settings):
    evil = Story(
        "/evil.html",
        "x'); DROP TABLE articles; --",
        "2025-10-02T10:00:00Z",
        ["BOGOTA - Petro's government'); DELETE FROM figures; -- said U.S. aid to Colombia was $1 in 2024."],
    )
    settings = make_settings(feeds=[publish(site, [AID_HIGH, evil])])
    run_pass(settings)
    titles = [r[0] for r in rows(settings.db, "SELECT title FROM articles")]
    assert "x'); DROP TABLE articles; --" in titles
    assert rows(settings.db, "SELECT count(*) FROM figures") != [(0,)]


def test_credentials_in_urls_are_masked_and_other_urls_kept_as_they_are():
    assert safe_url("https://x/feed?api_key=SECRET&lang=en") == "https://x/feed?api_key=***&lang=en"
    assert safe_url("https://user:pa@ss@host:8/feed#access_token=T") == "https://***@host:8/feed#access_token=***"
    names = ["key", "API_KEY", "apikey", "X-Api-Key", "token", "accessToken", "client_secret", "password", "pass"]
    names += ["sig", "X-Amz-Signature", "auth", "X-Amz-Credential"]
    masked = safe_url("http://h/?" + "&".join(f"{n}=v{i}" for i, n in enumerate(names)))
    assert masked == "http://h/?" + "&".join(f"{n}=***" for n in names)
    for kept in ["http://h/a?keyword=k&monkey=m&author=a&page=2&pass=&q", "http://news.example:99999/x", "seed:a.txt"]:
        assert safe_url(kept) == kept
    error = "timed out: http://h/f?token=T1, then https://u:p@h/g."
    assert safe_text(error) == "timed out: http://h/f?token=***, then https://***@h/g."
    assert str(FetchError("http://h/f?sig=S", "HTTP 404")) == "http://h/f?sig=***: HTTP 404"


def test_notification_tokens_never_reach_logs_or_the_warehouse(site, make_settings, caplog):
    token = "tok3n-SECRET-987"
    url = f"json://user:{token}@127.0.0.1:9/{token}"
    settings = make_settings(feeds=[publish(site, [AID_HIGH, AID_LOW])], notify_urls=[url])
    with caplog.at_level("DEBUG"):
        run_pass(settings)
        deliver(settings)
    assert token not in caplog.text
    con = duckdb.connect(str(settings.db), read_only=True)
    try:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            dump = json.dumps(con.execute(f'SELECT * FROM "{table}"').fetchall(), default=str)
            assert token not in dump, table
        (error,) = con.execute("SELECT last_error FROM alerts").fetchone()
        assert "json://127.0.0.1:9" in error
    finally:
        con.close()
