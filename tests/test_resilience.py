"""One bad page must not stop the monitor: retries that fit the failure, attempts counted before the
work, bounded batches and per-feed caps, views that survive a kill, bad links that cost only their entry;
a write the disk refuses reports its own error and leaves nothing half-stored."""

from __future__ import annotations

import logging
import subprocess
import sys
from datetime import UTC, datetime

import duckdb
import pytest
from conftest import ROOT, Response, Story, publish, render_feed, render_page
from test_pipeline import AID_HIGH, STORIES, rows

from monitor.dedup import fingerprint
from monitor.models import Article
from monitor.pipeline import analyse, batches, begin_batch, plan, run_pass
from monitor.profile import load_profile
from monitor.sources import FeedEntry, canonical_url, parse_feed, read_seeds
from monitor.upkeep import check
from monitor.warehouse import PENDING_REASON, Warehouse


def _failure(db, url):
    found = rows(db, "SELECT stage, reason, attempts, transient FROM failures WHERE url = ?", [url])
    return found[0] if found else None


def test_a_transient_failure_is_retried_after_its_delay_and_a_404_is_given_up(site, make_settings):
    feed = publish(site, STORIES[:2])
    flaky, gone = STORIES[0].path, STORIES[1].path
    site.routes[flaky] = Response(503, b"try later")
    site.routes[gone] = Response(404, b"no such page")
    patient = make_settings(feeds=[feed], retry_delay=3600.0, max_fetch_attempts=2)
    run_pass(patient)
    assert _failure(patient.db, site.url(flaky))[1:] == ("HTTP 503", 1, True)
    assert _failure(patient.db, site.url(gone))[1:] == ("HTTP 404", 1, False)

    run_pass(patient)  # within the delay: the 503 page waits, the 404 page is tried a second time
    assert site.hits[flaky] == 1 and site.hits[gone] == 2

    eager = make_settings(feeds=[feed], retry_delay=0.0, max_fetch_attempts=2)
    run_pass(eager)  # the 404 page has had its attempts; the 503 page is tried again
    assert site.hits[flaky] == 2 and site.hits[gone] == 2
    publish(site, STORIES[:1])  # the flaky page recovers
    run_pass(eager)
    assert site.hits[flaky] == 3 and _failure(eager.db, site.url(flaky)) is None
    assert rows(eager.db, "SELECT count(*) FROM articles WHERE url = ?", [site.url(flaky)]) == [(1,)]


def test_a_page_that_killed_passes_is_skipped_once_its_attempts_are_used(site, make_settings):
    feed = publish(site, [AID_HIGH])
    settings = make_settings(feeds=[feed], max_fetch_attempts=3)
    entry = FeedEntry(url=site.url(AID_HIGH.path), feed_url=feed, title=None, published_at=None)
    for _ in range(3):  # three passes began on the page and died before storing it
        begin_batch([entry], settings)
    assert _failure(settings.db, entry.url) == ("pending", PENDING_REASON, 3, False)
    run_pass(settings)
    assert AID_HIGH.path not in site.hits
    assert rows(settings.db, "SELECT count(*) FROM articles WHERE url = ?", [entry.url]) == [(0,)]


def test_pages_of_a_batch_a_pass_died_in_are_not_counted_but_retried_one_at_a_time(site, make_settings):
    feed = publish(site, STORIES[:3])
    settings = make_settings(feeds=[feed], max_fetch_attempts=1)
    entries = [FeedEntry(url=site.url(s.path), feed_url=feed, title=None, published_at=None) for s in STORIES[:3]]
    for _ in range(3):  # three passes killed (by a timeout, a reboot) while these pages were in flight together
        begin_batch(entries, settings)
    assert {_failure(settings.db, e.url) for e in entries} == {("queued", PENDING_REASON, 0, False)}
    todo = plan(settings, load_profile(settings.topic_path))
    assert [len(pages) for _, pages in batches(todo, settings.batch_size)] == [0, 1, 1, 1]  # seeds, then alone
    run_pass(settings)
    assert rows(settings.db, "SELECT count(*) FROM articles WHERE source = 'feed'") == [(3,)]
    assert rows(settings.db, "SELECT count(*) FROM failures") == [(0,)]


