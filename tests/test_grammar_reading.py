"""Claims read from the sentence's grammar: agent and patient, voice, lists, reported speech, the clause a
date or period belongs to, scope. The sentences are written for these tests (no evaluation text)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.errors import ConfigError
from monitor.extract import ClaimExtractor
from monitor.extract.figures import FigureExtractor
from monitor.extract.grammar import EXPECTED_META, load_pipeline, parse, verify_pipeline

PUBLISHED = date(2025, 10, 1)


@pytest.fixture(scope="module")
def extractor(profile):
    return ClaimExtractor(profile)


def events(extractor, text):
    return extractor.extract(text, PUBLISHED).events


def positions(extractor, text):
    return extractor.extract(text, PUBLISHED).positions


def figures(extractor, text):
    return [f for f in extractor.extract(text, PUBLISHED).figures if f.metric_known]


# ---------------------------------------------------------------- the pipeline


def test_pipeline_is_the_one_measured():
    meta = load_pipeline().meta
    assert {k: meta[k] for k in EXPECTED_META} == EXPECTED_META


def test_another_pipeline_is_refused_with_what_was_found():
    with pytest.raises(ConfigError, match=r"version.*9\.9\.9"):
        verify_pipeline({**EXPECTED_META, "version": "9.9.9", "components": ["parser"]})


# ---------------------------------------------------------------- events


def test_passive_voice_agent_is_the_by_phrase(extractor):
    (e,) = events(extractor, "President Petro was sanctioned by the Treasury on Friday, September 12.")
    assert (e.actor, e.action, e.target, e.event_date, e.complete) == (
        "U.S. Treasury",
        "sanction",
        "Gustavo Petro",
        date(2025, 9, 12),
        True,
    )


def test_date_of_another_clause_is_not_the_events(extractor):
    found = events(extractor, "Bogotá froze its arms purchases on Tuesday after Washington decertified the country.")
    decertify = [e for e in found if e.action == "decertify"]
    assert decertify and decertify[0].event_date is None and not decertify[0].complete


def test_a_documents_date_is_not_the_events(extractor):
    found = events(extractor, "A June 2 memo from the State Department said Washington decertified Colombia.")
    assert all(e.event_date is None and not e.complete for e in found)


def test_announced_action_takes_the_announcement_date_and_speaker(extractor):
    (e,) = events(extractor, "The State Department said on Friday, September 26, that it would revoke Petro's visa.")
    assert (e.actor, e.action, e.target, e.event_date, e.complete) == (
        "U.S. State Department",
        "revoke visa",
        "Gustavo Petro",
        date(2025, 9, 26),
        True,
    )


def test_a_deed_its_doer_tells_as_just_done_takes_the_telling_date(extractor):
    (e,) = events(extractor, "The Treasury said on Friday, September 26, that it has sanctioned Benedetti.")
    assert (e.actor, e.action, e.target, e.event_date, e.complete) == (
        "U.S. Treasury",
        "sanction",
        "Armando Benedetti",
        date(2025, 9, 26),
        True,
    )
    # told by another, or told as an earlier deed: the deed may be days older than the telling
    for told in (
        "Petro said on Friday, September 26, that the Treasury has sanctioned Benedetti.",
        "The Treasury said on Friday, September 26, that it had sanctioned Benedetti.",
    ):
        (e,) = events(extractor, told)
        assert e.event_date is None and not e.complete, told


def test_hypothetical_and_conditional_actions_are_not_events(extractor):
    assert events(extractor, "Washington could decertify Colombia again next year.") == []
    assert events(extractor, "If talks fail, the Treasury will sanction Benedetti.") == []
    assert events(extractor, "Trump threatened to cut aid to Colombia on Sunday.") == []


def test_an_earlier_occurrence_is_marked(extractor):
    found = events(extractor, "The last decertification of Colombia was on September 15, 1997.")
    assert found and not found[0].complete and "past-occurrence" in found[0].gaps


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("For the first time since 1997, the United States has sanctioned Petro.", 1997),
        ("It is the first time since 1996 that Washington has sanctioned Petro.", 1996),
        ("The sanction on Petro, a first since 1997, was symbolic.", 1997),
        ("Petro was last sanctioned in 1996 and 1997, under another government.", 1997),
        ("The last sanction on Petro was in 1994.", 1994),
        # another clause's "first since", and a year that is not before the publication's
        ("Coca cultivation rose for the first time since 2001 as Washington sanctioned Petro.", None),
        ("For the first time since 2025, the United States has sanctioned Petro.", None),
        ("The United States sanctioned Petro in 1997.", None),
    ],
)
def test_the_year_of_the_last_occurrence_before_now(extractor, sentence, year):
    found = [e for e in events(extractor, sentence) if e.action == "sanction"]
    assert found and {e.previous_year for e in found} == {year}, sentence


def test_each_listed_target_is_a_mention(extractor):
    found = events(extractor, "The White House decertified Bolivia, Venezuela and Colombia on September 15.")
    assert {e.target for e in found} == {"Bolivia", "Venezuela", "Colombia"}
    assert all(e.actor == "United States" and e.event_date == date(2025, 9, 15) for e in found)


def test_a_strike_noun_and_its_verb_are_one_action(extractor):
    for sentence in (
        "A U.S. strike hit a fishing boat on September 15.",
        "U.S. forces bombed a boat on September 15.",
        "The Pentagon confirmed an American attack on a vessel on September 15.",
    ):
        found = [e for e in events(extractor, sentence) if e.action == "strike drug boat"]
        assert found and found[0].event_date == date(2025, 9, 15), sentence


def test_an_envoy_named_in_apposition_gives_the_other_side(extractor):
    # a recall acts on where the envoy is posted, a summons on the government the envoy represents
    (e,) = events(extractor, "Petro recalled his ambassador, Daniel García-Peña, on Monday, September 29.")
    assert (e.actor, e.action, e.target, e.complete) == ("Gustavo Petro", "recall ambassador", "United States", True)
    (s,) = events(extractor, "The State Department summoned the envoy, García-Peña, on Monday, September 29.")
    assert (s.action, s.target, s.complete) == ("summon ambassador", "Colombia", True)


def test_an_announced_negated_doing_is_the_stopping_action(extractor):
    text = (
        "Benedetti said on Tuesday, September 16, that Colombia would purchase no more rifles from the United States."
    )
    stop = [e for e in events(extractor, text) if e.action == "suspend arms purchases"]
    assert [(e.actor, e.target, e.event_date, e.complete) for e in stop] == [
        ("Colombia", "United States", date(2025, 9, 16), True)
    ]
    # buying, or a refusal only feared, is no halt
    assert events(extractor, "Benedetti said on Tuesday that Colombia would buy rifles from the United States.") == []
    assert events(extractor, "Benedetti fears Colombia might buy no more rifles from the United States.") == []


def test_a_finding_in_the_complement_is_the_action(extractor):
    text = "The White House determined on Monday, September 15, that Colombia and Bolivia had failed demonstrably."
    found = [(e.actor, e.action, e.target, e.event_date, e.complete) for e in events(extractor, text)]
    assert found == [
        ("United States", "decertify", "Colombia", date(2025, 9, 15), True),
        ("United States", "decertify", "Bolivia", date(2025, 9, 15), True),
    ]
    # a finding of something else is no decertification
    assert events(extractor, "The White House determined on Monday that Colombia had failed to pay.") == []


def test_a_list_named_by_its_clause_is_a_destination(extractor):
    text = 'On Monday, September 15, Washington placed Colombia on a list of nations that have "failed demonstrably".'
    (e,) = events(extractor, text)
    assert (e.actor, e.action, e.target, e.event_date) == ("United States", "decertify", "Colombia", date(2025, 9, 15))


def test_a_when_clause_dates_the_action_it_announces(extractor):
    text = (
        "The row began on Thursday, September 18, when Benedetti announced that Colombia would purchase no "
        "more rifles from the United States."
    )
    (e,) = [e for e in events(extractor, text) if e.action == "suspend arms purchases"]
    assert (e.actor, e.target, e.event_date, e.complete) == ("Colombia", "United States", date(2025, 9, 18), True)


def test_an_action_noun_in_a_phrase_of_cause_takes_no_date_of_the_clause(extractor):
    text = (
        "On Tuesday, September 16, Colombia halted arms purchases in response to the U.S. decertification of Colombia."
    )
    by_action = {e.action: e for e in events(extractor, text)}
    assert by_action["suspend arms purchases"].event_date == date(2025, 9, 16)
    assert by_action["decertify"].event_date is None


# ---------------------------------------------------------------- positions


def test_a_stance_on_something_else_is_not_read(extractor):
    assert positions(extractor, "Petro has championed a new approach to the war on drugs.") == []


def test_the_speaker_holds_the_policy_they_announce(extractor):
    (p,) = positions(extractor, "Benedetti said Colombia would not buy weapons from the United States.")
    assert (p.actor, p.topic, p.stance, p.complete, p.is_change) == (
        "Armando Benedetti",
        "buying U.S. weapons",
        "oppose",
        True,
        False,
    )


def test_a_committed_future_is_support_and_a_stop_is_opposition(extractor):
    (keep,) = positions(extractor, "Petro said Colombia would keep buying American helicopters.")
    (stop,) = positions(extractor, "Petro said the army would stop buying American helicopters.")
    assert (keep.actor, keep.stance) == ("Gustavo Petro", "support")
    assert (stop.actor, stop.stance) == ("Gustavo Petro", "oppose")


def test_a_reported_change_is_marked(extractor):
    found = positions(extractor, "Petro, who once backed fumigation, now opposes aerial spraying.")
    assert found and all(p.is_change for p in found)


# ---------------------------------------------------------------- figures


def reattached(sentence: str, word: str, new_head: str):
    """The sentence's parse with one word hung on another (the first of each): a parser's mistake, made
    on purpose, to see that the reading does not trust it blindly."""
    from spacy.tokens import Doc

    doc = next(parse([sentence]))
    heads = [t.head.i for t in doc]
    words = [t.text for t in doc]
    heads[words.index(word)] = words.index(new_head)
    return Doc(
        doc.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in doc],
        heads=heads,
        deps=[t.dep_ for t in doc],
        pos=[t.pos_ for t in doc],
        lemmas=[t.lemma_ for t in doc],
    )


def test_two_periods_for_one_figure_leave_it_incomplete(profile):
    # the parser may hang the compared number's "the previous year" on the first number's phrase
    sentence = (
        "Coca in the country reached 253,000 hectares during 2023, "
        "compared to the 230,000 hectares recorded the previous year."
    )
    doc = reattached(sentence, "recorded", "hectares")
    first = FigureExtractor(profile).extract(sentence, PUBLISHED, doc)[0]
    assert (first.value, first.complete, first.gaps) == (253000, False, "period-ambiguous")
    correct = FigureExtractor(profile).extract(sentence, PUBLISHED, next(parse([sentence])))[0]
    assert (correct.period, correct.complete) == ("2023", True)


def test_a_department_is_not_the_country(extractor):
    (f,) = figures(extractor, "Coca cultivation in the department of Putumayo reached 50,000 hectares in 2023.")
    assert not f.complete and "scope" in f.gaps


def test_one_strikes_toll_is_not_the_running_toll(extractor):
    (one,) = figures(extractor, "A strike on Tuesday killed three people.")
    (tally,) = figures(extractor, "U.S. strikes have killed at least 30 people since early September.")
    assert not one.complete and "scope-one-event" in one.gaps
    assert tally.complete and tally.metric == "deaths in U.S. strikes"


def test_a_change_between_two_years(extractor):
    (f,) = figures(extractor, "Coca cultivation rose 10% between 2022 and 2023.")
    assert (f.kind, f.period, f.complete) == ("change", "2022-2023", True)
    (g,) = figures(extractor, "Coca cultivation was 13 percent higher in 2022 than in 2021.")
    assert (g.kind, g.period) == ("change", "2021-2022")


def test_the_clause_subject_is_the_figures_place(extractor):
    (f,) = figures(extractor, "Bolivia had about 31,000 hectares of coca in 2023, officials in Bogotá said.")
    assert (f.subject, f.period, f.complete) == ("Bolivia", "2023", True)
    (g,) = figures(
        extractor, "Colombia received $610 million in U.S. aid in 2022, with some of it spent on Venezuelan migrants."
    )
    assert (g.subject, g.metric, g.period) == ("Colombia", "U.S. assistance", "2022")


def test_a_year_naming_another_thing_is_not_the_period(extractor):
    (f,) = figures(extractor, "Some 90,000 families joined the substitution plan of the 2016 peace accord.")
    assert f.period is None and not f.complete


def test_a_year_of_another_clause_is_not_the_period(extractor):
    (f,) = figures(extractor, "Cocaine production reached 2,664 tonnes, the most since records began in 2001.")
    assert f.period is None and not f.complete


def test_another_metric_in_the_clause_leaves_the_metric_unread(extractor):
    (f,) = figures(extractor, "Production of coca leaf, the raw material of cocaine, grew 10 per cent in 2023.")
    assert not f.complete


def test_a_relative_pronoun_stands_for_its_antecedent(extractor):
    found = events(extractor, "Petro, whom the Treasury sanctioned on Friday, September 12, denied the charges.")
    (e,) = [e for e in found if e.action == "sanction"]
    assert (e.actor, e.target, e.complete) == ("U.S. Treasury", "Gustavo Petro", True)


def test_his_visa_is_the_visa_of_who_the_text_was_about(extractor):
    text = (
        "Gustavo Petro spoke at a rally in New York. "
        "The State Department said on Friday, September 26, it would revoke his visa."
    )
    (e,) = extractor.extract(text, PUBLISHED).events
    assert (e.target, e.complete) == ("Gustavo Petro", True)


def test_a_persons_would_is_an_intention_not_an_event(extractor):
    assert events(extractor, "Trump told reporters on Sunday that he would impose tariffs on Colombia.") == []


def test_the_base_level_of_a_rise_is_a_level(extractor):
    found = figures(extractor, "Coca grew 10% in 2023, up from the 230,000 hectares it measured in 2022.")
    base = next(f for f in found if f.value == 230_000)
    assert (base.kind, base.period) == ("level", "2022")


def test_a_persons_plot_is_not_the_countrys_figure(extractor):
    (f,) = figures(extractor, "A farmer in the hills said he grew coca on three hectares in 2023.")
    assert not f.complete


def test_an_unknown_verb_between_does_not_become_support(extractor):
    for sentence in (
        "Petro said Colombia would cease buying American helicopters.",
        "Petro said Colombia would avoid buying American helicopters.",
    ):
        assert all(p.stance != "support" for p in positions(extractor, sentence)), sentence


def test_the_first_item_of_a_list_does_not_judge_the_next(extractor):
    found = positions(extractor, "Trump said he was issuing a travel ban and visa sanctions on Colombian officials.")
    assert all(p.stance != "oppose" for p in found)


def test_a_year_of_another_thing_or_a_definite_last_year_is_not_the_period(extractor):
    (goal,) = figures(extractor, "Eradication reached 14,200 hectares, under half the goal set for 2025.")
    assert goal.period is None
    (ledger,) = figures(
        extractor, "In 2022, the last year for which the ledger is complete, U.S. assistance reached $391 million."
    )
    assert ledger.period == "2022"
    (end,) = figures(extractor, "At the end of 2023, coca covered 253,000 hectares in Colombia.")
    assert end.period == "2023"


def test_a_year_of_the_measured_thing_is_the_period(extractor):
    (f,) = figures(extractor, "U.S. assistance to Colombia in 2023 totaled roughly $410 million, analysts said.")
    assert (f.period, f.complete) == ("2023", True)


def test_putting_the_target_on_a_named_list_is_the_action(extractor):
    (e,) = events(extractor, "On Friday, September 12, the Treasury added President Petro to its sanctions list.")
    assert (e.actor, e.action, e.target, e.event_date, e.complete) == (
        "U.S. Treasury",
        "sanction",
        "Gustavo Petro",
        date(2025, 9, 12),
        True,
    )
    assert events(extractor, "On Friday, September 12, Trump added Colombia to a list of failing countries.") == []


def test_a_bare_title_stands_for_the_one_person_named_who_holds_it(extractor):
    text = (
        "Interior Minister Armando Benedetti spoke to reporters in Bogotá on Tuesday. "
        '"We do not buy a single rifle more from the United States," the minister said.'
    )
    (p,) = positions(extractor, text)
    assert (p.actor, p.topic, p.stance, p.complete) == ("Armando Benedetti", "buying U.S. weapons", "oppose", True)


def test_a_title_two_people_named_hold_stands_for_no_one(extractor):
    text = (
        "President Donald Trump and President Gustavo Petro spoke by phone on Tuesday. "
        '"We do not buy a single rifle more from the United States," the president said.'
    )
    assert positions(extractor, text) == []


def test_a_practice_in_the_past_or_in_the_third_person_is_no_stance(extractor):
    assert positions(extractor, '"We bought rifles from the United States for years," Petro said.') == []
    assert positions(extractor, "Petro said the army buys rifles from the United States.") == []


def test_his_after_a_person_subject_is_the_subjects_own(extractor):
    text = "Trump attacked Petro on Saturday. Petro recalled his ambassador on Sunday, October 19."
    (e,) = [e for e in events(extractor, text) if e.action == "recall ambassador"]
    assert (e.actor, e.target, e.complete) == ("Gustavo Petro", None, False)


def test_going_to_is_a_committed_future(extractor):
    (p,) = positions(extractor, "Petro said Colombia is not going to buy weapons from the United States.")
    assert (p.actor, p.topic, p.stance, p.complete) == ("Gustavo Petro", "buying U.S. weapons", "oppose", True)


def test_a_year_after_from_is_the_base_of_the_change_not_its_period(extractor):
    (f,) = [
        f
        for f in extractor.extract(
            "Peru's coca cultivation area rose 7 percent from 2022, the agency said.", PUBLISHED
        ).figures
        if f.kind == "change"
    ]
    assert f.period != "2021-2022"
    assert not f.complete


def _readings(extractor, text):
    return {(f.raw, f.kind, f.period, f.complete) for f in figures(extractor, text)}


def test_each_item_of_listed_changes_keeps_its_own_year_and_kind(extractor):
    assert _readings(
        extractor, "The country's coca cultivation area saw increases of 12% in 2021 and 9% in 2022, the survey found."
    ) == {("12%", "change", "2020-2021", True), ("9%", "change", "2021-2022", True)}


def test_the_year_a_change_is_measured_from_is_not_its_own(extractor):
    found = figures(
        extractor, "Colombia's coca cultivation area was 180,000 hectares in 2021, a drop of 4% from the year before."
    )
    (change,) = [f for f in found if f.kind == "change"]
    assert change.period == "2020-2021"


def test_the_year_of_a_comparison_is_not_the_period_of_a_level_beside_it(extractor):
    found = figures(
        extractor,
        "The survey showed that coca cultivation recorded a rise of 8 per cent compared to 2020, "
        "covering some 180,000 hectares of land.",
    )
    (level,) = [f for f in found if f.kind == "level"]
    assert level.period != "2020" and not level.complete


def test_the_year_compared_against_dates_the_level_in_its_own_phrase(extractor):
    found = figures(
        extractor,
        "Cocaine production reached 1,900 tons in 2021, 20% more than in 2020, when it was 1,580 tons.",
    )
    assert {(f.raw, f.period) for f in found if f.kind == "level"} == {("1,900 tons", "2021"), ("1,580 tons", "2020")}


def test_a_quantity_of_units_above_or_under_something_stays_a_level(extractor):
    found = figures(extractor, "In 2021 Colombia had 180,000 hectares of coca under cultivation, the survey said.")
    assert [(f.kind, f.value) for f in found] == [("level", 180000.0)]


def test_a_noun_of_the_topics_own_doing_carries_the_stance(extractor):
    (p,) = positions(extractor, "Petro said purchases of American weapons would stop.")
    assert (p.actor, p.topic, p.stance, p.complete) == ("Gustavo Petro", "buying U.S. weapons", "oppose", True)
    assert positions(extractor, "Petro has championed a new approach to American weapons.") == []


def test_a_judgement_of_the_topic_is_the_speakers_stance(extractor):
    (p,) = positions(extractor, "Petro said on Friday that the decertification was an unacceptable interference.")
    assert (p.actor, p.topic, p.stance, p.complete) == ("Gustavo Petro", "U.S. decertification", "oppose", True)
    (q,) = positions(extractor, "Rubio said the boat strikes are lawful.")
    assert (q.topic, q.stance) == ("U.S. military strikes on drug boats", "support")


def test_a_judgement_noun_closing_the_object_of_a_naming_verb_is_its_complement(extractor):
    # the parser hangs "murder" inside the object ("the Pacific murder"); it is what the strikes were called
    (p,) = positions(extractor, "Petro branded the U.S. strikes on boats in the Pacific murder.")
    assert (p.actor, p.topic, p.stance, p.complete) == (
        "Gustavo Petro",
        "U.S. military strikes on drug boats",
        "oppose",
        True,
    )
    assert positions(extractor, "Petro called the envoy over the boat strikes and the murder.") == []


def test_no_on_the_object_negates_a_committed_future(extractor):
    (p,) = positions(
        extractor, "The minister, Armando Benedetti, said Colombia will purchase no further American arms."
    )
    assert (p.actor, p.topic, p.stance) == ("Armando Benedetti", "buying U.S. weapons", "oppose")


def test_an_action_noun_after_a_copula_judges_nothing(extractor):
    assert positions(extractor, "Petro said the decertification is not the end of cooperation.") == []


def test_a_fronted_critic_and_a_topic_carried_by_efforts(extractor):
    (p,) = positions(extractor, "A fierce critic of the war on drugs, Petro spoke in Bogotá on Monday.")
    assert (p.actor, p.topic, p.stance) == ("Gustavo Petro", "U.S. drug policy", "oppose")
    (q,) = positions(extractor, "Petro reiterated his opposition to coca eradication campaigns.")
    assert (q.actor, q.topic, q.stance) == ("Gustavo Petro", "forced coca eradication", "oppose")


def test_a_title_with_the_name_in_apposition_is_that_person(extractor):
    (p,) = positions(extractor, "The country's president, Gustavo Petro, said the decertification is unfair.")
    assert p.actor == "Gustavo Petro" and p.complete
    assert positions(extractor, "His ally, a senator close to Petro, said the decertification is unfair.") == []


def test_a_where_clause_about_a_department_is_a_part(extractor):
    (f,) = figures(
        extractor,
        "The town lies in Putumayo, the department with the most coca in Colombia, where 30,000 hectares were "
        "planted in 2021.",
    )
    assert not f.complete and "scope" in f.gaps


def test_an_announced_stop_of_the_actions_object_is_the_speakers_action(extractor):
    (e,) = events(extractor, "The president said on Friday, September 26, that U.S. payments to Bolivia would stop.")
    assert (e.action, e.target, e.event_date) == ("cut aid", "Bolivia", date(2025, 9, 26))
    assert "actor" in e.gaps  # "the president" names no one here
    (f,) = events(extractor, "Trump said on Friday, September 26, that U.S. aid to Bolivia would end.")
    assert (f.actor, f.target, f.event_date, f.complete) == ("Donald Trump", "Bolivia", date(2025, 9, 26), True)


def test_a_giver_named_only_as_a_modifier_is_not_the_target(extractor):
    (e,) = events(extractor, "Trump said on Friday, September 26, that U.S. assistance would end.")
    assert e.target is None and not e.complete


def test_a_date_before_two_joined_verbs_dates_the_announcement_in_the_second(extractor):
    (e,) = events(
        extractor,
        "On Friday, September 26, Trump called Petro a liar and said U.S. aid to Colombia would end.",
    )
    assert (e.actor, e.target, e.event_date, e.complete) == ("Donald Trump", "Colombia", date(2025, 9, 26), True)


def test_a_verb_hung_past_another_clause_lends_it_neither_subject_nor_date(extractor):
    found = events(
        extractor,
        "Colombia on Monday, September 29, recalled its envoy, a day after Trump called Petro a liar and said "
        "U.S. aid to the country would end.",
    )
    cut = [e for e in found if e.action == "cut aid"]
    assert all(e.actor != "Colombia" and not e.complete for e in cut)


@pytest.mark.parametrize(
    ("sentence", "read", "not_read"),
    [
        (  # a percent above another level is a change, and that level its base
            "Colombia's coca cultivation area reached 180,000 hectares in 2021, "
            "6 percent above the 170,000 hectares of 2020.",
            {("6 percent", "change", "2020-2021", True), ("170,000 hectares", "level", "2020", True)},
            set(),
        ),
        (  # a number after "with" shares the unit of the level before it
            "Colombia's coca cultivation area stood at 180,000 hectares in 2021 with 170,000 in the year before.",
            {("170,000", "level", "2020", True)},
            set(),
        ),
        (  # a "since" clause is the running period
            "Colombia got more than $500 million in U.S. assistance in 2021, and about $9 billion since the aid "
            "programme started in 1999.",
            {("more than $500 million", "level", "2021", True), ("about $9 billion", "level", "since 1999", True)},
            set(),
        ),
        (  # the year of the number compared with is that number's, not the level's
            "The survey for 2021 put Colombia's potential cocaine production at 1,900 tonnes, "
            "up from 1,580 tonnes in 2020.",
            {("1,580 tonnes", "level", "2020", True)},
            {("1,900 tonnes", "level", "2020", True)},
        ),
    ],
)
def test_figures_read_in_their_comparisons(extractor, sentence, read, not_read):
    readings = _readings(extractor, sentence)
    assert read <= readings
    assert not (not_read & readings)


def test_a_figure_of_the_year_still_running_is_stored_but_not_complete(extractor):
    # a year-to-date tally (or a forecast) is not the year's figure a later report gives
    (running,) = figures(extractor, "Police seized 573 tonnes of cocaine in 2025, the defence ministry said.")
    assert (running.period, running.complete, running.gaps) == ("2025", False, "period-unfinished")
    (closed,) = figures(extractor, "Police seized 573 tonnes of cocaine in 2024, the defence ministry said.")
    assert (closed.period, closed.complete) == ("2024", True)
    (so_far,) = figures(extractor, "Police have seized 573 tonnes of cocaine so far this year, the ministry said.")
    assert (so_far.period, so_far.complete) == ("2025 to date", True)


def test_a_figure_for_here_is_the_writers_place_not_the_country(extractor):
    (local,) = figures(extractor, "The UN counted 41,000 hectares of coca grown here in 2023.")
    assert (local.complete, local.gaps) == (False, "scope-local")
    (national,) = figures(extractor, "The UN counted 253,000 hectares of coca grown in Colombia in 2023.")
    assert national.complete


def test_a_figure_set_against_another_sources_estimate_is_a_rival_estimate(extractor):
    text = "A Pentagon study put coca cultivation in 2023 at 300,000 hectares, far above the estimate of the UNODC."
    (rival,) = figures(extractor, text)
    assert (rival.complete, rival.gaps) == (False, "rival-estimate")
    (own,) = figures(
        extractor, "A Pentagon study put coca cultivation in 2023 at 300,000 hectares, far above the norm."
    )
    assert own.complete


def test_a_demand_is_the_stance_of_who_makes_it(extractor):
    (urged,) = positions(extractor, "Rubio urged Colombia to resume aerial spraying of coca fields.")
    assert (urged.actor, urged.topic, urged.stance) == ("U.S. State Department", "aerial spraying of coca", "support")
    (must,) = positions(extractor, "Petro said the armed forces must stop buying American weapons.")
    assert (must.actor, must.topic, must.stance) == ("Gustavo Petro", "buying U.S. weapons", "oppose")
    # the party obliged is not the one demanding; a document is no actor
    assert positions(extractor, "Colombia will need to resume aerial spraying of coca, the report says.") == []


def test_a_topic_that_went_on_is_a_fact_not_a_stance(extractor):
    assert positions(extractor, "Colombian officials say extraditions to the United States continued in May.") == []
    (p,) = positions(extractor, "Petro said extraditions to the United States would stop.")
    assert (p.actor, p.stance) == ("Gustavo Petro", "oppose")


def test_the_us_as_a_name_is_not_the_pronoun(extractor):
    (e,) = events(extractor, "The US decertified Colombia on Monday, September 15, Petro said.")
    assert (e.actor, e.target, e.complete) == ("United States", "Colombia", True)


def test_a_stop_awaited_until_someone_acts_is_no_stance_of_theirs(extractor):
    text = "Colombia suspended intelligence sharing with the U.S. until the Trump administration stops its strikes."
    assert [(p.actor, p.stance) for p in positions(extractor, text)] == [("Colombia", "oppose")]


def test_a_suspension_told_in_the_passive_without_its_doer_is_a_fact(extractor):
    text = "Colombia's Defense Ministry confirmed on Friday that U.S. aid to the police has been suspended."
    assert positions(extractor, text) == []


def test_a_modal_demand_reaches_the_joined_verbs(extractor):
    text = "Colombia must keep spraying coca fields from the air, expand crop substitution and extradite more suspects."
    assert positions(extractor, text) == []


def test_opposing_a_return_to_a_practice_opposes_the_practice(extractor):
    (p,) = positions(extractor, "Petro has opposed any return to forced eradication of coca.")
    assert (p.actor, p.topic, p.stance) == ("Gustavo Petro", "forced coca eradication", "oppose")


def test_he_stands_for_a_person_not_an_organisation(extractor):
    text = "The UNODC published its survey on Friday. He opposes aerial spraying of coca, he said."
    assert positions(extractor, text) == []


def test_a_speaker_the_profile_does_not_know_ends_the_last_ones_turn(extractor):
    text = (
        "Petro spoke in Bogotá on Monday. Governor Jane Doe said the province had been abandoned. "
        "He added that he opposes aerial spraying of coca."
    )
    assert positions(extractor, text) == []
    (p,) = positions(extractor, "Petro spoke in Bogotá on Monday. He added that he opposes aerial spraying of coca.")
    assert p.actor == "Gustavo Petro"


def test_a_number_after_the_and_of_its_verb_is_a_second_clauses(extractor):
    # the parser hangs "$380m" on "received": the year of the first clause is not its period
    text = "Colombia received $453m in U.S. aid in 2023, and about $380m of yearly funding goes to police work."
    read = {f.value: f for f in extractor.extract(text, PUBLISHED).figures}
    assert (read[453e6].period, read[453e6].complete) == ("2023", True)
    assert read[380e6].period is None and not read[380e6].complete


def test_a_phrasal_verb_of_the_profile_is_its_action(extractor):
    (e,) = events(
        extractor, "Colombia called home its ambassador in Washington on Monday, Sept. 29, for consultations."
    )
    assert (e.actor, e.action, e.target, e.event_date) == (
        "Colombia",
        "recall ambassador",
        "United States",
        date(2025, 9, 29),
    )
    (p,) = positions(
        extractor, "Sánchez ruled out a return to aerial spraying of coca, a practice the U.S. has long urged."
    )
    assert (p.actor, p.topic, p.stance) == ("Colombian Defense Ministry", "aerial spraying of coca", "oppose")


def test_who_orders_an_action_does_it_on_the_day_of_the_order(extractor):
    text = "Petro ordered on Tuesday, September 30, that the army stop sharing intelligence with the United States."
    (e,) = [e for e in events(extractor, text) if e.action == "suspend intelligence sharing"]
    assert (e.actor, e.event_date) == ("Gustavo Petro", date(2025, 9, 30))


def test_a_joined_verb_in_another_tense_does_not_share_the_year(extractor):
    text = "Colombia sold $14 billion of goods to the U.S. in 2024, and now pays a 10% tariff on them."
    tariff = next(f for f in extractor.extract(text, PUBLISHED).figures if f.unit == "percent")
    assert tariff.period is None and not tariff.complete
    shared = figures(extractor, "In 2023, coca covered 253,000 hectares and cocaine output reached 2,664 tonnes.")
    assert [(f.value, f.period) for f in shared] == [(253000, "2023"), (2664, "2023")]


def test_an_order_noun_gives_the_action_its_author_and_date(extractor):
    text = "Officials explained the reach of Petro's Sept. 30 order suspending intelligence sharing with U.S. agencies."
    (e,) = events(extractor, text)
    assert (e.actor, e.action, e.target, e.event_date, e.complete) == (
        "Gustavo Petro",
        "suspend intelligence sharing",
        "United States",
        date(2025, 9, 30),
        True,
    )


def test_a_bare_designation_is_a_sanction_and_a_designation_as_something_is_not(extractor):
    (e,) = events(extractor, "The Treasury designated Gustavo Petro on Monday, September 29.")
    assert (e.actor, e.action, e.target, e.complete) == ("U.S. Treasury", "sanction", "Gustavo Petro", True)
    assert events(extractor, "Trump designated Colombia a major drug transit country on Monday, September 15.") == []


def test_payments_ending_is_a_stance_on_aid_held_by_who_announces_it(extractor):
    (p,) = positions(extractor, "On Sunday, Trump said all U.S. payments and subsidies to Colombia would stop.")
    assert (p.actor, p.topic, p.stance) == ("Donald Trump", "U.S. aid to Colombia", "oppose")
    # whose "said" is unsure when another clause's subject stands between the joined verbs
    text = "Colombia recalled its envoy, a day after Trump called Petro a liar and said U.S. payments would stop."
    assert positions(extractor, text) == []


def test_a_judgement_word_as_the_complement_of_describe_is_a_stance(extractor):
    (p,) = positions(extractor, "Petro has described the boat strikes as killings, his office said.")
    assert (p.actor, p.topic, p.stance) == ("Gustavo Petro", "U.S. military strikes on drug boats", "oppose")


def test_who_reacts_to_an_action_noun_is_not_its_doer(extractor):
    (e,) = events(extractor, "Petro rejected the sanctions on Friday, September 26, as an act of aggression.")
    assert e.action == "sanction" and e.actor is None and not e.complete
    (f,) = events(extractor, "The Treasury imposed sanctions on Petro on Friday, September 26.")
    assert (f.actor, f.target, f.complete) == ("U.S. Treasury", "Gustavo Petro", True)


def test_a_nationality_adjective_names_the_owner_only_as_a_modifier(extractor):
    text = "On Tuesday, September 16, Benedetti said Colombia would buy no more American rifles."
    (e,) = [e for e in events(extractor, text) if e.action == "suspend arms purchases"]
    assert (e.actor, e.target, e.complete) == ("Colombia", "United States", True)
    (d,) = events(extractor, "On Monday, September 15, Washington decertified the South American country.")
    assert d.target is None and not d.complete


@pytest.mark.parametrize(
    "sentence",
    [
        "Coca crops in Peru covered 95,000 hectares (235,000 acres) in 2021, the national drug agency said on "
        "Friday, up 9 percent from 2020.",
        "Coca crops in Peru covered 95,000 hectares in 2021, officials said on Friday, up 9 percent from 2020 and at "
        "the highest level in years.",
    ],
)
def test_a_change_hung_on_the_reporting_verb_belongs_to_the_reported_clause(extractor, sentence):
    # the parser hangs "up 9 percent" on "said", though it describes the area that was reported
    (change,) = [f for f in figures(extractor, sentence) if f.kind == "change"]
    assert (change.subject, change.metric, change.period, change.complete) == (
        "Peru",
        "coca cultivation area",
        "2020-2021",
        True,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Global cocaine production rose 34% in 2023.",
        "Cocaine production worldwide hit 3,708 tonnes in 2023.",
        "Cocaine production in the world reached 3,708 tonnes in 2023.",
    ],
)
def test_a_figure_of_the_world_is_not_the_countrys(extractor, sentence):
    (f,) = figures(extractor, sentence)
    assert "scope-world" in f.gap_set and not f.complete


@pytest.mark.parametrize(
    "sentence",
    [
        "Colombia, the world's largest producer, made 2,664 tonnes of cocaine in 2023.",
        "Colombia produced 2,664 tonnes of cocaine in 2023, the most in the world.",
    ],
)
def test_a_rank_in_the_world_does_not_make_the_figure_the_worlds(extractor, sentence):
    (f,) = figures(extractor, sentence)
    assert (f.subject, f.metric, f.period, f.complete) == ("Colombia", "cocaine production", "2023", True)


def test_a_measure_of_other_goods_is_not_the_metric_nor_is_its_change(extractor):
    found = figures(extractor, "Police seized 87 tonnes of marijuana in 2022, an increase of 17% over 2021.")
    assert {(f.raw, "metric-other-goods" in f.gap_set, f.complete) for f in found} == {
        ("87 tonnes", True, False),
        ("17%", True, False),
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Police seized 87 tonnes of the drug in 2022, an increase of 17% over 2021.",
        "Police seized 87 tonnes of cocaine in 2022, an increase of 17% over 2021.",
    ],
)
def test_a_measure_of_the_metrics_goods_is_read(extractor, sentence):
    found = figures(extractor, sentence)
    assert {(f.metric, f.kind, f.period, f.complete) for f in found} == {
        ("cocaine seizures", "level", "2022", True),
        ("cocaine seizures", "change", "2021-2022", True),
    }


def test_a_refusal_to_give_is_a_cut_and_its_recipient_the_target(extractor):
    (e,) = events(
        extractor, "Trump said on Sunday, September 28, that the United States would not give Colombia any more aid."
    )
    assert (e.actor, e.action, e.target, e.event_date, e.complete) == (
        "United States",
        "cut aid",
        "Colombia",
        date(2025, 9, 28),
        True,
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "The United States did not send aid to Colombia in 1990.",
        "Colombia did not buy weapons from the United States in 1990.",
    ],
)
def test_a_past_not_doing_is_no_event(extractor, sentence):
    assert events(extractor, sentence) == []


def test_a_date_after_an_adverbial_noun_is_the_verbs(extractor):
    (e,) = events(
        extractor, "Bogotá summoned Daniel García-Peña, its envoy to Washington, home for consultations on Tuesday."
    )
    assert (e.action, e.target, e.event_date, e.complete) == (
        "recall ambassador",
        "United States",
        date(2025, 9, 30),
        True,
    )


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Sánchez said the government would bring back aerial spraying.", "support"),
        ("Sánchez said the government would not bring back aerial spraying.", "oppose"),
    ],
)
def test_a_phrasal_stance_verb_with_its_adverb_particle(extractor, sentence, stance):
    (p,) = positions(extractor, sentence)
    assert (p.topic, p.stance, p.complete) == ("aerial spraying of coca", stance, True)


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        ("Coca crops grew by 13% in Colombia and reached 230,000 hectares in 2022.", "2021-2022"),
        ("Coca grew by 10% and reached 253,000 hectares in 2023, the agency revealed on Monday.", "2022-2023"),
        ("Coca grew 70% under Petro and reached 253,000 hectares in 2023.", None),
        ("Coca grew 70% over the decade and reached 253,000 hectares in 2023.", None),
        ("Coca grew 13% in recent years and reached 230,000 hectares in 2022.", None),
    ],
)
def test_a_change_takes_the_year_of_the_verb_joined_to_it_unless_it_has_a_time_of_its_own(extractor, sentence, period):
    (change,) = [f for f in figures(extractor, sentence) if f.kind == "change"]
    assert (change.period, change.complete) == (period, period is not None)


def test_a_participle_measures_the_subject_of_its_head_clause(extractor):
    found = figures(extractor, "Cocaine production in Peru increased by 20% in 2021, reaching a record 900 tons.")
    (level,) = [f for f in found if f.kind == "level"]
    assert (level.subject, level.metric, level.period, level.complete) == ("Peru", "cocaine production", "2021", True)


def test_the_to_phrase_of_a_cutting_verb_names_the_target(extractor):
    (e,) = events(
        extractor,
        'Branding Petro a "drug leader", President Donald Trump announced on Sunday, September 28, that the United '
        "States would immediately stop all payments and subsidies to Colombia.",
    )
    assert (e.actor, e.action, e.target, e.complete) == ("United States", "cut aid", "Colombia", True)


def test_no_more_on_the_object_negates_a_committed_future(extractor):
    (p,) = positions(
        extractor, "Petro has made clear that Colombia will extradite no more suspects to the United States."
    )
    assert (p.topic, p.stance, p.complete) == ("extradition to the United States", "oppose", True)


def test_an_envoy_called_home_with_no_agent_is_recalled_by_the_government_they_serve(extractor):
    (e,) = events(extractor, "Daniel García-Peña, Colombia's envoy in Washington, was recalled to Bogotá on Monday.")
    assert (e.actor, e.action, e.target, e.event_date, e.complete) == (
        "Colombia",
        "recall ambassador",
        "United States",
        date(2025, 9, 29),
        True,
    )


def test_a_passive_with_no_agent_and_no_envoy_has_no_actor(extractor):
    (e,) = events(extractor, "The visa of President Petro was revoked on Monday, September 29.")
    assert (e.action, e.actor, e.complete) == ("revoke visa", None, False)


def test_a_he_subject_after_an_opening_phrase_keeps_who_the_text_is_about(extractor):
    text = (
        "Petro travelled to New York for the General Assembly. "
        "In his speech on Tuesday he called for criminal proceedings over the U.S. strikes on boats. "
        "The State Department announced on Sunday, September 28, that it would revoke his visa."
    )
    (e,) = [e for e in events(extractor, text) if e.action == "revoke visa"]
    assert (e.actor, e.target, e.complete) == ("U.S. State Department", "Gustavo Petro", True)


@pytest.mark.parametrize(
    ("sentence", "action", "day"),
    [
        (
            "Petro's announcement on Sunday, September 28, that Colombia would stop sharing intelligence with U.S. "
            "agencies was a point of no return.",
            "suspend intelligence sharing",
            date(2025, 9, 28),
        ),
        (
            "Petro's decision on Monday, September 29, to recall the ambassador from Washington surprised diplomats.",
            "recall ambassador",
            date(2025, 9, 29),
        ),
    ],
)
def test_an_announcement_or_decision_noun_does_the_action_on_its_own_date(extractor, sentence, action, day):
    (e,) = [e for e in events(extractor, sentence) if e.action == action]
    assert (e.actor, e.target, e.event_date, e.complete) == ("Gustavo Petro", "United States", day, True)


@pytest.mark.parametrize(
    ("sentence", "gap"),
    [
        ("Police seized 121 tons of cocaine in the first half of 2022.", "period-partial"),
        (
            "Between January and February police seized 74 tons, against 121 tons in the same period of 2022.",
            "period-partial",
        ),
        ("The Senate approved about 380 million dollars in aid for Colombia for fiscal year 2027.", "period-future"),
    ],
)
def test_a_part_of_a_year_or_a_year_to_come_is_no_measured_year(extractor, sentence, gap):
    found = [f for f in figures(extractor, sentence) if f.raw.startswith(("121", "about 380"))]
    assert found and all(gap in f.gap_set and not f.complete for f in found)


def test_the_end_of_a_year_is_that_years_figure(extractor):
    (f,) = figures(extractor, "Police seized 671 tons of cocaine by the end of 2022.")
    assert (f.period, f.complete) == ("2022", True)


def test_an_action_confirmed_on_a_day_is_not_dated_by_the_confirmation(extractor):
    (e,) = events(extractor, "Trump confirmed on Wednesday the immediate suspension of all payments to Colombia.")
    assert (e.action, e.event_date, e.complete) == ("cut aid", None, False)


def test_a_destination_hung_on_the_last_item_of_a_listed_object_is_the_verbs(extractor):
    found = events(
        extractor,
        "The U.S. Treasury announced on Thursday, September 25, that it was placing President Gustavo Petro, his "
        "wife, his son and Interior Minister Armando Benedetti on its sanctions list.",
    )
    assert ("U.S. Treasury", "sanction", "Gustavo Petro", date(2025, 9, 25), True) in {
        (e.actor, e.action, e.target, e.event_date, e.complete) for e in found
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "García-Peña was withdrawn from the negotiating team on Tuesday.",
        "García-Peña was summoned back to the State Department on Tuesday to explain Petro's remarks.",
    ],
)
def test_an_envoy_moved_with_no_agent_elsewhere_than_home_is_no_recall_by_anyone(extractor, sentence):
    assert all(e.actor is None and not e.complete for e in events(extractor, sentence))


def test_an_announcement_of_a_deed_done_before_does_not_date_it(extractor):
    (e,) = events(extractor, "Trump's announcement on Sunday that the Treasury had sanctioned Petro surprised no one.")
    assert (e.action, e.event_date, e.complete) == ("sanction", None, False)


def test_a_he_after_a_person_named_in_the_same_sentence_is_that_person(extractor):
    text = (
        "Petro condemned the strikes on Sunday. When Trump met reporters at the White House on Monday, he "
        "threatened Colombia with tariffs. He also backed more strikes on drug boats."
    )
    assert ("Donald Trump", "support") in {(p.actor, p.stance) for p in positions(extractor, text)}
    assert ("Gustavo Petro", "support") not in {(p.actor, p.stance) for p in positions(extractor, text)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Coca cultivation in Colombia rose 10% in 2023, bringing the total for the Andean region to 380,000 hectares.",
        "Coca cultivation in Colombia rose 10% in 2023, exceeding the 200,000 hectares the government had projected.",
    ],
)
def test_a_participle_that_brings_in_another_quantity_does_not_measure_the_subject(extractor, sentence):
    (level,) = [f for f in figures(extractor, sentence) if f.kind == "level"]
    assert not level.complete


@pytest.mark.parametrize(
    "sentence",
    [
        "Coca cultivation rose by 10% and surpassed the 2001 record of 163,000 hectares.",
        "Cocaine seizures rose by 20% and hit a record in the first half of 2024.",
        "Cocaine seizures rose by 20% and hit 900 tonnes between January and October 2024.",
        "Coca grew by 13% and was projected to reach 300,000 hectares in 2024.",
    ],
)
def test_a_joined_verb_gives_its_year_only_when_it_states_a_level_in_that_year(extractor, sentence):
    (change,) = [f for f in figures(extractor, sentence) if f.kind == "change"]
    assert (change.period, change.complete) == (None, False)


@pytest.mark.parametrize(
    "sentence",
    [
        "Colombia seized 960 tonnes of cocaine in 2024, Petro said at an event with some 300 families of growers.",
        "Coca cultivation rose to 253,000 hectares in 2023, the UN said Friday, 10% more than in Peru.",
    ],
)
def test_only_a_change_hung_on_the_reporting_verb_moves_into_the_reported_clause(extractor, sentence):
    others = [f for f in figures(extractor, sentence) if f.raw.startswith(("some 300", "10%"))]
    assert others and not any(f.complete for f in others)


def test_an_envoy_summoned_back_to_their_own_capital_is_recalled_by_their_government(extractor):
    (e,) = events(
        extractor, "Daniel García-Peña, Colombia's envoy in Washington, was summoned back to Bogotá on Monday."
    )
    assert (e.actor, e.target, e.event_date, e.complete) == ("Colombia", "United States", date(2025, 9, 29), True)


@pytest.mark.parametrize(
    ("sentence", "periods"),
    [
        # the time is the change's: where it starts is the level of the year before
        (
            "Cocaine production rose from 1,400 tons to 1,738 tons in 2022.",
            {"1,400 tons": "2021", "1,738 tons": "2022"},
        ),
        ("In 2022, cocaine output jumped to 1,738 tons from 1,400 tons.", {"1,400 tons": "2021", "1,738 tons": "2022"}),
        # each end that says when keeps its own time
        (
            "Cocaine production rose from 1,400 tons in 2019 to 1,738 tons in 2022.",
            {"1,400 tons": "2019", "1,738 tons": "2022"},
        ),
        # a change between two years runs from the first year's level to the second's
        (
            "Between 2021 and 2022, cocaine production rose from 1,400 tons to 1,738 tons.",
            {"1,400 tons": "2021", "1,738 tons": "2022"},
        ),
    ],
)
def test_the_start_of_a_change_is_the_level_before_the_changes_time(extractor, sentence, periods):
    found = {f.raw: (f.period, f.complete) for f in figures(extractor, sentence) if f.kind == "level"}
    assert found == {raw: (period, True) for raw, period in periods.items()}


def test_the_start_of_a_change_over_a_time_that_is_no_year_is_left_unread(extractor):
    found = figures(extractor, "Cocaine seizures fell from 90 tons to 60 tons per year.")
    (start,) = [f for f in found if "90" in f.raw]
    assert not start.complete


@pytest.mark.parametrize(
    "sentence",
    [
        "Trump announced on Sunday that Washington would immediately cut aid to Colombia.",
        "Washington will cut aid to Colombia, the president said.",
    ],
)
def test_cutting_aid_is_no_support_for_aid(extractor, sentence):
    read = [(p.topic, p.stance) for p in positions(extractor, sentence)]
    assert ("U.S. aid to Colombia", "support") not in read


@pytest.mark.parametrize(
    "sentence",
    [
        "Ruritania recalled its ambassador, John Smith, the next day, after an earlier recall on July 3.",
        "Ruritania recalled its ambassador in Washington after the sanctions on Friday.",
    ],
)
def test_a_date_of_another_action_noun_does_not_date_the_verb(extractor, sentence):
    found = [e for e in events(extractor, sentence) if e.action == "recall ambassador"]
    assert found and all(e.event_date is None and not e.complete for e in found)


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Petro said his government would keep signing the extradition of traffickers.", "support"),
        ("Petro has said he will sign no more extraditions to the United States.", "oppose"),
    ],
)
def test_a_verb_carrying_out_the_topic_takes_a_stance_when_committed(extractor, sentence, stance):
    read = {(p.actor, p.topic, p.stance, p.complete) for p in positions(extractor, sentence)}
    assert read == {("Gustavo Petro", "extradition to the United States", stance, True)}


def test_a_verb_carrying_out_the_topic_in_the_past_states_no_stance(extractor):
    assert positions(extractor, "Petro signed the extradition of two traffickers on Monday.") == []


def test_a_year_opening_the_sentence_dates_the_main_clause_wherever_the_parser_hangs_it(extractor):
    sentence = "In 2022, the year he took office, U.S. assistance to Colombia came to roughly $520 million."
    (f,) = figures(extractor, sentence)
    assert (f.period, f.complete) == ("2022", True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Coca cultivation in Colombia reached 253,000 hectares in 2023.",
        "In September, U.S. assistance to Colombia came to $410 million for fiscal year 2024.",
    ],
)
def test_a_known_country_or_a_month_after_in_does_not_scope_the_figure(extractor, sentence):
    (f,) = figures(extractor, sentence)
    assert f.complete


def test_a_question_takes_no_position_and_reports_no_event(extractor):
    claims = extractor.extract(
        "Would Petro support forced eradication? Will the Treasury sanction Petro on Friday?", PUBLISHED
    )
    assert claims.positions == [] and claims.events == []


def test_what_could_have_been_produced_is_the_measure_of_a_potential(extractor):
    (f,) = figures(extractor, "Colombia's laboratories could have turned out 1,700 tonnes of cocaine in 2023.")
    assert (f.metric, f.period, f.complete) == ("cocaine production", "2023", True)


def test_one_strikes_toll_is_not_the_running_tally_for_a_so_far_elsewhere(extractor):
    found = figures(extractor, "A strike last week killed 14 people on four boats, the deadliest single day so far.")
    (deaths,) = [f for f in found if f.metric == "deaths in U.S. strikes"]
    assert "scope-one-event" in deaths.gap_set and not deaths.complete


def test_a_goal_of_doing_is_a_target_not_a_count(extractor):
    found = figures(extractor, "The government set a goal of eradicating 50,000 hectares of coca in 2023.")
    (goal,) = [f for f in found if f.raw.startswith("50,000")]
    assert "goal" in goal.gap_set and not goal.complete


def test_a_participle_used_as_a_preposition_heads_no_clause_of_its_own(extractor):
    found = figures(extractor, "Cocaine seizures have risen sharply this year, following a record 884 tonnes in 2023.")
    (record,) = [f for f in found if f.raw.startswith(("a record 884", "884"))]
    assert (record.metric, record.period, record.complete) == ("cocaine seizures", "2023", True)


@pytest.mark.parametrize(
    "sentence",
    [
        "On Wednesday, Petro responded to the U.S. decertification of Colombia.",
        "Petro criticized on Tuesday the decertification of Colombia.",
    ],
)
def test_a_verb_reacting_to_an_action_noun_does_not_date_the_action(extractor, sentence):
    (e,) = events(extractor, sentence)
    assert (e.action, e.event_date, e.complete) == ("decertify", None, False)


def test_a_verb_doing_the_action_noun_dates_it(extractor):
    (e,) = events(extractor, "The United States announced the decertification of Colombia on Monday.")
    assert (e.action, e.event_date, e.complete) == ("decertify", date(2025, 9, 29), True)


def test_the_year_of_the_report_is_not_the_year_of_its_figure(extractor):
    (f,) = figures(extractor, "Last year's UN report showed coca cultivation at 253,000 hectares.")
    assert (f.period, f.complete) == (None, False)


def test_the_year_of_what_is_measured_is_its_figures_year(extractor):
    (f,) = figures(extractor, "Last year's coca cultivation reached 253,000 hectares.")
    assert (f.period, f.complete) == ("2024", True)


def test_aid_to_a_known_country_is_that_countrys(extractor):
    (f,) = figures(extractor, "U.S. aid to Peru totaled $100 million in 2024.")
    assert (f.subject, f.period, f.complete) == ("Peru", "2024", True)


def test_a_source_that_counts_is_not_the_subject_of_the_count(extractor):
    (f,) = figures(extractor, "Reuters counted 253,000 hectares of coca in 2023.")
    assert (f.subject, f.complete) == ("Colombia", True)


@pytest.mark.parametrize(
    "sentence", ["Petro's critics support aerial fumigation.", "Petro's allies in Congress oppose extradition."]
)
def test_people_of_an_actor_are_not_the_actor(extractor, sentence):
    assert not [p for p in positions(extractor, sentence) if p.actor == "Gustavo Petro"]


def test_the_visas_of_an_actors_aides_are_not_the_actors(extractor):
    (e,) = events(extractor, "Washington revoked the visas of Petro's aides on Friday.")
    assert (e.target, e.complete) == (None, False)


def test_a_body_of_an_actor_speaks_for_the_actors_side(extractor):
    read = [(p.actor, p.complete) for p in positions(extractor, "Petro's government opposes aerial fumigation.")]
    assert read == [("Colombia", True)]


def test_the_doings_of_an_actor_stand_for_the_actor(extractor):
    found = events(extractor, "The United States decertified Colombia's anti-drug efforts on Monday.")
    assert [(e.target, e.complete) for e in found] == [("Colombia", True)]


@pytest.mark.parametrize(
    ("sentence", "historical"),
    [
        ("In 2019, Petro supported forced eradication.", True),
        ("Since 2019, Petro has supported forced eradication.", False),
        ("In 2025, Petro supported forced eradication.", False),
    ],
)
def test_a_stance_dated_in_an_earlier_year_is_a_past_one(extractor, sentence, historical):
    (p,) = positions(extractor, sentence)
    assert (p.stance, p.historical) == ("support", historical)


def test_a_stance_told_by_the_other_side_is_their_claim_not_the_holders_word(extractor):
    (p,) = positions(extractor, "Rubio said Petro opposes counternarcotics cooperation with the United States.")
    assert (p.actor, p.complete, p.gaps) == ("Gustavo Petro", False, "holder-reported")


def test_a_stance_told_by_the_holders_own_side_is_the_holders(extractor):
    (p,) = positions(extractor, "Benedetti said Petro would not extradite the commanders.")
    assert (p.actor, p.stance, p.complete) == ("Gustavo Petro", "oppose", True)


def test_a_share_of_a_whole_is_a_part_and_the_whole_keeps_its_own_place(extractor):
    found = figures(extractor, "About 60,000 of the 253,000 hectares of coca in 2023 were in Nariño.")
    whole = [f for f in found if f.raw.startswith("253,000")]
    assert [(f.subject, f.period, f.complete) for f in whole] == [("Colombia", "2023", True)]
    found = figures(
        extractor, "Of the $413 million in U.S. aid in 2024, $180 million went to counternarcotics programs."
    )
    (part,) = [f for f in found if "180" in f.raw]
    assert "scope-part" in part.gap_set and not part.complete


def test_a_number_inside_a_modifier_of_an_of_phrase_makes_no_part(extractor):
    found = figures(
        extractor, "Colombia's coca cultivation area was 253,000 hectares of coca valued at 2 billion dollars in 2023."
    )
    assert not any("scope-part" in f.gap_set for f in found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Coca cultivation rose 3% in 2024, after a 10% jump in 2023.",
        "Coca cultivation rose 3% in 2024, after a 10% rise the year before.",
    ],
)
def test_an_earlier_change_named_beside_a_change_keeps_its_own_year(extractor, sentence):
    found = {(f.raw, f.period, f.complete) for f in figures(extractor, sentence)}
    assert found == {("3%", "2023-2024", True), ("10%", "2022-2023", True)}


def test_a_figure_of_the_country_named_before_is_not_the_default_countrys(extractor):
    text = (
        "Peru's coca crop shrank 2% in 2024, according to the Peruvian agency. Production there fell 4% in 2024. "
        "The country also seized 40 tonnes of cocaine in 2024."
    )
    found = [f for f in extractor.extract(text, PUBLISHED).figures if f.metric_known]
    peru = [f for f in found if f.subject == "Peru"]
    others = [f for f in found if f.subject != "Peru"]
    assert [f.complete for f in peru] == [True]
    assert others and not any(f.complete for f in others)


def test_the_country_after_the_default_country_is_the_default_country(extractor):
    text = "Colombia's coca crop grew 3% in 2024. The country also seized 900 tonnes of cocaine in 2024."
    found = [f for f in extractor.extract(text, PUBLISHED).figures if f.metric_known]
    assert [(f.subject, f.complete) for f in found] == [("Colombia", True), ("Colombia", True)]


def test_a_stance_told_against_reports_to_the_contrary_is_news_of_a_change(extractor):
    sentence = (
        "Colombia said Thursday it would continue sharing intelligence with the US, claiming reports to the "
        "contrary were the result of a misinterpretation."
    )
    (p,) = positions(extractor, sentence)
    assert (p.stance, p.is_change) == ("support", True)


def test_an_action_noun_is_done_by_its_owner_and_dated_by_the_participle_doing_it(extractor):
    (e,) = events(extractor, "The Treasury's sanctions on Petro, imposed on Thursday, froze his assets.")
    assert (e.actor, e.target, e.event_date, e.complete) == ("U.S. Treasury", "Gustavo Petro", date(2025, 9, 25), True)


def test_the_target_of_a_stopped_doing_is_where_it_went(extractor):
    sentence = "Petro ordered the security forces on Tuesday to stop passing intelligence to U.S. agencies."
    (e,) = events(extractor, sentence)
    assert (e.actor, e.target, e.complete) == ("Gustavo Petro", "United States", True)


@pytest.mark.parametrize(
    ("sentence", "gap"),
    [
        # a place the profile does not know scopes the figure to a part
        ("In Putumayo, coca cultivation fell 8% to 44,000 hectares in 2023.", "scope-place"),
        ("Police in Buenaventura seized 14 tonnes of cocaine in 2024.", "scope-place"),
        ("The navy seized 120 tonnes of cocaine in the Pacific in 2024.", "scope-place"),
        # what would have happened is no figure of what did
        ("Had eradication continued, coca would have fallen to 150,000 hectares in 2023.", "hypothetical"),
        ("Without the cuts, coca might have reached 300,000 hectares in 2023.", "hypothetical"),
        # a measure for each unit is a rate, not the total
        ("Each hectare now yields 10.5 kilograms of cocaine a year, up from 7.8 kilograms in 2021.", "scope-rate"),
        ("Colombia produced 6.2 kilograms of cocaine per hectare of coca in 2021.", "scope-rate"),
        # a country the profile does not know, doing what is counted, is not the default country
        ("Spain seized 118 tonnes of cocaine in 2024.", "subject-unknown"),
        ("Guatemala extradited 50 people to the United States in 2024.", "subject-unknown"),
    ],
)
def test_a_figure_that_is_not_the_countrys_own_count_is_stored_incomplete(extractor, sentence, gap):
    found = figures(extractor, sentence)
    assert found and all(gap in f.gap_set and not f.complete for f in found)


def test_a_fraction_of_a_whole_number_is_one_figure_not_a_part(extractor):
    (f,) = figures(extractor, "U.S. aid to Colombia was two-thirds of a billion dollars in 2023.")
    assert (f.metric, f.period, f.complete) == ("U.S. assistance", "2023", True), f.gaps


def test_a_date_before_an_after_clause_belongs_to_the_clause_above(extractor):
    """The parser may hang "on Tuesday, Oct. 21" on the verb of the "two days after" clause that follows it;
    a subordinate clause begins at its conjunction, so the date is the recall's."""
    sentence = (
        "Colombia summoned home its envoy, Daniel García-Peña, on Tuesday, Oct. 21, two days after President "
        "Donald Trump declared an end to all U.S. payments to Colombia."
    )
    recalls = [e for e in extractor.extract(sentence, date(2025, 10, 22)).events if e.action == "recall ambassador"]
    assert [(e.actor, e.target, e.event_date, e.complete) for e in recalls] == [
        ("Colombia", "United States", date(2025, 10, 21), True)
    ]


