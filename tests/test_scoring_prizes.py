"""Prizes: instant tiers, stock, threshold and rank rules, revocation and handover."""

from __future__ import annotations

from typing import Any

from scoring.snapshot import from_data, to_data
from tests.scoring_helpers import (
    Board,
    cancellation,
    contact,
    handover,
    prize,
    prize_rule,
    roster,
    rules,
    sale,
)

START = "2026-11-01T00:00:00Z"
OUT_OF_STOCK = "out of stock: no awards until restocked"


def awarded(board: Board) -> list[tuple[str, str, str]]:
    """(agent, prize, state) of every award, in the order they were made."""
    return [(a["agent"], a["prize"], a["state"]) for a in board.awards()]


def rule_status(board: Board, rule_id: str) -> str:
    [status] = [r["status"] for r in board.prizes()["rules"] if r["rule"] == rule_id]
    return str(status)


def left(board: Board, prize_id: str) -> Any:
    [count] = [p["left"] for p in board.prizes()["prizes"] if p["prize"] == prize_id]
    return count


# Instant prizes -------------------------------------------------------------

TIERS = (
    prize("tshirt", START),  # no stock given: unlimited
    prize("champagne", START, stock=5),
    prize("basket", START, stock=1),
    prize_rule("tier-tshirt", START, kind="instant", prize="tshirt", min_revenue="50.00"),
    prize_rule("tier-champagne", START, kind="instant", prize="champagne", min_revenue="100.00"),
    prize_rule("tier-basket", START, kind="instant", prize="basket", min_revenue="250.00"),
)


def test_a_sale_wins_only_the_highest_tier_it_reaches() -> None:
    board = Board(
        *TIERS,
        sale("s1", "2026-11-02T09:00:00Z", revenue="49.99"),
        sale("s2", "2026-11-02T10:00:00Z", revenue="50.00"),
        sale("s3", "2026-11-02T11:00:00Z", revenue="120.00"),
        sale("s4", "2026-11-02T12:00:00Z", revenue="300.00"),
    )
    assert awarded(board) == [
        ("a1", "tshirt", "awarded"),
        ("a1", "champagne", "awarded"),
        ("a1", "basket", "awarded"),
    ]
    assert [a["reason"] for a in board.awards()] == [
        "sale s2 of 50.00 EUR",
        "sale s3 of 120.00 EUR",
        "sale s4 of 300.00 EUR",
    ]
    assert (left(board, "tshirt"), left(board, "champagne"), left(board, "basket")) == (None, 4, 0)


def test_when_stock_runs_out_no_award_is_made_until_a_restock() -> None:
    board = Board(*TIERS, sale("s1", "2026-11-02T09:00:00Z", revenue="300.00"))
    # the only basket is gone, and the rule says so
    assert rule_status(board, "tier-basket") == OUT_OF_STOCK
    assert rule_status(board, "tier-champagne") == "active"

    board.feed(sale("s2", "2026-11-02T10:00:00Z", agent="a2", revenue="260.00"))
    assert awarded(board) == [("a1", "basket", "awarded")]  # nothing for a2, not even champagne
    assert board.changes("prize_out_of_stock") == [
        {"kind": "prize_out_of_stock", "rule": "tier-basket", "prize": "basket", "agent": "a2"}
    ]

    board.feed(prize("basket", "2026-11-02T11:00:00Z", stock=2))  # one more basket
    assert rule_status(board, "tier-basket") == "active"
    assert left(board, "basket") == 1
    board.feed(sale("s3", "2026-11-02T12:00:00Z", agent="a2", revenue="280.00"))
    assert awarded(board) == [("a1", "basket", "awarded"), ("a2", "basket", "awarded")]
    assert left(board, "basket") == 0
    assert rule_status(board, "tier-basket") == OUT_OF_STOCK


