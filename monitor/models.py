"""The records that move between stages: documents, articles and the claims found in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stance = Literal["support", "oppose", "neutral"]
AlertKind = Literal["figure", "position", "event"]
FigureKind = Literal["level", "change"]


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(Record):
    """Raw input before text extraction: a seed file or a fetched page."""

    url: str
    source: Literal["seed", "feed"]
    feed_url: str | None = None
    title: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime
    html: bytes | None = None
    text: str | None = None
    outlet: str | None = None  # the feed's own title, when the page names no site


# Gaps that say the metric was not read for sure (none, one outside the number's clause, or two).
METRIC_GAPS = frozenset({"metric", "metric-outside-clause", "metric-ambiguous"})
# A period of the year still running, told as a tally so far ("2025 to date"): it may only grow.
TO_DATE = "to date"


class Figure(Record):
    """A number an article reports, normalised and widened to the interval its wording allows."""

    subject: str
    metric: str
    metric_known: bool
    kind: FigureKind
    period: str | None
    value: float
    low: float
    high: float
    unit: str
    qualifier: str
    raw: str
    complete: bool = False  # metric, period, subject and scope all read: may raise an alert
    gaps: str = ""  # what could not be read: metric, period, scope...
    evidence: str

    @property
    def gap_set(self) -> set[str]:
        return set(self.gaps.split(",")) - {""}

    def filled(self, *, metric: str | None = None, period: str | None = None) -> Figure:
        """A copy with its metric and/or period now read (from a neighbouring figure): their gaps closed,
        its completeness recomputed from the gaps left."""
        closed = (METRIC_GAPS if metric is not None else frozenset()) | ({"period"} if period is not None else set())
        kept = [g for g in self.gaps.split(",") if g and g not in closed]
        update: dict[str, object] = {"gaps": ",".join(kept), "complete": not kept}
        if metric is not None:
            update |= {"metric": metric, "metric_known": True}
        if period is not None:
            update["period"] = period
        return self.model_copy(update=update)


class Position(Record):
    """A stance of a named actor on a topic, with how the article frames it in time."""

    actor: str
    topic: str
    stance: Stance
    is_change: bool = False
    historical: bool = False
    complete: bool = False  # holder read as the speaker or subject, stance cue governing the topic
    gaps: str = ""
    evidence: str


class EventMention(Record):
    """One report of an action by an actor on a target, dated when the sentence says when."""

    actor: str | None
    action: str
    target: str | None
    event_date: date | None
    complete: bool = False  # actor, target and date all read from the grammar: may raise an alert
    gaps: str = ""  # what could not be read: actor, target, date, past-occurrence...
    announced: bool = False  # told as to come ("said it would stop"): dated by the announcement, not the deed
    # the year of the last occurrence before now, as the sentence tells it ("the first since 1997")
    previous_year: int | None = None
    evidence: str


class Article(Record):
    """A document after extraction and analysis: text, topic score and the claims found in it."""

    url: str
    source: Literal["seed", "feed"]
    feed_url: str | None = None
    title: str | None
    outlet: str | None = None
    published_at: datetime | None
    fetched_at: datetime
    text: str
    content_hash: str
    on_topic: bool
    topic_score: float
    figures: list[Figure] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    events: list[EventMention] = Field(default_factory=list)
    minhash: list[int] = Field(default_factory=list)  # computed beside extraction, on every core


class Alert(Record):
    """A contradiction between a new claim and a stored one, citing both sentences."""

    alert_id: str
    kind: AlertKind
    article_url: str
    prior_url: str
    summary: str
    new_evidence: str
    prior_evidence: str
    confidence: float
    created_at: datetime
    explanation: str = ""  # both claims as read, and why they were judged to be about the same thing


class Failure(Record):
    """Something that could not be read or delivered, kept so nothing is lost silently."""

    url: str
    stage: str
    reason: str
    transient: bool = False  # trying again later may succeed (a timeout, a 5xx)


class PassSummary(BaseModel):
    """What one monitoring pass did, for the console, the artifact and the tests."""

    articles_new: int = 0
    articles_skipped: int = 0
    articles_failed: int = 0
    on_topic: int = 0
    duplicates: int = 0
    figures: int = 0
    positions: int = 0
    events: int = 0
    alerts: list[Alert] = Field(default_factory=list)
    notified: int = 0
    notify_failed: int = 0
    failures: list[Failure] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)  # e.g. a web page given as a feed, read through its link
    notify_errors: list[str] = Field(default_factory=list)  # why each failed alert was not delivered (masked)
    skipped_why: dict[str, int] = Field(default_factory=dict)  # why articles were skipped -> how many
    deferred: int = 0  # new feed items over max_new_per_feed, left for the next pass

    def skip(self, why: str, count: int = 1) -> None:
        """Count `count` articles skipped for the reason `why`."""
        self.articles_skipped += count
        self.skipped_why[why] = self.skipped_why.get(why, 0) + count

    def add(self, other: PassSummary) -> None:
        """Count another batch of the same pass in."""
        counts = ("articles_new", "articles_skipped", "articles_failed", "on_topic", "duplicates", "figures")
        for name in (*counts, "positions", "events", "notified", "notify_failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.alerts.extend(other.alerts)
        self.failures.extend(other.failures)
        for why, count in other.skipped_why.items():
            self.skipped_why[why] = self.skipped_why.get(why, 0) + count
