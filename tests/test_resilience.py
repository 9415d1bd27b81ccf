"""One bad page must not stop the monitor: retries that fit the failure, attempts counted before the
work, bounded batches and per-feed caps, views that survive a kill, bad links that cost only their entry."""

from __future__ import annotations

import logging

import duckdb
from conftest import Response, Story, publish, render_feed, render_page
from test_pipeline import AID_HIGH, STORIES, rows

from monitor.pipeline import batches, begin_batch, plan, run_pass
from monitor.profile import load_profile
from monitor.sources import FeedEntry, canonical_url, parse_feed
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
