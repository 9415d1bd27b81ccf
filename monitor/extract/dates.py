"""Periods ("2023", "fiscal year 2024", "last year") and event dates ("Oct. 24", "last Friday"),
resolved against the publication date of the article that wrote them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from monitor.profile import TopicProfile

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# Words that are part of a date expression ("Wednesday, Sept. 24"), without their full stop.
DATE_WORDS = frozenset(_MONTHS) | frozenset(_WEEKDAYS)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_RE})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?",
    re.IGNORECASE,
)
_DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_RE})\b\.?(?:,?\s+(?P<year>(?:19|20)\d{{2}}))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_WEEKDAY = re.compile(
    r"\b(?:(?P<last>last|this past)\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
_RELATIVE_DAY = re.compile(r"\b(?P<word>yesterday|today|the day before)\b", re.IGNORECASE)
_YEAR = re.compile(
    r"\b(?P<fiscal>fiscal(?:\s+year)?\s+|FY\s?'?)?(?P<since>since\s+(?:(?:early|late|mid-?)\s*)?(?:[A-Z][a-z]+\s+)?)?"
    r"(?P<year>(?:19|20)\d{2})(?!\d|,\d)",
    re.IGNORECASE,
)
# "since the aid plan began in 2000", "since he took office in August 2022": a running period from that year
_SINCE_CLAUSE = re.compile(
    r"\bsince\s+(?:[A-Za-z][\w.'’-]*\s+){1,6}?(?:in|on)\s+(?:(?:early|late|mid-?)\s*)?"
    rf"(?:(?:{_MONTH_RE})\.?\s+(?:\d{{1,2}},?\s+)?)?(?P<year>(?:19|20)\d{{2}})(?!\d)",
    re.IGNORECASE,
)
_FY_SHORT = re.compile(r"\bFY\s?'?(?P<yy>\d{2})\b")
# "between 2022 and 2023", "from 2022 to 2023", "2022-2023", "in 2022 to 2023": one period spanning both
_YEAR_RANGE = re.compile(
    r"\b(?:between\s+(?P<a1>(?:19|20)\d{2})\s+and\s+|(?P<a2>(?:19|20)\d{2})\s*(?:-|–|—|\bto\b)\s*)"
    r"(?P<b>(?:19|20)\d{2}|\d{2})(?!\d)",
    re.IGNORECASE,
)
_DEFINITE_BEFORE = re.compile(r"\b(?:the|its|their|his|her|our)\s+$", re.IGNORECASE)
# "a year earlier" names the previous year, not a yearly rate
_NOT_A_RATE = re.compile(r"^\s*(?:earlier|before|ago|later|after|prior)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    value: str


def _year_for(month: int, day: int, published: date | None) -> int | None:
    """A month and day without a year: the latest such date not far after publication."""
    if published is None:
        return None
    year = published.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return None
    return year - 1 if candidate > published + timedelta(days=7) else year


def find_dates(sentence: str, published: date | None) -> list[tuple[int, int, date]]:
    """Calendar days named in a sentence, explicit dates first, then weekdays and relative days."""
    found: list[tuple[int, int, date]] = []
    taken: list[tuple[int, int]] = []
    for regex in (_ISO, _MONTH_DAY, _DAY_MONTH):
        for m in regex.finditer(sentence):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            month_text = m.group("month")
            month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
            day = int(m.group("day"))
            year = int(m.group("year")) if m.group("year") else _year_for(month, day, published)
            if year is None:
                continue
            try:
                found.append((m.start(), m.end(), date(year, month, day)))
                taken.append((m.start(), m.end()))
            except ValueError:
                continue  # "February 30": a malformed date is no date
    if found or published is None:
        return sorted(found)
    for m in _WEEKDAY.finditer(sentence):
        target = _WEEKDAYS[m.group("weekday").lower()]
        back = (published.weekday() - target) % 7
        if m.group("last") and back == 0:
            back = 7
        found.append((m.start(), m.end(), published - timedelta(days=back)))
    for m in _RELATIVE_DAY.finditer(sentence):
        word = m.group("word").lower()
        found.append((m.start(), m.end(), published if word == "today" else published - timedelta(days=1)))
    return sorted(found)


class PeriodReader:
    """Finds the periods a sentence speaks of, using the lexicon's phrases for relative years."""

    def __init__(self, profile: TopicProfile) -> None:
        self.last_year = profile.lexicon_index("periods", "last_year")
        self.previous_year = profile.lexicon_index("periods", "previous_year")
        self.this_year = profile.lexicon_index("periods", "this_year")
        self.rate = profile.lexicon_index("periods", "rate_markers")

    def periods(self, sentence: str, published: date | None) -> list[Span]:
        spans: list[Span] = []
        ranges: list[tuple[int, int]] = []
        for m in _YEAR_RANGE.finditer(sentence):
            first, last = int(m.group("a1") or m.group("a2")), m.group("b")
            end_year = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
            if first < end_year <= first + 30:
                spans.append(Span(m.start(), m.end(), f"{first}-{end_year}"))
                ranges.append((m.start(), m.end()))
        for m in _SINCE_CLAUSE.finditer(sentence):
            spans.append(Span(m.start(), m.end(), f"since {m.group('year')}"))
            ranges.append((m.start(), m.end()))
        for m in _YEAR.finditer(sentence):
            if any(s <= m.start("year") < e for s, e in ranges):
                continue
            year = m.group("year")
            if m.group("fiscal"):
                spans.append(Span(m.start(), m.end(), f"FY{year}"))
            elif m.group("since"):
                spans.append(Span(m.start(), m.end(), f"since {year}"))
            else:
                spans.append(Span(m.start("year"), m.end(), year))
        for m in _FY_SHORT.finditer(sentence):
            spans.append(Span(m.start(), m.end(), f"FY20{m.group('yy')}"))
        named = [int(s.value) for s in spans if s.value.isdigit()]
        for pm in self.previous_year.find(sentence):
            base = min(named) if named else (published.year if published else None)
            if base is not None:
                spans.append(Span(pm.start, pm.end, str(base - 1)))
        if published is not None:
            for pm in self.last_year.find(sentence):
                if _DEFINITE_BEFORE.search(sentence[: pm.start]):
                    continue  # "the last year for which figures exist" is no relative year
                spans.append(Span(pm.start, pm.end, str(published.year - 1)))
            for pm in self.this_year.find(sentence):
                spans.append(Span(pm.start, pm.end, str(published.year)))
        return sorted(spans, key=lambda s: s.start)

    def period_near(
        self,
        sentence: str,
        start: int,
        end: int,
        published: date | None,
        inside: Callable[[int], bool] | None = None,
    ) -> str | None:
        """The period nearest a number (among those `inside` its clause); "a year" right after it makes
        it a yearly rate."""
        for pm in self.rate.find(sentence[end : end + 30]):
            if pm.start <= 2 and not _NOT_A_RATE.match(sentence[end + pm.end : end + pm.end + 12]):
                return "per year"
        spans = [s for s in self.periods(sentence, published) if inside is None or inside(s.start)]
        if not spans:
            return None

        def distance(s: Span) -> float:
            # on a tie, the period written after the number is its own: "to 253,000 in 2023"
            return s.start - end - 0.5 if s.start >= end else start - s.end

        return min(spans, key=distance).value
