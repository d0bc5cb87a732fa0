"""A suggested goal_every: past windows weighed, a figure a person would choose, and
the reasons with it; the manager's own figure is never replaced."""

from __future__ import annotations

import math
from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from leagues.calibration import (
    goals_per_match,
    matchday_windows_before,
    sensible,
    suggest,
    windows_before,
)

BERLIN = "Europe/Berlin"


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def test_past_matchdays_are_working_days_before_today_oldest_first() -> None:
    # Wednesday 2 December: the two working days before are Tuesday and Monday.
    assert matchday_windows_before("2026-12-02", BERLIN, 2) == [
        (epoch("2026-11-30T00:00:00+01:00"), epoch("2026-12-01T00:00:00+01:00")),
        (epoch("2026-12-01T00:00:00+01:00"), epoch("2026-12-02T00:00:00+01:00")),
    ]
    # Matchdays of five working days, here over a weekend and a holiday (Friday 27th).
    weeks = matchday_windows_before("2026-12-02", BERLIN, 2, days=5, holidays=["2026-11-27"])
    assert weeks == [
        (epoch("2026-11-17T00:00:00+01:00"), epoch("2026-11-24T00:00:00+01:00")),
        (epoch("2026-11-24T00:00:00+01:00"), epoch("2026-12-02T00:00:00+01:00")),
    ]
    assert windows_before(100.0, 10.0, 3) == [(70.0, 80.0), (80.0, 90.0), (90.0, 100.0)]


def test_the_suggestion_is_a_round_figure_with_its_reasons_and_keeps_the_sent_one_apart() -> None:
    # Ten windows of two clubs: points per head spread from 100 to 560.
    windows = [{"ber": 100.0 + 40 * n, "lei": 200.0 + 20 * n} for n in range(10)]
    suggestion = suggest(windows, goal_every=25)
    samples = [p for window in windows for p in window.values()]
    assert suggestion.exact is not None and suggestion.value is not None
    assert suggestion.value != suggestion.exact
    assert suggestion.value == round(suggestion.value, -1)  # two significant figures
    assert abs(suggestion.value - suggestion.exact) <= 10
    assert suggestion.goals_per_match == round(goals_per_match(samples, suggestion.value), 2)
    assert suggestion.goal_every == 25
    assert suggestion.reason == (
        f"past 10 windows: {suggestion.goals_per_match:g} goals per match at "
        f"{suggestion.value:g} (aim 2.75); {suggestion.goals_per_match_as_sent:g} at 25 as sent"
    )
    data = suggestion.as_data()
    assert data["value"] == suggestion.value and data["reason"] == suggestion.reason


def test_windows_without_a_sale_are_left_out_and_none_leaves_no_figure() -> None:
    quiet = {"ber": 0.0, "lei": 0.0}
    busy = {"ber": 30.0, "lei": 30.0}
    suggestion = suggest([quiet, busy, quiet])
    assert (suggestion.windows, suggestion.looked_at) == (1, 3)
    assert suggestion.reason.startswith("past 1 window: ")
    nothing = suggest([quiet, quiet], goal_every=12)
    assert nothing.value is None and nothing.goal_every == 12
    assert nothing.reason == "no sales in the past 2 windows to calibrate from"


def test_a_round_figure_is_taken_on_the_side_nearer_the_target() -> None:
    # Just above 15 gives 2 goals a match, 15 itself 4: 16 is the nearer round figure.
    assert sensible(15.0001, [30.0, 30.0]) == 16
    assert sensible(179.5255, [400.0, 300.0, 500.0, 350.0]) in (170, 180)
    assert sensible(0.37219, [1.0, 0.8]) in (0.37, 0.38)


@given(
    st.lists(
        st.floats(min_value=0.5, max_value=1e6, allow_nan=False, allow_infinity=False),
        min_size=2,
        max_size=40,
    )
)
def test_a_suggestion_has_two_significant_figures_next_to_the_exact_one(
    samples: list[float],
) -> None:
    windows = [{"a": a, "b": b} for a, b in zip(samples[::2], samples[1::2], strict=False)]
    suggestion = suggest(windows)
    assert suggestion.value is not None and suggestion.exact is not None
    step = 10.0 ** (math.floor(math.log10(suggestion.exact)) - 1)
    assert abs(suggestion.value - suggestion.exact) <= step * (1 + 1e-9)
    digits = suggestion.value / step
    assert abs(digits - round(digits)) < 1e-6