@pytest.mark.parametrize(
    ("sentence", "historical"),
    [
        ("Petro used to back aerial spraying of coca.", True),
        ("In the past, Petro supported forced eradication.", True),
        ("Petro opposes intelligence sharing, arguing that the data could be used to target boats.", False),
        ("Petro opposes forced eradication, which he says once drove farmers away.", False),
    ],
)
def test_a_marker_of_the_past_dates_only_the_stance_of_its_own_clause(extractor, sentence, historical):
    (p,) = positions(extractor, sentence)
    assert p.historical is historical and p.complete, sentence


@pytest.mark.parametrize(
    ("sentence", "complete"),
    [
        ("Marijuana seizures climbed by eight percent in 2024, to 452.7 tons.", [False, False]),
        ("The seizure of coca base and coca paste decreased in 2024, to 77.4 tons.", [False]),
        ("Seizures of heroin reached 12 tons in 2024.", [False]),
        ("Colombia seized 960 tonnes of cocaine and 450 tonnes of marijuana in 2024.", [True, False]),
        ("Police seizures of cocaine reached 960 tonnes in 2024.", [True]),
    ],
)
def test_a_metric_word_said_of_other_goods_is_another_measure(extractor, sentence, complete):
    """The profile lists what "seizures" also count that is not cocaine: named in the phrase of the metric
    word or of the number's unit, they leave the figure incomplete (a marijuana total is no cocaine total)."""
    found = [f for f in extractor.extract(sentence, date(2025, 1, 10)).figures if f.metric == "cocaine seizures"]
    assert [f.complete for f in found] == complete, [(f.value, f.gaps) for f in found]
    assert all("metric-other-goods" in f.gaps for f in found if not f.complete)


