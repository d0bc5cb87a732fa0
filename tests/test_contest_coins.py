"""Contests pay coins in the fold: places among agents by ``coins.places``, a
challenge's winner ``coins.challenge_won`` and its stake from the loser, once each
run is final (its last counted sale past the cancellation window)."""

from __future__ import annotations

from tests.coin_helpers import coin_rules, grant, wallet
from tests.scoring_helpers import Board, cancellation, challenge_answer, contest, roster, sale

BEFORE = "2026-11-01T00:00:00Z"


def at(hour: int, day: int = 2) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:00:00Z"


def company() -> Board:
    # no coins for points (the contests' coins alone), a 3-day window
    rules = coin_rules(BEFORE, cancellation_window_days=3)
    rules["rules"]["coins"] = {"per_point": 0, "places": [50, 30, 20], "challenge_won": 25}
    return Board(
        rules,
        roster("a1", BEFORE, team="red", site="ber"),
        roster("a2", BEFORE, team="red", site="ber"),
        roster("a3", BEFORE, team="blue", site="lei"),
    )


def duel(**extra: object) -> dict[str, object]:
    """A challenge of a1 against a3 by sales, accepted at once."""
    fields = {"format": "challenge", "starts": at(7), "ends": at(17), "metric": "sales"}
    return contest("duel", at(6), agents=["a1", "a3"], **{**fields, **extra})


def coins(board: Board, agent: str) -> list[tuple[str, float, str]]:
    """(cause, coins, note) of each movement, oldest first."""
    moves = reversed(wallet(board, agent)["history"])
    return [(m["cause"], m["coins"], m["note"]) for m in moves]


def test_a_race_among_agents_pays_its_places_once_it_is_final() -> None:
    board = company()
    board.feed(
        contest(
            "sprint",
            at(6),
            format="race",
            starts=at(7),
            ends=at(17),
            agents=["a1", "a2", "a3"],
            target=2,
            places=3,
            metric="sales",
        ),
        sale("s1", at(8), agent="a2"),
        sale("s2", at(9), agent="a2"),
        sale("s3", at(10), agent="a1"),
        sale("s4", at(11), agent="a1"),
        sale("s5", at(12), agent="a3"),
    )
    board.at(at(18))  # decided at the end plus the grace, provisional: nothing paid
    assert [coins(board, a) for a in ("a1", "a2", "a3")] == [[], [], []]
    board.at(at(13, day=5))  # every sale past its window: final
    assert coins(board, "a2") == [("place", 50, "place 1")]
    assert coins(board, "a1") == [("place", 30, "place 2")]
    assert coins(board, "a3") == []  # never reached the line: no place
    board.at(at(13, day=9))
    assert coins(board, "a2") == [("place", 50, "place 1")]  # once


def test_a_challenge_pays_its_winner_and_moves_the_stake_from_the_loser() -> None:
    board = company()
    board.feed(
        grant("a3", 30, at(5)),
        duel(stake=40),
        challenge_answer("duel", at(7), accept=True),
        sale("s1", at(8), agent="a1"),
        sale("s2", at(9), agent="a1"),
        sale("s3", at(10), agent="a3"),
    )
    board.at(at(13, day=5))
    assert coins(board, "a1") == [("challenge", 25, "won"), ("challenge", 30, "stake")]
    # the stake is taken as far as the loser's wallet goes: 30 of 40
    assert coins(board, "a3") == [("grant", 30, "well done"), ("challenge", -30, "stake")]


def test_a_cancellation_that_flips_a_challenge_pays_the_new_winner_only() -> None:
    board = company()
    board.feed(
        duel(),
        challenge_answer("duel", at(7), accept=True),
        sale("s1", at(8), agent="a1"),
        sale("s2", at(9), agent="a1"),
        sale("s3", at(10), agent="a3"),
    )
    board.at(at(18))
    board.feed(cancellation("c1", "s1", at(19)), cancellation("c2", "s2", at(20)))
    board.at(at(13, day=5))
    assert coins(board, "a3") == [("challenge", 25, "won")]
    assert coins(board, "a1") == []


def test_a_battle_of_teams_pays_no_agent() -> None:
    board = company()
    board.feed(
        contest(
            "derby",
            at(6),
            format="team_battle",
            starts=at(7),
            ends=at(17),
            teams=["red", "blue"],
            metric="sales",
        ),
        sale("s1", at(8), agent="a1"),
    )
    board.at(at(13, day=5))
    assert [coins(board, a) for a in ("a1", "a2", "a3")] == [[], [], []]