def test_every_rule_of_a_prize_says_when_its_stock_is_gone() -> None:
    board = Board(
        prize("cinema", START, stock=1),
        prize_rule("big-sale", START, kind="instant", prize="cinema", min_revenue="200.00"),
        prize_rule("weekly", START, kind="threshold", prize="cinema", points=500, period="week"),
        sale("s1", "2026-11-02T09:00:00Z", revenue="250.00"),
    )
    assert rule_status(board, "big-sale") == OUT_OF_STOCK
    assert rule_status(board, "weekly") == OUT_OF_STOCK
    # a rule set while the prize is out of stock says so from the start
    board.feed(
        prize_rule(
            "monthly",
            "2026-11-02T10:00:00Z",
            kind="threshold",
            prize="cinema",
            points=900,
            period="month",
        )
    )
    assert rule_status(board, "monthly") == OUT_OF_STOCK

    board.feed(cancellation("x1", "s1", "2026-11-03T09:00:00Z"))  # the ticket comes back
    assert [rule_status(board, r) for r in ("big-sale", "weekly", "monthly")] == ["active"] * 3


def test_a_revoked_instant_prize_is_kept_and_goes_back_into_stock() -> None:
    board = Board(*TIERS, sale("s1", "2026-11-02T09:00:00Z", revenue="300.00"))
    board.feed(cancellation("x1", "s1", "2026-11-05T09:00:00Z"))
    assert awarded(board) == [("a1", "basket", "revoked")]
    assert left(board, "basket") == 1
    assert rule_status(board, "tier-basket") == "active"
    board.feed(sale("s2", "2026-11-05T10:00:00Z", agent="a2", revenue="250.00"))
    assert awarded(board) == [("a1", "basket", "revoked"), ("a2", "basket", "awarded")]


def test_a_manager_marks_an_award_handed_over() -> None:
    board = Board(*TIERS, sale("s1", "2026-11-02T09:00:00Z", revenue="120.00"))
    [award] = board.awards()
    board.feed(handover(award["award"], "2026-11-02T15:00:00Z"))
    assert awarded(board) == [("a1", "champagne", "handed_over")]
    assert [a["state"] for a in board.agent()["awards"]] == ["handed_over"]

    # cancelled inside the window: revoked, but the bottle has left the building
    board.feed(cancellation("x1", "s1", "2026-11-03T09:00:00Z"))
    assert awarded(board) == [("a1", "champagne", "revoked")]
    assert left(board, "champagne") == 4
    # and a revoked award cannot be handed over
    board.feed(handover(award["award"], "2026-11-03T10:00:00Z"))
    assert awarded(board) == [("a1", "champagne", "revoked")]


# Threshold prizes -----------------------------------------------------------

THRESHOLD = (
    rules(
        "r-threshold",
        START,
        sale={"products": {"*": {"base": 20, "per_euro": 0}}},
        contact={"handled": 10, "resolved": 0, "referral": 0},
    ),
    prize("voucher", START),
    prize_rule("fifty-a-week", START, kind="threshold", prize="voucher", points=50, period="week"),
)


def contacts(agent: str, day: str, count: int, first: int = 0) -> list[dict[str, Any]]:
    """``count`` contacts of 10 points each on ``day``, an hour apart from 08:00 UTC."""
    return [
        contact(f"c-{agent}-{day}-{n}", f"{day}T{8 + n:02d}:00:00Z", agent=agent)
        for n in range(first, first + count)
    ]


def test_a_threshold_prize_needs_confirmed_points_and_is_won_once_per_period() -> None:
    board = Board(*THRESHOLD, *contacts("a1", "2026-11-02", 4))  # 40 points, Monday of W45
    board.feed(sale("s1", "2026-11-03T07:00:00Z"))  # 20 more, but pending
    assert board.period("week")["points"] == {"pending": 20.0, "confirmed": 40.0, "total": 60.0}
    assert board.awards() == []

    board.feed(*contacts("a1", "2026-11-03", 1))  # 50 confirmed
    [award] = board.awards()
    assert (award["prize"], award["period"], award["reason"]) == (
        "voucher",
        "2026-W45",
        "50 confirmed points in 2026-W45",
    )
    board.feed(*contacts("a1", "2026-11-04", 3))
    assert len(board.awards()) == 1

    board.feed(*contacts("a1", "2026-11-09", 5))  # Monday of W46
    assert [a["period"] for a in board.awards()] == ["2026-W45", "2026-W46"]


