"""Is an article about the story: anchors (where, who) and themes (what), from the profile."""

from __future__ import annotations

from monitor.topic import score_topic

REGIONAL = (
    "PASTO — Growers in Nariño asked whether the aircraft would be coming back. There would be no return to "
    "aerial fumigation of coca, the defence minister said, whatever Washington demanded after the "
    "decertification."
)


def test_a_place_of_the_storys_country_anchors_an_article_that_never_names_the_country(profile):
    found = score_topic(profile, "Growers fear planes", REGIONAL)
    assert "Nariño" in found.anchors and found.on_topic


def test_a_place_of_another_country_anchors_nothing(profile):
    found = score_topic(profile, "Growers fear planes", REGIONAL.replace("Nariño", "Peru"))
    assert found.anchors == () and not found.on_topic


def test_themes_without_any_anchor_are_not_the_story(profile):
    found = score_topic(profile, "Seizures", "Police seized cocaine and arrested traffickers at the port of Rotterdam.")
    assert not found.on_topic
