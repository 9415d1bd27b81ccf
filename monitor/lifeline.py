"""Processes the monitor starts end with it.

A pass told to stop (SIGTERM from `timeout`, cron or a service manager) stops as an exception, so that
Prefect records its flow run as Crashed and every `finally` runs. A pass killed with SIGKILL cleans up
nothing: the processes it started (its Prefect server, its analysis workers) watch their parent and end
themselves when it is gone. Only the delivery relay outlives a killed pass, on purpose (monitor.outbox):
it finishes the delivery it began, each message within notify_timeout, and records it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType

# how often an orphan checks for its parent, and how long a graceful stop may take before it is cut short
PARENT_CHECK_EVERY = 0.5
GRACE = 10.0


def main_of(module: str) -> list[str]:
    """The command that runs `module`'s main() in a new Python: `python -m` would put the current directory
    first on sys.path, where a folder named `monitor` or `flows` would be imported instead of ours; -P
    leaves it out. The project's folder comes last, for a checkout run without being installed."""
    project = str(Path(__file__).resolve().parent.parent)
    code = f"import sys; sys.path.append({project!r}); from {module} import main; sys.exit(main())"
    return [sys.executable, "-P", "-c", code]


class Terminated(BaseException):
    """The process was told to stop by a signal. Not a MonitorError: nothing went wrong in the monitor, and a
    BaseException, like KeyboardInterrupt, so that no stage's `except Exception` carries on past it."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # what a shell reports for a process ended by this signal


def _raise(signum: int, frame: FrameType | None) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def stop_on_signals(*signums: int) -> Iterator[None]:
    """Turn the given signals (default SIGTERM and SIGHUP) into `Terminated` in the main thread."""
    signums = signums or (signal.SIGTERM, signal.SIGHUP)
    previous = {s: signal.signal(s, _raise) for s in signums}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def end_with_parent(stop: Callable[[], object] | None = None, parent: int | None = None) -> None:
    """Watch, from a daemon thread, for the death of `parent` (default: the parent now); then call `stop`
    (a graceful stop) and end the process GRACE seconds later, or at once without `stop`.

    Polling getppid works on every POSIX system and for whichever thread started us (Linux's
    PR_SET_PDEATHSIG fires when the starting *thread* ends), and costs one system call per check.
    """
    expected = os.getppid() if parent is None else parent

    def watch() -> None:
        while os.getppid() == expected:
            time.sleep(PARENT_CHECK_EVERY)
        if stop is not None:
            stop()
            time.sleep(GRACE)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()


def worker_initializer() -> None:
    """For pool workers (forks of the pass): stopping is the pass's decision, so a Ctrl-C or a `timeout`
    sent to the whole process group does not kill them mid-task; and they end at once if the pass dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    end_with_parent()