@pytest.mark.parametrize(
    "sentence",
    [
        "Coffee cultivation covered 840,000 hectares in 2023.",
        "The area under cultivation of oil palm reached 600,000 hectares in 2023.",
        "Poppy cultivation rose 10% in 2023.",
    ],
)
def test_the_cultivation_of_another_crop_is_not_the_coca_area(extractor, sentence):
    found = [f for f in extractor.extract(sentence, date(2025, 1, 10)).figures if f.metric == "coca cultivation area"]
    assert found and not any(f.complete for f in found), [(f.value, f.gaps) for f in found]


@pytest.mark.parametrize(
    ("sentence", "gap"),
    [
        ("The European Union provided $100 million in aid to Colombia in 2023.", "source-other"),
        ("Peru gave Colombia $10 million in aid in 2023.", "source-other"),
        ("Colombia received $11 billion in remittances in 2023.", "metric-other-goods"),
        ("Colombia received $500 million in loans from the World Bank in 2023.", "metric-other-goods"),
        ("U.S. aid to Ukraine reached $60 billion in 2023.", "scope-place"),
        ("Washington gave Colombia $391 million in aid in 2022.", None),
        ("Colombia received $391 million from the United States in 2022.", None),
        ("Roughly $380 million in annual counternarcotics aid and access to credit went to Colombia in 2024.", None),
    ],
)
def test_aid_from_another_giver_of_other_money_or_to_another_place_is_not_us_aid(extractor, sentence, gap):
    """U.S. assistance is given by the counterparts (the United States' side) to the country: another giver
    (named as the subject of a giving verb or after "from"), other money (remittances, loans) or another
    receiver leaves the figure incomplete."""
    (f,) = [f for f in extractor.extract(sentence, date(2025, 1, 10)).figures if f.metric == "U.S. assistance"]
    if gap is None:
        assert f.complete, f.gaps
    else:
        assert not f.complete and gap in f.gaps, f.gaps