def test_a_pending_mark_then_a_real_failure_counts_one_attempt(site, make_settings):
    feed = publish(site, [AID_HIGH])
    site.routes[AID_HIGH.path] = Response(404, b"gone")
    settings = make_settings(feeds=[feed])
    run_pass(settings)
    assert _failure(settings.db, site.url(AID_HIGH.path)) == ("fetch", "HTTP 404", 1, False)


def test_a_feed_gives_at_most_max_new_per_feed_items_a_pass_and_the_rest_later(site, make_settings, caplog):
    stories = [
        Story(f"/s{i}.html", f"Story {i}", f"2025-09-1{i}T10:00:00Z", [f"Colombia coca story {i}."]) for i in range(5)
    ]
    feed = publish(site, stories)
    settings = make_settings(feeds=[feed], max_new_per_feed=2)
    with caplog.at_level(logging.WARNING):
        first = run_pass(settings)
    assert first.articles_new == 2 + 2  # the seeds and two pages
    assert "3 more new items than max_new_per_feed (2), left for the next pass" in caplog.text
    assert run_pass(settings).articles_new == 2
    assert run_pass(settings).articles_new == 1
    assert run_pass(settings).articles_new == 0
    assert all(site.hits[s.path] == 1 for s in stories)


def test_small_batches_store_the_same_as_one(site, make_settings, tmp_path):
    feed = publish(site, STORIES)
    whole = make_settings(feeds=[feed], db=tmp_path / "whole.duckdb")
    batched = make_settings(feeds=[feed], db=tmp_path / "batched.duckdb", batch_size=2)
    one, many = run_pass(whole), run_pass(batched)
    assert (many.articles_new, many.figures, len(many.alerts)) == (one.articles_new, one.figures, len(one.alerts))
    query = "SELECT url, duplicate_of, on_topic FROM articles ORDER BY url"
    assert rows(batched.db, query) == rows(whole.db, query)
    alerts = "SELECT kind, article_url, prior_url FROM alerts ORDER BY 1, 2, 3"
    assert rows(batched.db, alerts) == rows(whole.db, alerts)


def test_views_come_back_on_the_next_write_open(tmp_path):
    db = tmp_path / "w.duckdb"
    with Warehouse.open(db):
        pass
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW alerts_readable")  # as a kill between a migration's commit and the views leaves it
    con.close()
    with Warehouse.open(db):
        pass
    assert rows(db, "SELECT count(*) FROM alerts_readable") == [(0,)]


def test_one_bad_link_costs_its_entry_not_the_feed(caplog):
    body = render_feed("http://news.example", [AID_HIGH]).replace(
        b"<item>", b"<item><title>bad</title><link>http://news.example:99999/x</link></item><item>", 1
    )
    with caplog.at_level(logging.WARNING):
        entries = parse_feed("http://news.example/feed.xml", body)
    assert [e.url for e in entries] == ["http://news.example" + AID_HIGH.path]
    assert "news.example:99999/x" in caplog.text and "skipped" in caplog.text


def test_ipv6_hosts_keep_their_brackets():
    assert canonical_url("http://[::1]:8080/a?utm_source=x") == "http://[::1]:8080/a"
    assert canonical_url("HTTP://[2001:DB8::1]/") == "http://[2001:db8::1]/"


