"""Delivering alerts through apprise, to any service it reaches (email, Slack, webhooks, ...).

Delivery is at least once, recorded per alert and per target (by hash: URLs carry tokens): a target that
fails is retried with backoff on later passes, a target whose success is recorded is not sent the alert
again. Each message is sent by a worker process within a hard deadline (`Sender`); a receiver that acted
on a message but answered after the deadline gets it again on the retry, so every message carries the
alert id as its idempotency key: on the last line of the body, and as an `Idempotency-Key` header to
webhooks. apprise says why a send failed only at DEBUG level: the worker captures that and we report it,
with secrets masked.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import json
import logging
import os
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from monitor.errors import NotifyError
from monitor.models import Alert

log = logging.getLogger(__name__)


def mask_url(url: str) -> str:
    """A notification URL safe to print: scheme, host and port only. Many services put a token where the
    host goes (slack://TokenA/..., tgram://bot-token/...): a host is shown only when it looks like one."""
    m = re.match(r"^([a-z][a-z0-9+.-]*)://(?:[^@/]*@)?([^/:?#]*)(:\d+)?", url, re.IGNORECASE)
    if not m:
        return "<unparseable notification URL>"
    host = m.group(2)
    if "." not in host and host.lower() != "localhost":
        host = "***" if host else ""
    return f"{m.group(1)}://{host}{m.group(3) or ''}/…"


_SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.-]*)://", re.IGNORECASE)
EXAMPLE_SCHEMES = "mailto://, json://, slack://, discord://, tgram://, ntfy://"


def url_problem(url: str) -> str | None:
    """Why apprise cannot use `url` (told without its secrets), or None when it can. Settings check every
    URL with this when they load: a mistyped URL would otherwise fail every delivery, retried for ever."""
    with _apprise_silenced():  # apprise logs the URL it could not read, secrets and all
        import apprise
        from apprise.plugins import N_MGR

        if apprise.Apprise.instantiate(url) is not None:
            return None
        m = _SCHEME.match(url)
        if m is None:
            return f"not a URL: it has no scheme:// (apprise URLs look like {EXAMPLE_SCHEMES}...)"
        scheme = m.group(1).lower()
        if scheme not in N_MGR:
            close = difflib.get_close_matches(scheme, N_MGR.schemas(), n=1)
            hint = f"did you mean {close[0]}://? " if close else ""
            if scheme in ("http", "https"):
                hint = "a webhook is json:// (jsons:// over TLS), form:// or xml://; "
            return f"unknown scheme {scheme}://; {hint}apprise supports e.g. {EXAMPLE_SCHEMES}... ({SERVICES})"
        plugin = N_MGR[scheme]
        if not plugin.enabled:
            return f"apprise's {plugin.service_name} service is disabled on this machine (it needs a package)"
        try:
            apprise.Apprise.instantiate(url, suppress_exceptions=False)
            detail = ""
        except Exception as exc:  # the plugin's own words on what is wrong
            detail = " (" + redact(str(exc), [url])[:200].rstrip(" .:") + ")"
    see = f"; see {plugin.setup_url}" if plugin.setup_url else ""
    return f"not a valid {plugin.service_name} URL{detail}{see}"


SERVICES = "https://appriseit.com/services/"


@contextlib.contextmanager
def _apprise_silenced() -> Iterator[None]:
    logger = logging.getLogger("apprise")
    was = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was


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


def _reason(lines: list[str], url: str) -> str:
    interesting = [
        ln for ln in lines if re.search(r"fail|error|refused|timed out|unreachable|invalid|could not", ln, re.I)
    ]
    text = "; ".join((interesting or lines)[-3:]) or "apprise reported failure without a reason"
    return redact(text, [url])[:500]


# apprise's webhooks (JSON, form, XML) add an HTTP header for each `+Name=value` query parameter
_HEADER_SCHEMES = {"json", "jsons", "form", "forms", "xml", "xmls"}