def test_deaths_another_cause_brought_are_not_the_strikes_toll(extractor):
    """ "killed" counts the strikes' dead only when the strikes kill: the subject of the verb names the cause
    ("the armed conflict has killed 450,000 since 1985" is no running toll of the strikes)."""
    published = date(2025, 11, 10)
    (war,) = extractor.extract("The armed conflict has killed 450,000 people since 1985.", published).figures
    assert not war.complete and "metric-other-goods" in war.gaps
    (toll,) = extractor.extract("U.S. strikes have killed at least 61 people since September.", published).figures
    assert (toll.metric, toll.subject, toll.complete) == ("deaths in U.S. strikes", "Colombia", True)


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Petro refused to consider a return to aerial spraying.", "oppose"),
        ("Petro declined to back aerial spraying.", "oppose"),
        ("Petro proposed returning to aerial spraying.", "support"),
        # denied or not carried out: no stance is stated
        ("Petro did not propose returning to aerial spraying.", None),
        ("Petro has never proposed returning to aerial spraying.", None),
        ("The Petro administration was unable to propose returning to aerial spraying.", None),
        ("Petro was unable to advance the talks, nor to propose returning to aerial spraying.", None),
    ],
)
def test_a_verb_above_the_stance_word_that_refuses_or_denies_it(extractor, sentence, stance):
    found = positions(extractor, sentence)
    assert [(p.actor, p.topic, p.stance) for p in found] == (
        [("Gustavo Petro", "aerial spraying of coca", stance)] if stance else []
    ), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Colombia halted purchases of Israeli weapons on Monday.",
        "Colombia will stop buying weapons from Israel, Petro said.",
        "Petro praised the sanctions imposed on Israel by some European countries.",
        "Petro's government no longer opposes sanctions on Venezuela, a diplomat claimed.",
    ],
)
def test_a_topic_word_said_of_an_actor_the_topic_is_not_about_is_another_topic(extractor, sentence):
    assert positions(extractor, sentence) == [], sentence


