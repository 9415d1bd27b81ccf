"""Plain-text helpers shared by the extractors: sentences, words and phrase lookup."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Abbreviations after which a full stop rarely ends the sentence, unless a sentence-starting word follows.
_ABBREVIATIONS = {
    "u.s",
    "u.n",
    "u.k",
    "e.u",
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "sen",
    "rep",
    "gov",
    "st",
    "no",
    "vs",
    "e.g",
    "i.e",
    "inc",
    "corp",
    "ltd",
    "jr",
    "sr",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "col",
    "lt",
    "sgt",
    "capt",
    "adm",
    "pres",
    "approx",
    "fig",
    "est",
}
_STARTERS = {
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "As",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "Yet",
    "So",
    "Still",
    "However",
    "Meanwhile",
    "Now",
    "Then",
    "There",
    "Some",
    "Many",
    "Most",
    "Critics",
    "Officials",
    "Analysts",
    "For",
    "With",
    "By",
    "From",
    "Under",
    "Despite",
    "Although",
}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?][\"”’)\]]*\s*$")
_HEADING_END = re.compile(r"[.!?:;,\"”’)\]—-]\s*$")


def normalize(text: str) -> str:
    """Unicode NFC, plain quotes and apostrophes, single spaces within lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines())


def _ends_with_abbreviation(chunk: str) -> bool:
    m = _WORD_BEFORE.search(chunk)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _first_word(chunk: str) -> str:
    m = re.match(r"[\"“‘(\[]?([\w'-]+)", chunk)
    return m.group(1) if m else ""


def _paragraphs(text: str) -> list[str]:
    """Lines joined into paragraphs; a line broken after an abbreviation ("U.S.\\nPresident") is rejoined."""
    paras: list[str] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if paras and _ends_with_abbreviation(paras[-1]) and _first_word(line) not in _STARTERS:
            paras[-1] = paras[-1] + " " + line
        else:
            paras.append(line)
    return paras


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, each paragraph split at full stops that do not follow an abbreviation."""
    sentences: list[str] = []
    for para in _paragraphs(normalize(text)):
        start = 0
        for m in _BOUNDARY.finditer(para):
            before, after = para[start : m.start()], para[m.end() :]
            if _ends_with_abbreviation(para[start : m.start() + 1]) and _first_word(after) not in _STARTERS:
                continue
            if before.strip():
                sentences.append(para[start : m.start()].strip())
            start = m.end()
        if para[start:].strip():
            sentences.append(para[start:].strip())
    return sentences


# "PARIS -", "LIMA, Sept. 27 —", "WASHINGTON/LIMA, Oct. 19 (CWS) —", "QUITO (Sept. 27) —"
_DATELINE = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ.'/ ]{2,40}(?:[,(][^—–\n]{0,40}?)?\s*(?:—|–|\s-+)\s+")


def strip_dateline(sentence: str) -> str:
    """ "PARIS - Smith said ..." -> "Smith said ...": a dateline names where it was filed, not who acts."""
    return _DATELINE.sub("", sentence, count=1)


def claim_sentences(text: str) -> list[str]:
    """The sentences claims are read from, and quoted as evidence: datelines removed."""
    return [strip_dateline(s) for s in split_sentences(text)]


def content_hash(text: str) -> str:
    """Hash of the words of a text, blind to spacing, case and punctuation."""
    words = re.findall(r"\w+", text.lower())
    return hashlib.sha256(" ".join(words).encode()).hexdigest()[:32]


def stable_id(*parts: object) -> str:
    """A short deterministic id, so that re-running a pass writes the same keys."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:20]


_GAP = r"(?:\W+[\w'.-]+){0,3}?\W+"


def _phrase_pattern(phrase: str) -> str:
    """A phrase as a regex; " * " stands for up to three words ("revoked * visa": "revoked the minister's visa")."""
    return _GAP.join(re.escape(part.strip()) for part in phrase.split(" * "))


@dataclass(frozen=True)
class PhraseMatch:
    start: int
    end: int
    key: str
    text: str


class PhraseIndex:
    """Finds known phrases in a sentence: whole words, leftmost-longest, case-blind for lowercase phrases.

    A phrase with capitals ("U.S.", "US", "Smith") matches as written or with its first letter in the
    other case, so "US" is not found in "us".
    """

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        self._keys: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        for phrase, key in phrases:
            phrase = normalize(phrase).strip()
            if phrase and phrase.lower() not in self._keys:
                self._keys[phrase.lower()] = key
                self._exact[phrase.lower()] = phrase
        ordered = sorted(self._keys, key=len, reverse=True)
        body = "|".join(_phrase_pattern(p) for p in ordered) or r"(?!x)x"
        self._regex = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)

    def _case_ok(self, found: str) -> bool:
        phrase = self._exact.get(found.lower())
        if phrase is None:
            return True  # a phrase with a gap ("revoked * visa"): matched as a pattern, case-blind
        if phrase == phrase.lower() or found == phrase:
            return True
        if len(found) >= 4 and found.isupper():
            return True  # datelines and headlines in capitals: "PARIS -"
        return found[:1].swapcase() + found[1:] == phrase

    def find(self, text: str) -> list[PhraseMatch]:
        return [
            PhraseMatch(m.start(), m.end(), self._key_of(m.group(0)), m.group(0))
            for m in self._regex.finditer(text)
            if self._case_ok(m.group(0))
        ]

    def _key_of(self, found: str) -> str:
        key = self._keys.get(found.lower())
        if key is not None:
            return key
        for phrase, key in self._keys.items():
            if "*" in phrase and re.fullmatch(_phrase_pattern(phrase), found, re.IGNORECASE):
                return key
        raise KeyError(found)

    def __bool__(self) -> bool:
        return bool(self._keys)