def with_idempotency_key(url: str, key: str) -> str:
    """`url` with an `Idempotency-Key: key` header for a webhook; other URLs unchanged (the key is in
    the body of every message): delivery is at least once, and receivers drop what they have seen."""
    if url.split("://", 1)[0].lower() not in _HEADER_SCHEMES:
        return url
    return f"{url}{'&' if '?' in url else '?'}+Idempotency-Key={quote(key, safe='')}"


WORKER = Path(__file__).with_name("sendworker.py")
WORKER_START_TIMEOUT = 60.0  # seconds for the worker to load apprise; not counted in a message's deadline


class Sender:
    """Sends messages in a worker process, each within `deadline` seconds including every byte of the
    answer: a worker still sending at its deadline is killed (which closes the connection) and the next
    message gets a new one. The receiver may still act on a message whose deadline passed: delivery is at
    least once. Use as a context manager; the worker starts at the first message."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self._proc: subprocess.Popen[bytes] | None = None
        self._selector: selectors.BaseSelector | None = None
        self._buffer = b""

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, url: str, title: str, body: str, idempotency_key: str | None = None) -> None:
        """Send one message to one apprise URL; NotifyError (URL masked, reason captured) on failure."""
        target = with_idempotency_key(url, idempotency_key) if idempotency_key else url
        request = {"url": target, "title": title, "body": body, "timeout": self.deadline}
        proc = self._worker(url)
        assert proc.stdin is not None
        try:
            proc.stdin.write(json.dumps(request).encode() + b"\n")
            proc.stdin.flush()
            answer = self._read(self.deadline)
        except (BrokenPipeError, EOFError) as exc:
            self._stop()
            raise NotifyError(f"{mask_url(url)}: the send worker ended unexpectedly") from exc
        if answer is None:
            self._stop()
            raise NotifyError(f"{mask_url(url)}: no answer within {self.deadline:g} s; the send was stopped")
        if answer["ok"] is None:
            raise NotifyError(f"{mask_url(url)}: not a notification URL apprise understands")
        if not answer["ok"]:
            raise NotifyError(f"{mask_url(url)}: {_reason(answer['lines'], url)}")

    def close(self) -> None:
        """End the worker: it finishes at the end of its input; killed if it does not."""
        if self._proc is None:
            return
        assert self._proc.stdin is not None
        with contextlib.suppress(OSError):
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._forget()

    def _worker(self, url: str) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._forget()
        # -P: the worker's folder (monitor/, whose profile.py would shadow the standard library's) is not
        # put on sys.path; URLs go through stdin, never into a process list
        self._proc = subprocess.Popen(
            [sys.executable, "-P", str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        assert self._proc.stdout is not None
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._proc.stdout, selectors.EVENT_READ)
        try:
            ready = self._read(WORKER_START_TIMEOUT)
        except EOFError:
            ready = None
        if ready is None:
            self._stop()
            raise NotifyError(f"{mask_url(url)}: the send worker did not start")
        return self._proc

    def _read(self, timeout: float) -> dict[str, Any] | None:
        """The worker's next answer; None if none came within `timeout` s; EOFError if the worker ended."""
        assert self._proc is not None and self._proc.stdout is not None and self._selector is not None
        end = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = end - time.monotonic()
            if left <= 0 or not self._selector.select(left):
                return None
            chunk = os.read(self._proc.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
        self._forget()

    def _forget(self) -> None:
        if self._selector is not None:
            self._selector.close()
        if self._proc is not None:
            for pipe in (self._proc.stdin, self._proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):  # a request left unwritten to a worker that died
                        pipe.close()
        self._proc, self._selector, self._buffer = None, None, b""


def send(url: str, title: str, body: str, timeout: float = 10.0) -> None:
    """Send one message to one apprise URL within `timeout` s; NotifyError on failure."""
    with Sender(timeout) as sender:
        sender.send(url, title, body)


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
    with Sender(timeout) as sender:
        for url in urls:
            try:
                sender.send(url, "[monitor] test notification", "This is a test from `monitor notify --test`.")
                results.append(TestResult(mask_url(url), True, None))
            except NotifyError as exc:
                results.append(TestResult(mask_url(url), False, str(exc)))
    return results