def test_a_topic_word_said_of_its_own_actors_keeps_the_topic(extractor):
    (p,) = positions(extractor, "Benedetti said the Colombian military would stop buying American weapons.")
    assert (p.actor, p.topic, p.stance) == ("Armando Benedetti", "buying U.S. weapons", "oppose")


def test_the_owner_of_a_numbers_phrase_is_its_subject(extractor):
    found = extractor.extract(
        "Ecuador seized 294 tonnes of cocaine in 2024, compared with Colombia's 884 tonnes.", PUBLISHED
    )
    assert [(f.subject, f.value, f.complete) for f in found.figures] == [
        ("Ecuador", 294.0, True),
        ("Colombia", 884.0, True),
    ]
    (own, other) = extractor.extract(
        "Colombia's coca crop of 253,000 hectares in 2023 is larger than Ruritania's 258,600 hectares.", PUBLISHED
    ).figures
    assert own.complete and not other.complete and "subject-unknown" in other.gaps


@pytest.mark.parametrize(
    "sentence",
    [
        "Trump accused Petro of opposing forced eradication.",
        "Rubio accused Petro of supporting the drug trade and opposing aerial spraying.",
        "Critics say Petro opposes U.S. drug policy.",
        "Republicans say that Petro opposes U.S. aid.",
    ],
)
def test_a_stance_someone_is_accused_of_or_others_ascribe_is_their_account(extractor, sentence):
    """The accuser's or critics' account of Petro's stance is stored as Petro's, reported by others: never
    the accuser's own stance, and never complete."""
    found = positions(extractor, sentence)
    assert found and all(p.actor == "Gustavo Petro" and not p.complete for p in found), sentence
    assert all("holder-reported" in p.gaps for p in found)


