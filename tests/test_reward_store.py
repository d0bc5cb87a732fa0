"""The reward store in the fold: a redemption held or refused at once, stock,
a manager's approval or rejection (with a refund), and each site's monthly budget."""

from __future__ import annotations

from scoring.reward_views import store_view
from tests.coin_helpers import (
    budget,
    coin_rules,
    decision,
    figures,
    grant,
    history,
    left,
    redemption,
    reward,
    store,
    wallet,
)
from tests.scoring_helpers import Board, roster

START = "2026-10-01T08:00:00Z"


def at(day: int, hour: int = 9, month: int = 11) -> str:
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:00:00Z"


def shop(*events: dict[str, object]) -> Board:
    """A store with a mug (40 coins, 2 in stock) and a day off (300), and a1
    holding 100 coins."""
    board = Board(
        coin_rules(START),
        reward("mug", 40, START, stock=2, picture="/static/mug.png"),
        reward("day-off", 300, START),
        grant("a1", 100, at(2)),
    )
    return board.feed(*events)


def test_a_redemption_with_enough_coins_holds_them_until_a_manager_decides() -> None:
    board = shop(redemption("r1", "mug", at(3)))
    assert figures(board) == (60, 0, 40)
    assert history(board) == [("grant", 100), ("redemption", -40)]
    assert left(board, "mug") == 1
    [asked] = wallet(board)["redemptions"]
    assert (asked["redemption"], asked["name"], asked["price"], asked["state"]) == (
        "r1",
        "Mug",
        40,
        "held",
    )
    [waiting] = store(board)["waiting"]
    assert (waiting["redemption"], waiting["agent"], waiting["price"]) == ("r1", "a1", 40)
    [change] = board.changes("redemption_requested")
    assert change == {
        "kind": "redemption_requested",
        "redemption": "r1",
        "agent": "a1",
        "reward": "mug",
        "name": "Mug",
        "price": 4000,
    }


def test_a_redemption_with_too_few_coins_is_refused_and_takes_nothing() -> None:
    board = shop(redemption("r1", "day-off", at(3)))
    assert figures(board) == (100, 0, 0)
    assert history(board) == [("grant", 100)]
    assert left(board, "day-off") is None
    [asked] = wallet(board)["redemptions"]
    assert (asked["state"], asked["reason"]) == ("refused", "balance")
    assert store(board)["waiting"] == []
    [change] = board.changes("redemption_refused")
    assert (change["redemption"], change["reason"]) == ("r1", "balance")


def test_an_unknown_or_withdrawn_item_is_refused() -> None:
    board = shop(
        redemption("r1", "yacht", at(3)),
        reward("mug", 40, at(3), stock=2, active=False),
        redemption("r2", "mug", at(3, 10)),
    )
    assert [(r["redemption"], r["reason"]) for r in wallet(board)["redemptions"]] == [
        ("r2", "inactive"),
        ("r1", "unknown_reward"),
    ]
    assert figures(board) == (100, 0, 0)
    # Withdrawn items are the manager's to see; the store agents see leaves them out.
    assert [r["reward"] for r in store_view(board.scorer, manager=False)["rewards"]] == ["day-off"]


def test_stock_runs_out_and_a_rejection_puts_one_back() -> None:
    board = shop(
        grant("a2", 100, at(2)),
        redemption("r1", "mug", at(3)),
        redemption("r2", "mug", at(3), agent="a2"),
    )
    assert left(board, "mug") == 0
    assert [c["reward"] for c in board.changes("reward_out_of_stock")] == ["mug"]
    board.feed(redemption("r3", "mug", at(4)))
    assert wallet(board)["redemptions"][0]["reason"] == "out_of_stock"
    assert figures(board) == (60, 0, 40)
    board.feed(decision("r2", at(4, 10), approve=False, reason="no mugs left in Essen"))
    assert left(board, "mug") == 1
    board.feed(redemption("r4", "mug", at(4, 11)))
    assert figures(board) == (20, 0, 80)
    assert left(board, "mug") == 0
    # A restock is the item posted again with more in all.
    board.feed(reward("mug", 40, at(5), stock=5))
    assert left(board, "mug") == 3


