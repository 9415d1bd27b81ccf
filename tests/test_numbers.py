"""Numbers in their written forms, and the intervals their wording allows."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.extract.numbers import QuantityReader, interval, words_to_number


@pytest.fixture(scope="module")
def reader(profile):
    return QuantityReader(profile)


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "qualifier"),
    [
        ("Aid reached $391 million last year.", 391e6, "USD", "exact"),
        ("Aid reached US$ 391m last year.", 391e6, "USD", "exact"),
        ("It sent nearly 400 million dollars in aid.", 400e6, "USD", "nearly"),
        ("Cultivation rose thirteen percent in the south.", 13, "percent", "exact"),
        ("Coca covered 253 thousand hectares.", 253_000, "hectares", "exact"),
        ("The budget is 1.2bn dollars.", 1.2e9, "USD", "exact"),
        ("Output reached 2,664 tonnes.", 2664, "tonnes", "exact"),
        ("Output reached 2,664 tons.", 2664, "tonnes", "exact"),
        ("Police seized 500 kilograms of cocaine.", 0.5, "tonnes", "exact"),
        ("Coca covered more than 250,000 hectares.", 250_000, "hectares", "more_than"),
        ("Coca covered at least 250,000 hectares.", 250_000, "hectares", "at_least"),
        ("Up to 5,000 hectares were sprayed.", 5000, "hectares", "up_to"),
        ("Roughly $450 million flowed south.", 450e6, "USD", "about"),
        ("Exports rose 13% on the year.", 13, "percent", "exact"),
        ("Tariffs of 25 per cent were announced.", 25, "percent", "exact"),
        ("About 14 fishermen died.", 14, "count", "about"),
        ("Some 2,500 acres were cleared.", 2500 * 0.40468564, "hectares", "about"),
        ("Coca covered roughly a quarter of a million hectares.", 250_000, "hectares", "about"),
        ("It sent half a billion dollars.", 500e6, "USD", "exact"),
        ("It sent two-thirds of a billion dollars.", 2e9 / 3, "USD", "exact"),
        ("Farmers uprooted three quarters of a million plants.", 750_000, "count", "exact"),
    ],
)
def test_written_forms(reader, sentence, value, unit, qualifier):
    quantities = reader.read(sentence)
    assert len(quantities) == 1, quantities
    q = quantities[0]
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.qualifier == qualifier


@pytest.mark.parametrize(
    "sentence",
    [
        "The decision came on September 15 after a review.",
        "It happened on 24 October in Bogotá.",
        "In 2023 the program ended.",
        "He was the 2nd president to say so.",
    ],
)
def test_dates_years_and_ordinals_are_not_figures(reader, sentence):
    assert reader.read(sentence) == []


def test_count_needs_a_counted_noun(reader):
    assert [q.noun for q in reader.read("Strikes killed 14 people and 3 sailors.")] == ["people", "sailors"]


def test_words_to_number():
    assert words_to_number("two hundred and fifty") == 250
    assert words_to_number("a dozen") == 12
    assert words_to_number("thirteen") == 13
    assert words_to_number("banana") is None


def test_rounding_is_compatible_and_real_gaps_are_not(reader):
    """ "about 390 million" and "$391 million" overlap; "roughly $450 million" does not."""
    (a,) = reader.read("about 390 million dollars")
    (b,) = reader.read("$391 million")
    (c,) = reader.read("roughly $450 million")
    ia, ib, ic = interval(a, a.value), interval(b, b.value), interval(c, c.value)
    assert ia[0] <= ib[1] and ib[0] <= ia[1]
    assert ic[0] > ia[1] and ic[0] > ib[1]


def test_a_fraction_of_a_million_is_as_round_as_its_digits(reader):
    """ "roughly a quarter of a million" holds 253,000 but not 290,000; "two-thirds of a billion" is about
    670 million, not a figure to the dollar."""
    (quarter,) = reader.read("roughly a quarter of a million hectares")
    low, high = interval(quarter, quarter.value)
    assert low <= 253_000 < high and not low <= 290_000 < high
    (thirds,) = reader.read("two-thirds of a billion dollars")
    low, high = interval(thirds, thirds.value)
    assert low <= 670e6 < high and high - low >= 1e6


def test_open_intervals(reader):
    (q,) = reader.read("more than 250,000 hectares")
    assert interval(q, q.value) == (250_000, math.inf)
    (q,) = reader.read("up to 250,000 hectares")
    assert interval(q, q.value) == (0, 250_000)


@pytest.mark.parametrize("written", ["just over 3,000 tonnes", "slightly more than 3,000 tonnes"])
def test_just_over_is_a_little_above_not_open_above(reader, written):
    """ "just over 3,000" is not 3,700: as "nearly" stays within 10% below, "just over" stays within 10% above."""
    (q,) = reader.read(written)
    low, high = interval(q, q.value)
    assert low == 3_000 and 3_000 < high <= 3_300


@pytest.mark.parametrize(
    "prefix", ["", "about ", "nearly ", "just over ", "more than ", "at least ", "up to ", "less than "]
)
@given(number=st.integers(min_value=1, max_value=10**9))
def test_interval_contains_the_written_value(reader, prefix, number):
    quantities = reader.read(f"It was {prefix}{number:,} hectares.")
    assert len(quantities) == 1
    q = quantities[0]
    assert q.value == number
    low, high = interval(q, q.value)
    assert low <= number <= high


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("253 000", 253_000),
        ("253\u00a0000", 253_000),  # no-break space
        ("253\u202f000", 253_000),  # narrow no-break space
        ("253'000", 253_000),
        ("253\u2019000", 253_000),
        ("1.234.567", 1_234_567),
        ("1 234 567", 1_234_567),
    ],
)
def test_thousands_groupings_of_other_languages(reader, written, value):
    (q,) = reader.read(f"In 2023 coca covered {written} hectares.")
    assert (q.value, q.unit, q.ambiguous) == (value, "hectares", False)


def test_a_dot_before_three_digits_is_ambiguous_and_never_compared(reader, profile):
    from datetime import date

    from monitor.extract.figures import FigureExtractor

    (q,) = reader.read("Coca covered 253.000 hectares in 2023.")
    assert q.ambiguous  # 253 in English, 253,000 in Spanish or German
    assert not reader.read("Output was 2.664 million tonnes in 2023.")[0].ambiguous
    (figure,) = FigureExtractor(profile).extract("Coca covered 253.000 hectares in Colombia in 2023.", date(2025, 1, 1))
    assert not figure.complete and "number-format" in figure.gaps


def test_bare_numbers_take_what_they_count_from_their_words(reader):
    def counted(sentence):
        return [(q.value, q.unit, q.noun) for q in reader.read(sentence)]

    assert counted("It recorded 264 extraditions in 2023 and 198 in 2024.") == [
        (264, "count", "extraditions"),
        (198, "count", "extraditions"),
    ]
    assert counted("He sent 400 of the 403 people whose extradition was cleared.")[0] == (400, "count", "people")
    assert counted("Of the 403 extraditions approved, 400 were carried out.")[1] == (400, "count", "extraditions")
    assert counted("That brought the number of people killed in the strikes to at least 32.") == [
        (32, "count", "people")
    ]
    assert counted("Coca covered a 30,000-hectare area.")[0][:2] == (30_000, "hectares")
    assert counted("The ship sailed on 12 and came back.") == []  # nothing says what 12 counts


def test_a_round_number_in_words_is_as_round_as_in_digits(reader):
    (words,) = reader.read("about eighty people")
    (digits,) = reader.read("about 80 people")
    assert interval(words, words.value) == interval(digits, digits.value) == (72.0, 88.0)


def test_a_list_of_yearly_figures_writes_the_unit_once(reader):
    found = reader.read("Colombia seized 884 tonnes of cocaine in 2022, 654 in 2023.")
    assert [(q.value, q.unit) for q in found] == [(884, "tonnes"), (654, "tonnes")]


def test_a_year_after_a_comma_is_no_figure_of_the_list(reader):
    found = reader.read("Police seized 12 tonnes in 2023, 2024 being a quieter year.")
    assert [(q.value, q.unit) for q in found] == [(12, "tonnes")]


@pytest.mark.parametrize(
    ("written", "low", "high", "unit"),
    [
        ("covered between 250,000 and 260,000 hectares", 250_000, 260_000, "hectares"),
        ("between $100 million and $200 million in aid", 100e6, 200e6, "USD"),
        ("between 100 and 200 million dollars", 100e6, 200e6, "USD"),
    ],
)
def test_a_range_is_one_quantity_spanning_its_ends(reader, written, low, high, unit):
    """ "between A and B" is one quantity whose interval is [A, B], not two exact figures (a page giving
    $150 million conflicts with neither end)."""
    (q,) = reader.read(written)
    assert (q.unit, q.qualifier) == (unit, "range")
    assert interval(q, q.value) == (pytest.approx(low), pytest.approx(high))


def test_years_of_a_period_are_no_range(reader):
    (q,) = reader.read("aid rose 10% between 2022 and 2023")
    assert (q.value, q.qualifier) == (10, "exact")