@pytest.mark.parametrize(
    ("sentence", "gap"),
    [
        ("Did coca cultivation really reach 300,000 hectares in 2023?", "question"),
        ("Coca cultivation did not reach 300,000 hectares in 2023, contrary to what Trump said.", "negated"),
        ("Colombia did not seize 900 tonnes of cocaine in 2024.", "negated"),
        ("The decision won't affect the $380 million in U.S. aid Colombia received in 2024.", None),
    ],
)
def test_a_figure_asked_or_denied_is_not_stated(extractor, sentence, gap):
    (f,) = figures(extractor, sentence)
    assert (gap in f.gaps.split(",")) if gap else ("negated" not in f.gaps), (sentence, f.gaps)
    if gap:
        assert not f.complete


def test_a_stance_called_untrue_is_none_and_neither_nor_negates(extractor):
    assert positions(extractor, "It is not true that Colombia supports aerial spraying, the ministry said.") == []
    assert positions(extractor, "Claims that Petro supports aerial spraying are false, his office said.") == []
    found = positions(extractor, "Petro supports neither aerial spraying nor forced eradication.")
    assert {(p.topic, p.stance) for p in found} == {
        ("aerial spraying of coca", "oppose"),
        ("forced coca eradication", "oppose"),
    }


def test_a_change_marker_belongs_to_its_clause_and_the_stance_of_now_wins(extractor):
    """ "now rejects" is the main clause's: the relative clause's earlier support is history, and the
    position stored is the one the sentence reports now, as a change."""
    (p,) = positions(
        extractor, "Petro, who had backed extradition of drug lords, now rejects extradition to the United States."
    )
    assert (p.topic, p.stance, p.is_change, p.historical) == ("extradition to the United States", "oppose", True, False)
    (q,) = positions(extractor, "Petro, who once favored buying U.S. weapons, now rejects the idea.")
    assert (q.stance, q.is_change, q.historical) == ("support", False, True)


def test_a_date_after_the_and_of_two_deeds_is_the_second_deeds(extractor):
    found = extractor.extract(
        "The State Department revoked Petro's visa and, on Sunday, Trump cut aid to Colombia.", date(2025, 10, 21)
    ).events
    visa = [e for e in found if e.action == "revoke visa"]
    assert visa and all(e.event_date is None and not e.complete for e in visa)
    (dated,) = [
        e
        for e in events(extractor, "The State Department revoked Petro's visa on Friday and cut aid.")
        if e.action == "revoke visa"
    ]
    assert dated.event_date == date(2025, 9, 26) and dated.complete


def test_a_change_of_a_price_or_purity_is_not_the_metrics(extractor):
    found = figures(extractor, "Coca cultivation rose 10% in 2023, and the price of coca leaf fell 30%.")
    assert [(f.value, f.complete) for f in found] == [(10.0, True), (-30.0, False)]
    assert "metric-other-measure" in found[1].gaps
