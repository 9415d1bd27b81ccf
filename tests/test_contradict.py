"""The comparison rules on their own: intervals, periods, tallies, positions in time, event actors."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from monitor import contradict
from monitor.models import Figure, Position

T0 = datetime(2025, 10, 1)


def fig(value, low, high, period="2024"):
    return Figure(
        subject="X",
        metric="m",
        metric_known=True,
        kind="level",
        period=period,
        value=value,
        low=low,
        high=high,
        unit="count",
        qualifier="exact",
        raw=str(value),
        evidence=f"It was {value}.",
    )


def stored(value, low, high, when=T0):
    return contradict.StoredFigure("seed:a", "A", when, str(value), low, high, value, f"It was {value}.")


@given(st.floats(0, 1e6), st.floats(0, 1e6), st.floats(0, 1e6), st.floats(0, 1e6))
def test_conflict_exactly_when_intervals_cannot_overlap(a, b, c, d):
    lo1, hi1 = sorted((a, b))
    lo2, hi2 = sorted((c, d))
    conflict = contradict.figure_conflict(fig(lo1, lo1, hi1), stored(lo2, lo2, hi2))
    touching = (hi1 == lo2 or hi2 == lo1) and hi1 > lo1 and hi2 > lo2  # half-open rounding intervals
    assert (conflict is not None) == (hi1 < lo2 or hi2 < lo1 or touching)
    if conflict:
        assert 0 < conflict.confidence <= 0.98


def test_running_tally_may_grow_but_not_shrink():
    later = T0 + timedelta(days=9)
    assert contradict.figure_conflict(fig(27, 26.5, 27.5, None), stored(14, 13.5, 14.5), later, True) is None
    assert contradict.figure_conflict(fig(9, 8.5, 9.5, None), stored(14, 13.5, 14.5), later, True) is not None
    same_day = T0 + timedelta(hours=5)
    assert contradict.figure_conflict(fig(27, 26.5, 27.5, None), stored(14, 13.5, 14.5), same_day, True) is not None


def test_a_tally_of_the_year_so_far_may_grow_but_not_shrink():
    later = T0 + timedelta(days=20)
    so_far = "2025 to date"
    assert contradict.figure_conflict(fig(850, 849.5, 850.5, so_far), stored(700, 699.5, 700.5), later) is None
    assert contradict.figure_conflict(fig(500, 499.5, 500.5, so_far), stored(700, 699.5, 700.5), later) is not None
    # a full year's figure is not a tally
    assert contradict.figure_conflict(fig(850, 849.5, 850.5, "2024"), stored(700, 699.5, 700.5), later) is not None


def pos(stance, change=False, historical=False):
    return Position(actor="A", topic="t", stance=stance, is_change=change, historical=historical, evidence="s.")


def prior(stance, when=T0):
    return contradict.StoredPosition("seed:a", "A", when, stance, False, "p.")


def test_positions(profile):
    soon, late = T0 + timedelta(days=2), T0 + timedelta(days=200)
    assert contradict.position_conflict(profile, pos("support"), soon, prior("oppose"), False) is not None
    assert contradict.position_conflict(profile, pos("oppose"), soon, prior("oppose"), False) is None
    assert contradict.position_conflict(profile, pos("support", change=True), soon, prior("oppose"), False) is None
    assert contradict.position_conflict(profile, pos("support", historical=True), soon, prior("oppose"), False) is None
    assert contradict.position_conflict(profile, pos("support"), soon, prior("oppose"), True) is None
    assert contradict.position_conflict(profile, pos("support"), late, prior("oppose"), False) is None
    assert contradict.position_conflict(profile, pos("neutral"), soon, prior("oppose"), False) is None


def test_event_actors_compatible_with_their_government(profile):
    assert contradict.actors_compatible(profile, "Gustavo Petro", "Colombia")
    assert contradict.actors_compatible(profile, "U.S. Treasury", "United States")
    assert not contradict.actors_compatible(profile, "U.S. Treasury", "Colombia")


def test_whole_numbers_one_apart_cannot_round_the_same_value():
    """10% is [9.5, 10.5) and 11% is [10.5, 11.5): they conflict; 10% and 10.4% do not."""
    ten, eleven, ten_four = fig(10, 9.5, 10.5), stored(11, 10.5, 11.5), stored(10.4, 10.35, 10.45)
    assert contradict.figure_conflict(ten, eleven) is not None
    assert contradict.figure_conflict(ten, ten_four) is None


def test_a_conflict_without_a_period_never_says_in_none():
    conflict = contradict.figure_conflict(fig(10, 9.5, 10.5, period=None), stored(20, 19.5, 20.5))
    assert conflict is not None
    line = contradict.summarise([conflict], "A", "B")
    assert "None" not in line and "None" not in conflict.what and "not stated" in conflict.explanation
