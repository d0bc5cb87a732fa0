"""Fixtures: every rule of a round robin, for 2 to 24 clubs, single and double."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leagues import LeagueError, breaks, round_robin

club_counts = st.integers(min_value=2, max_value=24)


def clubs(n: int) -> list[str]:
    return [f"club-{i:02d}" for i in range(n)]


@given(club_counts, st.booleans())
def test_every_pair_meets_once_per_half_and_nobody_plays_twice_a_day(n: int, double: bool) -> None:
    names = clubs(n)
    schedule = round_robin(names, double=double)
    rounds = n - 1 if n % 2 == 0 else n
    assert len(schedule) == rounds * (2 if double else 1)
    halves = [schedule[:rounds], schedule[rounds:]] if double else [schedule]
    for half in halves:
        met = Counter(frozenset(pair) for day in half for pair in day)
        assert set(met) == {frozenset(p) for p in combinations(names, 2)}
        assert set(met.values()) == {1}
        for day in half:
            playing = [club for pair in day for club in pair]
            assert len(playing) == len(set(playing)), "a club plays twice on one matchday"
            assert len(day) == n // 2


@given(club_counts)
def test_with_an_odd_number_each_club_has_one_bye_per_half(n: int) -> None:
    names = clubs(n)
    half = round_robin(names, double=False)
    byes = Counter(club for day in half for club in names if all(club not in pair for pair in day))
    if n % 2 == 0:
        assert not byes
    else:
        assert byes == dict.fromkeys(names, 1)


@given(club_counts)
def test_home_and_away_are_balanced(n: int) -> None:
    half = round_robin(clubs(n), double=False)
    home = Counter(h for day in half for h, _ in day)
    away = Counter(a for day in half for _, a in day)
    for club in clubs(n):
        assert abs(home[club] - away[club]) <= 1
    full = round_robin(clubs(n))
    home = Counter(h for day in full for h, _ in day)
    away = Counter(a for day in full for _, a in day)
    assert all(home[c] == away[c] for c in clubs(n))


@given(club_counts)
def test_breaks_reach_the_known_minimum(n: int) -> None:
    half = round_robin(clubs(n), double=False)
    counted = breaks(half)
    # An even league needs n - 2 breaks per half; an odd one, with byes, none.
    assert sum(counted.values()) == (n - 2 if n % 2 == 0 else 0)
    assert max(counted.values()) <= 1


def test_the_second_half_mirrors_the_first() -> None:
    schedule = round_robin(["A", "B", "C", "D"])
    assert schedule[3:] == [[(a, h) for h, a in day] for day in schedule[:3]]


@pytest.mark.parametrize("bad", [[], ["A"], ["A", "A", "B"]])
def test_too_few_or_repeated_clubs_are_refused(bad: list[str]) -> None:
    with pytest.raises(LeagueError):
        round_robin(bad)
