"""Extraction: page text, and from it the claims an article makes (figures, positions, events)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from monitor.extract.actors import ActorFinder
from monitor.extract.events import EventExtractor
from monitor.extract.figures import FigureExtractor
from monitor.extract.page import PageText, extract_page
from monitor.extract.positions import PositionExtractor
from monitor.models import EventMention, Figure, Position
from monitor.profile import TopicProfile
from monitor.text import claim_sentences

__all__ = ["ClaimExtractor", "Claims", "PageText", "extract_page"]


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
        self.positions = PositionExtractor(profile)
        self.events = EventExtractor(profile)

    def extract(self, text: str, published: date | None) -> Claims:
        claims = Claims()
        context: str | None = None
        for sentence in claim_sentences(text):
            claims.figures.extend(self.figures.extract(sentence, published))
            position = self.positions.extract(sentence, context)
            if position is not None:
                claims.positions.append(position)
            claims.events.extend(self.events.extract(sentence, published, context))
            mentions = self.actors.mentions(sentence)
            context = self.actors.subject(sentence, mentions, context) or context
        return claims
