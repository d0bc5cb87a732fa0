"""Knockout cups in the pure core: seeding, byes, single and two-legged ties and
each step of the documented tie-break."""

from __future__ import annotations

import hashlib
from typing import Any

from scoring.contests import cup
from scoring.contests.model import Contest, Run
from tests.scoring_helpers import Board, cancellation, contest, roster, sale

BEFORE = "2026-10-01T00:00:00Z"
AGENTS = [f"a{n}" for n in range(1, 9)]


def day(n: int, hour: int = 0) -> str:
    return f"2026-11-{n:02d}T{hour:02d}:00:00Z"


def people(count: int) -> list[dict[str, Any]]:
    return [roster(agent, BEFORE, team="t", site="s") for agent in AGENTS[:count]]


def the_cup(board: Board, contest_id: str = "cup") -> tuple[Contest, Run]:
    found = board.scorer.contests.book.contests[contest_id]
    return found, found.runs[0]


def ties(run: Run, round_number: int) -> list[tuple[str | None, str | None, str | None, str]]:
    return [(t.home, t.away, t.winner, t.by) for t in run.ties if t.round == round_number]


def test_the_bracket_keeps_the_top_seeds_apart() -> None:
    assert cup.positions(8) == [0, 7, 3, 4, 1, 6, 2, 5]
    assert cup.positions(4) == [0, 3, 1, 2]


def test_a_six_team_cup_gives_the_top_two_seeds_byes() -> None:
    board = Board(*people(6))
    board.feed(
        contest(
            "cup",
            BEFORE,
            format="cup",
            starts=day(2),
            ends=day(8),
            agents=AGENTS[:6],
            seeding=["a6", "a5", "a4", "a3", "a2", "a1"],
        )
    )
    _, run = the_cup(board)
    assert run.seeds == ["a6", "a5", "a4", "a3", "a2", "a1"]
    # Room for 8: three rounds, one two-day window each.
    assert len(run.windows) == 3
    assert ties(run, 0) == [
        ("a6", "-", "a6", "bye"),
        ("a3", "a2", None, ""),
        ("a5", "-", "a5", "bye"),
        ("a4", "a1", None, ""),
    ]
    assert ties(run, 1) == [("a6", None, None, ""), ("a5", None, None, "")]
    # Round one: the unseeded sides' sales decide; the winners join the seeds.
    board.feed(
        sale("s1", day(2, 9), agent="a2", revenue="50.00"),
        sale("s2", day(2, 10), agent="a4", revenue="50.00"),
    )
    board.at(day(4, 1))
    assert ties(run, 0)[1] == ("a3", "a2", "a2", "aggregate")
    assert ties(run, 1) == [("a6", "a2", None, ""), ("a5", "a4", None, "")]


def two_legged(**extra: Any) -> dict[str, Any]:
    windows = [[day(n), day(n + 1)] for n in (2, 3, 4, 5)]
    return contest(
        "cup",
        BEFORE,
        format="cup",
        starts=day(2),
        ends=day(6),
        agents=AGENTS[:4],
        legs=2,
        rounds=windows,
        **extra,
    )


def test_a_two_legged_tie_goes_to_the_higher_aggregate() -> None:
    board = Board(*people(4), two_legged(away_goals=True))
    board.feed(
        sale("s1", day(2, 9), agent="a1", revenue="50.00"),
        sale("s2", day(2, 9), agent="a4", revenue="30.00"),
        sale("s3", day(3, 9), agent="a1", revenue="10.00"),
        sale("s4", day(3, 9), agent="a4", revenue="20.00"),
    )
    board.at(day(4, 1))
    _, run = the_cup(board)
    assert ties(run, 0)[0] == ("a1", "a4", "a1", "aggregate")
    assert run.ties[0].legs == [[50.0, 30.0], [10.0, 20.0]]


def test_level_on_aggregate_the_higher_score_away_goes_through() -> None:
    board = Board(*people(4), two_legged(away_goals=True))
    # a2 (seed 2) plays away in leg one (at a3's), a3 away in leg two.
    board.feed(
        sale("s1", day(2, 9), agent="a2", revenue="40.00"),
        sale("s2", day(2, 9), agent="a3", revenue="20.00"),
        sale("s3", day(3, 9), agent="a2", revenue="10.00"),
        sale("s4", day(3, 9), agent="a3", revenue="30.00"),
    )
    board.at(day(4, 1))
    _, run = the_cup(board)
    assert ties(run, 0)[1] == ("a2", "a3", "a2", "away_goals")


def test_without_away_goals_a_level_tie_goes_to_the_draw_of_lots() -> None:
    board = Board(*people(4), two_legged())
    board.feed(
        sale("s1", day(2, 9), agent="a2", revenue="40.00"),
        sale("s2", day(2, 9), agent="a3", revenue="20.00"),
        sale("s3", day(3, 9), agent="a2", revenue="10.00"),
        sale("s4", day(3, 9), agent="a3", revenue="30.00"),
    )
    board.at(day(4, 1))
    _, run = the_cup(board)

    def lot(side: str) -> int:
        text = f"cup:1:0:1:{side}"  # contest, run, round, tie, side
        return int(hashlib.sha256(text.encode()).hexdigest(), 16)

    expected = "a2" if lot("a2") < lot("a3") else "a3"
    assert ties(run, 0)[1] == ("a2", "a3", expected, "lots")


def test_level_on_aggregate_and_away_goals_the_lots_decide() -> None:
    board = Board(*people(4), two_legged(away_goals=True))
    board.at(day(4, 1))  # nobody sold: level on everything
    _, run = the_cup(board)
    assert [t.by for t in run.ties if t.round == 0] == ["lots", "lots"]


def test_a_cup_is_won_in_the_final_and_a_revocation_there_can_change_the_winner() -> None:
    board = Board(*people(4))
    board.feed(
        contest("cup", BEFORE, format="cup", starts=day(2), ends=day(4), agents=AGENTS[:4]),
        sale("s1", day(2, 9), agent="a1", revenue="50.00"),
        sale("s2", day(2, 9), agent="a2", revenue="50.00"),
        sale("s3", day(3, 9), agent="a1", revenue="60.00"),
        sale("s4", day(3, 10), agent="a2", revenue="50.00"),
    )
    board.at(day(4, 1))
    _, run = the_cup(board)
    assert ties(run, 1) == [("a1", "a2", "a1", "aggregate")]
    assert run.places == {"": [["a1"], ["a2"], ["a3", "a4"]]}
    assert run.state == "decided"
    board.feed(cancellation("c3", "s3", day(5, 9)))
    assert run.places[""][0] == ["a2"]
    assert ties(run, 1) == [("a1", "a2", "a2", "aggregate")]
    changes = [c for c in board.scorer.outbox.changes if c["kind"] == "cup_tie"]
    assert [(c["round"], c["winner"]) for c in changes] == [(0, "a1"), (0, "a2"), (1, "a1")]


def test_seeding_from_a_table_puts_the_tables_order_first() -> None:
    event = contest(
        "cup", BEFORE, format="cup", starts=day(2), ends=day(4), sites=["x", "b", "c", "d"]
    )
    board = Board(event)
    contest_, _ = the_cup(board)
    contest_.seeding = "a-season"
    assert cup.seeded(contest_, ["c", "zz", "b"]) == ["c", "b", "x", "d"]
    assert cup.seeded(contest_, None) == ["x", "b", "c", "d"]
