"""Notifier faults and feed health: alerts stay pending and arrive once when the notifier recovers; a slow
receiver does not hold the warehouse; an unhealthy feed gets one notice per change of state, apart from
contradiction alerts."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
from conftest import Response, publish
from test_pipeline import AID_HIGH, AID_LOW, rows

from monitor.feed_health import report_feed_health
from monitor.outbox import deliver, deliver_detached
from monitor.pipeline import run_pass


def test_notifier_that_hangs_times_out_and_later_delivers_once(site, webhook, make_settings):
    hang = {"on": True}
    original = webhook.routes["/hook"]

    def slow(handler):
        if hang["on"]:
            time.sleep(3)
        return original(handler) if callable(original) else original

    webhook.routes["/hook"] = slow
    settings = make_settings(
        feeds=[publish(site, [AID_HIGH, AID_LOW])], notify_urls=[webhook.apprise_url], notify_timeout=1.0
    )
    summary = run_pass(settings)
    assert summary.notified == 0 and summary.notify_failed == 1
    assert rows(settings.db, "SELECT count(*) FROM alerts WHERE notified_at IS NULL") == [(1,)]
    webhook.received.clear()  # a hung request may still be processed by the server after we gave up
    hang["on"] = False
    assert deliver(settings).notified == 1
    assert len(webhook.received) == 1
    assert deliver(settings).notified == 0 and len(webhook.received) == 1


def test_notifier_down_for_several_passes_then_back(site, webhook, make_settings):
    settings = make_settings(feeds=[publish(site, [AID_HIGH, AID_LOW])], notify_urls=[webhook.apprise_url])
    webhook.fail_next = 3
    for _ in range(3):
        run_pass(settings)
    assert webhook.received == []
    (attempts,) = rows(settings.db, "SELECT attempts FROM alerts")[0]
    assert attempts == 3
    run_pass(settings)
    assert len(webhook.received) == 1
    run_pass(settings)
    assert len(webhook.received) == 1


def test_backoff_delays_the_next_attempt(site, webhook, make_settings):
    settings = make_settings(
        feeds=[publish(site, [AID_HIGH, AID_LOW])], notify_urls=[webhook.apprise_url], notify_backoff=3600.0
    )
    webhook.fail_next = 1
    run_pass(settings)
    assert deliver(settings).notified == 0  # the retry waits an hour
    assert webhook.received == []


def test_failing_and_stale_feeds_get_one_notice_each(site, webhook, make_settings):
    publish(site, [AID_HIGH])
    site.routes["/feed.xml"] = Response(500, b"down")
    settings = make_settings(feeds=[site.url("/feed.xml")], notify_urls=[webhook.apprise_url], feed_stale_after=8.0)
    run_pass(settings)
    titles = [str(m["title"]) for m in webhook.received]
    assert titles == [f"[monitor] feed failing: {site.url('/feed.xml')}"]
    assert "HTTP 500" in str(webhook.received[0]["message"])
    run_pass(settings)
    assert len(webhook.received) == 1  # still failing: no second notice
    publish(site, [AID_HIGH])
    run_pass(settings)
    status = rows(settings.db, "SELECT * FROM feed_status")
    assert str(webhook.received[-1]["title"]).startswith("[monitor] feed healthy again"), (webhook.received, status)
    time.sleep(8.5)
    run_pass(settings)  # polled fine, but nothing new for longer than feed_stale_after
    assert str(webhook.received[-1]["title"]).startswith("[monitor] feed stale")
    assert report_feed_health(settings) == 0
    assert rows(settings.db, "SELECT count(*) FROM alerts") == [(0,)]  # notices are not contradiction alerts


def test_warehouse_is_free_while_a_receiver_holds_a_message(site, webhook, make_settings):
    """The relay sends with no warehouse open: another process writes to the file while a receiver sits
    on a message, and the delivery is recorded once the receiver answers."""
    feed = publish(site, [AID_HIGH, AID_LOW])
    run_pass(make_settings(feeds=[feed]))  # the alert is stored; no URL to deliver it to yet
    arrived, release = threading.Event(), threading.Event()
    original = webhook.routes["/hook"]

    def holding(handler):
        arrived.set()
        release.wait(120)
        return original(handler) if callable(original) else original

    webhook.routes["/hook"] = holding
    settings = make_settings(feeds=[feed], notify_urls=[webhook.apprise_url], notify_timeout=120.0)
    with ThreadPoolExecutor(1) as pool:
        relay = pool.submit(deliver_detached, settings)
        try:
            assert arrived.wait(60), "the receiver never got the message"
            con = duckdb.connect(str(settings.db))  # a writer, as a pass opens it: fails while the file is held
            try:
                con.execute("CHECKPOINT")
                assert con.execute("SELECT count(*) FROM alerts WHERE notified_at IS NULL").fetchall() == [(1,)]
            finally:
                con.close()
        finally:
            release.set()
        delivery = relay.result(timeout=120)
    assert (delivery.notified, delivery.failed) == (1, 0)
    assert rows(settings.db, "SELECT count(*) FROM alerts WHERE notified_at IS NULL") == [(0,)]
    assert len(webhook.received) == 1
