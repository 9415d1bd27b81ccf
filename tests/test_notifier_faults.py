"""Notifier faults and feed health: alerts stay pending and arrive once when the notifier recovers; a slow
or trickling receiver neither holds the warehouse nor outlasts `notify_timeout`; every message carries its
alert id as idempotency key; an unhealthy feed gets one notice per change of state, apart from alerts."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
from conftest import Response, publish
from test_pipeline import AID_HIGH, AID_LOW, rows

from monitor.feed_health import report_feed_health
from monitor.notify import with_idempotency_key
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


def hold_messages(webhook) -> tuple[threading.Event, threading.Event]:
    """Make the receiver sit on each message until released: (arrived, release)."""
    arrived, release = threading.Event(), threading.Event()
    original = webhook.routes["/hook"]

    def holding(handler):
        arrived.set()
        release.wait(120)
        return original(handler) if callable(original) else original

    webhook.routes["/hook"] = holding
    return arrived, release


def test_warehouse_is_free_while_a_receiver_holds_a_message(site, webhook, make_settings):
    """The relay sends with no warehouse open: another process writes to the file while a receiver sits
    on a message, and the delivery is recorded once the receiver answers."""
    feed = publish(site, [AID_HIGH, AID_LOW])
    run_pass(make_settings(feeds=[feed]))  # the alert is stored; no URL to deliver it to yet
    arrived, release = hold_messages(webhook)
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


def test_warehouse_is_free_while_a_receiver_holds_a_feed_notice(site, webhook, make_settings):
    """Feed health sends as delivery does: another process writes to the file while a receiver sits on
    a feed notice, and the notice is recorded once the receiver answers."""
    site.routes["/feed.xml"] = Response(500, b"down")
    feed = site.url("/feed.xml")
    run_pass(make_settings(feeds=[feed]))  # the failing feed is recorded; no URL to tell yet
    arrived, release = hold_messages(webhook)
    settings = make_settings(feeds=[feed], notify_urls=[webhook.apprise_url], notify_timeout=120.0)
    writer = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); con.execute('CHECKPOINT'); "
        "print(con.execute('SELECT notified_state FROM feed_status').fetchall()); con.close()"
    )
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(report_feed_health, settings)
        try:
            assert arrived.wait(60), "the receiver never got the notice"
            # another process opens the file for writing, as a pass does: it fails while the file is held
            proc = subprocess.run(
                [sys.executable, "-c", writer, str(settings.db)], capture_output=True, text=True, timeout=60
            )
        finally:
            release.set()
        assert report.result(timeout=120) == 1
    assert proc.returncode == 0 and proc.stdout.strip() == "[(None,)]", proc.stderr[-2000:]
    assert rows(settings.db, "SELECT notified_state FROM feed_status") == [("failing",)]
    assert [str(m["title"]) for m in webhook.received] == [f"[monitor] feed failing: {feed}"]


def test_relay_ignores_a_monitor_folder_in_the_current_directory(site, webhook, make_settings, tmp_path, monkeypatch):
    """The relay imports this package, not a folder named `monitor` where the user happens to be: a decoy
    there that would report "nothing to send" neither runs nor stops the alert from being delivered."""
    feed = publish(site, [AID_HIGH, AID_LOW])
    run_pass(make_settings(feeds=[feed]))  # the alert is stored; no URL to deliver it to yet
    marker = tmp_path / "decoy-ran"
    decoy = tmp_path / "cwd" / "monitor"
    decoy.mkdir(parents=True)
    hijack = f"open({str(marker)!r}, 'a').write(__name__)\n"
    (decoy / "__init__.py").write_text(hijack)
    (decoy / "outbox.py").write_text(hijack + """print('{"notified": 0, "failed": 0, "errors": []}')\n""")
    monkeypatch.chdir(decoy.parent)
    delivery = deliver_detached(make_settings(feeds=[feed], notify_urls=[webhook.apprise_url]))
    assert not marker.exists(), marker.read_text()
    assert (delivery.notified, delivery.failed) == (1, 0)
    assert len(webhook.received) == 1
    assert rows(make_settings().db, "SELECT count(*) FROM alerts WHERE notified_at IS NULL") == [(0,)]


def test_receiver_trickling_its_answer_is_cut_at_the_deadline_and_retried(site, webhook, make_settings):
    """`notify_timeout` bounds the whole send, not each read: a receiver sending a byte a second for a
    minute is cut off at the deadline, the alert recorded as failed and delivered on the next try."""
    feed = publish(site, [AID_HIGH, AID_LOW])
    run_pass(make_settings(feeds=[feed]))
    original = webhook.routes["/hook"]
    webhook.routes["/hook"] = Response(200, b"{" + b" " * 58 + b"}", "application/json", trickle=1.0)
    settings = make_settings(feeds=[feed], notify_urls=[webhook.apprise_url], notify_timeout=2.0)
    started = time.monotonic()
    delivery = deliver(settings)
    assert time.monotonic() - started < 50  # long before the receiver would have finished its answer
    assert (delivery.notified, delivery.failed) == (0, 1)
    assert "no answer within 2 s" in delivery.errors[0], delivery.errors
    (attempts, notified_at, error) = rows(settings.db, "SELECT attempts, notified_at, last_error FROM alerts")[0]
    assert (attempts, notified_at) == (1, None)
    assert "json://127.0.0.1" in error and "no answer within 2 s" in error
    webhook.routes["/hook"] = original
    assert deliver(settings).notified == 1
    assert len(webhook.received) == 1


def test_every_message_carries_the_alert_id_as_its_idempotency_key(site, webhook, make_settings):
    """At-least-once delivery: the receiver tells a repeat by the alert id, in the body and as a header
    (added to a webhook URL's own headers)."""
    headers: list[tuple[str | None, str | None]] = []
    original = webhook.routes["/hook"]

    def keyed(handler):
        headers.append((handler.headers.get("Idempotency-Key"), handler.headers.get("X-Source")))
        return original(handler) if callable(original) else original

    webhook.routes["/hook"] = keyed
    url = webhook.apprise_url + "?+X-Source=monitor"
    settings = make_settings(feeds=[publish(site, [AID_HIGH, AID_LOW])], notify_urls=[url])
    run_pass(settings)
    [(alert_id,)] = rows(settings.db, "SELECT alert_id FROM alerts")
    assert headers == [(alert_id, "monitor")]
    assert webhook.received_ids() == [alert_id]
    assert f"alert {alert_id}," in str(webhook.received[0]["message"])


def test_idempotency_key_header_is_added_to_webhook_urls_only():
    assert with_idempotency_key("json://h/x", "a1") == "json://h/x?+Idempotency-Key=a1"
    assert with_idempotency_key("XMLS://h/x?+A=1", "a1") == "XMLS://h/x?+A=1&+Idempotency-Key=a1"
    assert with_idempotency_key("mailto://u:p@example.org", "a1") == "mailto://u:p@example.org"
