"""Numbers with their units and qualifiers, in the many ways news prose writes them.

"$391 million", "US$ 391m", "nearly 400 million dollars", "thirteen percent", "253 thousand hectares",
"1.2bn", "2,664 tonnes" all become a `Quantity`: a value in the unit's canonical scale, the unit, how the
wording qualifies it, and the precision it was written with (which sets the width of its interval).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from monitor.profile import TopicProfile
from monitor.text import PhraseIndex

_SMALL = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALE_WORDS = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_WORD = "|".join(sorted([*_SMALL, "hundred", "dozen"], key=len, reverse=True))
# "a quarter of a million", "half a billion", "two-thirds of a million"
_FRACTIONS = {"half": 0.5, "a half": 0.5, "one half": 0.5, "a quarter": 0.25, "one quarter": 0.25,
              "three quarters": 0.75, "three-quarters": 0.75, "a third": 1 / 3, "one third": 1 / 3,
              "two thirds": 2 / 3, "two-thirds": 2 / 3}  # fmt: skip
_FRACTION = "|".join(f.replace(" ", r"\s+") for f in sorted(_FRACTIONS, key=len, reverse=True))
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Thousands written with a space, a no-break or narrow no-break space, or an apostrophe ("253 000", "253'000").
_GROUP_MARKS = " \u00a0\u202f'\u2019"
# "253.000": thousands in some languages, three decimals in English. Stored, never compared.
_DOT_AMBIGUOUS = re.compile(r"^\d{1,3}\.\d{3}$")
_NUMBER = re.compile(
    rf"(?<![\w.,-])(?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:\.\d{{3}}){{2,}}"
    rf"|\d{{1,3}}(?:[{_GROUP_MARKS}]\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<attached>bn|mn|mln|m|k|b|tn)?(?![\w,]*\d)(?!\w)"
    rf"|(?<![\w-])(?P<fraction>{_FRACTION})\s+(?:of\s+)?a\s+(?P<whole>thousand|million|billion)\b"
    rf"|(?<![\w-])(?P<words>(?:a\s+)?(?:{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}))*)(?![\w-])",
    re.IGNORECASE,
)
# "between 250,000 and": the lower end of a range whose upper end follows
_RANGE_BEFORE = re.compile(r"\bbetween\s+(?P<low>(?:[^,;]|,(?=\d{3})){1,40}?)\s+and\s+$", re.IGNORECASE)
_MULTIPLIER_AFTER = re.compile(r"\s*(?:-\s*)?(thousand|million|billion|trillion|bn|mn|mln|tn)\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s*$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b", re.IGNORECASE)
_LINK = re.compile(r"\b(?:to|from|versus|vs\.?|compared with|compared to|against|and|with)\s+(?:about\s+|some\s+)?$")
# A list of yearly figures with the unit written once: "884 tonnes of wheat in 2022, 654 in 2023".
_YEAR_THEN_COMMA = re.compile(r"^(?:\s+[\w-]+){0,4}\s+in\s+(?:19|20)\d\d\s*,\s*$")
_IN_YEAR = re.compile(r"^\s*in\s+(?:19|20)\d\d\b")
_NEXT_WORDS = re.compile(r"^\s*([A-Za-z][A-Za-z-]*)(?:\s+([A-Za-z][A-Za-z-]*))?")
# "400 of the 403 people": a part of a counted whole counts the same thing.
_PART_OF = re.compile(
    r"^\s+of\s+(?:the|its|his|her|their|these|those)\s+(?:\d[\d,]*|[a-z]+)\s+(?=[a-z])", re.IGNORECASE
)
_WHOLE_BEFORE = re.compile(r"\bof\s+(?:the|its|his|her|their|these|those)\s+$", re.IGNORECASE)
# "the number of people killed ... rose to 32": a bare number that a "number of" phrase before it counts.
_NUMBER_OF = re.compile(r"\b(?:number|total|tally)\s+of\s+([a-z][a-z-]*)", re.IGNORECASE)
_REACHED = re.compile(r"\b(?:to|at|reached|reaches|hit|hits|stood at|stands at|is|was|of)\s*$", re.IGNORECASE)
_BARE_END = re.compile(r"^\s*(?:[,.;:)]|$|in\b|on\b|since\b|as\b|after\b|according\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One number of a sentence, as written and as normalised."""

    start: int
    end: int
    value: float
    unit: str
    qualifier: str
    raw: str
    place: float  # value of one step in the last significant digit written
    rounded: bool  # written with trailing zeros, so possibly rounded to them
    coarse: bool  # one significant digit ("400 million"): a round figure
    noun: str | None = None  # for counts: what is counted
    ambiguous: bool = False  # "253.000": 253 or 253,000, depending on the writer's language
    upper: float | None = None  # a range's other end ("between 250,000 and 260,000 hectares")