def test_an_approval_spends_the_held_coins_for_good() -> None:
    board = shop(redemption("r1", "mug", at(3)), decision("r1", at(4), approve=True))
    assert figures(board) == (60, 0, 0)
    assert history(board) == [("grant", 100), ("redemption", -40)]
    [asked] = wallet(board)["redemptions"]
    assert (asked["state"], asked["decided"]) == ("approved", "2026-11-04T09:00:00Z")
    assert left(board, "mug") == 1
    assert store(board)["waiting"] == []
    [change] = board.changes("redemption_decided")
    assert (change["redemption"], change["approved"]) == ("r1", True)


def test_a_rejection_refunds_the_coins_with_who_and_why() -> None:
    board = shop(
        redemption("r1", "mug", at(3)),
        decision("r1", at(4), approve=False, reason="out of mugs"),
    )
    assert figures(board) == (100, 0, 0)
    refund = wallet(board)["history"][0]
    assert (refund["cause"], refund["coins"], refund["ref"]) == ("refund", 40, "r1")
    assert (refund["by"], refund["note"]) == ("Maria Boss", "out of mugs")
    assert left(board, "mug") == 2
    [asked] = wallet(board)["redemptions"]
    assert (asked["state"], asked["reason"]) == ("rejected", "out of mugs")


def test_a_second_decision_and_a_second_redemption_id_change_nothing() -> None:
    board = shop(
        decision("r0", at(3), approve=True),  # before its redemption: nothing to decide
        redemption("r1", "mug", at(3)),
        redemption("r1", "day-off", at(3, 10)),  # the id is taken: the first stands
        decision("r1", at(4), approve=True),
        decision("r1", at(4, 10), approve=False),
    )
    assert figures(board) == (60, 0, 0)
    assert [(r["redemption"], r["state"]) for r in wallet(board)["redemptions"]] == [
        ("r1", "approved")
    ]
    assert len(board.changes("redemption_decided")) == 1


def test_a_sites_monthly_budget_counts_by_the_local_month() -> None:
    """Berlin's budget is 100 coins a month. 22:30 UTC on 31 October is 23:30 in
    Berlin, still October; 23:30 UTC is already 1 November there."""
    board = Board(
        coin_rules(START),
        {"id": "site-ber", "type": "site", "ts": START, "site": "ber", "name": "Berlin"},
        roster("a1", START, team="t-ber", site="ber"),
        roster("a2", START, team="t-ber", site="ber"),
        roster("a3", START, team="t-lei", site="lei"),
        reward("voucher", 60, START),
        budget("ber", 100, START),
        *(grant(agent, 500, at(30, 8, month=10)) for agent in ("a1", "a2", "a3")),
    )
    board.feed(redemption("oct", "voucher", "2026-10-31T22:30:00Z"))
    board.feed(redemption("nov-1", "voucher", "2026-10-31T23:30:00Z"))
    board.feed(redemption("nov-2", "voucher", at(2), agent="a2"))
    # Leipzig has no budget: its agents redeem as their coins allow.
    board.feed(redemption("nov-3", "voucher", at(2), agent="a3"))
    states = {r["redemption"]: (r["state"], r["reason"]) for r in wallet(board)["redemptions"]}
    assert states == {"oct": ("held", ""), "nov-1": ("held", "")}
    assert wallet(board, "a2")["redemptions"][0]["reason"] == "budget"
    assert wallet(board, "a3")["redemptions"][0]["state"] == "held"
    assert figures(board, "a2") == (500, 0, 0), "a refusal takes nothing"
    seen = store(board)
    assert seen["month"] == "2026-11"
    assert seen["budgets"] == [
        {"site": "ber", "name": "Berlin", "month_cap": 100, "used": 60, "left": 40},
        {"site": "lei", "name": None, "month_cap": None, "used": 60, "left": None},
    ]
    # A rejection gives its share of the budget back; lifting the budget lifts the cap.
    board.feed(decision("nov-1", at(3), approve=False))
    board.feed(redemption("nov-4", "voucher", at(3, 10), agent="a2"))
    assert wallet(board, "a2")["redemptions"][0]["state"] == "held"
    board.feed(budget("ber", None, at(4)), redemption("nov-5", "voucher", at(4, 10)))
    assert wallet(board)["redemptions"][0]["state"] == "held"
    assert store(board)["budgets"][0] == {
        "site": "ber",
        "name": "Berlin",
        "month_cap": None,
        "used": 120,
        "left": None,
    }
