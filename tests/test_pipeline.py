"""A whole pass against a real feed server, a real DuckDB file and a real webhook receiver."""

from __future__ import annotations

import subprocess
import sys
import time

import duckdb
import pytest
from conftest import Response, Story, publish

from monitor.errors import WarehouseBusy
from monitor.outbox import deliver
from monitor.pipeline import run_pass

AID_HIGH = Story(
    "/a/aid-high.html",
    "Security aid under review",
    "2025-10-01T10:00:00Z",
    [
        "BOGOTA - Colombia received $600 million in U.S. security assistance in 2024, "
        "according to the State Department.",
        "The money pays for helicopters, training and crop substitution programs.",
    ],
    outlet="Alpha News",
)
AID_LOW = Story(
    "/b/aid-low.html",
    "Budget papers show smaller aid flows",
    "2025-10-03T10:00:00Z",
    [
        "WASHINGTON - U.S. assistance to Colombia amounted to $410 million in 2024, budget documents show.",
        "Lawmakers from both parties have asked for a review of counternarcotics programs with Bogotá.",
    ],
    outlet="Beta Post",
)
AID_LOW_COPY = Story(
    "/c/aid-low-syndicated.html",
    "Smaller aid flows, papers show",
    "2025-10-03T18:00:00Z",
    [
        "WASHINGTON - U.S. assistance to Colombia amounted to $410 million in 2024, budget documents show.",
        "Lawmakers from both parties have asked for a review of counternarcotics programs.",
    ],
    outlet="Gamma Daily",
)
OFF_TOPIC = Story(
    "/d/bikes.html",
    "Council approves bike lanes",
    "2025-10-04T10:00:00Z",
    [
        "The city council approved 12 kilometres of new bike lanes on Tuesday.",
        "Work starts in spring and should last three months.",
    ],
    outlet="Delta Local",
)
OTHER_YEAR = Story(
    "/e/aid-2023.html",
    "A look back at aid",
    "2025-10-05T10:00:00Z",
    [
        "BOGOTA - In 2023, U.S. aid to Colombia came to $390 million, a figure Petro's critics often cite.",
        "The drug war has cost Colombia dearly, officials said.",
    ],
    outlet="Alpha News",
)
STORIES = [AID_HIGH, AID_LOW, AID_LOW_COPY, OFF_TOPIC, OTHER_YEAR]


