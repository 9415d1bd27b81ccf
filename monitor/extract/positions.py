"""Positions: an actor's stance on a topic, with negation, and whether the article reports a change.

The stance comes from the cue word (support/oppose) nearest the topic phrase, flipped by a negation
just before it ("would not accept"). With no cue, a negated topic phrase is opposition ("would never
again forcibly eradicate"). A sentence that reports a change ("now rejects", "no longer") yields a
position marked as a change; one set in the past ("had previously endorsed") is marked historical.
"""

from __future__ import annotations

import re

from monitor.extract.actors import ActorFinder
from monitor.models import Position, Stance
from monitor.profile import TopicProfile
from monitor.text import PhraseMatch, words_before, words_between

_MODAL = {"will", "would", "shall", "to", "must", "should"}
NEGATION_WINDOW = 3
MAX_CUE_GAP = 6  # words between a stance cue and its topic phrase
AFTER_PENALTY = 3  # a cue after the topic usually belongs to a relative clause ("...championed by X")


class PositionExtractor:
    def __init__(self, profile: TopicProfile) -> None:
        self.profile = profile
        self.actors = ActorFinder(profile)
        self.support = profile.lexicon_index("stance", "support")
        self.oppose = profile.lexicon_index("stance", "oppose")
        self.neutral = profile.lexicon_index("stance", "neutral")
        self.change = profile.lexicon_index("stance", "change_markers")
        self.historical = profile.lexicon_index("stance", "historical_markers")
        self.negations = {w.lower() for w in profile.lexicon.stance.get("negations", [])}

    def extract(self, sentence: str, context: str | None) -> Position | None:
        if not re.search(r"[.!?\"'”)]\s*$", sentence):
            return None  # a headline or section heading states no one's position
        topics = self.profile.topic_index.find(sentence)
        mentions = self.actors.mentions(sentence, exclude=topics)
        if not topics:
            return None
        # topic phrases that are really actor names ("Marshall Plan") do not count
        topics = [t for t in topics if not any(m.start <= t.start and t.end <= m.end for m in mentions)]
        actor = self.actors.subject(sentence, mentions, context)
        if not topics or actor is None:
            return None
        changes = self.change.find(sentence)
        scan_from = changes[0].start if changes else 0
        blocked = [*topics, *mentions]
        stance, topic = self._stance(sentence, topics, blocked, scan_from)
        if stance is None:
            return None
        historical = not changes and bool(self.historical.find(sentence))
        return Position(
            actor=actor,
            topic=topic.key,
            stance=stance,
            is_change=bool(changes),
            historical=historical,
            evidence=sentence,
        )

    def _stance(
        self, sentence: str, topics: list[PhraseMatch], blocked: list[PhraseMatch], scan_from: int
    ) -> tuple[Stance | None, PhraseMatch]:
        if self.neutral.find(sentence):
            return "neutral", topics[0]
        cues: list[tuple[PhraseMatch, int]] = []
        for index, polarity in ((self.support, 1), (self.oppose, -1)):
            for m in index.find(sentence):
                if m.start < scan_from or any(b.start < m.end and m.start < b.end for b in blocked):
                    continue
                cues.append((m, polarity * self._negated(sentence, m.start)))
        best: tuple[int, PhraseMatch, int] | None = None
        for topic in topics:
            for cue, polarity in cues:
                if cue.end <= topic.start:
                    gap = words_between(sentence, cue.end, topic.start)
                else:
                    gap = words_between(sentence, topic.end, cue.start) + AFTER_PENALTY
                if gap <= MAX_CUE_GAP and (best is None or gap < best[0]):
                    best = (gap, topic, polarity)
        if best is not None:
            return ("support" if best[2] > 0 else "oppose"), best[1]
        for topic in topics:
            before = words_before(sentence, topic.start, NEGATION_WINDOW)
            committed = any(w in _MODAL or w == "never" for w in before)
            if "no longer" in sentence[max(0, topic.start - 30) : topic.start].lower() or (
                committed and self._has_negation(before)
            ):
                return "oppose", topic
            if before and before[-1] in _MODAL:
                return "support", topic
        return None, topics[0]

    def _has_negation(self, words: list[str]) -> bool:
        return any(w in self.negations or w.endswith("n't") for w in words)

    def _negated(self, sentence: str, at: int) -> int:
        """-1 when a negation stands within a few words before a cue, else 1."""
        if self._has_negation(words_before(sentence, at, NEGATION_WINDOW)):
            return -1
        if "no longer" in sentence[max(0, at - 25) : at].lower():
            return -1
        return 1
