"""Figures: what a number measures (metric), of whom (subject), when (period), level or change."""

from __future__ import annotations

import re
from datetime import date

from monitor.extract.dates import PeriodReader
from monitor.extract.numbers import Quantity, QuantityReader, interval
from monitor.models import Figure, FigureKind
from monitor.profile import Metric, TopicProfile
from monitor.text import PhraseMatch

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|of|across|for|inside|into|along|within|throughout)\s+(?:the\s+)?$", re.IGNORECASE
)
_SOURCE_BEFORE = re.compile(r"\b(?:officials|authorities|sources|diplomats|analysts|officers)\s+in\s+$", re.IGNORECASE)


class FigureExtractor:
    """Turns the quantities of a sentence into figures, using the profile's metrics and actors."""

    def __init__(self, profile: TopicProfile) -> None:
        self.profile = profile
        self.quantities = QuantityReader(profile)
        self.periods = PeriodReader(profile)
        self.increase = {w.lower() for w in profile.lexicon.change.get("increase", [])}
        self.decrease = {w.lower() for w in profile.lexicon.change.get("decrease", [])}
        self.level_markers = {w.lower() for w in profile.lexicon.change.get("level_markers", [])}
        self.places = {a.name for a in profile.actors if a.kind in ("government", "place")}

    def extract(self, sentence: str, published: date | None) -> list[Figure]:
        metrics = self.profile.metric_index.find(sentence)
        actors = self.profile.actor_index.find(sentence)
        figures = []
        for q in self.quantities.read(sentence):
            kind, sign = self._kind(sentence, q)
            metric = self._metric(q, kind, metrics)
            name = metric.name if metric else (q.noun or f"{q.unit} amount")
            value = sign * q.value
            low, high = interval(q, value)
            period = self.periods.period_near(sentence, q.start, q.end, published)
            gaps = [gap for gap, missing in (("metric", metric is None), ("period", period is None)) if missing]
            figures.append(
                Figure(
                    subject=self._subject(sentence, q, actors, metric),
                    metric=name,
                    metric_known=metric is not None,
                    kind=kind,
                    period=period,
                    complete=not gaps,
                    gaps=",".join(gaps),
                    value=value,
                    low=low,
                    high=high,
                    unit=q.unit,
                    qualifier=q.qualifier,
                    raw=q.raw,
                    evidence=sentence,
                )
            )
        return figures

    def _kind(self, sentence: str, q: Quantity) -> tuple[FigureKind, int]:
        """Level or change, and the sign of a change, from the words around the number."""
        before = [w.lower() for w in _WORD.findall(sentence[: q.start])]
        after = [w.lower() for w in _WORD.findall(sentence[q.end :])][:2]
        if before and before[-1] in self.level_markers:
            return "level", 1
        if before and before[-1] == "by":
            return "change", self._direction(before[-10:])
        if any(w in self.increase or w in self.decrease for w in before[-3:]):
            return "change", self._direction(before[-3:])
        if after and (after[0] in self.increase or after[0] in self.decrease):
            return "change", -1 if after[0] in self.decrease else 1
        return "level", 1

    def _direction(self, words: list[str]) -> int:
        for w in reversed(words):
            if w in self.decrease:
                return -1
            if w in self.increase:
                return 1
        return 1

    def _metric(self, q: Quantity, kind: str, found: list[PhraseMatch]) -> Metric | None:
        """The metric whose phrasing stands nearest the number among those its unit fits."""
        best: tuple[int, int, Metric] | None = None
        for match in found:
            metric = self.profile.metric_by_name[match.key]
            if not self._fits(metric, q, kind):
                continue
            distance = match.start - q.end if match.start >= q.end else q.start - match.end
            rank = (max(distance, 0), -(match.end - match.start))
            if best is None or rank < best[:2]:
                best = (*rank, metric)
        return best[2] if best else None

    @staticmethod
    def _fits(metric: Metric, q: Quantity, kind: str) -> bool:
        if q.unit == "count":
            noun = q.noun or ""
            return "count" in metric.units and any(word in metric.counted for word in noun.split())
        if q.unit == "percent" and kind == "change":
            return True
        return q.unit in metric.units

    def _subject(self, sentence: str, q: Quantity, actors: list[PhraseMatch], metric: Metric | None) -> str:
        """The place the figure is about: one named as "in X" / "X's" near it, else the metric's default."""
        counterparts = set(metric.counterparts) if metric else set()
        candidates = []
        for m in actors:
            if m.key not in self.places or m.key in counterparts:
                continue
            before = sentence[: m.start]
            if _SOURCE_BEFORE.search(before):
                continue
            marked = (
                _PREPOSITION_BEFORE.search(before) is not None
                or sentence[m.end : m.end + 2] == "'s"
                or m.text.endswith(("an", "ian"))
            )
            if marked:
                distance = abs((m.start + m.end) // 2 - (q.start + q.end) // 2)
                candidates.append((distance, m.key))
        if candidates:
            return min(candidates)[1]
        if metric and metric.subject:
            return metric.subject
        return self.profile.story.default_subject
