"""Feed health: a feed that fails, or brings nothing new for longer than expected, gets a notice of its own.

One notice per change of state (failing, stale, healthy again), never one per poll.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from monitor import notify
from monitor.errors import NotifyError
from monitor.masking import safe_text, safe_url
from monitor.outbox import briefly, delivery_lock
from monitor.settings import Settings
from monitor.warehouse import Warehouse, utcnow

log = logging.getLogger(__name__)


def state_of(
    errors: int, last_new: datetime | None, last_ok: datetime | None, now: datetime, stale_after: float
) -> str | None:
    """ "failing" (errors since the last success), "stale" (nothing new for longer than `stale_after`
    seconds), or None: healthy."""
    if errors:
        return "failing"
    last_good = last_new or last_ok
    if last_good is not None and now - last_good > timedelta(seconds=stale_after):
        return "stale"
    return None


def feed_states(wh: Warehouse, stale_after: float) -> list[tuple[str, str | None, str | None, str | None]]:
    """(feed, state now, state last reported, last error) for every feed polled."""
    now = utcnow()
    _, rows = wh.query(
        "SELECT feed_url, consecutive_errors, last_new_at, last_ok_at, last_error, notified_state "
        "FROM feed_status ORDER BY feed_url"
    )
    return [
        (feed, state_of(errors, last_new, last_ok, now, stale_after), reported, error)
        for feed, errors, last_new, last_ok, error, reported in rows
    ]


def _notice(feed_url: str, state: str | None, error: str | None, settings: Settings) -> tuple[str, str]:
    """Title and body of the notice for a feed's new state, the feed's URL without credentials."""
    feed = safe_url(feed_url)
    error = safe_text(error or "")  # reasons stored before they were masked
    if state == "failing":
        return f"[monitor] feed failing: {feed}", f"The feed {feed} failed: {error}"
    if state == "stale":
        hours = settings.feed_stale_after / 3600
        return f"[monitor] feed stale: {feed}", f"The feed {feed} has brought nothing new for {hours:.0f} h."
    return f"[monitor] feed healthy again: {feed}", f"The feed {feed} works again."


def report_feed_health(settings: Settings) -> int:
    """Send a notice for each feed whose state changed since last reported; return how many were sent.

    As alert delivery does (monitor.outbox), it reads what to send and closes the warehouse, sends with a
    hard deadline per message, and opens the warehouse again only to record each notice sent: a slow
    receiver never holds the file. A notice sent but not recorded (a kill, a busy warehouse) is sent again.
    """
    urls = [u.get_secret_value() for u in (settings.feed_health_urls or settings.notify_urls)]
    if not urls or not settings.db.exists():
        return 0
    sent = 0
    with delivery_lock(settings.db):
        with briefly(settings) as wh:
            changed = [
                (feed, state, error)
                for feed, state, reported, error in feed_states(wh, settings.feed_stale_after)
                if state != reported
            ]
        with notify.Sender(settings.notify_timeout) as sender:
            for feed, state, error in changed:
                title, body = _notice(feed, state, error, settings)
                try:
                    for url in urls:
                        sender.send(url, title, body)
                except NotifyError as exc:
                    log.warning("feed notice for %s not delivered: %s", safe_url(feed), exc)
                    continue
                with briefly(settings) as wh:
                    wh.con.execute("UPDATE feed_status SET notified_state = ? WHERE feed_url = ?", [state, feed])
                sent += 1
    return sent