def counts(db) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).fetchall()
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def rows(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_pass_stores_articles_copies_topics_and_alerts(site, make_settings):
    feed = publish(site, STORIES)
    settings = make_settings(feeds=[feed])
    summary = run_pass(settings)

    assert summary.articles_new == 2 + len(STORIES)
    articles = dict(rows(settings.db, "SELECT url, duplicate_of FROM articles"))
    assert articles[site.url(AID_LOW_COPY.path)] == site.url(AID_LOW.path)
    assert articles[site.url(AID_HIGH.path)] is None
    topics = dict(rows(settings.db, "SELECT url, on_topic FROM articles"))
    assert topics[site.url(OFF_TOPIC.path)] is False
    assert topics[site.url(AID_HIGH.path)] is True

    alerts = rows(settings.db, "SELECT kind, article_url, prior_url, new_evidence, prior_evidence, summary FROM alerts")
    assert len(alerts) == 1, alerts  # the syndicated copy raises no second alert; 2023 is another period
    kind, new, prior, new_ev, prior_ev, text = alerts[0]
    assert (kind, new, prior) == ("figure", site.url(AID_LOW.path), site.url(AID_HIGH.path))
    assert "$410 million" in new_ev and "$600 million" in prior_ev
    assert "Beta Post" in text and "Alpha News" in text


def test_rerun_with_nothing_new_adds_no_row_anywhere(site, make_settings):
    feed = publish(site, STORIES[:3])
    settings = make_settings(feeds=[feed])
    run_pass(settings)
    first = counts(settings.db)
    hits = dict(site.hits)
    summary = run_pass(settings)
    assert counts(settings.db) == first
    assert summary.articles_new == 0 and summary.articles_skipped == 2 + 3
    # known pages are not downloaded again
    assert all(site.hits[s.path] == hits[s.path] for s in STORIES[:3])


def test_item_seen_in_several_polls_is_stored_once(site, make_settings):
    feed = publish(site, STORIES[:2])
    settings = make_settings(feeds=[feed])
    run_pass(settings)
    publish(site, STORIES[:4])  # the feed grows; the first two are still in it
    run_pass(settings)
    urls = [r[0] for r in rows(settings.db, "SELECT url FROM articles WHERE source = 'feed'")]
    assert sorted(urls) == sorted(site.url(s.path) for s in STORIES[:4])


def test_alert_is_delivered_once_with_both_sentences(site, webhook, make_settings):
    feed = publish(site, STORIES[:2])
    settings = make_settings(feeds=[feed], notify_urls=[webhook.apprise_url])
    summary = run_pass(settings)
    assert summary.notified == 1
    assert len(webhook.received) == 1
    message = webhook.received[0]["message"]
    assert "$410 million" in message and "$600 million" in message
    assert site.url(AID_LOW.path) in message and site.url(AID_HIGH.path) in message
    run_pass(settings)
    deliver(settings)
    assert len(webhook.received) == 1
    assert rows(settings.db, "SELECT count(*) FROM alerts WHERE notified_at IS NULL") == [(0,)]


def test_webhook_failing_twice_then_recovering_gets_each_alert_once(site, webhook, make_settings):
    feed = publish(site, STORIES[:2])
    settings = make_settings(feeds=[feed], notify_urls=[webhook.apprise_url])
    webhook.fail_next = 2
    run_pass(settings)
    assert webhook.received == []
    ((attempts, error, notified),) = rows(settings.db, "SELECT attempts, last_error, notified_at FROM alerts")
    assert attempts == 1 and notified is None and "500" in error
    assert webhook.apprise_url.split("//")[1] not in error  # the URL (a secret) is masked
    deliver(settings)
    assert webhook.received == []
    deliver(settings)
    assert len(webhook.received) == 1
    deliver(settings)
    assert len(webhook.received) == 1


def test_failures_are_recorded_and_the_pass_goes_on(site, make_settings):
    feed = publish(site, STORIES[:2])
    site.routes[AID_LOW.path] = Response(500, b"oops")
    settings = make_settings(feeds=[feed, site.url("/missing-feed.xml")])
    summary = run_pass(settings)
    assert summary.articles_new == 3  # two seeds and the page that answered
    failures = dict(rows(settings.db, "SELECT url, reason FROM failures"))
    assert "HTTP 500" in failures[site.url(AID_LOW.path)]
    assert "HTTP 404" in failures[site.url("/missing-feed.xml")]
    (errors,) = rows(
        settings.db, "SELECT consecutive_errors FROM feed_status WHERE feed_url = ?", [site.url("/missing-feed.xml")]
    )
    assert errors == (1,)
    # the page recovers: the next pass fetches it and clears its failure
    publish(site, STORIES[:2])
    run_pass(settings)
    assert site.url(AID_LOW.path) not in dict(rows(settings.db, "SELECT url, reason FROM failures"))


HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
    "time.sleep(float(sys.argv[2]))"
)


def _hold(db, seconds):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_pass_waits_for_a_reader_holding_the_warehouse(site, make_settings):
    feed = publish(site, STORIES[:2])
    settings = make_settings(feeds=[feed], lock_timeout=30)
    run_pass(make_settings())  # create the warehouse with the seeds
    holder = _hold(settings.db, 3)
    started = time.monotonic()
    summary = run_pass(settings)
    waited = time.monotonic() - started
    holder.wait()
    assert waited >= 1.0  # it really had to wait for the holder
    assert summary.articles_new == 2
    assert len(rows(settings.db, "SELECT * FROM alerts")) == 1


def test_busy_warehouse_fails_clearly_after_the_limit(make_settings):
    settings = make_settings(lock_timeout=1)
    run_pass(settings)
    holder = _hold(settings.db, 5)
    try:
        with pytest.raises(WarehouseBusy, match="locked by another process; waited 1 s"):
            run_pass(settings)
    finally:
        holder.kill()


@pytest.mark.slow
def test_warehouse_held_for_30_seconds_the_pass_waits_and_loses_nothing(site, make_settings):
    feed = publish(site, STORIES[:2])
    settings = make_settings(feeds=[feed], lock_timeout=90)
    run_pass(make_settings())
    holder = _hold(settings.db, 30)
    started = time.monotonic()
    summary = run_pass(settings)
    waited = time.monotonic() - started
    holder.wait()
    assert waited >= 25
    assert summary.articles_new == 2
    assert len(rows(settings.db, "SELECT * FROM alerts")) == 1
