"""The alert outbox: pending alerts delivered to every notification URL, each success recorded at once.

Delivery runs in a relay process of its own (`python -m monitor.outbox`, settings on stdin so secrets
never show in a process list). A pass that is killed mid-delivery does not take the relay with it: the
relay finishes the send it started and records it, so a kill cannot leave a delivered alert unrecorded
and sent again by the next pass. A file lock keeps two relays from delivering at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from monitor import notify
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
    with _relay_lock(settings.db), Warehouse.open(settings.db, lock_timeout=settings.lock_timeout) as wh:
        for alert in wh.pending_alerts(utcnow(), settings.notify_max_attempts):
            if _deliver_one(wh, alert, urls, settings, result):
                wh.mark_notified(alert.alert_id)
                result.notified += 1
            else:
                result.failed += 1
    return result


def _deliver_one(wh: Warehouse, alert: Alert, urls: list[str], settings: Settings, result: Delivery) -> bool:
    title, body = notify.format_alert(alert)
    done = wh.delivered_targets(alert.alert_id)
    errors = []
    for url in urls:
        target = notify.target_hash(url)
        if target in done:
            continue
        try:
            notify.send(url, title, body, settings.notify_timeout)
        except NotifyError as exc:
            errors.append(str(exc))
            continue
        wh.record_delivery(alert.alert_id, target)
    if errors:
        message = "; ".join(errors)
        wh.mark_failed(alert.alert_id, message, settings.notify_backoff)
        result.errors.append(f"alert {alert.alert_id}: {message}")
        log.warning("alert %s not delivered: %s", alert.alert_id, message)
        return False
    return True


class _relay_lock:
    """An exclusive lock beside the warehouse file, held while delivering."""

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


def deliver_detached(settings: Settings) -> Delivery:
    """Deliver in a relay process that outlives this one if it is killed; wait for it and report."""
    if not settings.notify_urls:
        return Delivery()
    proc = subprocess.run(
        [sys.executable, "-m", "monitor.outbox"],
        input=_settings_payload(settings),
        capture_output=True,
        text=True,
        start_new_session=True,
        check=False,
    )
    if proc.returncode != 0:
        raise NotifyError(f"the delivery relay failed (exit {proc.returncode}): {proc.stderr.strip()[-1000:]}")
    return Delivery(**json.loads(proc.stdout))


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
