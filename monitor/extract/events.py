"""Event mentions: an actor doing one of the profile's actions to a target, on a date when one is given.

Hypothetical actions ("could impose sanctions", "has not threatened sanctions") are not events.
"""

from __future__ import annotations

import re
from datetime import date

from monitor.extract.actors import ActorFinder
from monitor.extract.dates import find_dates
from monitor.models import EventMention
from monitor.profile import TopicProfile
from monitor.text import words_before

HYPOTHETICAL_WINDOW = 4
_OBJECT_PRONOUN = re.compile(r"^\s+(?:on\s+)?(?:him|her)\b", re.IGNORECASE)


class EventExtractor:
    def __init__(self, profile: TopicProfile) -> None:
        self.profile = profile
        self.actors = ActorFinder(profile)
        self.hypothetical = {w.lower() for w in profile.lexicon.dates.get("hypothetical", [])}

    def extract(self, sentence: str, published: date | None, context: str | None) -> list[EventMention]:
        out: list[EventMention] = []
        seen: set[str] = set()
        mentions = self.actors.mentions(sentence)
        dates = find_dates(sentence, published)
        for action in self.profile.action_index.find(sentence):
            if action.key in seen or self._hypothetical(sentence, action.start):
                continue
            seen.add(action.key)
            actor = self._actor(sentence, mentions, action.start, action.end, context)
            target = next(
                (m.key for m in mentions if m.key != actor and m.start >= self._after_actor(mentions, actor)),
                None,
            )
            if target is None and _OBJECT_PRONOUN.match(sentence[action.end :]):
                # "Smith said the ministry fined him": the pronoun is the speaker, or the last subject
                speaker = self.actors.speaker(sentence, mentions)
                target = speaker.key if speaker is not None and speaker.key != actor else context
            when = None
            if dates:
                when = min(dates, key=lambda d: abs((d[0] + d[1]) / 2 - (action.start + action.end) / 2))[2]
            out.append(EventMention(actor=actor, action=action.key, target=target, event_date=when, evidence=sentence))
        return out

    def _hypothetical(self, sentence: str, at: int) -> bool:
        before = words_before(sentence, at, HYPOTHETICAL_WINDOW)
        return any(w in self.hypothetical or w.endswith("n't") for w in before)

    def _actor(self, sentence: str, mentions: list, start: int, end: int, context: str | None) -> str | None:
        """The first actor before or inside the action phrase, skipping a speaker who only reports it."""
        speaker = self.actors.speaker(sentence, mentions)
        candidates = [m for m in mentions if m.start < end]
        if len(candidates) > 1 and speaker in candidates:
            candidates.remove(speaker)
        if candidates:
            return str(candidates[0].key)
        if mentions and re.search(r"\bby\s+(?:the\s+)?$", sentence[: mentions[-1].start]):
            return str(mentions[-1].key)  # passive: "was fined by the ministry"
        return context if re.match(r"^(?:He|She|It|They)\b", sentence) else None

    @staticmethod
    def _after_actor(mentions: list, actor: str | None) -> int:
        for m in mentions:
            if m.key == actor:
                return int(m.end)
        return 0
