"""The tombola: tickets, the ledger frozen at closing, verified draws, and the
draw algorithm itself, checked against the documented algorithm written out
here and against the ticket shares over 100,000 seeded draws."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.draw import draw
from tests.scoring_helpers import (
    Board,
    Event,
    cancellation,
    ledger_digest,
    prize,
    prize_rule,
    roster,
    sale,
    tombola_draw,
    tombola_open,
)

START = "2026-11-01T00:00:00Z"
CLOSES = "2026-12-20T00:00:00Z"
SEED = hashlib.sha256(b"the secret seed of the xmas tombola").digest()
AGENTS = ("a1", "a2", "a3", "a4")
ROSTER = tuple(roster(a, START, team="t1", site="berlin") for a in AGENTS)


def reference_draw(tickets: Mapping[str, int], seed: bytes, winners: int) -> list[str]:
    """The algorithm as ``scoring/tombola.py`` documents it, written independently."""
    drum = [[agent, tickets[agent]] for agent in sorted(tickets) if tickets[agent] > 0]
    counter = 0
    chosen: list[str] = []
    while drum and len(chosen) < winners:
        total = sum(count for _, count in drum)
        while True:
            block = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
            counter += 1
            value = int.from_bytes(block, "big")
            if value < (2**256 // total) * total:
                break
        ticket = value % total
        for index, (agent, count) in enumerate(drum):
            if ticket < count:
                chosen.append(agent)
                del drum[index]
                break
            ticket -= count
    return chosen


def sales(agent: str, count: int, day: str = "2026-11-02", product: str = "mobile") -> list[Event]:
    """``count`` sales by ``agent`` on ``day``, ten minutes apart from 09:00 UTC."""
    return [
        sale(f"{agent}-{day}-{n}", f"{day}T09:{10 * n:02d}:00Z", agent=agent, product=product)
        for n in range(count)
    ]


def open_tombola(tombola_id: str = "xmas", **options: object) -> Event:
    return tombola_open(
        tombola_id, START, closes=CLOSES, prizes=["cinema", "tshirt"], seed=SEED, **options
    )


# Tickets --------------------------------------------------------------------


def test_every_x_qualifying_sales_earn_a_ticket() -> None:
    board = Board(
        *ROSTER,
        open_tombola(every=2, products=["mobile"]),
        *sales("a1", 5),  # 2 tickets, one sale short of a third
        *sales("a2", 1),  # none yet
        *sales("a3", 2),  # 1
        *sales("a4", 3, product="tv"),  # tv does not qualify
    )
    assert board.tombola("xmas")["tickets"] == {"a1": 2, "a3": 1}
    assert [t["tickets"] for t in board.agent("a2")["tombolas"]] == [0]
    board.feed(*sales("a2", 1, day="2026-11-03"))
    assert board.tombola("xmas")["tickets"] == {"a1": 2, "a2": 1, "a3": 1}


def test_pending_sales_count_only_when_the_tombola_says_so() -> None:
    board = Board(
        *ROSTER,
        open_tombola("quick", count_pending=True),
        open_tombola("careful", count_pending=False),
        *sales("a1", 2),
    )
    assert board.tombola("quick")["tickets"] == {"a1": 2}
    assert board.tombola("careful")["tickets"] == {}
    board.at("2026-11-16T09:00:00Z")  # the first sale's window has passed
    assert board.tombola("careful")["tickets"] == {"a1": 1}
    board.at("2026-11-16T09:10:00Z")
    assert board.tombola("careful")["tickets"] == {"a1": 2}


def test_a_revoked_sale_takes_its_ticket_back() -> None:
    board = Board(*ROSTER, open_tombola(every=2), *sales("a1", 4))
    assert board.tombola("xmas")["tickets"] == {"a1": 2}
    board.feed(cancellation("x1", "a1-2026-11-02-0", "2026-11-05T09:00:00Z"))
    assert board.tombola("xmas")["tickets"] == {"a1": 1}  # three sales left: one ticket
    assert board.agent("a1")["tombolas"][0]["tickets"] == 1


def test_sales_before_the_tombola_opened_do_not_count() -> None:
    board = Board(
        *ROSTER,
        *sales("a1", 1, day="2026-10-30"),
        open_tombola(),
        *sales("a2", 1),
    )
    assert board.tombola("xmas")["tickets"] == {"a2": 1}


def test_prize_winners_of_the_tombola_period_can_be_excluded() -> None:
    board = Board(
        *ROSTER,
        prize("champagne", START),
        prize_rule("bubbly", START, kind="instant", prize="champagne", min_revenue="500.00"),
        # a4 won before the tombola opened: that does not exclude them
        sale("a4-big", "2026-10-31T09:00:00Z", agent="a4", revenue="500.00"),
        open_tombola(exclude_prize_winners=True),
        *sales("a1", 1),
        sale("a1-big", "2026-11-03T09:00:00Z", agent="a1", revenue="600.00"),  # a1 wins
        *sales("a2", 1),
        *sales("a3", 1),
        # a3 wins too, but the sale is cancelled: the award is revoked
        sale("a3-big", "2026-11-03T10:00:00Z", agent="a3", revenue="700.00"),
        cancellation("a3-x", "a3-big", "2026-11-04T10:00:00Z"),
        *sales("a4", 1),
    )
    board.at(CLOSES)
    shown = board.tombola("xmas")
    assert shown["state"] == "closed"
    assert shown["excluded"] == ["a1"]
    assert shown["tickets"] == {"a2": 1, "a3": 1, "a4": 1}


def test_the_ledger_is_frozen_at_closing() -> None:
    board = Board(
        *ROSTER,
        open_tombola(),
        *sales("a1", 2),
        *sales("a2", 1),
        *sales("a9", 3),  # not on the roster at closing time
    )
    board.at(CLOSES)
    [closed] = board.changes("tombola_closed")
    assert closed["ledger_hash"] == ledger_digest({"a1": 2, "a2": 1})
    # afterwards: a late sale from before the closing, a cancellation, a9 joins the roster
    board.feed(
        sale("late", "2026-12-19T10:00:00Z", agent="a2"),
        cancellation("x1", "a1-2026-11-02-0", "2026-12-20T09:00:00Z"),
        roster("a9", "2026-12-20T10:00:00Z", team="t1", site="berlin"),
    )
    assert board.tombola("xmas")["tickets"] == {"a1": 2, "a2": 1}


def test_a_sale_still_pending_at_closing_does_not_count_however_the_clock_ticks() -> None:
    # the tombola counts confirmed sales only and closes on 10 November
    events = (
        *ROSTER,
        sale("s0", "2026-10-20T09:00:00Z"),  # before it opens
        tombola_open(
            "autumn",
            "2026-10-21T00:00:00Z",
            closes="2026-11-10T00:00:00Z",
            prizes=["cinema"],
            seed=SEED,
            count_pending=False,
        ),
        sale("s1", "2026-10-25T09:00:00Z"),  # confirmed on 8 November: counts
        sale("s2", "2026-11-02T09:00:00Z"),  # confirmed on 16 November: too late
    )
    one_jump = Board(*events).at("2026-11-20T00:00:00Z")
    daily = Board(*events)
    for day in range(3, 21):
        daily.at(f"2026-11-{day:02d}T00:00:00Z")
    assert one_jump.tombola("autumn")["tickets"] == {"a1": 1}
    assert daily.tombola("autumn")["tickets"] == {"a1": 1}


# Drawing --------------------------------------------------------------------


def _closed() -> Board:
    board = Board(
        *ROSTER,
        prize("cinema", START),
        prize("tshirt", START),
        open_tombola(),
        *sales("a1", 1),
        *sales("a2", 2),
        *sales("a3", 3),
    )
    board.at(CLOSES)
    return board


LEDGER = {"a1": 1, "a2": 2, "a3": 3}


def test_a_draw_with_the_published_seed_and_the_ledger_verifies() -> None:
    board = _closed()
    winners = reference_draw(LEDGER, SEED, 2)
    board.feed(
        tombola_draw("xmas", "2026-12-20T00:05:00Z", seed=SEED, ledger=LEDGER, winners=winners)
    )
    shown = board.tombola("xmas")
    assert (shown["state"], shown["verified"], shown["problems"]) == ("drawn", True, [])
    assert shown["seed"] == SEED.hex()
    assert shown["winners"] == winners
    # the first winner gets the first prize, the second the second
    got = {a["agent"]: a["prize"] for a in board.awards()}
    assert got == {winners[0]: "cinema", winners[1]: "tshirt"}


def test_a_revealed_seed_that_does_not_match_the_published_hash_is_reported() -> None:
    board = _closed()
    other_seed = hashlib.sha256(b"a seed chosen after the fact").digest()
    board.feed(
        tombola_draw(
            "xmas",
            "2026-12-20T00:05:00Z",
            seed=other_seed,
            ledger=LEDGER,
            winners=reference_draw(LEDGER, other_seed, 2),
        )
    )
    shown = board.tombola("xmas")
    assert shown["verified"] is False
    assert shown["problems"] == ["the revealed seed does not match the published hash"]


def test_a_tampered_ledger_is_reported() -> None:
    board = _closed()
    tampered = {"a1": 1, "a2": 2, "a3": 30}
    board.feed(
        tombola_draw(
            "xmas",
            "2026-12-20T00:05:00Z",
            seed=SEED,
            ledger=tampered,
            winners=reference_draw(tampered, SEED, 2),
        )
    )
    shown = board.tombola("xmas")
    assert shown["verified"] is False
    assert "the ledger differs from the one drawn" in shown["problems"]


def test_winners_that_do_not_follow_from_seed_and_ledger_are_reported() -> None:
    board = _closed()
    honest = reference_draw(LEDGER, SEED, 2)
    board.feed(
        tombola_draw("xmas", "2026-12-20T00:05:00Z", seed=SEED, ledger=LEDGER, winners=honest[::-1])
    )
    shown = board.tombola("xmas")
    assert shown["problems"] == ["the winners do not follow from the seed and the ledger"]


# The draw algorithm ---------------------------------------------------------


def test_the_draw_is_deterministic_and_ignores_the_order_of_the_mapping() -> None:
    first = draw({"a": 1, "b": 2, "c": 3}, SEED, 2)
    assert draw({"c": 3, "a": 1, "b": 2}, SEED, 2) == first
    assert draw({"a": 1, "b": 2, "c": 3}, SEED, 2) == first
    assert draw({"a": 1, "b": 2, "c": 3}, SEED, 2) == reference_draw(
        {"a": 1, "b": 2, "c": 3}, SEED, 2
    )


def test_fewer_entrants_than_prizes_means_everyone_with_a_ticket_wins_once() -> None:
    assert sorted(draw({"a": 1, "b": 7, "z": 0}, SEED, 5)) == ["a", "b"]
    assert draw({}, SEED, 3) == []
    assert draw({"a": 4}, SEED, 0) == []


def test_the_draw_refuses_negative_input() -> None:
    with pytest.raises(ValueError, match="expected winners >= 0, got -1"):
        draw({"a": 1}, SEED, -1)
    with pytest.raises(ValueError, match="expected tickets >= 0, got -2 for 'a'"):
        draw({"a": -2}, SEED, 1)


@given(
    tickets=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 50), max_size=8),
    seed=st.binary(min_size=32, max_size=32),
    winners=st.integers(0, 10),
)
def test_the_draw_follows_the_documented_algorithm(
    tickets: dict[str, int], seed: bytes, winners: int
) -> None:
    chosen = draw(tickets, seed, winners)
    assert chosen == reference_draw(tickets, seed, winners)
    holders = {agent for agent, count in tickets.items() if count > 0}
    assert len(chosen) == len(set(chosen)) == min(winners, len(holders))  # nobody wins twice
    assert set(chosen) <= holders


def test_first_winners_follow_the_ticket_shares() -> None:
    tickets = {"a": 1, "b": 2, "c": 3, "d": 4}
    draws = 100_000
    firsts = Counter(draw(tickets, i.to_bytes(8, "big"), 1)[0] for i in range(draws))
    expected = {agent: draws * count / 10 for agent, count in tickets.items()}
    chi_square = sum((firsts[agent] - expected[agent]) ** 2 / expected[agent] for agent in tickets)
    # 3 degrees of freedom, 1 % level: the tabulated critical value is 11.345
    assert chi_square < 11.345, (chi_square, firsts)