def test_the_link_is_fetched_as_the_feed_gave_it(site, make_settings):
    path = "/story%20one?12345"
    site.routes[path] = Response(body=render_page(AID_HIGH))
    feed_body = render_feed(site.base, [AID_HIGH]).replace(AID_HIGH.path.encode(), path.encode())
    site.routes["/feed.xml"] = Response(body=feed_body, content_type="application/rss+xml")
    settings = make_settings(feeds=[site.url("/feed.xml")])
    summary = run_pass(settings)
    assert summary.articles_new == 3 and site.hits == {"/feed.xml": 1, path: 1}
    stored = [r[0] for r in rows(settings.db, "SELECT url FROM articles WHERE source = 'feed'")]
    assert stored == [canonical_url(site.url(path))]


def test_a_commit_that_fails_reports_its_own_error_and_keeps_nothing_of_the_batch(make_settings, profile):
    """DuckDB ends a transaction whose COMMIT failed (as when the disk is full): the ROLLBACK after it
    must not replace the error that matters with "cannot rollback - no transaction is active"."""
    settings = make_settings()
    articles = analyse(read_seeds(settings.seeds, profile, datetime.now(UTC)), settings).articles
    assert len(articles) == 2

    class Raced(Warehouse):
        """Another connection stores the same URL and commits first: this batch's COMMIT fails."""

        def _store_one(self, article: Article, fp):  # type: ignore[no-untyped-def]
            result = super()._store_one(article, fp)
            if article is articles[-1]:
                other = self.con.cursor()
                other.execute(
                    "INSERT INTO articles (url, fetched_at, source, content_hash, on_topic, topic_score, text) "
                    "VALUES (?, now(), 'seed', 'x', false, 0, '')",
                    [article.url],
                )
                other.close()
            return result

    with pytest.raises(duckdb.Error) as caught, Raced.open(settings.db, profile) as wh:
        wh.store_articles([(a, fingerprint(a.text, a.minhash)) for a in articles])
    assert "Failed to commit" in str(caught.value) and "duplicate key" in str(caught.value)
    assert "cannot rollback" not in str(caught.value)
    # the whole batch was rolled back: only the other connection's bare row is there
    assert rows(settings.db, "SELECT url, text FROM articles") == [(articles[-1].url, "")]
    for table in ("figures", "positions", "event_mentions", "article_bands"):
        assert rows(settings.db, f"SELECT count(*) FROM {table}") == [(0,)], table


# A pass in a process whose files may not grow past the warehouse's three 4 KiB headers: every data block
# lies beyond them, so the disk is "full" for DuckDB's blocks and for its WAL past 12 KiB (no root needed).
DISK_FULL = (
    "import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (12288, 12288)); "
    "from monitor.cli import app; app()"
)


def test_a_full_disk_ends_the_pass_in_one_line_and_the_next_pass_stores_everything(site, make_settings):
    settings = make_settings()
    run_pass(settings)  # the seeds, with room to spare
    feed = publish(site, STORIES)
    args = ["run", "--no-prefect", "--db", str(settings.db), "--seeds", str(settings.seeds), "--feed", feed]
    full = subprocess.run(
        [sys.executable, "-c", DISK_FULL, *args], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert full.returncode == 1, full.stderr[-3000:]
    lines = full.stderr.strip().splitlines()
    assert len(lines) == 1, full.stderr[-3000:]
    assert lines[0].startswith(f"error: warehouse {settings.db} could not be written (")
    assert "File too large" in lines[0] and "free disk space" in lines[0]
    assert "cannot rollback" not in full.stderr and "Traceback" not in full.stderr
    # nothing of the batch whose commit failed: the seeds only, and the pages marked as in flight
    assert rows(settings.db, "SELECT count(*) FROM articles WHERE source = 'feed'") == [(0,)]
    assert rows(settings.db, "SELECT count(*) FROM figures WHERE article_url NOT LIKE 'seed:%'") == [(0,)]
    assert rows(settings.db, "SELECT count(*) FROM failures WHERE stage = 'queued'") == [(len(STORIES),)]

    again = run_pass(make_settings(feeds=[feed]))  # room again
    assert again.articles_new == len(STORIES)
    assert check(settings.db).healthy
