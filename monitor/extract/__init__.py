"""Extraction: page text, and from it the claims an article makes (figures, positions, events)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from monitor.extract import grammar
from monitor.extract.actors import SOMEONE_ELSE, ActorFinder
from monitor.extract.dates import find_dates
from monitor.extract.events import EventReader
from monitor.extract.figures import FigureExtractor
from monitor.extract.page import PageText, extract_page
from monitor.extract.positions import PositionReader
from monitor.extract.series import carry_periods, link_series
from monitor.models import EventMention, Figure, Position
from monitor.profile import Action, TopicProfile
from monitor.text import claim_sentences

__all__ = ["ClaimExtractor", "Claims", "PageText", "extract_page"]

# A "sentence" longer than this is a list, a table or text without full stops: no claim is read from it,
# and reading it would cost time that grows with the square of its length.
MAX_CLAIM_SENTENCE_CHARS = 2_000
# Claims are read from the first this-many characters of a text (a long article is about 30,000).
MAX_CLAIM_TEXT_CHARS = 300_000
_NOW = re.compile(r"\b(?:now|currently|today|recently)\b", re.IGNORECASE)  # "so far" is a tally marker


@dataclass
class Claims:
    figures: list[Figure] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    events: list[EventMention] = field(default_factory=list)


class ClaimExtractor:
    """All claims of a text, sentence by sentence, carrying who the previous sentence was about."""

    def __init__(self, profile: TopicProfile) -> None:
        self.actors = ActorFinder(profile)
        self.figures = FigureExtractor(profile)
        self.positions = PositionReader(profile)
        self.events = EventReader(profile)
        self.topics = profile.topic_index
        self.metrics = profile.metric_by_name
        self.time_words = profile.lexicon_index("grammar", "tally_markers")
        self.action_words = _word_stems(
            [w for a in profile.actions for w in _action_words(a)] + [w for t in profile.topics for w in t.verbs]
        )

    def extract(self, text: str, published: date | None) -> Claims:
        claims = Claims()
        context: str | None = None
        sentences = [s for s in claim_sentences(text[:MAX_CLAIM_TEXT_CHARS]) if len(s) <= MAX_CLAIM_SENTENCE_CHARS]
        # only sentences that may hold an event or a position are parsed: the parser is the costly stage
        quantities = {s: self.figures.quantities.read(s) for s in sentences}
        candidates = [s for s in sentences if quantities[s] or self._may_hold_event(s) or self.topics.find(s)]
        parsed = dict(zip(candidates, grammar.parse(candidates), strict=True))
        figures: list[list[Figure]] = []
        mentioned: dict[str, None] = {}  # the actors named so far, in order
        for sentence in sentences:
            doc = parsed.get(sentence)
            figures.append(self.figures.extract(sentence, published, doc, quantities[sentence], context))
            mentions = self.actors.mentions(sentence)
            mentioned.update(dict.fromkeys(m.key for m in mentions))
            if doc is not None and doc.has_annotation("DEP"):
                referents = self.actors.referents(mentioned)
                claims.positions.extend(self.positions.read(doc, context, referents, published))
                dates = find_dates(sentence, published)
                claims.events.extend(self.events.read(doc, dates, context, referents, published))
            subject = self.actors.subject(sentence, mentions, context, doc)
            context = None if subject == SOMEONE_ELSE else (subject or context)
        linked = link_series(figures, self.metrics)
        carried = carry_periods(linked, lambda s: self._names_time(s, published))
        claims.figures = [f for fs in carried for f in fs]
        return claims

    def _names_time(self, sentence: str, published: date | None) -> bool:
        """Whether a sentence says when, in any way: a year, a date, a tally's "so far", "now"."""
        if self.figures.periods.periods(sentence, published) or find_dates(sentence, published):
            return True
        return bool(self.time_words.find(sentence)) or bool(_NOW.search(sentence))

    def _may_hold_event(self, sentence: str) -> bool:
        words = sentence.lower().split()
        return any(w.startswith(self.action_words) for w in words)


def _action_words(action: Action) -> list[str]:
    """Every word that can do an action: a sentence without one of them holds no event."""
    return [
        *action.verbs,
        *action.nouns,
        *action.bare_verbs,
        *action.finding_verbs,
        *action.placing_verbs,
        *action.undone_verbs,
    ]


def _word_stems(words: Iterable[str]) -> tuple[str, ...]:
    """Prefixes that any inflection of the words starts with ("strike" -> "str", so "struck" too); a
    phrasal verb's by its verb ("call home" -> "call")."""
    heads = [w.split()[0] for w in words if w.strip()]
    return tuple(sorted({w.lower()[: max(3, len(w) - 3)] for w in heads}))
