"""Figures that explain each other across neighbouring sentences.

Reporters spread one measurement over sentences: "Wheat output grew 10 percent." then "The harvest reached
253,000 tonnes in 2023, up from 230,000 the year before." Read alone, the 10 percent has no period and the
levels may have no metric. When a change's value is what its two levels work out to, the three are one
series: the change runs between the levels' years, and a metric read on any of them (with nothing else
read on the others) belongs to all. The arithmetic is the evidence; without it nothing is linked.

A sentence that names no time and reports a change right after a sentence whose changes all run over one
period continues it ("Wheat grew 10% in 2023 ... Barley output rose faster, by 53%, to 2,664 tonnes"):
its changes take that period, and a level it reaches the period's last year.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from monitor.models import METRIC_GAPS, Figure
from monitor.profile import Metric

# Percentage points a change may miss its levels' arithmetic by (the levels are rounded too: "about 230,000").
SLACK_POINTS = 1.0


@dataclass(frozen=True)
class _Link:
    metric: str
    years: tuple[int, int]
    levels: tuple[tuple[int, int], tuple[int, int]]  # (sentence, figure) of the earlier and the later level


def link_series(sentences: Sequence[list[Figure]], metrics: dict[str, Metric]) -> list[list[Figure]]:
    """The figures of consecutive sentences, with each change that its levels' arithmetic confirms given
    the levels' years, and the series' one metric given to those of its figures that lacked it. Links are
    made in reading order, so a level that got its metric from one link passes it to the next ("up 10%
    from 230,000 in 2022, which had been 13% above the 204,000 of 2021")."""
    out = [list(figures) for figures in sentences]
    for i, figures in enumerate(sentences):
        for j, change in enumerate(figures):
            if change.kind != "change" or change.unit != "percent":
                continue
            link = _find_link(out, i, change, metrics)  # a metric linked before carries along the chain
            if link is None:
                continue
            out[i][j] = out[i][j].filled(metric=link.metric, period=f"{link.years[0]}-{link.years[1]}")
            for s, f in link.levels:
                out[s][f] = out[s][f].filled(metric=link.metric)
    return out


def carry_periods(sentences: Sequence[list[Figure]], names_time: Callable[[str], bool]) -> list[list[Figure]]:
    """The figures of consecutive sentences, with the changes of a sentence that names no time given the
    one period of the changes just before (and the level such a change reaches, that period's last year)."""
    out = [list(figures) for figures in sentences]
    for i in range(1, len(sentences)):
        # the changes before need a period read in full; what they measure may be unread ("drug crops")
        before = {
            (f.subject, f.period) for f in out[i - 1] if f.kind == "change" and f.period and f.gap_set <= METRIC_GAPS
        }
        if len(before) != 1:
            continue
        subject, period = before.pop()
        if period is None or not _is_year_range(period):
            continue
        current = out[i]
        carried = [
            j
            for j, f in enumerate(current)
            if f.kind == "change" and f.subject == subject and f.gap_set == {"period"} and f.metric_known
        ]
        if not carried or names_time(current[0].evidence):
            continue
        metrics = {current[j].metric for j in carried}
        reached = [
            j
            for j, f in enumerate(current)
            if f.kind == "level" and f.subject == subject and f.metric in metrics and f.gap_set == {"period"}
        ]
        for j in carried:
            current[j] = current[j].filled(period=period)
        if len(reached) == 1:  # "by 53%, to 2,664 tonnes": the one level the change reached
            current[reached[0]] = current[reached[0]].filled(period=period.split("-")[1])
    return out


def _is_year_range(period: str) -> bool:
    first, _, last = period.partition("-")
    return first.isdigit() and last.isdigit() and len(first) == len(last) == 4


def _find_link(sentences: Sequence[list[Figure]], i: int, change: Figure, metrics: dict[str, Metric]) -> _Link | None:
    """The one pair of levels in this sentence or its neighbours whose ratio is the change, or None."""
    window = [
        (s, f, level)
        for s in range(max(0, i - 1), min(len(sentences), i + 2))
        for f, level in enumerate(sentences[s])
        if level.kind == "level" and level.value > 0 and level.period is not None and level.period.isdigit()
    ]
    links: list[_Link] = []
    for s0, f0, early in window:
        for s1, f1, late in window:
            if late.unit != early.unit or late.subject != early.subject or early.subject != change.subject:
                continue
            y0, y1 = int(early.period or 0), int(late.period or 0)
            if y0 >= y1 or not _period_open(change, y0, y1):
                continue
            ratio = (late.value / early.value - 1) * 100
            if not change.low - SLACK_POINTS <= ratio <= change.high + SLACK_POINTS:
                continue
            metric = _one_metric([change, early, late])
            if metric is None or early.unit not in metrics[metric].units:
                continue
            links.append(_Link(metric, (y0, y1), ((s0, f0), (s1, f1))))
    if len({(link.metric, link.years) for link in links}) != 1:
        return None  # no pair, or pairs that say different things: stay as read
    return links[0]


def _period_open(change: Figure, y0: int, y1: int) -> bool:
    """A change's period may come from its levels when it has none, or when the one year it named is the
    earlier level's ("up 10% from 230,000 in 2022": 2022 is where the change starts, not where it ends)."""
    if change.period is None:
        return True
    return change.period in (f"{y0}-{y1}", f"{y0 - 1}-{y0}")


def _one_metric(figures: list[Figure]) -> str | None:
    """The metric the figures share: read plainly on at least one, contradicted by none."""
    plain = {f.metric for f in figures if f.metric_known and not METRIC_GAPS & f.gap_set}
    tentative = {f.metric for f in figures if f.metric_known and METRIC_GAPS & f.gap_set}
    if len(plain) != 1 or not tentative <= plain:
        return None
    return plain.pop()
