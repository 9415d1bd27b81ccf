"""Sentences, phrase lookup, periods and event dates."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.extract.dates import PeriodReader, find_dates
from monitor.extract.numbers import QuantityReader
from monitor.text import PhraseIndex, content_hash, split_sentences, strip_dateline


def test_sentences_keep_abbreviations_together():
    text = "The aid came from the U.S. Treasury last year. It was cut.\nHe had praised U.S.\nPresident Trump's plan."
    assert split_sentences(text) == [
        "The aid came from the U.S. Treasury last year.",
        "It was cut.",
        "He had praised U.S. President Trump's plan.",
    ]


def test_sentence_after_abbreviation_when_a_new_sentence_starts():
    assert split_sentences("Aid came from the U.S. The money was spent.") == [
        "Aid came from the U.S.",
        "The money was spent.",
    ]


def test_phrase_index_is_whole_word_and_case_aware():
    index = PhraseIndex([("Petro", "petro"), ("US", "us"), ("coca crops", "coca")])
    found = [m.key for m in index.find("Petrobras and Petro said US farmers, not us, grow Coca crops.")]
    assert found == ["petro", "us", "coca"]


def test_content_hash_ignores_spacing_and_case():
    assert content_hash("Hello,  World!") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello there world")


@pytest.mark.parametrize(
    ("sentence", "published", "expected"),
    [
        ("Sanctions were imposed on Oct. 24.", date(2025, 10, 26), date(2025, 10, 24)),
        ("Sanctions were imposed on 24 October.", date(2025, 10, 26), date(2025, 10, 24)),
        ("Sanctions were imposed on October 24, 2024.", date(2025, 10, 26), date(2024, 10, 24)),
        ("Sanctions were imposed last Friday.", date(2025, 10, 27), date(2025, 10, 24)),
        ("Sanctions were imposed on Friday.", date(2025, 10, 24), date(2025, 10, 24)),
        ("Sanctions were imposed last Friday.", date(2025, 10, 24), date(2025, 10, 17)),
        ("Sanctions were imposed yesterday.", date(2025, 10, 25), date(2025, 10, 24)),
        # a December date read in early January is last year's
        ("The vote was on December 30.", date(2026, 1, 3), date(2025, 12, 30)),
        ("It was announced on 2025-09-15.", None, date(2025, 9, 15)),
    ],
)
def test_event_dates_resolve_against_publication(sentence, published, expected):
    assert [d for _, _, d in find_dates(sentence, published)] == [expected]


def test_malformed_dates_are_no_dates():
    assert find_dates("It happened on February 30.", date(2025, 3, 1)) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Cultivation reached 230,000 hectares in 2022.", "2022"),
        ("Aid was $400 million in fiscal year 2024.", "FY2024"),
        ("Aid was $400 million in FY24.", "FY2024"),
        ("Cultivation reached 230,000 hectares last year.", "2024"),
        ("Cultivation reached 230,000 hectares this year.", "2025"),
        ("Aid runs at $400 million a year.", "per year"),
        ("Cultivation rose 13% since 2022.", "since 2022"),
        ("Cultivation rose 13%.", None),
    ],
)
def test_periods(profile, sentence, expected):
    (q,) = QuantityReader(profile).read(sentence)
    assert PeriodReader(profile).period_near(sentence, q.start, q.end, date(2025, 6, 1)) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("BOGOTA - Petro said so.", "Petro said so."),
        ("WASHINGTON — The Treasury acted.", "The Treasury acted."),
        ("MEDELLIN, Colombia - Farmers protested.", "Farmers protested."),
        ("U.S. officials said so.", "U.S. officials said so."),
    ],
)
def test_datelines_are_not_part_of_the_sentence(sentence, expected):
    assert strip_dateline(sentence) == expected
