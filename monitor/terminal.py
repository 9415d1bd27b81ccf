"""What the command shows on stderr while it works: log lines by verbosity, and a progress display on a
terminal. The pipeline only counts (monitor.progress); drawing is done here, in the CLI's layer."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as Bars
from rich.text import Text

from monitor import progress
from monitor.progress import Stage

OWN_LOGGERS = ("monitor", "flows")
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class OwnLinesOnly(logging.Filter):
    """At -v, the INFO lines of the monitor's own stages; other libraries (Prefect's API calls, httpx's
    requests, which include a routine "422" from Prefect's server) only from WARNING, unless -vv."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or record.name.split(".")[0] in OWN_LOGGERS


class StderrLines(logging.Handler):
    """Log lines on whatever sys.stderr is at the time, so that they print above a live progress display
    (rich swaps sys.stderr while it draws). Not named with a leading underscore: Prefect replaces the root
    logger's handlers unless it sees one of the user's own."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:
            self.handleError(record)


def setup_logging(verbosity: int) -> None:
    """Nothing below WARNING by default; -v: our stages at INFO; -vv: every library at INFO, ours at DEBUG."""
    handler = StderrLines()
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    if verbosity == 0:
        handler.setLevel(logging.WARNING)  # also for a library whose own level was lowered (PREFECT_LOGGING_LEVEL)
    elif verbosity == 1:
        handler.addFilter(OwnLinesOnly())
    logging.basicConfig(level=logging.INFO if verbosity else logging.WARNING, handlers=[handler])
    if verbosity >= 2:
        logging.getLogger("monitor").setLevel(logging.DEBUG)


class _Counted(ProgressColumn):
    """`column`, left empty on the waiting line (no total: nothing is counted yet)."""

    def __init__(self, column: ProgressColumn) -> None:
        super().__init__()
        self.column = column

    def render(self, task: Task) -> RenderableType:
        return Text() if task.total is None else self.column.render(task)


class ProgressDisplay:
    """One bar per stage (feeds read, pages fetched, extracted, stored), counted as the pipeline reports;
    cleared at the end, where the summary takes over. `waiting` is shown until the first count."""

    def __init__(self, console: Console, waiting: str | None = None) -> None:
        self._bars = Bars(
            SpinnerColumn(),
            TextColumn("{task.description:<14}"),
            _Counted(BarColumn()),
            _Counted(MofNCompleteColumn()),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._lock = threading.Lock()  # Prefect runs tasks in threads
        self._tasks: dict[Stage, TaskID] = {}
        self._totals: dict[Stage, int] = {}
        self._waiting = self._bars.add_task(waiting, total=None) if waiting else None

    def __enter__(self) -> ProgressDisplay:
        self._bars.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bars.stop()

    def _task(self, stage: Stage) -> TaskID:
        if self._waiting is not None:
            self._bars.remove_task(self._waiting)
            self._waiting = None
        if stage not in self._tasks:
            self._totals[stage] = 0
            self._tasks[stage] = self._bars.add_task(stage.value, total=0)
        return self._tasks[stage]

    def expect(self, stage: Stage, total: int) -> None:
        with self._lock:
            task = self._task(stage)
            self._totals[stage] += total
            self._bars.update(task, total=self._totals[stage])

    def advance(self, stage: Stage, count: int = 1) -> None:
        with self._lock:
            self._bars.advance(self._task(stage), count)


@contextmanager
def progress_shown(console: Console, waiting: str | None = None) -> Iterator[None]:
    """The progress display while the block runs when `console` writes to a terminal; nothing otherwise
    (tests, cron, a pipe), where the summary and the log lines say it all."""
    isatty = getattr(console.file, "isatty", None)
    if not (isatty and isatty()):
        yield
        return
    with ProgressDisplay(console, waiting) as display, progress.reporting(display):
        yield
