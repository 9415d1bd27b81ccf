"""The alert outbox: pending alerts delivered to every notification URL, each success recorded at once.

Delivery reads what to send, closes the warehouse, sends, and opens the warehouse again only to record
each result: DuckDB locks the whole file, and a receiver may take its time, so the warehouse is never
held while a message is on its way (passes and `monitor sql` go on meanwhile). Each message has a hard
deadline (`notify_timeout`, `notify.Sender`); one that passes it is recorded as failed and retried with
backoff. Delivery is therefore at least once, with the alert id as the receiver's idempotency key.

Delivery runs in a relay process of its own (`monitor.outbox.main`, settings on stdin so secrets never
show in a process list), started with `-P` so that a folder named `monitor` in the current directory is
not imported in place of this package. A pass that is killed mid-delivery does not take the relay with
it: the relay finishes the send it started and records it, so a kill cannot leave a delivered alert
unrecorded and sent again by the next pass. A file lock keeps two relays from delivering at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from monitor import lifeline, notify
from monitor.errors import MonitorError, NotifyError
from monitor.models import Alert
from monitor.settings import Settings
from monitor.warehouse import Warehouse, utcnow

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    notified: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver(settings: Settings) -> Delivery:
    """Send pending alerts to every notification URL; record each success at once, back off on failure."""
    result = Delivery()
    urls = [u.get_secret_value() for u in settings.notify_urls]
    if not urls:
        return result
    with delivery_lock(settings.db):
        with briefly(settings) as wh:
            pending = wh.pending_alerts(utcnow(), settings.notify_max_attempts)
            todo = [(alert, wh.delivered_targets(alert.alert_id)) for alert in pending]
        with notify.Sender(settings.notify_timeout) as sender:
            for alert, done in todo:
                if _deliver_one(sender, alert, done, urls, settings, result):
                    result.notified += 1
                else:
                    result.failed += 1
    return result


def _deliver_one(
    sender: notify.Sender, alert: Alert, done: set[str], urls: list[str], settings: Settings, result: Delivery
) -> bool:
    """Send one alert to the URLs it has not reached, with no warehouse open; record each success right
    after its send (a kill then costs at most the message in flight), then the alert's outcome."""
    title, body = notify.format_alert(alert)
    errors = []
    for url in urls:
        target = notify.target_hash(url)
        if target in done:
            continue
        try:
            sender.send(url, title, body, idempotency_key=alert.alert_id)
        except NotifyError as exc:
            errors.append(str(exc))
            continue
        with briefly(settings) as wh:
            wh.record_delivery(alert.alert_id, target)
    with briefly(settings) as wh:
        if not errors:
            wh.mark_notified(alert.alert_id)
            return True
        message = "; ".join(errors)
        wh.mark_failed(alert.alert_id, message, settings.notify_backoff)
    result.errors.append(f"alert {alert.alert_id}: {message}")
    log.warning("alert %s not delivered: %s", alert.alert_id, message)
    return False


@contextlib.contextmanager
def briefly(settings: Settings) -> Iterator[Warehouse]:
    """The warehouse for one read or one record, closed right after: never held across a send."""
    with Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as wh:
        yield wh


class delivery_lock:
    """An exclusive lock beside the warehouse file, held while delivering alerts or feed notices: the
    warehouse is not held while sending, so this is what keeps two deliverers from sending the same thing."""

    def __init__(self, db: Path) -> None:
        self.path = db.with_name(db.name + ".deliver.lock")

    def __enter__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.path.open("w")
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _settings_payload(settings: Settings) -> str:
    data: dict[str, Any] = settings.model_dump(mode="json")
    data["notify_urls"] = [u.get_secret_value() for u in settings.notify_urls]
    data["feed_health_urls"] = [u.get_secret_value() for u in settings.feed_health_urls]
    return json.dumps(data)


RELAY = lifeline.main_of("monitor.outbox")  # the relay's command


def deliver_detached(settings: Settings) -> Delivery:
    """Deliver in a relay process that outlives this one if it is killed; wait for it and report."""
    if not settings.notify_urls:
        log.info("delivery: no notification URLs (notify_urls); alerts stay in the warehouse")
        return Delivery()
    proc = subprocess.run(
        RELAY,
        input=_settings_payload(settings),
        capture_output=True,
        text=True,
        start_new_session=True,
        check=False,
    )
    if proc.returncode != 0:
        raise NotifyError(f"the delivery relay failed (exit {proc.returncode}): {proc.stderr.strip()[-1000:]}")
    delivery = Delivery(**json.loads(proc.stdout))
    log.info("delivery: %d alert(s) notified, %d failed", delivery.notified, delivery.failed)
    return delivery


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = Settings.model_validate(json.loads(sys.stdin.read()))
    try:
        result = deliver(settings)
    except MonitorError as exc:  # the pass reports it in one line: no traceback of ours in its message
        print(exc, file=sys.stderr)
        return 1
    # if the pass that started us is gone, the deliveries are recorded all the same
    with contextlib.suppress(BrokenPipeError):
        print(json.dumps(asdict(result)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
