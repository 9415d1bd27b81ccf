"""Who a sentence is about: actor mentions, the speaker of reported speech, the grammatical subject."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from monitor.profile import TopicProfile
from monitor.text import PhraseMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc

_PRONOUN_START = re.compile(r"^[\"“']?\s*(?:He|She|They|We|I|His|Her|Our|My)\b")
_QUOTE_START = re.compile(r"^[\"“]")
# A capitalised name of one to four words right before a speech verb ("Governor Jane Doe said").
_NAME_BEFORE = re.compile(r"(?:\b[A-Z][\w'.-]*\s+){1,4}$")
_PRONOUN_WORDS = {"He", "She", "They", "We", "I", "It", "You"}
SOMEONE_ELSE = ""  # the subject is someone the profile does not name
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|from|at|to|of|with|by|on|for|against|toward|towards|into)\s+$", re.I)


class ActorFinder:
    """Actor mentions in a sentence and which of them speaks or acts."""

    def __init__(self, profile: TopicProfile) -> None:
        self.profile = profile
        self.speech = profile.lexicon_index("stance", "speech_verbs")
        # the head noun of a person's role can stand for them: "minister" of "Interior Minister of Ruritania"
        self.titles = {a.name: _head_noun(a.role) for a in profile.actors if a.kind == "person" and a.role}
        self.people = {a.name for a in profile.actors if a.kind == "person"}

    def referents(self, mentioned: Iterable[str]) -> dict[str, str]:
        """Whom each bare title stands for in an article: the one person named so far who holds it
        ("the minister" after "Interior Minister Armando Benedetti"); a title two of them hold is left out."""
        holders: dict[str, set[str]] = {}
        for name in mentioned:
            if name in self.titles:
                holders.setdefault(self.titles[name], set()).add(name)
        return {word: next(iter(names)) for word, names in holders.items() if len(names) == 1}

    def mentions(self, sentence: str, exclude: Sequence[PhraseMatch] = ()) -> list[PhraseMatch]:
        """Actor mentions, leaving out those inside other phrases (a topic "U.S. weapons" is no actor)."""
        return [
            m
            for m in self.profile.actor_index.find(sentence)
            if not any(x.start < m.end and m.start < x.end for x in exclude)
        ]

    def _unknown_speaker(self, sentence: str, mentions: list[PhraseMatch]) -> bool:
        for verb in self.speech.find(sentence):
            before = sentence[: verb.start]
            name = _NAME_BEFORE.search(before)
            if name is None or name.group().split()[-1] in _PRONOUN_WORDS:
                continue
            if not any(m.start < verb.start and m.end > name.start() for m in mentions):
                return True
        return False

    def _people_named(self, mentions: list[PhraseMatch]) -> list[int]:
        """Where the sentence names a person of the profile."""
        return [m.start for m in mentions if m.key in self.people]

    def speaker(self, sentence: str, mentions: list[PhraseMatch]) -> PhraseMatch | None:
        """The actor right before a speech verb ("Smith said") or right after it ("said Smith")."""
        for verb in self.speech.find(sentence):
            before = [m for m in mentions if m.end <= verb.start and len(sentence[m.end : verb.start].split()) <= 6]
            if before:
                return before[-1]
            after = [m for m in mentions if m.start >= verb.end and len(sentence[verb.end : m.start].split()) <= 1]
            if after:
                return after[0]
        return None

    def subject(
        self, sentence: str, mentions: list[PhraseMatch], context: str | None, doc: Doc | None = None
    ) -> str | None:
        """Who the sentence reports on: its speaker, else a pronoun's antecedent, else its first actor;
        SOMEONE_ELSE when a speaker the profile does not know speaks ("Governor Jane Doe said ...": a
        "he" in the next sentence is not the actor named before)."""
        speaker = self.speaker(sentence, mentions)
        if speaker is not None:
            return speaker.key
        if self._unknown_speaker(sentence, mentions):
            return SOMEONE_ELSE
        if context and (_PRONOUN_START.match(sentence) or _QUOTE_START.match(sentence)):
            return context  # "He said ...", or a quote continuing the last speaker
        if context and doc is not None and _personal_subject(doc, self._people_named(mentions)):
            return context  # "In his speech on Tuesday he called for ...": still the person before
        # a place after a preposition ("in Paris") or a possessive ("France's forces") is not the subject
        subjects = [
            m
            for m in mentions
            if not _PREPOSITION_BEFORE.search(sentence[: m.start]) and sentence[m.end : m.end + 2] != "'s"
        ]
        return subjects[0].key if subjects else None


def _personal_subject(doc: Doc, people: list[int]) -> bool:
    """Whether the main clause's subject is "he" or "she" with no person named before it in the sentence
    (a parse: the pronoun need not open the sentence; "When Smith met reporters, he ..." is Smith)."""
    if not doc.has_annotation("DEP"):
        return False
    root = next((t for t in doc if t.head.i == t.i), None)
    if root is None:
        return False
    pronouns = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she")]
    return bool(pronouns) and not any(start < pronouns[0].idx for start in people)


def _head_noun(role: str) -> str:
    """The word a role's holder goes by: the last word before "of" ("Wife of the President" -> "wife")."""
    return role.lower().split(" of ")[0].split()[-1]
