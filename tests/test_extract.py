"""Claims from sentences the dev corpus does not contain: figures, positions, events."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.extract import ClaimExtractor

PUBLISHED = date(2025, 11, 10)


@pytest.fixture(scope="module")
def extractor(profile):
    return ClaimExtractor(profile)


def figures(extractor, text, published=PUBLISHED):
    return extractor.extract(text, published).figures


def test_figure_metric_subject_period(extractor):
    (f,) = figures(extractor, "Peru's coca crop covered 95,000 hectares in 2023, officials in Lima said.")
    assert (f.subject, f.metric, f.kind, f.period, f.value, f.unit) == (
        "Peru",
        "coca cultivation area",
        "level",
        "2023",
        95_000,
        "hectares",
    )


def test_default_subject_and_counterpart(extractor):
    (f,) = figures(extractor, "Washington gave Bogotá some $380 million in security assistance in 2023.")
    assert (f.subject, f.metric, f.period, f.qualifier) == ("Colombia", "U.S. assistance", "2023", "about")


def test_change_and_level_in_one_sentence(extractor):
    change, level = figures(extractor, "Cocaine output jumped 20 percent in 2024, to 3,000 tonnes.")
    assert (change.kind, change.value, change.unit, change.metric) == ("change", 20, "percent", "cocaine production")
    assert (level.kind, level.value, level.unit, level.metric) == ("level", 3000, "tonnes", "cocaine production")


def test_decrease_is_negative(extractor):
    (f,) = figures(extractor, "Coca cultivation shrank by 7% in 2024, a government survey found.")
    assert (f.kind, f.value) == ("change", -7)


def test_a_13_percent_increase(extractor):
    (f,) = figures(extractor, "The report cites a 9% increase in coca cultivation in 2024.")
    assert (f.kind, f.value, f.period) == ("change", 9, "2023-2024")  # a change in 2024 is the change from 2023


def test_last_year_is_resolved(extractor):
    (f,) = figures(extractor, "Seizures hit 800 tonnes last year, the navy said.")
    assert (f.metric, f.period) == ("cocaine seizures", "2024")


def test_unknown_metric_is_stored_but_marked(extractor):
    (f,) = figures(extractor, "The ministry hired 40 inspectors.")
    assert f.metric == "inspectors" and not f.metric_known


def position(extractor, text):
    positions = extractor.extract(text, PUBLISHED).positions
    assert len(positions) == 1, positions
    return positions[0]


def test_position_with_negation(extractor):
    p = position(extractor, "Petro said his government would not resume aerial fumigation of coca fields.")
    assert (p.actor, p.topic, p.stance) == ("Gustavo Petro", "aerial spraying of coca", "oppose")


def test_position_support(extractor):
    p = position(extractor, "Colombia's defense minister endorsed the resumption of manual eradication on Tuesday.")
    assert (p.topic, p.stance) == ("forced coca eradication", "support")


def test_reported_change_is_marked(extractor):
    p = position(extractor, "Petro no longer backs extradition of drug lords to the United States, aides said.")
    assert p.is_change and p.stance == "oppose" and p.topic == "extradition to the United States"


def test_past_position_is_historical(extractor):
    p = position(extractor, "Petro had previously supported extradition of cartel leaders.")
    assert p.historical and not p.is_change


def test_speaker_is_the_actor(extractor):
    p = position(extractor, "Washington's pressure is unacceptable, and we reject the sanctions, Petro told reporters.")
    assert (p.actor, p.stance) == ("Gustavo Petro", "oppose")


def test_headline_is_not_a_position(extractor):
    assert extractor.extract("Petro Rejects U.S. Sanctions", PUBLISHED).positions == []


def events(extractor, text, published=PUBLISHED):
    return extractor.extract(text, published).events


def test_event_with_relative_date(extractor):
    (e,) = events(extractor, "The Treasury Department last Friday sanctioned Interior Minister Armando Benedetti.")
    assert (e.actor, e.action, e.target, e.event_date) == (
        "U.S. Treasury",
        "sanction",
        "Armando Benedetti",
        date(2025, 11, 7),
    )


def test_hypothetical_event_is_ignored(extractor):
    assert events(extractor, "Washington could impose tariffs on Colombian flowers next month.") == []


def test_event_actor_skips_the_speaker(extractor):
    (e,) = events(extractor, "Petro said the Treasury sanctioned him on Oct. 24 without evidence.")
    assert (e.actor, e.target, e.event_date) == ("U.S. Treasury", "Gustavo Petro", date(2025, 10, 24))


def test_from_to_shares_the_unit_and_each_number_its_year(extractor):
    start, end = figures(extractor, "Coca cultivation rose from 230,000 hectares in 2022 to 253,000 in 2023.")
    assert (start.kind, start.value, start.period) == ("level", 230_000, "2022")
    assert (end.kind, end.value, end.unit, end.period) == ("level", 253_000, "hectares", "2023")


def test_previous_year_is_relative_to_the_year_named(extractor):
    _, before = figures(extractor, "Coca reached 253,000 hectares in 2023, up from 230,000 the previous year.")
    assert (before.kind, before.value, before.period) == ("level", 230_000, "2022")


def test_hostile_sentences_are_skipped_and_the_rest_is_read(extractor):
    """A 5 MB "sentence" without a full stop and a 1 MB token yield no claim, and cost no more than
    reading past them (without the cap, reading a 40 kB sentence took 9 s and grew with its square)."""
    claim = "Coca cultivation in Colombia reached 253,000 hectares in 2023. "
    junk = "Colombia coca hectares 253,000 in 2023 and Petro said " * 100_000
    token = "x" * 1_000_000
    found = extractor.extract(claim + junk + " " + token, PUBLISHED).figures
    assert [(f.value, f.period) for f in found] == [(253_000, "2023")]


def test_outlet_names_are_read_as_readers_see_them():
    from monitor.extract import extract_page

    page = (
        b'<html><head><meta property="og:site_name" content="Pampas &amp; Andes Review"><title>T</title></head>'
        b"<body><article><p>"
        + b"Colombia's coca crop grew again last year, officials said. " * 20
        + b"</p></article></body></html>"
    )
    assert extract_page(page, "http://127.0.0.1/a", metadata=False).sitename == "Pampas & Andes Review"