def words_to_number(text: str) -> float | None:
    """'thirteen' -> 13, 'two hundred and fifty' -> 250, 'a dozen' -> 12; None if not a number."""
    total, current, seen = 0.0, 0.0, False
    for word in re.findall(r"[a-z]+", text.lower()):
        if word in ("and", "a"):
            continue
        if word == "dozen":
            current = (current or 1) * 12
        elif word in _SMALL:
            current += _SMALL[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALE_WORDS:
            total += (current or 1) * _SCALE_WORDS[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def plain_digits(digits: str) -> str:
    """The number as Python reads it: "253 000", "253'000", "1.234.567" and "253,000" -> "253000"."""
    plain = re.sub(f"[,{_GROUP_MARKS}]", "", digits)
    return plain.replace(".", "") if plain.count(".") > 1 else plain


def _precision(digits: str) -> tuple[float, bool, bool]:
    """Step of the last significant digit of a written number; whether it ends in zeros; whether round."""
    plain = plain_digits(digits)
    if "." in plain:
        decimals = len(plain.split(".")[1])
        return 10.0**-decimals, False, False
    stripped = plain.rstrip("0")
    zeros = len(plain) - len(stripped)
    return 10.0**zeros, zeros > 0, zeros > 0 and len(stripped.lstrip("0")) == 1


class QuantityReader:
    """Finds quantities in sentences, using the unit and qualifier words of a profile's lexicon."""

    def __init__(self, profile: TopicProfile) -> None:
        lex = profile.lexicon
        self.multipliers = {k.lower(): v for k, v in lex.multipliers.items()}
        unit_words: list[tuple[str, str]] = []
        self.factors: dict[str, tuple[str, float]] = {}
        symbols: list[tuple[str, str]] = []
        for unit, spec in lex.units.items():
            for word in spec.words:
                unit_words.append((word, word))
                self.factors[word.lower()] = (unit, 1.0)
            for word, factor in spec.convert.items():
                unit_words.append((word, word))
                self.factors[word.lower()] = (unit, factor)
            symbols.extend((s, unit) for s in spec.symbols)
        self.unit_after = PhraseIndex(unit_words)
        self._symbol = re.compile(
            "(?:" + "|".join(re.escape(s) for s, _ in sorted(symbols, key=lambda x: -len(x[0]))) + r")\s?$"
        )
        self.symbol_unit = {s: u for s, u in symbols}
        self.qualifiers = PhraseIndex((word, kind) for kind, words in lex.qualifiers.items() for word in words)
        self.not_counted = {w.lower() for w in lex.count.get("not_counted", [])}

    # -- pieces around the number ------------------------------------------------------------

    def _symbol_before(self, before: str) -> tuple[str | None, int]:
        m = self._symbol.search(before)
        if not m:
            return None, len(before)
        sym = m.group(0).strip()
        unit = self.symbol_unit.get(sym) or next(
            (u for s, u in self.symbol_unit.items() if s.lower() == sym.lower()), None
        )
        return unit, m.start()

    def _qualifier_before(self, before: str) -> tuple[str, int]:
        """The qualifier ending right before the number, and where it starts."""
        tail = before.rstrip()
        offset = max(0, len(tail) - 40)
        for m in self.qualifiers.find(tail[offset:]):
            if offset + m.end == len(tail):
                return m.key, offset + m.start
        return "exact", len(before)

    def _unit_after(self, after: str) -> tuple[str | None, float, int]:
        stripped = after.lstrip()
        offset = len(after) - len(stripped)
        if stripped.startswith("%"):
            return "percent", 1.0, offset + 1
        if stripped[:1] == "-" and stripped[1:2].isalpha():
            stripped, offset = stripped[1:], offset + 1  # "a 30,000-hectare goal"
        found = self.unit_after.find(stripped[:40])
        if found and found[0].start == 0:
            unit, factor = self.factors[found[0].key.lower()]
            return unit, factor, offset + found[0].end
        return None, 1.0, 0

    def _noun_after(self, after: str) -> str | None:
        m = _NEXT_WORDS.match(after)
        if not m:
            return None
        first, second = m.group(1), m.group(2)
        if first.lower() in self.not_counted or first[0].isupper():
            return None
        if first.endswith(("ing", "ly")) or (first.endswith("ed") and not second):
            return None
        if second and second.lower() not in self.not_counted and second.islower() and not first.endswith("s"):
            return f"{first} {second}".lower()  # "3,000 dead fish", "40 rice farmers"
        return first.lower()

    # -- the reader --------------------------------------------------------------------------

    def read(self, sentence: str) -> list[Quantity]:
        out: list[Quantity] = []
        for m in _NUMBER.finditer(sentence):
            q = self._quantity(sentence, m, out[-1] if out else None)
            if q is not None:
                out.append(q)
        return self._ranges(sentence, out)

    def _ranges(self, sentence: str, quantities: list[Quantity]) -> list[Quantity]:
        """ "between 250,000 and 260,000 hectares", "between $100 million and $200 million": one quantity
        whose value is the lower end and `upper` the other, in the unit and scale of the upper end when the
        lower one writes none ("between 100 and 200 million")."""
        out: list[Quantity] = []
        for q in quantities:
            m = _RANGE_BEFORE.search(sentence[: q.start])
            written_high = self._written(q.raw)
            written_low = self._written(m.group("low")) if m is not None else None
            if m is None or written_low is None or written_high is None or q.qualifier != "exact":
                out.append(q)
                continue
            (low, low_scale), (high, high_scale) = written_low, written_high
            factor = q.value / (high * (high_scale or 1.0))  # the unit's conversion, if any
            value = low * (low_scale or high_scale or 1.0) * factor
            if out and out[-1].start >= m.start():
                out.pop()  # the lower end, read on its own
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            raw = sentence[start : q.end]
            out.append(
                Quantity(start, q.end, value, q.unit, "range", raw, q.place, q.rounded, q.coarse, q.noun, upper=q.value)
            )
        return out

    def _written(self, text: str) -> tuple[float, float | None] | None:
        """The first number written in a text and the scale word after it ("$100 million" -> 100, 1e6)."""
        for n in _NUMBER.finditer(text):
            value = float(plain_digits(n.group("digits"))) if n.group("digits") else None
            if value is None and n.group("words"):
                value = words_to_number(n.group("words"))
            if not value:
                continue
            attached = (n.group("attached") or "").lower()
            after = _MULTIPLIER_AFTER.match(text, n.end())
            word = attached or (after.group(1).lower() if after else "")
            return value, self.multipliers.get(word) if word else None
        return None

    def _quantity(self, sentence: str, m: re.Match[str], previous: Quantity | None) -> Quantity | None:
        before, end = sentence[: m.start()], m.end()
        if m.group("digits"):
            digits = m.group("digits")
            value = float(plain_digits(digits))
            place, rounded, coarse = _precision(digits)
            mult_word = (m.group("attached") or "").lower() or None
            ambiguous = bool(_DOT_AMBIGUOUS.match(digits))
        elif m.group("fraction"):
            # as round as its digits, two at most: "a quarter of a million" as "250,000", "two-thirds of a
            # billion" as "670 million"
            value = _FRACTIONS[" ".join(m.group("fraction").lower().split())] * _SCALE_WORDS[m.group("whole").lower()]
            place, rounded, coarse = _precision(str(int(float(f"{value:.2g}"))))
            mult_word, ambiguous = None, False
        else:
            words = m.group("words")
            if words.strip().lower() in ("a", "one"):
                return None  # "one of", "a" are rarely quantities
            parsed = words_to_number(words)
            if parsed is None:
                return None
            # "eighty" is as round as "80": its precision is that of its digits
            place, rounded, coarse = _precision(str(int(parsed))) if parsed == int(parsed) else (1.0, False, False)
            value, mult_word = parsed, None
            ambiguous = False
        if mult_word is None:
            mm = _MULTIPLIER_AFTER.match(sentence, end)
            if mm:
                mult_word, end = mm.group(1).lower(), mm.end()
        ambiguous = ambiguous and mult_word is None  # "2.664 million" is English
        multiplier = self.multipliers.get(mult_word, 1.0) if mult_word else 1.0
        value, place = value * multiplier, place * multiplier

        unit, start_at = self._symbol_before(before)
        factor = 1.0
        after_unit, after_factor, used = self._unit_after(sentence[end:])
        if unit is None and after_unit is not None:
            unit, factor = after_unit, after_factor
            end += used
        elif unit is not None and after_unit == unit:
            end += used  # "$391 million dollars"
        after = sentence[end:]
        noun = None
        if unit is None:
            if self._is_date_part(before, after, m, multiplier):
                return None
            noun = self._noun_after(after)
            if noun is None:
                unit, noun = self._counted_elsewhere(sentence, m.start(), after, previous)
                if unit is None:
                    return None
            else:
                unit = "count"
                end += len(after) - len(after.lstrip()) + len(noun)
        value, place = value * factor, place * factor
        qualifier, qualifier_at = self._qualifier_before(sentence[:start_at])
        start = min(start_at, m.start(), qualifier_at)
        raw = sentence[start:end].strip()
        return Quantity(start, end, value, unit, qualifier, raw, place, rounded, coarse, noun, ambiguous)

    def _counted_elsewhere(
        self, sentence: str, start: int, after: str, previous: Quantity | None
    ) -> tuple[str | None, str | None]:
        """The unit (and counted noun) of a bare number, given by the words around it: the quantity it is
        linked to ("from 230,000 hectares to 253,000", "264 extraditions in 2023 and 198 in 2024"), the
        whole it is part of ("400 of the 403 people"), or a "number of" phrase ("the number of people
        killed rose to 32"). None when nothing says what it counts."""
        if previous is not None:
            between = sentence[previous.end : start]
            if len(between.split()) <= 12 and _LINK.search(between):
                return previous.unit, previous.noun
            if _YEAR_THEN_COMMA.match(between) and _IN_YEAR.match(after):
                return previous.unit, previous.noun  # "884 tonnes of wheat in 2022, 654 in 2023"
            whole = _WHOLE_BEFORE.search(sentence[: previous.start])
            if whole is not None and len(between.split()) <= 15 and between.rstrip().endswith(","):
                return previous.unit, previous.noun  # "of the 403 extraditions approved, 400 were carried out"
        part = _PART_OF.match(after)
        if part is not None:
            noun = self._noun_after(after[part.end() :])
            if noun is not None:
                return "count", noun
        before = sentence[:start]
        if _BARE_END.match(after) and _REACHED.search(self._qualifier_free(before)):
            counted = list(_NUMBER_OF.finditer(before))
            if counted and len(before[counted[-1].end() :].split()) <= 20:
                noun = counted[-1].group(1).lower()
                if noun not in self.not_counted:
                    return "count", noun
        return None, None

    def _qualifier_free(self, before: str) -> str:
        """The words before a number without its qualifier ("rose to [at least] 32")."""
        _, at = self._qualifier_before(before)
        return before[:at]

    @staticmethod
    def _is_date_part(before: str, after: str, m: re.Match[str], multiplier: float) -> bool:
        digits = m.group("digits")
        if digits is None:
            return False
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after) or _ORDINAL_AFTER.match(after):
            return True
        plain = plain_digits(digits)
        return multiplier == 1.0 and plain.isdigit() and len(plain) == 4 and 1800 <= int(plain) <= 2100


def interval(q: Quantity, signed_value: float) -> tuple[float, float]:
    """The values a reader could take the quantity to mean, given its qualifier and precision.

    Written precision: "391" means 390.5-391.5, and trailing zeros may be rounding or truncation
    ("2,600" could be 2,500-2,700; "400 million" 380-420), at least 0.5% either way. "about" widens a
    round number ("about 400 million") to 10% and any other to a step of its last digit written: "some
    263,000" commits to the 3, so it is not 253,000. "nearly" means up to 10% below and "just over" up to 10%
    above; "more than" and "at least" are open above; "up to" open below.
    """
    v = signed_value
    if q.qualifier == "range" and q.upper is not None:
        ends = sorted((v, math.copysign(q.upper, v) if v else q.upper))
        return ends[0], ends[1]
    mag = abs(v)
    tol = 0.5 * q.place
    if q.rounded:
        # a number written with trailing zeros may be rounded or cut down to them ("2,600" for 2,664)
        tol = min(q.place, 0.05 * mag)
    tol = max(tol, 0.005 * mag)
    if q.qualifier == "about":
        tol = max(tol, 0.10 * mag if q.coarse else q.place)
    if q.qualifier == "nearly":
        return (v - max(0.10 * mag, tol), v) if v >= 0 else (v, v + max(0.10 * mag, tol))
    if q.qualifier == "just_over":
        return (v, v + max(0.10 * mag, tol)) if v >= 0 else (v - max(0.10 * mag, tol), v)
    if q.qualifier in ("more_than", "at_least"):
        return (v, math.inf) if v >= 0 else (-math.inf, v)
    if q.qualifier in ("up_to", "less_than"):
        return (min(0.0, v), v) if v >= 0 else (v, 0.0)
    return v - tol, v + tol
