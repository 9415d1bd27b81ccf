"""A change and the levels it runs between, read across neighbouring sentences (monitor/extract/series.py)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.extract import ClaimExtractor

PUBLISHED = date(2025, 11, 10)


@pytest.fixture(scope="module")
def extractor(profile):
    return ClaimExtractor(profile)


def by_raw(extractor, text):
    return {f.raw: f for f in extractor.extract(text, PUBLISHED).figures}


def test_a_change_takes_the_years_of_the_levels_it_works_out_to(extractor):
    figures = by_raw(
        extractor,
        "Peru's coca cultivation expanded by 20% over the period, the agency said. "
        "Peru's survey counted 96,000 hectares in 2024, against 80,000 in 2023.",
    )
    change = figures["20%"]
    assert (change.subject, change.metric, change.period, change.complete) == (
        "Peru",
        "coca cultivation area",
        "2023-2024",
        True,
    )
    assert figures["80,000"].metric == "coca cultivation area"


def test_levels_that_do_not_work_out_to_the_change_leave_it_without_a_period(extractor):
    figures = by_raw(
        extractor,
        "Peru's coca cultivation expanded by 20% over the period, the agency said. "
        "Peru's survey counted 96,000 hectares in 2024, against 60,000 in 2023.",
    )
    change = figures["20%"]
    assert change.period is None
    assert not change.complete and "period" in change.gaps


def test_the_year_of_the_earlier_level_is_where_the_change_starts(extractor):
    figures = by_raw(
        extractor,
        "Peru's coca cultivation area reached 96,000 hectares in 2024, the agency said. "
        "Peru's total was up 20 percent from 80,000 hectares in 2023.",
    )
    assert figures["20 percent"].period == "2023-2024"
    assert figures["20 percent"].metric == "coca cultivation area"


def test_two_metrics_in_the_series_link_nothing(extractor):
    figures = by_raw(
        extractor,
        "Cocaine seizures in Peru rose 20% over the period, the agency said. "
        "Peru's coca cultivation area was 96,000 hectares in 2024, against 80,000 in 2023.",
    )
    change = figures["20%"]
    assert change.metric == "cocaine seizures"
    assert change.period is None


def test_a_sentence_naming_no_time_continues_the_period_of_the_changes_before(extractor):
    figures = by_raw(
        extractor,
        "Peru's coca cultivation area grew 8% in 2024 to 96,000 hectares, the agency said. "
        "Peru's cocaine production climbed much faster, by 40%, to 900 tonnes.",
    )
    assert figures["40%"].period == "2023-2024"
    assert figures["900 tonnes"].period == "2024"
    assert figures["900 tonnes"].complete


def test_a_sentence_that_says_when_keeps_its_own_time(extractor):
    figures = by_raw(
        extractor,
        "Peru's coca cultivation area grew 8% in 2024 to 96,000 hectares, the agency said. "
        "Peru's cocaine production has so far climbed by 40%, to 900 tonnes.",
    )
    assert figures["40%"].period is None
    assert figures["900 tonnes"].period is None


def test_a_change_from_a_base_year_runs_to_the_year_of_the_level_beside_it(extractor):
    figures = by_raw(
        extractor,
        "Colombia's coca cultivation area stood at 250,000 hectares in 2024, the agency said on Monday, "
        "up 8 percent from 2023.",
    )
    assert figures["8 percent"].period == "2023-2024"


def test_a_metric_linked_by_one_change_passes_along_the_chain(extractor):
    text = (
        "At the end of 2022 the survey put Colombia's coca cultivation area at 198,000 hectares. "
        "That was up ten percent from about 180,000 hectares in 2021, which had itself been 20 percent above "
        "the 150,000 hectares recorded in 2020."
    )
    figures = by_raw(extractor, text)
    assert (figures["20 percent"].period, figures["20 percent"].metric, figures["20 percent"].complete) == (
        "2020-2021",
        "coca cultivation area",
        True,
    )
    assert (figures["150,000 hectares"].period, figures["150,000 hectares"].metric) == ("2020", "coca cultivation area")
    assert figures["150,000 hectares"].complete
