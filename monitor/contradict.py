"""Does a new claim contradict a stored one? Pure decisions; the warehouse finds the candidates.

- Figures contradict when they share subject, metric, period, kind and unit, and their intervals
  cannot overlap. Rounding, another year, another metric never compare.
- Positions contradict when the same actor takes opposite stances on the same topic within the
  profile's window, unless the new article reports a change or a change was recorded in between.
- Event mentions contradict when they are the same event (action and target within the action's
  window), both told as done or both as announced, reported with another date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from monitor.models import TO_DATE, EventMention, Figure, Position
from monitor.profile import TopicProfile


@dataclass(frozen=True)
class StoredFigure:
    article_url: str
    outlet: str | None
    published_at: datetime | None
    raw: str
    low: float
    high: float
    value: float
    evidence: str


@dataclass(frozen=True)
class StoredPosition:
    article_url: str
    outlet: str | None
    published_at: datetime | None
    stance: str
    is_change: bool
    evidence: str


@dataclass(frozen=True)
class StoredMention:
    article_url: str
    outlet: str | None
    published_at: datetime | None
    actor: str | None
    event_date: date | None
    evidence: str
    announced: bool = False


@dataclass(frozen=True)
class Conflict:
    kind: str
    prior_url: str
    what: str
    new_says: str
    prior_says: str
    new_evidence: str
    prior_evidence: str
    confidence: float
    # both claims as the monitor read them and why they were judged to be about the same thing:
    # what a user reads to decide in ten seconds whether to trust the alert
    explanation: str = ""


@dataclass(frozen=True)
class Reading:
    """An alert's explanation in its three parts: how the new claim and the stored one were read, and why
    they were judged to be about the same thing (`monitor explain` and the digest lay them out)."""

    new: str
    stored: str
    why: str


def read_explanation(explanation: str) -> Reading:
    """Split an explanation written as "new: … | stored: … | why" (the conflicts below write it so)."""
    new, _, rest = explanation.partition(" | stored: ")
    stored, _, why = rest.partition(" | ")
    return Reading(new.removeprefix("new: "), stored, why)


def _interval(low: float, high: float, unit: str) -> str:
    return f"[{low:,.6g}, {high:,.6g}) {unit}"


def _key_reading(f: Figure) -> str:
    return f"subject {f.subject}, metric {f.metric} ({f.kind}), period {f.period or 'not stated'}"


def figure_reading(f: Figure) -> str:
    return f"{_key_reading(f)}: {f.raw} = {_interval(f.low, f.high, f.unit)}"


def comparable_figure(f: Figure) -> bool:
    """Only figures of a profile metric are compared, and never yearly rates (a rate of which year?)."""
    return f.metric_known and f.period != "per year"


def figure_conflict(
    new: Figure, prior: StoredFigure, published: datetime | None = None, cumulative: bool = False
) -> Conflict | None:
    """Intervals that cannot overlap. A running tally (with no period, or the year's so far) may grow:
    only a later figure below an earlier one conflicts (or two of the same day that disagree)."""
    running = (cumulative and new.period is None) or (new.period or "").endswith(TO_DATE)
    if running and published and prior.published_at:
        days = (published - prior.published_at).total_seconds() / 86400
        if days > 1 and not new.high < prior.low:
            return None
        if days < -1 and not prior.high < new.low:
            return None
    if intervals_disjoint(new.low, new.high, prior.low, prior.high):
        gap = max(prior.low - new.high, new.low - prior.high)
        scale = max(abs(new.value), abs(prior.value), 1e-9)
        confidence = min(0.98, 0.6 + 1.5 * gap / scale)
        period = f" in {new.period}" if new.period else ""
        what = f"{new.metric} ({new.kind}) for {new.subject}{period}"
        explanation = (
            f"new: {figure_reading(new)} | stored: {_key_reading(new)}: {prior.raw} = "
            f"{_interval(prior.low, prior.high, new.unit)} | "
            "same subject, metric, kind, period and unit, both read completely; the intervals cannot overlap"
        )
        return Conflict(
            "figure",
            prior.article_url,
            what,
            new.raw,
            prior.raw,
            new.evidence,
            prior.evidence,
            round(confidence, 2),
            explanation,
        )
    return None


def intervals_disjoint(lo1: float, hi1: float, lo2: float, hi2: float) -> bool:
    """Whether two readings cannot be the same value. Rounding intervals are half-open: "10%" is
    [9.5, 10.5) and "11%" is [10.5, 11.5), so two whole numbers one apart cannot round one value;
    a point (an exact reading) only meets an equal point."""
    if hi1 < lo2 or hi2 < lo1:
        return True
    touching = hi1 == lo2 or hi2 == lo1
    return touching and hi1 > lo1 and hi2 > lo2


def position_conflict(
    profile: TopicProfile,
    new: Position,
    published: datetime | None,
    prior: StoredPosition,
    changes_between: bool,
) -> Conflict | None:
    if new.is_change or new.historical or changes_between:
        return None
    if {new.stance, prior.stance} != {"support", "oppose"}:
        return None
    window = profile.story.position_window_days
    if published and prior.published_at and abs((published - prior.published_at).days) > window:
        return None
    what = f"{new.actor} on {new.topic}"
    explanation = (
        f"new: holder {new.actor}, topic {new.topic}, stance {new.stance} | stored: holder {new.actor}, "
        f"topic {new.topic}, stance {prior.stance} | same holder and topic within {window} days, both read "
        "completely, neither article reports a change of position"
    )
    return Conflict(
        "position", prior.article_url, what, new.stance, prior.stance, new.evidence, prior.evidence, 0.7, explanation
    )


def actors_compatible(profile: TopicProfile, a: str | None, b: str | None) -> bool:
    """Two reports name compatible actors when they are the same, or one is the other's government."""
    if a is None or b is None or a not in profile.actor_by_name or b not in profile.actor_by_name:
        return True
    return profile.same_side(a, b)


def event_conflict(profile: TopicProfile, new: EventMention, prior: StoredMention) -> Conflict | None:
    """Two complete reports of one event that give it different days. Different actors are not compared:
    a misread agent costs more than a missed disagreement about who acted."""
    what = f"{new.actor or 'someone'} {new.action} {new.target or ''}".strip()
    if new.announced != prior.announced:
        return None  # announced on one day, done on another: two true reports of two steps
    if new.event_date and prior.event_date and new.event_date != prior.event_date:
        window = profile.action_by_name[new.action].window_days if new.action in profile.action_by_name else 14
        explanation = (
            f"new: actor {new.actor}, action {new.action}, target {new.target}, date {new.event_date} | "
            f"stored: actor {prior.actor}, action {new.action}, date {prior.event_date} | same action on the "
            f"same target within {window} days, both read completely (agent, target, date of the action's own "
            f"clause), both told as {'announced' if new.announced else 'done'}"
        )
        return Conflict(
            "event",
            prior.article_url,
            what,
            f"dated {new.event_date}",
            f"dated {prior.event_date}",
            new.evidence,
            prior.evidence,
            0.75,
            explanation,
        )
    return None


@dataclass(frozen=True)
class StoredPrevious:
    """A stored report of the year an action last happened to a target before now."""

    article_url: str
    outlet: str | None
    published_at: datetime | None
    previous_year: int
    evidence: str


def previous_year_conflict(new: EventMention, prior: StoredPrevious) -> Conflict | None:
    """Two reports that give different years for the last time the same action befell the same target
    ("the first since 1994" against "last done in 1997"). Only the target and action must agree: who acted
    then is not what is told."""
    if new.previous_year is None or new.previous_year == prior.previous_year:
        return None
    explanation = (
        f"new: action {new.action}, target {new.target}, last occurrence before now in {new.previous_year} | "
        f"stored: action {new.action}, target {new.target}, last occurrence before now in {prior.previous_year} | "
        'the same action on the same target, each report telling the year it last happened ("the first since", '
        '"last … in")'
    )
    return Conflict(
        "event",
        prior.article_url,
        f"last {new.action} of {new.target} before this one",
        f"in {new.previous_year}",
        f"in {prior.previous_year}",
        new.evidence,
        prior.evidence,
        0.7,
        explanation,
    )


def summarise(conflicts: list[Conflict], new_source: str, prior_source: str) -> str:
    """One line a person understands at a glance: what, which value against which, where and when."""
    kind = conflicts[0].kind
    parts = [f"{c.what}: {c.new_says!s} vs {c.prior_says!s}" for c in conflicts]
    return f"{kind.capitalize()} conflict — " + "; ".join(parts) + f" ({new_source} vs {prior_source})"
