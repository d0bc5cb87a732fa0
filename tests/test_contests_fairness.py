"""Each fairness option, with numbers where the top seller does not win."""

from __future__ import annotations

from typing import Any

from scoring.contests.standings import standings
from tests.scoring_helpers import Board, contest, roster, sale

LONG_AGO = "2025-01-06T00:00:00Z"
RECENTLY = "2026-10-15T00:00:00Z"


def at(day: int, hour: int) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:00:00Z"


def floor() -> list[dict[str, Any]]:
    return [
        roster("a1", LONG_AGO, team="red", site="ber"),
        roster("a2", RECENTLY, team="red", site="ber"),
        roster("a3", RECENTLY, team="blue", site="ber"),
    ]


def battle(**fields: Any) -> dict[str, Any]:
    return contest(
        "fair",
        "2026-11-01T00:00:00Z",
        format="team_battle",
        starts=at(9, 7),
        ends=at(9, 17),
        **fields,
    )


def rows(board: Board) -> list[tuple[str, float, float, int, str]]:
    found = board.scorer.contests.book.contests["fair"]
    return [
        (r.participant, r.score, round(r.ranked_by, 2), r.rank, r.cohort)
        for r in standings(board.scorer.state, found, found.runs[0])
    ]


def places(board: Board) -> dict[str, list[list[str]]]:
    return board.scorer.contests.book.contests["fair"].runs[0].places


def test_target_ranks_by_percent_of_each_ones_own_target() -> None:
    board = Board(
        *floor(), battle(agents=["a1", "a3"], fairness="target", targets={"a1": 100, "a3": 50})
    )
    board.feed(
        sale("s1", at(9, 8), agent="a1", revenue="80.00"),
        sale("s2", at(9, 9), agent="a3", revenue="45.00"),
    )
    assert rows(board) == [("a3", 45.0, 90.0, 1, ""), ("a1", 80.0, 80.0, 2, "")]


def test_improvement_ranks_by_the_gain_over_the_own_baseline() -> None:
    board = Board(*floor())
    # The two days before the contest's day: a1 sells 200 a day, a3 20.
    for n in (7, 8):
        board.feed(
            sale(f"b1-{n}", at(n, 9), agent="a1", revenue="200.00"),
            sale(f"b3-{n}", at(n, 9), agent="a3", revenue="20.00"),
        )
    board.feed(
        battle(agents=["a1", "a3"], fairness="improvement", baseline_windows=2),
        sale("s1", at(9, 8), agent="a1", revenue="220.00"),
        sale("s2", at(9, 9), agent="a3", revenue="40.00"),
    )
    run = board.scorer.contests.book.contests["fair"].runs[0]
    assert run.baseline == {"a1": 200.0, "a3": 20.0}
    assert rows(board) == [("a3", 40.0, 100.0, 1, ""), ("a1", 220.0, 10.0, 2, "")]


def test_per_head_divides_a_team_by_its_head_count() -> None:
    board = Board(*floor(), battle(teams=["red", "blue"], fairness="per_head"))
    board.feed(
        sale("s1", at(9, 8), agent="a1", revenue="100.00"),
        sale("s2", at(9, 8), agent="a2", revenue="50.00"),
        sale("s3", at(9, 9), agent="a3", revenue="100.00"),
    )
    assert rows(board) == [("blue", 100.0, 100.0, 1, ""), ("red", 150.0, 75.0, 2, "")]


def test_cohorts_by_tenure_each_have_their_own_places() -> None:
    board = Board(*floor(), battle(agents=["a1", "a2", "a3"], fairness="cohort", cohort="tenure"))
    board.feed(
        sale("s1", at(9, 8), agent="a1", revenue="500.00"),
        sale("s2", at(9, 8), agent="a2", revenue="30.00"),
        sale("s3", at(9, 9), agent="a3", revenue="60.00"),
    )
    assert rows(board) == [
        ("a3", 60.0, 60.0, 1, "0-89"),
        ("a2", 30.0, 30.0, 2, "0-89"),
        ("a1", 500.0, 500.0, 1, "365+"),
    ]
    board.at(at(9, 18))
    assert places(board) == {"0-89": [["a3"], ["a2"]], "365+": [["a1"]]}


def test_cohorts_by_team() -> None:
    board = Board(*floor(), battle(agents=["a1", "a2", "a3"], fairness="cohort", cohort="team"))
    board.feed(sale("s1", at(9, 8), agent="a2", revenue="30.00"))
    board.at(at(9, 18))
    assert places(board) == {"blue": [["a3"]], "red": [["a2"], ["a1"]]}
