"""Figures: what a number measures (metric), of whom (subject), when (period), level or change."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from monitor.extract import grammar as g
from monitor.extract.dates import DATE_WORDS, PeriodReader
from monitor.extract.numbers import Quantity, QuantityReader, interval
from monitor.models import TO_DATE, Figure, FigureKind
from monitor.profile import Metric, TopicProfile
from monitor.text import PhraseMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|of|across|for|inside|into|along|within|throughout)\s+(?:the\s+)?$", re.IGNORECASE
)
_DETERMINERS = {"the", "a", "an", "its", "their", "this", "that", "these", "those", "some"}
_BASE_YEAR = re.compile(
    r"\b(?:than|compared (?:with|to)|versus|vs\.?|against|from)\s+(?:in\s+|the\s+|that\s+of\s+)?"
    r"(?P<year>(?:19|20)\d{2})\b(?!\s*(?:to|through|until|-|–)\b)",
    re.IGNORECASE,
)
_RECIPIENT_BEFORE = re.compile(r"\bto\s+(?:the\s+)?$", re.IGNORECASE)
_SOURCE_BEFORE = re.compile(r"\b(?:officials|authorities|sources|diplomats|analysts|officers)\s+in\s+$", re.IGNORECASE)


def _is_year(token: Token) -> bool:
    return token.like_num and len(token.text) == 4 and token.text[:2] in ("19", "20")


def _ends_after(period: str, year: int) -> bool:
    """Whether a period runs past a year ("FY2027" or "2026" read in 2025): not yet measured."""
    years = [int(y) for y in re.findall(r"(?:19|20)\d{2}", period)]
    return bool(years) and max(years) > year


def _changes_of_their_level(figures: list[Figure], numbers: list[Token | None]) -> list[Figure]:
    """ "87 tonnes of wheat flour were seized, a growth of 17%": a percent change hung on the clause of the
    one measured level there is that level's change; when the level measures something other than its
    metric's goods, so does the change."""
    out = list(figures)
    clauses: dict[int, list[int]] = {}
    for i, number in enumerate(numbers):
        if number is not None and figures[i].kind == "level" and figures[i].unit != "percent":
            clauses.setdefault(g.clause_of(number).i, []).append(i)
    for i, number in enumerate(numbers):
        change = figures[i]
        if number is None or change.kind != "change" or change.unit != "percent":
            continue
        levels = clauses.get(g.clause_of(number).i, [])
        if len(levels) == 1 and "metric-other-goods" in figures[levels[0]].gap_set - change.gap_set:
            gaps = [*(gap for gap in change.gaps.split(",") if gap), "metric-other-goods"]
            out[i] = change.model_copy(update={"gaps": ",".join(gaps), "complete": False})
    return out


def _from_base_to_level(figures: list[Figure], bases: dict[int, int]) -> list[Figure]:
    """ "covered 230,000 hectares in 2022, ..., up 13 percent from 2021": a change measured from a base
    year, beside the one level of its subject and metric, runs from that base to the level's year."""
    out = list(figures)
    for i, base in bases.items():
        change = figures[i]
        years = {
            int(f.period)
            for f in figures
            if f.kind == "level"
            and f.subject == change.subject
            and f.metric == change.metric
            and f.metric_known
            and f.period is not None
            and f.period.isdigit()
        }
        if len(years) != 1 or (year := years.pop()) <= base:
            continue
        out[i] = change.filled(period=f"{base}-{year}")
    return out


