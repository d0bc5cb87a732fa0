"""The table: points, hand-made ties, head-to-head mini-tables, shared positions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from leagues import LeagueError, form, standings


def m(home: str, away: str, score: str) -> dict[str, object]:
    home_goals, away_goals = (int(x) for x in score.split(":"))
    return {"home": home, "away": away, "home_goals": home_goals, "away_goals": away_goals}


def order(table: list) -> list[tuple[int, str]]:  # type: ignore[type-arg]
    return [(s.position, s.club) for s in table]


def test_a_simple_table_with_three_one_zero() -> None:
    table = standings([m("A", "B", "2:0"), m("B", "C", "1:1"), m("C", "A", "0:3")])
    a, b, c = table
    assert (a.club, a.played, a.won, a.points, a.goals_for, a.goals_against, a.goal_difference) == (
        "A",
        2,
        2,
        6,
        5,
        0,
        5,
    )
    assert (b.club, b.drawn, b.lost, b.points, b.goal_difference) == ("B", 1, 1, 1, -2)
    assert (c.club, c.points, c.goal_difference) == ("C", 1, -3)
    assert [s.position for s in table] == [1, 2, 3]


def test_custom_points_for_win_draw_and_loss() -> None:
    table = standings([m("A", "B", "1:1"), m("A", "C", "0:1")], points=(2, 1, 0))
    assert [(s.club, s.points) for s in table] == [("C", 2), ("B", 1), ("A", 1)]


def test_objects_work_as_matches() -> None:
    @dataclass
    class Match:
        home: str
        away: str
        home_goals: int
        away_goals: int

    assert standings([Match("A", "B", 0, 1)])[0].club == "B"


def test_goal_difference_then_goals_for_break_ties() -> None:
    matches = [
        m("A", "X", "3:0"),
        m("B", "X", "2:0"),
        m("C", "X", "4:1"),
        m("A", "B", "0:0"),
        m("A", "C", "1:1"),
        m("B", "C", "2:2"),
    ]
    # A, B, C: 5 points each; A and C +3, B +2; C scored 7, A 4.
    assert order(standings(matches))[:3] == [(1, "C"), (2, "A"), (3, "B")]


def test_three_clubs_level_are_decided_by_their_head_to_head_mini_table() -> None:
    level = [
        m("A", "B", "1:0"),
        m("B", "C", "2:0"),
        m("C", "A", "1:0"),
        m("A", "D", "1:0"),
        m("B", "D", "1:0"),
        m("C", "D", "5:0"),
    ]
    # A, B, C have 6 points each. Overall goal difference: A +1, B +2, C +4, so plain
    # goal difference puts C first; in the mini-table of their own matches (A-B 1:0,
    # B-C 2:0, C-A 1:0) each has 3 points, and B is +1, A 0, C -1.
    plain = standings(level)
    assert order(plain) == [(1, "C"), (2, "B"), (3, "A"), (4, "D")]
    h2h = standings(
        level,
        tiebreakers=(
            "points",
            "head_to_head_points",
            "head_to_head_goal_difference",
            "goal_difference",
        ),
    )
    assert order(h2h) == [(1, "B"), (2, "A"), (3, "C"), (4, "D")]


def test_head_to_head_is_reapplied_to_the_clubs_still_level() -> None:
    level = [
        m("A", "B", "3:0"),
        m("B", "C", "2:0"),
        m("C", "A", "1:0"),
        m("A", "D", "1:0"),
        m("B", "D", "1:0"),
        m("C", "D", "5:0"),
    ]
    # 6 points each for A, B, C. Mini-table of the three: 3 points each; goal
    # difference A +2, B -1, C -1, so A is first. B and C, still level, are compared
    # again on their own match: B won 2:0, so B is second, although C's overall goal
    # difference (+4) beats B's (0).
    table = standings(
        level,
        tiebreakers=(
            "points",
            "head_to_head_points",
            "head_to_head_goal_difference",
            "goal_difference",
        ),
    )
    assert order(table) == [(1, "A"), (2, "B"), (3, "C"), (4, "D")]


def test_clubs_level_on_everything_share_a_position_or_draw_lots() -> None:
    matches = [m("A", "B", "1:1"), m("C", "D", "1:1")]
    assert order(standings(matches)) == [(1, "A"), (1, "B"), (1, "C"), (1, "D")]
    drawn = standings(matches, lots_seed=b"season-2026")
    assert [s.position for s in drawn] == [1, 2, 3, 4]
    assert drawn == standings(matches, lots_seed=b"season-2026")
    assert sorted(s.club for s in drawn) == ["A", "B", "C", "D"]


def test_clubs_without_matches_are_listed_at_zero() -> None:
    table = standings([m("A", "B", "1:0")], clubs=["A", "B", "Z"])
    assert [(s.club, s.played, s.points) for s in table] == [("A", 1, 3), ("Z", 0, 0), ("B", 1, 0)]


def test_form_is_the_last_five_results() -> None:
    matches = [
        m("A", "B", "1:0"),
        m("C", "A", "1:1"),
        m("A", "D", "0:2"),
        m("E", "A", "0:1"),
        m("A", "F", "3:3"),
        m("G", "A", "2:0"),
    ]
    assert form(matches, "A") == ["D", "L", "W", "D", "L"]


@pytest.mark.parametrize(
    "bad",
    [
        {"tiebreakers": ("points", "coin_toss")},
    ],
)
def test_an_unknown_tiebreaker_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(LeagueError, match="expected tie-breakers from"):
        standings([m("A", "B", "1:0")], **bad)  # type: ignore[arg-type]


def test_a_malformed_match_is_refused_with_its_index() -> None:
    with pytest.raises(LeagueError, match="match 1"):
        standings([m("A", "B", "1:0"), {"home": "A", "away": "B"}])