def test_a_threshold_prize_can_be_won_when_a_sale_confirms() -> None:
    board = Board(
        *THRESHOLD,
        *contacts("a2", "2026-11-02", 3, first=1),  # 30 points
        sale("s1", "2026-11-03T10:00:00Z", agent="a2"),  # 20 pending
    )
    board.at("2026-11-17T09:59:59Z")
    assert board.awards() == []
    board.at("2026-11-17T10:00:00Z")  # s1 confirms: 50 confirmed points in W45
    [award] = board.awards()
    assert (award["agent"], award["period"], award["ts"]) == (
        "a2",
        "2026-W45",
        "2026-11-17T10:00:00Z",
    )


def test_a_threshold_prize_waits_for_the_gate() -> None:
    board = Board(
        *THRESHOLD,
        rules(
            "r-threshold-gated",
            START,
            sale={"products": {"*": {"base": 20, "per_euro": 0}}},
            contact={"handled": 10, "resolved": 0, "referral": 0},
            gates={"week": {"min_sales": 1}},
        ),
        *contacts("a3", "2026-11-02", 6),  # 60 points, but no sale yet
    )
    assert board.awards() == []
    board.feed(sale("s1", "2026-11-03T08:00:00Z", agent="a3"))
    board.feed(*contacts("a3", "2026-11-03", 1, first=2))
    assert [(a["agent"], a["period"]) for a in board.awards()] == [("a3", "2026-W45")]


# Rank prizes ----------------------------------------------------------------

RANK_RULES = rules(
    "r-rank",
    START,
    sale={"products": {"*": {"base": 0, "per_euro": 1}}},  # a point per euro
    contact={"handled": 5, "resolved": 0, "referral": 0},
    gates={"day": {"min_sales": 2}},
)
TEAM = tuple(roster(a, START, team="t1", site="berlin") for a in ("a1", "a2", "a3", "a4", "a5"))


def test_rank_prizes_go_to_the_top_of_a_period_at_its_end_with_gates_and_ties() -> None:
    tuesday = "2026-11-03"
    board = Board(
        RANK_RULES,
        *TEAM,
        prize("cinema", START),
        prize_rule("best-of-day", START, kind="rank", prize="cinema", top=3, period="day"),
        # a1: 100 points from one sale; the gate wants two sales
        sale("a1-1", f"{tuesday}T08:00:00Z", agent="a1", revenue="100.00"),
        # a2: 40 + 40 = 80, none confirmed, no cancellation
        sale("a2-1", f"{tuesday}T08:10:00Z", agent="a2", revenue="40.00"),
        sale("a2-2", f"{tuesday}T08:20:00Z", agent="a2", revenue="40.00"),
        # a3: 35 + 40 + a contact's 5 = 80, of which 5 confirmed
        sale("a3-1", f"{tuesday}T08:30:00Z", agent="a3", revenue="35.00"),
        sale("a3-2", f"{tuesday}T08:40:00Z", agent="a3", revenue="40.00"),
        contact("a3-c", f"{tuesday}T08:50:00Z", agent="a3"),
        # a4: 40 + 40 = 80, and a third sale cancelled: one cancellation
        sale("a4-1", f"{tuesday}T09:00:00Z", agent="a4", revenue="40.00"),
        sale("a4-2", f"{tuesday}T09:10:00Z", agent="a4", revenue="40.00"),
        sale("a4-3", f"{tuesday}T09:20:00Z", agent="a4", revenue="10.00"),
        cancellation("a4-x", "a4-3", f"{tuesday}T15:00:00Z"),
        # a5: exactly as a2; the id decides
        sale("a5-1", f"{tuesday}T09:30:00Z", agent="a5", revenue="40.00"),
        sale("a5-2", f"{tuesday}T09:40:00Z", agent="a5", revenue="40.00"),
    )
    # points, then confirmed points, then fewer cancellations, then the id
    assert board.board("day") == [
        ("a1", 100.0),
        ("a3", 80.0),
        ("a2", 80.0),
        ("a5", 80.0),
        ("a4", 80.0),
    ]
    board.at("2026-11-03T22:59:59Z")  # 23:59:59 in Berlin: the day has not ended
    assert board.awards() == []

    board.at("2026-11-03T23:00:00Z")  # midnight in Berlin
    assert [(a["agent"], a["reason"], a["period"]) for a in board.awards()] == [
        ("a3", "place 1 in 2026-11-03", "2026-11-03"),
        ("a2", "place 2 in 2026-11-03", "2026-11-03"),
        ("a5", "place 3 in 2026-11-03", "2026-11-03"),
    ]
    board.at("2026-11-05T12:00:00Z")
    assert len(board.awards()) == 3