class FigureExtractor:
    """Turns the quantities of a sentence into figures, using the profile's metrics and actors."""

    def __init__(self, profile: TopicProfile) -> None:
        self.profile = profile
        self.quantities = QuantityReader(profile)
        self.periods = PeriodReader(profile)
        self.increase = {w.lower() for w in profile.lexicon.change.get("increase", [])}
        self.decrease = {w.lower() for w in profile.lexicon.change.get("decrease", [])}
        self.level_markers = {w.lower() for w in profile.lexicon.change.get("level_markers", [])}
        self.base_prepositions = {w.lower() for w in profile.lexicon.change.get("base_prepositions", [])}
        self.estimate_nouns = {w.lower() for w in profile.lexicon.change.get("estimate_nouns", [])}
        documents = {w.lower() for w in profile.lexicon.change.get("document_nouns", [])}
        self.document_nouns = self.estimate_nouns | documents
        self.comparative_up = {w.lower() for w in profile.lexicon.change.get("comparative_up", [])}
        self.comparative_down = {w.lower() for w in profile.lexicon.change.get("comparative_down", [])}
        self.comparatives = self.comparative_up | self.comparative_down
        self.places = {a.name for a in profile.actors if a.kind in ("government", "place")}
        grammar = profile.lexicon.grammar
        self.scope_parts = {w.lower() for w in grammar.get("scope_parts", [])}
        self.scope_deictics = {w.lower() for w in grammar.get("scope_deictics", [])}
        self.scope_world = {w.lower() for w in grammar.get("scope_world", [])}
        self.receiving = {w.lower() for w in grammar.get("receiving_verbs", [])}
        self.other_measures = {w.lower() for w in grammar.get("other_measures", [])}
        self.to_date_markers = profile.lexicon_index("periods", "to_date_markers")
        self.tally_markers = [w.lower() for w in grammar.get("tally_markers", [])]
        self.persons = {w.lower() for w in grammar.get("persons", [])}
        self.intentions = {w.lower() for w in grammar.get("intent_verbs", []) + grammar.get("refusal_verbs", [])}
        self.temporal_nouns = {w.lower() for w in grammar.get("temporal_nouns", [])}
        self.goal_nouns = {w.lower() for w in grammar.get("goal_nouns", []) if " " not in w}
        self.report_verbs = {w.lower() for w in grammar.get("report_verbs", [])}
        self.partial_periods = {w.lower() for w in grammar.get("partial_periods", [])}
        self.level_verbs = {w.lower() for w in grammar.get("level_verbs", [])}
        self.context: str | None = None

    def extract(
        self,
        sentence: str,
        published: date | None,
        doc: Doc | None = None,
        quantities: list[Quantity] | None = None,
        context: str | None = None,
    ) -> list[Figure]:
        """The figures of a sentence (its `quantities` when already read); with its parse, each number's
        metric, subject and period are read from its own clause, and what cannot be read there is a gap.
        `context` is who the text was just about: "the country" or "its" then means them."""
        self.context = context
        all_metrics = self.profile.metric_index.find(sentence)
        all_actors = self.profile.actor_index.find(sentence)
        verb_metrics = self._metric_verbs(doc)
        parsed = doc is not None and doc.has_annotation("DEP")
        figures: list[Figure] = []
        numbers_read: list[Token | None] = []  # each figure's number in the parse
        bases: dict[int, int] = {}  # figure index -> the base year of a change with no period of its own
        kinds: dict[int, tuple[FigureKind, int]] = {}  # number's token -> its kind and sign, for conjuncts
        previous_end = -10
        read = self.quantities.read(sentence) if quantities is None else quantities
        tokens = [self._token_at(doc, q) if doc is not None else None for q in read]
        numbers = {t.i for t in tokens if t is not None} if parsed else set()
        for q, token in zip(read, tokens, strict=True):
            restated = sentence[previous_end : q.start].strip() == "("
            previous_end = q.end
            if restated:
                continue  # "253,000 hectares (625,177 acres)": the same figure in other units
            kind, sign = self._kind(sentence, q)
            gaps: list[str] = []
            number = token if parsed else None  # the number's word in the parse
            if number is not None and kind == "level":
                kind, sign = self._kind_in_parse(number, kinds, q.unit)
            if number is not None:
                kinds[number.i] = (kind, sign)
            inside = self._with_since_clauses(doc, self._clause_filter(doc, q, self.report_verbs))
            cut = self._coordination_before(token) if parsed and token is not None else None
            if cut is not None:  # "… $453m in 2023, and about $380m of annual funding goes to …"
                inside = self._without(inside, {t.idx for t in doc[: cut.i + 1]} if doc is not None else set())
            metrics = [m for m in [*all_metrics, *verb_metrics] if inside(m.start)]
            metric = self._metric(q, kind, metrics)
            if metric is None and token is not None and doc is not None and parsed and self._restates(token, kind):
                # "production in X rose 53% in 2023, reaching 2,600 tons": the participle measures its head
                # clause's subject, and that subject's place is the figure's
                subject_words = {doc[i].idx for i in g.participle_subject(token)}
                if self._metric(q, kind, [m for m in all_metrics if m.start in subject_words]) is not None:
                    inside = self._widened(inside, subject_words)
                    metrics = [m for m in [*all_metrics, *verb_metrics] if inside(m.start)]
                    metric = self._metric(q, kind, metrics)
            if metric is None and doc is not None:
                metric = self._metric(q, kind, all_metrics)
                if metric is not None:
                    gaps.append("metric-outside-clause")
            elif metric is not None and self._ambiguous(q, kind, metrics, metric):
                gaps.append("metric-ambiguous")
            if metric is None:
                gaps.append("metric")
            elif number is not None and (
                self._measures_other_goods(number, metric) or self._names_other_goods(number, metric, metrics)
            ):
                gaps.append("metric-other-goods")  # "87 tonnes of flour were seized": not wheat
            elif number is not None and self._of_another_measure(number):
                gaps.append("metric-other-measure")  # "average purity rose 10%", "the price of X fell 30%"
            if q.ambiguous:
                gaps.append("number-format")  # "253.000": which of two numbers the writer meant is unknown
            name = metric.name if metric else (q.noun or f"{q.unit} amount")
            value = sign * q.value
            low, high = interval(q, value)
            # the year a comparison is made against ("up 13% compared to 2021") is no figure's period
            base = self._base_year(sentence, inside)
            own_period = self._own_period(doc, number, sentence, q, published, base)
            if number is not None:
                # a year in the phrase another number is compared with is that number's ("at 3,001 tonnes,
                # up from 2,664 tonnes in 2023"); a change's own comparison is its base, not its period
                against = self._compared_elsewhere(number, numbers)
                if kind == "change":
                    against |= self._measured_against(number)
                inside = self._without(inside, against)
            period = own_period or self.periods.period_near(
                sentence, q.start, q.end, published, self._period_filter(doc, inside, base, number)
            )
            if period is None and doc is not None and token is not None:
                period = self._period_of_head_clause(doc, token, sentence, q, published)
            if period is None and kind == "change" and base is None and token is not None:
                period = self._period_of_joined_verb(token)
            end = self._end_of_change(number) if own_period is None and kind == "level" else None
            if period is not None and end is not None and not self._dated_phrase(number, sentence, published):
                period, gap = _level_at_end(period, end)
                gaps.extend(gap)
            if published is not None and period == str(published.year):
                if self._to_date(doc, sentence, inside):
                    period = f"{period} {TO_DATE}"  # "so far this year": a tally of the year still running
                else:
                    gaps.append("period-unfinished")  # "in 2023 alone", in August 2023: partial, or a forecast
            if own_period is not None and own_period != self._verb_period(number, sentence, published, own_period):
                gaps.append("period-ambiguous")  # "reached 253,000 ha during 2023 [...] reported the year before"
            if period is not None and doc is not None and self._part_of_year(doc, inside, period):
                gaps.append("period-partial")  # "121 tons seized in the same period of 2022": not the year's
            if period is not None and published is not None and _ends_after(period, published.year):
                gaps.append("period-future")  # "approved $380m for fiscal year 2027": a budget, not a count
            if period is None:
                if base is not None and kind == "change":
                    bases[len(figures)] = base[1]
                if metric is None or (metric.needs_period and not metric.cumulative):
                    gaps.append("period")  # which year's figure? (a tally or one happening needs none)
            elif kind == "level" and "-" in period and not period.startswith("FY"):
                gaps.append("period-range")  # "from X in 2022 to 2023": which year is the level's?
            elif kind == "change" and period.isdigit():
                keep = self._period_filter(doc, inside, None, number)
                # a change "in 2023" is the change from 2022, unless the sentence names its base year
                # or the clause names the two years it runs between ("to X in 2023 from Y the year before")
                # a year in the change's own phrase is its own ("increases of 13% in 2022 and 10% in 2023")
                between = base is None and own_period is None
                span = self._years_between(sentence, published, int(period), keep) if between else None
                if span is not None:
                    period = span
                else:
                    start = base[1] if base is not None and base[1] < int(period) else int(period) - 1
                    period = f"{start}-{period}"
            grammatical, subject_gap = self._owner(number, metric) if number is not None else (None, "")
            if grammatical is None and not subject_gap:
                grammatical, subject_gap = self._grammatical_subject(doc, number, inside, metric)
            subject = grammatical or self.profile.story.default_subject
            if grammatical is None and not subject_gap:
                whole = _whole_phrase(token) if token is not None else None
                placed = inside
                if whole is not None and token is not None:  # "of the 253,000 hectares, 60,000 were in X"
                    placed = self._without(inside, {t.idx for t in token.doc if t.i not in whole})
                subject, subject_gap = self._subject(sentence, q, [a for a in all_actors if placed(a.start)], metric)
            if token is not None and _is_part(token):
                gaps.append("scope-part")  # "$180 million of the $413 million": a share, not the total
            if subject_gap:
                gaps.append(subject_gap)
            if doc is not None and token is not None:
                gaps.extend(self._scope_gaps(doc, token, inside, metric, kind))
                if metric is not None and self._given_by_another(token, metric):
                    gaps.append("source-other")  # "the EU provided $100 million in aid": not the counterparts'
            figures.append(
                Figure(
                    subject=subject,
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
            numbers_read.append(number)
        return _from_base_to_level(_changes_of_their_level(figures, numbers_read), bases)

    @staticmethod
    def _widened(inside: Callable[[int], bool], offsets: set[int]) -> Callable[[int], bool]:
        return lambda offset: offset in offsets or inside(offset)

    @staticmethod
    def _clause_filter(doc: Doc | None, q: Quantity, report_verbs: set[str]) -> Callable[[int], bool]:
        """Whether a character offset lies in the number's own clause (everything, without a parse)."""
        if doc is None or not doc.has_annotation("DEP"):
            return lambda _offset: True
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            return lambda _offset: True
        keep = g.clause_tokens(span.root) | g.reported_clause_of_adjunct(span.root, report_verbs)
        if g.clause_of(span.root).dep_ == "ROOT":
            keep |= g.fronted_time(doc)
        starts = {doc[i].idx: i for i in keep}
        token_at = {t.idx: t.i for t in doc}

        def inside(offset: int) -> bool:
            if offset in starts:
                return True
            index = token_at.get(offset)
            if index is None:  # inside a token: find the token that holds it
                index = max((t.i for t in doc if t.idx <= offset), default=0)
            return index in keep

        return inside

    def _own_period(
        self,
        doc: Doc | None,
        number: Token | None,
        sentence: str,
        q: Quantity,
        published: date | None,
        base: tuple[int, int] | None,
    ) -> str | None:
        """A period inside the number's own phrase comes first: "the 230,000 hectares it measured in 2022"."""
        if doc is None or number is None:
            return None
        phrase = self._phrase_of(number)
        # ", a figure that ...", a conjunct's own years ("13% in 2022 and 10% in 2023") and the base a
        # change is measured against ("a drop of 2.3% from the year before")
        aside = {t.i for c in phrase.children if c.dep_ in ("appos", "conj", "cc") for t in c.subtree}
        own = {t.idx for t in phrase.subtree if t.i not in aside} - self._measured_against(number)
        return self.periods.period_near(
            sentence, q.start, q.end, published, self._period_filter(doc, lambda offset: offset in own, base, number)
        )

    @staticmethod
    def _coordination_before(number: Token) -> Token | None:
        """The "and" of the number's verb that stands between the verb and the number, when the number hangs
        on the verb itself: the parser has joined a second clause's subject to the first ("received $453m
        in 2023, and about $380m goes to ..."); what comes before the "and" is the first clause's."""
        t = number
        for _ in range(6):
            if t.dep_ == "conj" or t.head.i == t.i:
                return None
            if t.head.pos_ in ("VERB", "AUX"):
                verb = t.head
                break
            t = t.head
        else:
            return None
        return next((c for c in verb.children if c.dep_ == "cc" and verb.i < c.i < number.i), None)

    def _to_date(self, doc: Doc | None, sentence: str, inside: Callable[[int], bool]) -> bool:
        """Whether the number's clause says its tally runs to date ("so far this year")."""
        text = _clause_text(doc, inside) if doc is not None else sentence.lower()
        return bool(self.to_date_markers.find(text))

    def _verb_period(self, number: Token | None, sentence: str, published: date | None, own: str) -> str:
        """The period the verb of a number that is its argument gives, outside the number's phrase ("reached
        253,000 hectares during 2023"); `own` when it gives none. The parser may hang another number's
        period on this one's phrase ("compared to the 230,000 hectares reported the previous year")."""
        if number is None or number.dep_ not in ("dobj", "obj", "nsubj", "nsubjpass", "attr"):
            return own
        verb = number.head
        words = {
            t.idx
            for c in verb.children
            if c.i != number.i and c.dep_ in ("prep", "npadvmod") and c.lower_ not in self.base_prepositions
            for t in c.subtree
        }
        found = self.periods.period_near(sentence, number.idx, number.idx + len(number), published, words.__contains__)
        return found or own

    @staticmethod
    def _end_of_change(number: Token | None) -> str | None:
        """Which end of a change the number is: "from X" ("start") or "to Y" ("end") of one word that has both."""
        if number is None:
            return None
        phrase = _quantity_phrase(number)
        prep = phrase.head
        if phrase.dep_ != "pobj" or prep.lower_ not in ("from", "to"):
            return None
        other = "to" if prep.lower_ == "from" else "from"
        if any(
            c.dep_ == "prep" and c.lower_ == other and any(t.like_num for t in c.subtree) for c in prep.head.children
        ):
            return "start" if prep.lower_ == "from" else "end"
        return None

    def _dated_phrase(self, number: Token | None, sentence: str, published: date | None) -> bool:
        """Whether the number's own end of the change says when: "from 1,400 tons in 2021 to ...", where the
        parser hangs "in 2021" on the verb, or "to 1,738 tons in 2022"."""
        if number is None:
            return False
        prep = _quantity_phrase(number).head
        later = [c.i for c in prep.head.children if c.dep_ == "prep" and c.lower_ in ("from", "to") and c.i > prep.i]
        stop = later[0] if later else max(t.i for t in prep.head.subtree) + 1
        words = {t.idx for t in number.doc[prep.i : stop]}
        return self.periods.period_near(sentence, prep.idx, prep.idx + 1, published, words.__contains__) is not None

    def _phrase_of(self, number: Token) -> Token:
        """The head of the number's own phrase: the change noun of "increases of 13% in 2022" or of "after a
        10% jump in 2023", else itself."""
        if number.dep_ == "pobj" and number.head.lower_ == "of" and self._is_change_noun(number.head.head):
            return number.head.head
        t = number.head if number.dep_ == "nummod" and number.head.lower_ in ("%", "percent") else number
        if t.dep_ in ("compound", "nummod", "amod") and self._is_change_noun(t.head):
            return t.head
        return number

    def _compared_elsewhere(self, number: Token, numbers: set[int]) -> set[int]:
        """Offsets of comparison phrases ("from 2,664 tonnes in 2023", "than the 204,000 of 2021") that hold
        another number and not this one."""
        out: set[int] = set()
        for prep in number.doc:
            if prep.dep_ != "prep" or prep.lower_ not in self.base_prepositions:
                continue
            words = {t.i for t in prep.subtree}
            if number.i not in words and words & (numbers - {number.i}):
                out |= {number.doc[i].idx for i in words}
        return out

    def _measured_against(self, number: Token) -> set[int]:
        """Offsets of what a number is compared with ("13 percent above the 204,000 hectares of 2021",
        "a drop of 2.3% from the year before"): the years there are the base, not the number's own."""
        phrase = self._phrase_of(number)
        return {
            t.idx for c in phrase.children if c.dep_ == "prep" and c.lower_ in self.base_prepositions for t in c.subtree
        }

    def _period_filter(
        self, doc: Doc | None, inside: Callable[[int], bool], base: tuple[int, int] | None, number: Token | None = None
    ) -> Callable[[int], bool]:
        """Periods the number's clause gives, leaving out years that name another thing and the base year
        a change is measured against ("14% more than in 2023" is not a 2023 change)."""

        def keep(offset: int) -> bool:
            if base is not None and offset == base[0]:
                return self._inside_phrase_at(doc, offset, number)  # "than in 2022, when it was 1,738 tons"
            return inside(offset) and not (doc is not None and self._modifies_another_noun(doc, offset, number))

        return keep

    @staticmethod
    def _with_since_clauses(doc: Doc | None, inside: Callable[[int], bool]) -> Callable[[int], bool]:
        """A "since ..." clause on the number's clause sets its running period ("$14 billion since the aid
        plan began in 2000"), though it is a clause of its own."""
        if doc is None or not doc.has_annotation("DEP") or _superlative(doc):
            return inside  # "the largest since the survey began in 2001": a record's span, not a tally's
        marks = {
            t.idx
            for t in doc
            if t.lower_ == "since"
            and t.dep_ == "mark"
            and t.head.dep_ == "advcl"
            and t.head.head.pos_ in ("VERB", "AUX")
            and inside(t.head.head.idx)
        }
        return lambda offset: offset in marks or inside(offset)

    @staticmethod
    def _without(inside: Callable[[int], bool], offsets: set[int]) -> Callable[[int], bool]:
        return lambda offset: offset not in offsets and inside(offset)

    @staticmethod
    def _inside_phrase_at(doc: Doc | None, offset: int, number: Token | None) -> bool:
        """Whether the number lies in the phrase of the word at `offset`: the base year's own level."""
        if doc is None or number is None:
            return False
        word = next((t for t in doc if t.idx == offset), None)
        return word is not None and word.i != number.i and number in word.subtree

    def _years_between(
        self, sentence: str, published: date | None, year: int, keep: Callable[[int], bool]
    ) -> str | None:
        """ "2022-2023" when the change's clause names exactly two years, its own among them."""
        years = {int(s.value) for s in self.periods.periods(sentence, published) if s.value.isdigit() and keep(s.start)}
        return f"{min(years)}-{max(years)}" if len(years) == 2 and year in years else None

    @staticmethod
    def _base_year(sentence: str, inside: Callable[[int], bool]) -> tuple[int, int] | None:
        """Where and which year a change is measured against: "13 percent higher than in 2021"."""
        for m in _BASE_YEAR.finditer(sentence):
            if inside(m.start("year")):
                return m.start("year"), int(m.group("year"))
        return None

    def _modifies_another_noun(self, doc: Doc, offset: int, number: Token | None = None) -> bool:
        """A year that names another thing ("the 2016 peace accord", "the goal for 2025") is not the
        figure's period; a year of a time ("at the end of 2023") or of the number's own phrase is."""
        token = next((t for t in doc if t.idx == offset), None)
        if token is not None and token.head.dep_ == "poss" and token.head.head.pos_ in ("NOUN", "PROPN"):
            # "last year's report showed 253,000 hectares": the report's year ("last year's cultivation
            # reached ..." is the year of what the clause measures)
            owner = token.head.head
            measured = number is not None and owner.dep_ in ("nsubj", "nsubjpass") and owner.head == g.clause_of(number)
            return not measured or owner.lemma_.lower() in self.document_nouns
        if token is None or not token.like_num:
            return False
        if token.dep_ in ("compound", "nummod", "amod", "nmod", "poss") and token.head.pos_ in ("NOUN", "PROPN"):
            return True
        own: set[int] = set()
        if number is not None:
            phrase_head = number
            if number.dep_ == "pobj" and number.head.dep_ == "prep" and number.head.head.pos_ in ("NOUN", "PROPN"):
                phrase_head = number.head.head  # "a haul of 850 tonnes in 2024"
            elif number.head.pos_ in ("NOUN", "PROPN"):
                phrase_head = number.head  # "a 9% increase in the harvest in 2024"
            own = {x.i for x in phrase_head.subtree}
        t = token
        for _ in range(5):  # up through "of", "for", "in" to the first noun or verb
            if t.head.i == t.i:
                return False
            t = t.head
            if t.i in own:
                return False
            if t.pos_ in ("VERB", "AUX"):
                if t.dep_ in ("acl", "relcl") and (number is None or g.clause_of(number).i != t.i):
                    continue  # "the goal set for 2025": the verb describes another noun
                return False
            if t.pos_ in ("NOUN", "PROPN"):
                measured = (
                    number is not None and t.dep_ in ("nsubj", "nsubjpass") and t.head.i == g.clause_of(number).i
                )  # "aid to Peru in 2023 totaled $410 million": the year of what the clause measures
                return not measured and t.lemma_.lower() not in self.temporal_nouns
        return False

    def _period_of_head_clause(
        self, doc: Doc, token: Token, sentence: str, q: Quantity, published: date | None
    ) -> str | None:
        """A participial clause shares the time of the clause it hangs on: "produced 2,600 tons last year,
        coinciding with a 10 percent rise" -> the rise is last year's too."""
        clause = g.clause_of(token)
        if clause.dep_ not in ("advcl", "xcomp") or clause.tag_ != "VBG" or clause.head.i == clause.i:
            return None
        keep = g.clause_tokens(clause.head) - {t.i for t in clause.subtree}
        bases = {m.start("year") for m in _BASE_YEAR.finditer(sentence)}  # "compared to 2021" is no one's time
        starts = {doc[i].idx for i in keep} - bases
        return self.periods.period_near(sentence, q.start, q.end, published, lambda offset: offset in starts)

    def _restates(self, number: Token, kind: str) -> bool:
        """Whether a participle's number restates its head clause's measure: a change ("setting a record
        with a 53% increase"), or a level that a level verb takes as object ("reaching a record 2,600 tons",
        "reaching a record number of 2,600 tons"); not one that brings in another quantity ("bringing the
        region's total to 380,000 hectares", "exceeding the 200,000 hectares projected")."""
        if kind == "change":
            return True
        verb = g.clause_of(number)
        measured = number.head if number.dep_ in ("nummod", "quantmod", "compound") else number
        if measured.dep_ == "pobj" and measured.head.lower_ == "of" and measured.head.head.i != verb.i:
            measured = measured.head.head  # "a record number of 2,600 tons"
        return verb.lemma_.lower() in self.level_verbs and measured.dep_ in g.OBJECTS and measured.head.i == verb.i

    def _part_of_year(self, doc: Doc, inside: Callable[[int], bool], period: str) -> bool:
        """Whether the clause gives the period's year as a part of it: "the same period of 2022", "the
        first half of 2023"."""
        for t in doc:
            if not (t.like_num and len(t.text) == 4 and t.text in period and inside(t.idx)):
                continue
            of = t.head
            if of.lower_ == "of" and {of.head.lower_, of.head.lemma_.lower()} & self.partial_periods:
                return True
        return False

    def _period_of_joined_verb(self, number: Token) -> str | None:
        """ "Wheat grew by 13% and reached 230,000 hectares in 2022": a change whose own clause says nothing
        of time takes the year of the verb joined to it, which closes the sentence; a clause with a time of
        its own ("over the decade", "under Smith", "since 2015") keeps the change unread."""
        clause = g.clause_of(number)
        joined = [
            c
            for c in clause.children
            if c.dep_ == "conj"
            and c.pos_ == "VERB"
            and not g.children(c, "nsubj", "nsubjpass")
            and g.same_tense(c, clause)
            and c.lemma_.lower() not in self.report_verbs  # "..., revealed the agency on Monday"
        ]
        if len(joined) != 1:
            return None
        own = g.clause_tokens(number) - {t.i for t in joined[0].subtree}
        doc = number.doc
        for i in own:
            t = doc[i]
            if t.lemma_.lower() in self.temporal_nouns or (t.like_num and t.i != number.i and len(t.text) == 4):
                return None
            place = t.lower_ == "in" and all(o.pos_ == "PROPN" for o in g.children(t, "pobj"))  # "in Ruritania"
            if (
                t.dep_ in ("prep", "advmod", "npadvmod")
                and t.head.i == clause.i
                and t.lower_ not in ("by", "to", "from")
            ) and not place:
                return None
        verb = joined[0]
        # the joined verb states a level of its own ("and reached 230,000 hectares in 2022"), its year plainly
        # in its own "in YEAR" (not "a record in the first half of 2024", "between January and October")
        levels = [o for o in g.children(verb, *g.OBJECTS) if any(c.like_num for c in o.children) or o.like_num]
        years = [y for prep in g.children(verb, "prep") if prep.lower_ == "in" for y in g.children(prep, "pobj")]
        if verb.lemma_.lower() not in self.level_verbs or not levels or len(years) != 1 or not _is_year(years[0]):
            return None
        return years[0].text

    def _ambiguous(self, q: Quantity, kind: str, found: list[PhraseMatch], chosen: Metric) -> bool:
        """Another metric the number could measure is named in its clause ("production of wheat")."""
        others = {m.key for m in found if m.key != chosen.name}
        return any(self._fits(self.profile.metric_by_name[k], q, kind) and k not in chosen.name for k in others)

    def _owner(self, number: Token, metric: Metric | None) -> tuple[str | None, str]:
        """The place that owns the number's own phrase ("compared with Ruritania's 884 tonnes", "exceeds
        Arcadia's 92,000 hectares"): the figure is that place's, whatever the clause's subject; a name the
        profile does not know leaves the subject unread."""
        counterparts = set(metric.counterparts) if metric else set()
        for owner in g.children(_quantity_phrase(number), "poss"):
            if owner.pos_ == "PRON":
                continue
            named = {m.key for m in self.profile.actor_index.find(g.phrase(owner).text)} - counterparts
            places = named & self.places
            if len(places) == 1:
                return places.pop(), ""
            if not named and owner.pos_ == "PROPN":
                return None, "subject-unknown"
        return None, ""

    def _grammatical_subject(
        self, doc: Doc | None, number: Token | None, inside: Callable[[int], bool], metric: Metric | None
    ) -> tuple[str | None, str]:
        """The place that is the clause's subject ("Peru had 31,000 hectares", "Chile received $610
        million"), unless it is the metric's counterpart (the donor of aid). None when the subject is no place."""
        if doc is None or number is None:
            return None, ""
        counterparts = set(metric.counterparts) if metric else set()
        number_clause = g.clause_of(number).i
        for t in doc:
            if not inside(t.idx) or t.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if g.clause_of(t).i != number_clause:
                continue
            if t.lower_ in ("he", "she", "i", "we") or t.lemma_.lower() in self.persons:
                return None, "subject-person"  # "a farmer grows three hectares": not the country's figure
            if self._refers_back(t) and self.context in self.places - counterparts - {self._default}:
                return None, "subject-reference"  # "Peru's crop shrank. The country also seized 40 tonnes"
            span = g.phrase(t)
            named = {m.key for m in self.profile.actor_index.find(span.text)}
            if not named and t.pos_ == "PROPN" and metric is not None and self._does_metric(t.head, metric):
                return None, "subject-unknown"  # "Spain seized 118 tonnes": not the default country
            keys = named & self.places
            keys -= counterparts
            if len(keys) == 1:
                return keys.pop(), ""
            if len(keys) > 1:
                return None, "subject-ambiguous"
        return None, ""

    @property
    def _default(self) -> str:
        return self.profile.story.default_subject

    @staticmethod
    def _refers_back(subject: Token) -> bool:
        """A subject that stands for a place named before: "it", "the country", "its eradication teams"."""
        if subject.lower_ in ("it", "they"):
            return True
        if subject.lemma_.lower() in ("country", "nation", "government") and any(
            d.lower_ in ("the", "this", "that") for d in subject.children if d.dep_ == "det"
        ):
            return True
        return any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in subject.children)

    @staticmethod
    def _does_metric(verb: Token, metric: Metric) -> bool:
        """Whether the verb does what the metric counts ("seized", "extradited"), so its subject is whose
        figure it is; a verb that measures or reports ("Reuters counted") has a source for subject."""
        words = {w.lower() for w in metric.verbs} | {p.lower() for p in metric.phrasings if " " not in p}
        return verb.lemma_.lower() in words or verb.lower_ in words

    @staticmethod
    def _token_at(doc: Doc, q: Quantity) -> Token:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        return span.root if span is not None else doc[0]

    def _of_another_measure(self, number: Token) -> bool:
        """Whether the clause's subject is a measure that is no quantity of anything the profile counts (a
        price, a purity, a share): its change is not the metric's."""
        subject = g.subject_of(g.clause_of(number))
        return subject is not None and subject.lemma_.lower() in self.other_measures

    def _denied(self, verb: Token, number: Token, metric: Metric | None) -> bool:
        """Whether the verb that measures the number is negated ("did not reach 300,000 hectares", "has not
        risen 10%"), not a verb that only mentions it ("won't affect the $380 million")."""
        if verb.i == number.i or not any(c.dep_ == "neg" for c in verb.children):
            return False
        word = verb.lemma_.lower()
        measures = word in self.level_verbs or word in self.increase or word in self.decrease
        return measures or (metric is not None and self._does_metric(verb, metric))

    def _given_by_another(self, number: Token, metric: Metric) -> bool:
        """For a metric that counterparts give (aid from abroad): the clause names another giver, as its
        subject or after "from" ("the EU provided …", "… in funding from the IMF"), that is not on the
        counterparts' side (a name the profile does not know is on no one's)."""
        if not metric.counterparts:
            return False
        verb = g.clause_of(number)
        # the subject gives, unless the verb receives ("Ruritania received $3 million from X")
        givers = [] if verb.lemma_.lower() in self.receiving else list(g.children(verb, "nsubj"))
        for head in (verb, number, number.head):
            froms = [prep for prep in g.children(head, "prep") if prep.lower_ == "from"]
            givers += [o for prep in froms for o in g.children(prep, "pobj")]
        for giver in givers:
            if giver.pos_ != "PROPN" and giver.ent_type_ not in ("ORG", "GPE", "NORP"):
                continue
            names = {m.key for m in self.profile.actor_index.find(g.phrase(giver).text)}
            if not any(self.profile.same_side(name, side) for name in names for side in metric.counterparts):
                return True
        return False

    def _scope_gaps(
        self, doc: Doc, number: Token, inside: Callable[[int], bool], metric: Metric | None, kind: str
    ) -> list[str]:
        """A part of the whole (a department, one strike) is not the country's figure or the running toll.
        Parts are looked for where they would scope the number: its own phrase, the clause's subject, and
        the places ("in X") attached to the number or its verb."""
        verb = g.clause_of(number)
        scoping = [*number.subtree, *number.head.children]
        described: list[Token] = []  # the subject with what describes it ("wheat grown inside parks")
        for t in verb.children:
            if t.dep_ in ("nsubj", "nsubjpass"):
                described += list(t.subtree)  # "the crop in the province of X reached ..."
            if t.dep_ == "prep" and t.lower_ in _SCOPING_PREPOSITIONS:
                scoping += list(t.subtree)
        scoping = [t for t in scoping if inside(t.idx)] + described
        words = {t.lemma_.lower() for t in scoping} | self._where_antecedents(verb)
        gaps = []
        if g.is_question(doc):
            gaps.append("question")  # "Did wheat really reach 300,000 hectares?": asked, not stated
        elif self._denied(verb, number, metric):
            gaps.append("negated")  # "did not reach 300,000 hectares": what it was not
        if _counterfactual(verb):
            gaps.append("hypothetical")  # "wheat would have fallen to 150,000 hectares": what did not happen
        if self._per_unit(verb, doc, inside):
            gaps.append("scope-rate")  # "each hectare yields 10.5 kilograms": a yield, not the total
        if self._unknown_place(scoping) and not (metric is not None and metric.cumulative):
            # "in Putumayo", "police in Buenaventura", "in the Pacific": a part (a tally of happenings is
            # placed where they happen: "killed in strikes in the Caribbean")
            gaps.append("scope-place")
        if any(v.lemma_.lower() in self.intentions for v in (verb, *g.governors(verb))) or self._names_goal(number):
            gaps.append("goal")  # "proposed to eradicate 30,000 hectares": a target or a forecast, not a count
        if words & self.scope_parts:
            gaps.append("scope")
        if any(t.dep_ == "advmod" and t.lower_ in self.scope_deictics and inside(t.idx) for t in doc):
            gaps.append("scope-local")
        if any(self._scopes_to_world(t) for t in doc if inside(t.idx)):
            gaps.append("scope-world")
        if kind == "level" and self._set_against_a_source(number):
            gaps.append("rival-estimate")
        text = _clause_text(doc, inside)
        if (
            metric is not None
            and metric.cumulative
            and (
                kind == "change"
                or not any(m in text for m in self.tally_markers)
                or self._done_by_one(verb, metric, doc, inside)
            )
        ):
            gaps.append("scope-one-event")  # one strike's toll, or "six more": not the running tally
        subject_lists = [t for t in doc if inside(t.idx) and t.dep_ in ("nsubj", "nsubjpass") and t.conjuncts]
        if subject_lists:
            gaps.append("subject-list")
        return gaps

    @staticmethod
    def _done_by_one(verb: Token, metric: Metric, doc: Doc, inside: Callable[[int], bool]) -> bool:
        """ "A strike last week killed 14 people, the deadliest day so far": one happening of the metric
        is the subject, and no toll or total is named, so a "so far" elsewhere does not make it the tally."""
        if any(t.lemma_.lower() in _TALLY_NOUNS for t in doc if inside(t.idx)):
            return False
        words = {p.lower() for p in metric.phrasings}
        return any(
            s.tag_ == "NN"
            and s.lemma_.lower() in words
            and any(d.lower_ in _ONE for d in s.children if d.dep_ in ("det", "nummod"))
            for s in g.children(verb, "nsubj")
        )

    def _per_unit(self, verb: Token, doc: Doc, inside: Callable[[int], bool]) -> bool:
        """A measure for each unit of something ("each hectare yields", "6.2 kilograms per hectare"); "per
        year" is a period, read elsewhere."""
        if any(
            d.lower_ in ("each", "every") and d.dep_ == "det" for s in g.children(verb, "nsubj") for d in s.children
        ):
            return True
        return any(
            t.lower_ == "per"
            and inside(t.idx)
            and t.i + 1 < len(doc)
            and doc[t.i + 1].lemma_.lower() not in _TIME_UNITS
            for t in doc
        )

    def _unknown_place(self, scoping: list[Token]) -> bool:
        """A proper name after "in" ("in Putumayo", "in the Pacific") that the profile does not know as a
        place: a region of the country, or somewhere else, is not the country the figure defaults to."""
        for t in scoping:
            if t.pos_ != "PROPN" or t.dep_ != "pobj" or t.head.lower_ not in _PLACE_PREPOSITIONS:
                continue
            name = g.phrase(t)
            if any(w.like_num or w.lower_.rstrip(".") in DATE_WORDS for w in name):
                continue  # "in September", "in FY2024": a time
            keys = {m.key for m in self.profile.actor_index.find(name.text)}
            if not keys:
                return True
        return False

    def _scopes_to_world(self, token: Token) -> bool:
        """ "global output", "production worldwide", "production in the world": a world word that modifies
        what is measured, not one naming a rank ("the world's largest producer", "the largest in the world")
        or describing an actor in an aside."""
        if token.lower_ not in self.scope_world or token.dep_ == "poss":
            return False
        return not any(a.dep_ == "appos" or a.tag_ in ("JJS", "RBS") for a in token.ancestors) and not any(
            c.tag_ in ("JJS", "RBS") for c in token.head.children
        )

    def _set_against_a_source(self, number: Token) -> bool:
        """ "put output at 3,000 tonnes, well above the figure in the UN survey": the number is compared
        with another source's estimate, named but not given, so the article reports a rival estimate."""
        for head in (number.head, g.clause_of(number)):
            for prep in g.children(head, "prep"):
                if prep.lower_ not in self.base_prepositions:
                    continue
                for compared in g.children(prep, "pobj"):
                    phrase = g.subtree_span(compared)
                    if compared.lemma_.lower() not in self.estimate_nouns or any(w.like_num for w in phrase):
                        continue
                    if self.profile.actor_index.find(phrase.text):
                        return True
        return False

    @staticmethod
    def _where_antecedents(verb: Token) -> set[str]:
        """The place a "where" clause is about, with the phrase it sits in: "Nariño, the department with
        the most wheat in the country, where 40,000 hectares were planted" is about the department."""
        if verb.dep_ != "relcl" or not any(c.lower_ == "where" for c in verb.children):
            return set()
        words, t = set(), verb.head
        for _ in range(8):
            words.add(t.lemma_.lower())
            if t.dep_ not in ("pobj", "prep", "appos", "compound", "conj") or t.head.i == t.i:
                break
            t = t.head
        return words

    def _names_goal(self, number: Token) -> bool:
        """The number's own noun phrase is a target ("a 30,000-hectare goal", "a goal of 30,000 hectares",
        "a goal of eradicating 50,000 hectares")."""
        t = number
        for _ in range(4):
            links = ("nummod", "compound", "amod", "npadvmod", "pobj", "prep", "quantmod", "dobj", "pcomp")
            if t.dep_ not in links or t.head.i == t.i:
                return False
            t = t.head
            if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in self.goal_nouns:
                return True
        return False

    def _kind(self, sentence: str, q: Quantity) -> tuple[FigureKind, int]:
        """Level or change, and the sign of a change, from the words around the number."""
        before = [w.lower() for w in _WORD.findall(sentence[: q.start])]
        after = [w.lower() for w in _WORD.findall(sentence[q.end :])][:2]
        named = [w for w in before[-3:] if w not in _DETERMINERS]
        if len(named) >= 2 and named[-1] == "of" and (named[-2] in self.increase or named[-2] in self.decrease):
            return "change", self._direction(named[-2:])  # "a drop of 2.3%"
        if named and named[-1] in self.level_markers:
            return "level", 1  # "to 253,000", "from the 230,000 it measured"
        after_number = re.split(r"\d[\d.,]*", q.raw, maxsplit=1)[-1]  # "six more people", not "no more than 6"
        counted = [w.lower() for w in _WORD.findall(after_number)] + after[:1]
        bounded = q.qualifier in ("more_than", "just_over", "less_than", "up_to", "at_least")  # "no more than six"
        if not bounded and any(w in ("more", "additional", "extra", "further") for w in counted):
            return "change", 1  # "killed six more people": an increment, not the level
        if before and before[-1] == "by":
            return "change", self._direction(before[-10:])
        if any(w in self.increase or w in self.decrease for w in before[-3:]):
            return "change", self._direction(before[-3:])
        if after and (after[0] in self.increase or after[0] in self.decrease):
            return "change", -1 if after[0] in self.decrease else 1
        return "level", 1

    def _kind_in_parse(
        self, number: Token, kinds: dict[int, tuple[FigureKind, int]], unit: str
    ) -> tuple[FigureKind, int]:
        """A change the grammar shows where the words around the number do not: a measure of a
        comparative ("10 percent above the 2022 area"), or a conjunct of a change ("increases of 13% in
        2022 and 10% in 2023")."""
        head = number.head
        if number.dep_ == "npadvmod" and head.lower_ in self.comparatives:
            return "change", -1 if head.lower_ in self.comparative_down else 1
        if number.dep_ == "conj":
            if head.i in kinds:
                return kinds[head.i]
            if self._is_change_noun(head):
                return "change", -1 if head.lower_ in self.decrease else 1
        if unit == "percent":  # not "3,600 metres above sea level", "253,000 hectares under cultivation"
            for child in number.children:  # "13 percent above the 204,000", "10 percent higher than in 2022"
                measured = any(t.like_num for t in child.subtree if t.i != child.i)  # against a number or year
                if child.lower_ in self.comparatives and child.dep_ in ("prep", "advmod", "amod") and measured:
                    return "change", -1 if child.lower_ in self.comparative_down else 1
        return "level", 1

    def _is_change_noun(self, token: Token) -> bool:
        return token.pos_ == "NOUN" and (token.lower_ in self.increase or token.lower_ in self.decrease)

    def _direction(self, words: list[str]) -> int:
        for w in reversed(words):
            if w in self.decrease:
                return -1
            if w in self.increase:
                return 1
        return 1

    def _metric_verbs(self, doc: Doc | None) -> list[PhraseMatch]:
        """Verbs that measure a metric ("turned out", "seized"), found by lemma and particle."""
        if doc is None or not doc.has_annotation("DEP"):
            return []
        found = []
        for t in doc:
            if t.pos_ != "VERB":
                continue
            lemma = t.lemma_.lower()
            particles = [f"{lemma} {c.lower_}" for c in t.children if c.dep_ == "prt"]
            for metric in self.profile.metrics:
                if lemma in metric.verbs or any(p in metric.verbs for p in particles):
                    found.append(PhraseMatch(t.idx, t.idx + len(t.text), metric.name, t.text))
        return found

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

    def _measures_other_goods(self, number: Token, metric: Metric) -> bool:
        """Whether the unit the number measures in says what it measures ("tonnes of X") and X is none of
        the metric's goods (nor a place: "250,000 hectares of Ruritania")."""
        if not metric.goods:
            return False
        unit = number.head if number.dep_ in ("nummod", "quantmod", "compound") else number
        measured = [
            o
            for prep in g.children(unit, "prep")
            if prep.lower_ == "of"
            for o in g.children(prep, "pobj")
            if not o.like_num and o.lemma_.lower() not in self.temporal_nouns  # "the 170,000 hectares of 2020"
        ]
        if not measured or any(o.pos_ == "PRON" for o in measured):
            return False  # "2,600 tonnes of it": what "it" is was said before
        if any(self.profile.actor_index.find(g.phrase(o).text) for o in measured):
            return False
        words = {w for o in measured for t in g.phrase(o) for w in (t.lower_, t.lemma_.lower())}
        return not words & {w.lower() for w in metric.goods}

    def _names_other_goods(self, number: Token, metric: Metric, found: list[PhraseMatch]) -> bool:
        """Whether the metric's words in the clause, or the number's unit, are said to measure one of the
        other goods the profile lists for it ("barley exports rose 8%", "the export of bran and flour fell
        21%, to 77 tonnes"), with the words' own "of" phrases and lists."""
        if not metric.other_goods:
            return False
        doc = number.doc
        heads = [number.head if number.dep_ in ("nummod", "quantmod", "compound") else number]
        for match in found:
            span = doc.char_span(match.start, match.end, alignment_mode="expand")
            if match.key != metric.name or span is None:
                continue
            if span.root.pos_ in ("NOUN", "PROPN"):
                heads.extend(span)
            elif span.root.pos_ == "VERB":  # "the war has killed 450,000": what the verb is said of
                heads.extend(g.children(span.root, "nsubj"))
        words: list[Token] = []
        for head in heads:
            while head.dep_ == "compound" and head.head.i != head.i:
                head = head.head  # "seizure figures": the phrase the word is part of
            words.extend(g.phrase(head))
            for prep in g.children(head, "prep"):  # "the area under cultivation of X": any word's "of"
                if prep.lower_ == "of":
                    words.extend(t for o in g.children(prep, "pobj") for c in g.conjuncts(o) for t in g.phrase(c))
        # "$11 billion in remittances", "hectares planted with X" (not "… and access to credit")
        stack = [heads[0]]
        while stack:
            t = stack.pop()
            words.append(t)
            stack.extend(c for c in t.children if c.dep_ not in ("conj", "cc", "appos", "relcl"))
        text = " ".join(t.lower_ for t in sorted(set(words), key=lambda t: t.i))
        return any(re.search(rf"\b{re.escape(other.lower())}\b", text) for other in metric.other_goods)

    @staticmethod
    def _fits(metric: Metric, q: Quantity, kind: str) -> bool:
        if q.unit == "count":
            noun = q.noun or ""
            return "count" in metric.units and any(word in metric.counted for word in noun.split())
        if q.unit == "percent" and kind == "change":
            return True
        return q.unit in metric.units

    def _subject(self, sentence: str, q: Quantity, actors: list[PhraseMatch], metric: Metric | None) -> tuple[str, str]:
        """The place the figure is about: one named as "in X" / "X's" near it, else the metric's default.
        Two different places so marked in the clause leave the subject unread."""
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
                or (bool(counterparts) and _RECIPIENT_BEFORE.search(before) is not None)  # "aid to Peru"
                or sentence[m.end : m.end + 2] == "'s"
                or m.text.endswith(("an", "ian"))
            )
            if marked:
                distance = abs((m.start + m.end) // 2 - (q.start + q.end) // 2)
                candidates.append((distance, m.key))
        if candidates:
            keys = {k for _, k in candidates}
            return min(candidates)[1], "subject-ambiguous" if len(keys) > 1 else ""
        if metric and metric.subject:
            return metric.subject, ""
        return self.profile.story.default_subject, ""


_SCOPING_PREPOSITIONS = {"in", "across", "for", "inside", "within", "throughout"}
_TIME_UNITS = {"year", "annum", "month", "week", "day", "quarter", "cent"}  # and "per cent"
_TALLY_NOUNS = {"toll", "total", "tally", "number", "count"}
_ONE = {"a", "an", "one", "the", "this", "that", "each"}
# "aid to Ruritania": the receiver named on the measured noun (a verb's "to" is not scoping: "rose to")
_PLACE_PREPOSITIONS = (_SCOPING_PREPOSITIONS - {"for"}) | {"to"}


def _quantity_phrase(number: Token) -> Token:
    """The noun a number counts ("1,400 [tons]"), or the number itself."""
    return number.head if number.dep_ in ("nummod", "quantmod") else number


def _numbers_in(token: Token) -> bool:
    """Whether an "of" phrase (or a clause's subject or object) is itself a quantity: "of the 253,000
    hectares", not "of wheat valued at $388 million" nor "of the wheat sold in 2024"."""
    heads = [token] if token.dep_ != "prep" else [c for c in token.children if c.dep_ == "pobj"]
    return any(
        _quantity_word(h) or any(c.dep_ in ("nummod", "compound", "quantmod") and _quantity_word(c) for c in h.children)
        for h in heads
        if not any(_a_whole(t) for t in (h, *h.children))  # "two-thirds of a billion dollars": one number
    )


def _a_whole(token: Token) -> bool:
    """ "a billion" of "two-thirds of a billion": the whole a fraction word takes, not another number."""
    return token.like_num and any(c.lower_ == "a" and c.dep_ in ("det", "quantmod") for c in token.children)


def _quantity_word(token: Token) -> bool:
    """A number that counts, not a year ("the 170,000 hectares of 2020")."""
    return token.like_num and not (g.is_year(token) and token.text[:2] in ("19", "20"))


def _whole_phrase(token: Token) -> set[int] | None:
    """The words of the "of the N ..." phrase holding a number that is the whole another number is part
    of ("60,000 of the 253,000 hectares", "Of the $413 million ..., $180 million went to ...")."""
    t = token
    for _ in range(3):
        if t.dep_ == "pobj" and t.head.lower_ == "of":
            prep, head = t.head, t.head.head
            parted = _quantity_word(head) or (
                head.pos_ in ("VERB", "AUX")
                and any(
                    c.i > prep.i and c.dep_ in ("nsubj", "nsubjpass", "dobj") and _numbers_in(c) for c in head.children
                )
            )
            return {w.i for w in prep.subtree} if parted else None
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _is_part(token: Token) -> bool:
    """Whether a number is a part of a whole another number gives: it owns "of the N ..." ("60,000 of the
    253,000 hectares"), or its clause opens with one ("Of the $413 million, $180 million went ...")."""
    if any(c.dep_ == "prep" and c.lower_ == "of" and _numbers_in(c) for c in token.children):
        return True
    phrase = token
    while phrase.dep_ in ("nummod", "compound", "quantmod") and phrase.head.i != phrase.i:
        phrase = phrase.head
    if phrase.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return False
    verb = phrase.head
    return any(c.dep_ == "prep" and c.lower_ == "of" and c.i < phrase.i and _numbers_in(c) for c in verb.children)


def _counterfactual(verb: Token) -> bool:
    """ "would have fallen", "might have reached": what did not happen, or may have ("could have turned
    out 1,700 tonnes" is the measure of a potential, a count)."""
    aux = [c for c in verb.children if c.dep_ == "aux"]
    modal = any(c.lower_ in ("would", "might", "'d") for c in aux)
    return modal and any(c.lemma_ == "have" for c in aux) and verb.tag_ == "VBN"


def _clause_text(doc: Doc, inside: Callable[[int], bool]) -> str:
    """The lower-case words of the number's clause, for phrase lists ("so far", "tally")."""
    return " ".join(t.lower_ for t in doc if inside(t.idx))


def _superlative(doc: Doc) -> bool:
    """A superlative or "ever" in the sentence ("the largest area since 2001", "not "at least" / "at most")."""
    for t in doc:
        if t.lower_ in ("ever", "all-time"):
            return True
        if t.tag_ in ("JJS", "RBS") and not (t.i > 0 and doc[t.i - 1].lower_ == "at"):
            return True
    return False


def _level_at_end(period: str, end: str) -> tuple[str, list[str]]:
    """The period of a level at one end of a change whose time is the change's: "rose from X to Y last year"
    starts at the year before's level; "between 2022 and 2023, from X to Y" runs from 2022's to 2023's.
    Any other time leaves the start's period unknown."""
    years = period.split("-")
    if len(years) == 2 and all(y.isdigit() for y in years):
        return (years[0] if end == "start" else years[1]), []
    if end == "end":
        return period, []
    if period.isdigit():
        return str(int(period) - 1), []
    return period, ["period-start"]
