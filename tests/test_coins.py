"""Coins in the fold: earned by confirmed points, by contest places and won
challenges, given and corrected by managers; every movement in the history."""

from __future__ import annotations

from scoring import snapshot
from scoring.wallet import (
    WalletBook,
    challenge_won,
    contest_decided,
    grant_for_challenge,
    grant_for_places,
)
from tests.coin_helpers import coin_rules, figures, grant, history, wallet
from tests.scoring_helpers import Board, cancellation, contact, rules, sale

START = "2026-11-02T08:00:00Z"


def at(day: int, hour: int = 9) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:00:00Z"


def test_a_sale_brings_its_coins_pending_and_they_count_once_it_is_confirmed() -> None:
    # 100.00 EUR: 10 + 0.1 x 100 = 20 points, at 0.1 coins a point 2 coins;
    # 49.90 EUR: 14.99 points, 1.50 coins (kept in hundredths, as points are).
    board = Board(coin_rules(START, cancellation_window_days=3))
    board.feed(sale("s1", at(2)), sale("s2", at(2, 10), revenue="49.90"))
    assert figures(board) == (0, 3.5, 0)
    assert history(board) == []
    board.at(at(5, 9))  # s1's window ended, s2's not yet
    assert figures(board) == (2, 1.5, 0)
    board.at(at(5, 10))
    assert figures(board) == (3.5, 0, 0)
    assert history(board) == [("sale", 2), ("sale", 1.5)]
    newest = wallet(board)["history"][0]
    assert newest["ref"] == "crm:s2" and newest["ts"] == "2026-11-05T10:00:00Z"
    earned = board.changes("coins_earned")
    assert [(c["agent"], c["coins"], c["cause"], c["balance"]) for c in earned] == [
        ("a1", 200, "sale", 200),
        ("a1", 150, "sale", 350),
    ]


def test_a_revoked_sale_takes_its_pending_coins_back() -> None:
    board = Board(coin_rules(START, cancellation_window_days=3))
    board.feed(sale("s1", at(2)), sale("s2", at(2, 10)))
    board.feed(cancellation("c1", "s1", at(3)))
    assert figures(board) == (0, 2, 0)
    board.at(at(6))
    assert figures(board) == (2, 0, 0)
    assert history(board) == [("sale", 2)]


def test_a_cancellation_after_the_window_takes_no_coins() -> None:
    board = Board(coin_rules(START, cancellation_window_days=3))
    board.feed(sale("s1", at(2)))
    board.at(at(6)).feed(cancellation("c1", "s1", at(6, 10)))
    assert figures(board) == (2, 0, 0)


def test_a_sale_keeps_the_coins_of_the_rule_set_that_scored_it() -> None:
    board = Board(coin_rules(START, cancellation_window_days=3))
    board.feed(sale("s1", at(2)))
    # From the 3rd on, coins are off: s1 still brings its 2 when it is confirmed.
    board.feed(rules("no-coins", at(3), cancellation_window_days=3), sale("s2", at(3)))
    board.at(at(7))
    assert figures(board) == (2, 0, 0)


def test_contacts_earn_coins_at_once_one_record_a_day() -> None:
    # A resolved contact: 1 handled + 1 resolved = 2 points, 0.2 coins.
    board = Board(coin_rules(START))
    board.feed(contact("k1", at(2), resolved=True), contact("k2", at(2, 11), resolved=True))
    board.feed(contact("k3", at(3), resolved=True))
    assert figures(board) == (0.6, 0, 0)
    assert history(board) == [("support", 0.4), ("support", 0.2)]
    assert [m["ref"] for m in wallet(board)["history"]] == ["2026-11-03", "2026-11-02"]
    assert board.changes("coins_earned") == [], "a contact's coins are not celebrated"


def test_without_coin_rules_nothing_earns_coins_and_the_state_stores_as_before() -> None:
    board = Board(rules("r", START, cancellation_window_days=3))
    board.feed(sale("s1", at(2)), contact("k1", at(2), resolved=True))
    board.at(at(9))
    assert figures(board) == (0, 0, 0)
    data = snapshot.to_data(board.scorer)
    stored = {"wallets", "pending_sales", "contests_paid", "moves", "rewards", "redemptions"}
    assert not stored & set(data), "a state without coins stores no coin fields"


def test_a_managers_grant_and_a_correction_are_recorded_with_who_and_why() -> None:
    board = Board(coin_rules(START))
    board.feed(grant("a1", 50, at(2), "best week in Leipzig"))
    board.feed(grant("a1", -20, at(3), "double booking"))
    assert figures(board) == (30, 0, 0)
    correction, given = wallet(board)["history"]
    assert given == {
        "coins": 50,
        "cause": "grant",
        "ref": given["ref"],
        "ts": "2026-11-02T09:00:00Z",
        "by": "Maria Boss",
        "note": "best week in Leipzig",
    }
    assert (correction["coins"], correction["cause"], correction["note"]) == (
        -20,
        "correction",
        "double booking",
    )
    assert "asked" not in correction


def test_a_correction_never_takes_a_wallet_below_zero() -> None:
    board = Board(coin_rules(START))
    board.feed(grant("a1", 30, at(2)), grant("a1", -100, at(3), "given to the wrong agent"))
    assert figures(board) == (0, 0, 0)
    taken = wallet(board)["history"][0]
    assert (taken["coins"], taken["asked"]) == (-30, -100)
    [change] = board.changes("coins_corrected")
    assert (change["coins"], change["asked"], change["balance"]) == (-3000, -10000, 0)
    # A wallet holding nothing: the correction is recorded, and takes nothing.
    board.feed(grant("a2", -5, at(3)))
    assert figures(board, "a2") == (0, 0, 0)
    assert history(board, "a2") == [("correction", 0)]


def test_places_of_a_decided_contest_pay_once_and_a_shared_place_pays_each() -> None:
    """A hand-made decided contest, as a contest module will hand it over."""
    board = Board(coin_rules(START))
    book = board.scorer.state.slice(WalletBook)
    outbox = board.scorer.outbox
    places = {"a1": 1, "a2": 2, "a3": 2, "a4": 4}
    given = grant_for_places(book, outbox, "battle-1", places, [50, 30, 20], 1.0e9)
    assert given == {"a1": 50, "a2": 30, "a3": 30}
    assert grant_for_places(book, outbox, "battle-1", places, [50, 30, 20], 1.0e9) == {}
    assert [figures(board, a)[0] for a in ("a1", "a2", "a3", "a4")] == [50, 30, 30, 0]
    [record] = wallet(board, "a2")["history"]
    assert (record["cause"], record["ref"], record["note"]) == ("place", "battle-1", "place 2")


def test_the_contest_hook_pays_places_and_challenges_by_the_rules_in_force() -> None:
    board = Board(coin_rules(START)).at(at(3))
    state, outbox = board.scorer.state, board.scorer.outbox
    assert contest_decided(state, outbox, "cup", {"a1": 1, "a2": 3}) == {"a1": 50, "a2": 20}
    assert challenge_won(state, outbox, "duel", "a2") == 25
    assert challenge_won(state, outbox, "duel", "a2") == 0, "a challenge pays once"
    assert history(board, "a2") == [("place", 20), ("challenge", 25)]
    assert wallet(board, "a2")["history"][0]["ts"] == "2026-11-03T09:00:00Z"
    # Without coins for places, a decided contest pays nothing.
    book = state.slice(WalletBook)
    assert grant_for_places(book, outbox, "plain", {"a1": 1}, [], 0.0) == {}
    assert grant_for_challenge(book, outbox, "free", "a1", 0, 0.0) == 0
