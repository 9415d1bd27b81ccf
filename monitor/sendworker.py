"""The worker process that sends apprise messages for `monitor.notify.Sender`, one at a time.

apprise's timeouts are per socket read: a receiver that trickles a byte a second is never timed out. The
worker is therefore a process of its own that the parent kills when a message's deadline passes, which
also closes its connection; a thread could only be abandoned, still sending. This module imports nothing
of the monitor's: it is run as a file (`python -P .../sendworker.py`), so it starts in a fraction of a
second instead of importing the whole package as `-m monitor.sendworker` would.

Protocol, one JSON object a line: the worker says {"ready": true} once apprise is loaded, then answers
every request {"url", "title", "body", "timeout"} with {"ok": true|false|null, "lines": [...]}, where
null means apprise does not understand the URL and `lines` are apprise's log lines (they hold the URL:
the parent redacts them). The worker ends at the end of its input.
"""

from __future__ import annotations

import json
import logging
import math
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import apprise

# an orphaned worker (its parent killed mid-send) ends itself this long after a message's deadline
ORPHAN_GRACE = 5


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@contextmanager
def _apprise_lines() -> Iterator[_Capture]:
    """apprise says why a send failed only at DEBUG level: capture its lines, and keep them (they hold
    URLs) out of every other handler."""
    logger = logging.getLogger("apprise")
    handler = _Capture()
    old_level, old_propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


def attempt(url: str, title: str, body: str, timeout: float) -> tuple[bool | None, list[str]]:
    """Send one message in this process: (sent, apprise's log lines); sent is None for a URL apprise
    does not understand. `timeout` bounds connecting and each read, not the whole send."""
    with _apprise_lines() as capture:
        try:
            client = apprise.Apprise()
            if not client.add(url):
                return None, capture.lines
            for server in client:
                # apprise's per-service socket timeouts; the defaults wait 4 s to connect and longer to read
                if hasattr(server, "socket_connect_timeout"):
                    server.socket_connect_timeout = timeout
                if hasattr(server, "socket_read_timeout"):
                    server.socket_read_timeout = timeout
            ok = bool(client.notify(title=title, body=body))
        except Exception as exc:  # reported as a failed send, never as a traceback that may hold the URL
            return False, [*capture.lines, f"apprise failed: {type(exc).__name__}: {exc}"]
    return ok, capture.lines


def _answer(data: dict[str, Any]) -> None:
    print(json.dumps(data), flush=True)


def main() -> int:
    logging.getLogger().addHandler(logging.NullHandler())  # no logging "last resort" on stderr
    apprise.Apprise().add("json://localhost")  # load the plugins before saying ready
    _answer({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        signal.alarm(math.ceil(request["timeout"]) + ORPHAN_GRACE)
        ok, lines = attempt(request["url"], request["title"], request["body"], request["timeout"])
        signal.alarm(0)
        _answer({"ok": ok, "lines": lines})
    return 0


if __name__ == "__main__":
    sys.exit(main())