def test_a_rank_prize_out_of_stock_stops_at_the_last_one() -> None:
    board = Board(
        RANK_RULES,
        *TEAM,
        prize("cinema", START, stock=1),
        prize_rule("best-of-week", START, kind="rank", prize="cinema", top=2, period="week"),
        *[
            sale(f"{a}-{n}", f"2026-11-04T{8 + n:02d}:00:00Z", agent=a, revenue=revenue)
            for a, revenue in (("a1", "30.00"), ("a2", "50.00"))
            for n in (1, 2)
        ],
    )
    board.at("2026-11-08T23:00:00Z")  # Monday 9 November in Berlin: W45 has ended
    assert awarded(board) == [("a2", "cinema", "awarded")]
    assert rule_status(board, "best-of-week") == OUT_OF_STOCK


def test_ended_periods_are_settled_oldest_first() -> None:
    # the CRM's batch for Monday and Tuesday reaches the log on Thursday
    board = Board(
        RANK_RULES,
        *TEAM,
        prize("cinema", START, stock=1),
        prize_rule("best-of-day", START, kind="rank", prize="cinema", top=1, period="day"),
    )
    thursday = "2026-11-05T08:00:00Z"
    board.feed(
        sale("a2-1", "2026-11-03T09:00:00Z", agent="a2"),
        sale("a2-2", "2026-11-03T10:00:00Z", agent="a2"),
        sale("a1-1", "2026-11-02T09:00:00Z", agent="a1"),
        sale("a1-2", "2026-11-02T10:00:00Z", agent="a1"),
        received=thursday,
    )
    board.at("2026-11-06T08:00:00Z")
    # the only ticket goes to Monday's best; Tuesday's finds the stock empty
    assert [(a["agent"], a["period"]) for a in board.awards()] == [("a1", "2026-11-02")]


def test_a_new_rank_rule_does_not_award_periods_that_ended_before_it() -> None:
    board = Board(
        RANK_RULES,
        *TEAM,
        prize("cinema", START),
        sale("a1-1", "2026-11-02T09:00:00Z", agent="a1"),
        sale("a1-2", "2026-11-02T10:00:00Z", agent="a1"),
        sale("a2-1", "2026-11-03T09:00:00Z", agent="a2"),
        sale("a2-2", "2026-11-03T10:00:00Z", agent="a2"),
        # set on Tuesday: Tuesday is the first day it plays for
        prize_rule(
            "best-of-day", "2026-11-03T11:00:00Z", kind="rank", prize="cinema", top=1, period="day"
        ),
    )
    board.at("2026-11-04T08:00:00Z")
    assert [(a["agent"], a["period"]) for a in board.awards()] == [("a2", "2026-11-03")]


# What a prize costs ------------------------------------------------------------


def test_a_prize_keeps_its_value_through_a_restock_and_a_snapshot() -> None:
    board = Board({**prize("mug", START, stock=2), "value": "7.50"})
    board.feed(prize("mug", START, stock=5))  # a restock that does not repeat the value
    [mug] = board.prizes()["prizes"]
    assert (mug["stock"], mug["value"]) == (5, 7.5)
    restored = from_data(to_data(board.scorer))
    assert restored.prizes.book.prizes["mug"].value == 750


def test_a_prize_without_a_value_is_stored_as_before_values_existed() -> None:
    """A log that never gave a value keeps its recorded state hash."""
    board = Board(prize("mug", START, stock=2))
    assert to_data(board.scorer)["prizes"] == {"mug": ["mug", "Mug", 2, None, 0]}
    assert board.prizes()["prizes"][0]["value"] is None
