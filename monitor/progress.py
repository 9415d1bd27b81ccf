"""How far a pass has got, for whoever shows it: the pipeline counts, the CLI draws (monitor.terminal).

The pipeline's stages run in both modes (directly and as Prefect tasks, in threads), so they report to
one sink set for the process (`reporting`), not through parameters: a flow's parameters are stored by
Prefect, and a display is no parameter. Without a sink the counts go nowhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Protocol


class Stage(StrEnum):
    FEEDS = "feeds read"
    FETCHED = "pages fetched"
    EXTRACTED = "extracted"
    STORED = "stored"


class Progress(Protocol):
    def expect(self, stage: Stage, total: int) -> None:
        """`total` more items of `stage` are to come."""

    def advance(self, stage: Stage, count: int = 1) -> None:
        """`count` items of `stage` are done (succeeded or failed)."""


class _Nowhere:
    def expect(self, stage: Stage, total: int) -> None:
        pass

    def advance(self, stage: Stage, count: int = 1) -> None:
        pass


_sink: Progress = _Nowhere()


@contextmanager
def reporting(sink: Progress) -> Iterator[Progress]:
    """Send the counts of the stages run inside the block to `sink`."""
    global _sink
    previous, _sink = _sink, sink
    try:
        yield sink
    finally:
        _sink = previous


def expect(stage: Stage, total: int) -> None:
    if total:
        _sink.expect(stage, total)


def advance(stage: Stage, count: int = 1) -> None:
    if count:
        _sink.advance(stage, count)
