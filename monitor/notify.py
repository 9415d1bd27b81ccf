"""Delivering alerts through apprise, to any service it reaches (email, Slack, webhooks, ...).

Delivery is recorded per alert and per target (by hash: URLs carry tokens), so a target that fails is
retried with backoff on later passes while targets that succeeded never receive the alert twice.
apprise only says why a send failed at DEBUG level; we capture that and report it, with secrets masked.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import apprise

from monitor.errors import NotifyError
from monitor.models import Alert

log = logging.getLogger(__name__)


def mask_url(url: str) -> str:
    """A notification URL safe to print: scheme, host and port only."""
    m = re.match(r"^([a-z][a-z0-9+.-]*)://(?:[^@/]*@)?([^/:?#]*)(:\d+)?", url, re.IGNORECASE)
    if not m:
        return "<unparseable notification URL>"
    return f"{m.group(1)}://{m.group(2)}{m.group(3) or ''}/…"


def target_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def redact(text: str, secrets: list[str]) -> str:
    """Replace every secret URL, and any part of it longer than 5 characters, in `text`."""
    for secret in secrets:
        text = text.replace(secret, mask_url(secret))
        for part in re.split(r"[/:@?&=#]+", secret.split("://", 1)[-1]):
            if len(part) > 5:
                text = text.replace(part, "***")
    return text


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.DEBUG:
            self.lines.append(record.getMessage())


@contextmanager
def _apprise_reasons() -> Iterator[_Capture]:
    logger = logging.getLogger("apprise")
    handler = _Capture()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # keep apprise's DEBUG lines (they hold URLs) out of our logs
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def _reason(lines: list[str], url: str) -> str:
    interesting = [
        ln for ln in lines if re.search(r"fail|error|refused|timed out|unreachable|invalid|could not", ln, re.I)
    ]
    text = "; ".join((interesting or lines)[-3:]) or "apprise reported failure without a reason"
    return redact(text, [url])[:500]


def send(url: str, title: str, body: str, timeout: float = 10.0) -> None:
    """Send one message to one apprise URL; NotifyError (URL masked, reason captured) on failure."""
    with _apprise_reasons() as capture:
        client = apprise.Apprise()
        asset_ok = client.add(url)
        if not asset_ok:
            raise NotifyError(f"{mask_url(url)}: not a notification URL apprise understands")
        for server in client:
            # apprise's per-service socket timeouts; the defaults wait 4 s to connect and longer to read
            if hasattr(server, "socket_connect_timeout"):
                server.socket_connect_timeout = timeout
            if hasattr(server, "socket_read_timeout"):
                server.socket_read_timeout = timeout
        ok = client.notify(title=title, body=body)
    if not ok:
        raise NotifyError(f"{mask_url(url)}: {_reason(capture.lines, url)}")


def format_alert(alert: Alert) -> tuple[str, str]:
    """Title and body of an alert's notification: what conflicts, both sentences, both sources."""
    title = f"[monitor] {alert.kind} contradiction (confidence {alert.confidence:.2f})"
    body = (
        f"{alert.summary}\n\n"
        f"NEW — {alert.article_url}\n  “{alert.new_evidence}”\n\n"
        f"STORED — {alert.prior_url}\n  “{alert.prior_evidence}”\n\n"
        f"HOW IT WAS READ — {alert.explanation}\n\n"
        f"alert {alert.alert_id}, raised {alert.created_at:%Y-%m-%d %H:%M} UTC"
    )
    return title, body


@dataclass
class TestResult:
    target: str
    ok: bool
    reason: str | None


def test_targets(urls: list[str], timeout: float = 10.0) -> list[TestResult]:
    """Send a test message to every URL and say which failed and why."""
    results = []
    for url in urls:
        try:
            send(url, "[monitor] test notification", "This is a test from `monitor notify --test`.", timeout)
            results.append(TestResult(mask_url(url), True, None))
        except NotifyError as exc:
            results.append(TestResult(mask_url(url), False, str(exc)))
    return results
