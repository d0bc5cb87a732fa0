"""Publishing a rule set from a past date: what the fold does with it.

Every sale and contact is scored once, when it is folded, under the set in force
at its ``ts`` as the log knew it then. A set dated in the past re-scores nothing
already folded: it holds for what is folded after it (a late sale dated after
it, every new event) and, at once, for the gates. Replaying the log, in one go
or from a snapshot taken anywhere in it, gives the same state byte for byte.
"""

from __future__ import annotations

from scoring.scorer import Scorer
from scoring.snapshot import from_data, state_hash, to_data
from tests.scoring_helpers import Board, Event, logged, prize, prize_rule, roster, rules, sale, tick

BASE_20 = {"products": {"*": {"base": 20, "per_euro": 0}}}
BASE_30 = {"products": {"*": {"base": 30, "per_euro": 0}}}


def log() -> list[Event]:
    """Sales on the 2nd and the 4th; on the 5th a set dated the 3rd (mobile 20 -> 30);
    then a late sale dated the 2nd, a late one dated the 4th, and one of the 5th."""
    events = [
        rules("v1", "2026-11-01T00:00:00Z", sale=BASE_20, gates={"month": {"min_sales": 3}}),
        roster("a1", "2026-11-01T00:00:00Z", team="t1", site="ber"),
        sale("before", "2026-11-02T10:00:00Z"),
        sale("after", "2026-11-04T10:00:00Z"),
        rules("v2", "2026-11-03T00:00:00Z", sale=BASE_30, gates={"month": {"min_sales": 5}}),
        sale("late-before", "2026-11-02T12:00:00Z"),
        sale("late-after", "2026-11-04T12:00:00Z"),
        sale("new", "2026-11-05T10:00:00Z"),
    ]
    received = [
        "2026-11-01T00:00:00Z",
        "2026-11-01T00:00:00Z",
        "2026-11-02T10:00:00Z",
        "2026-11-04T10:00:00Z",
        "2026-11-05T09:00:00Z",
        "2026-11-05T09:30:00Z",
        "2026-11-05T09:30:00Z",
        "2026-11-05T10:00:00Z",
    ]
    return [logged(e, received=r) for e, r in zip(events, received, strict=True)]


def points(scorer: Scorer) -> dict[str, tuple[float, str]]:
    return {s.id: (s.points / 100, s.rules) for s in scorer.state.sales.values()}


def test_a_set_dated_in_the_past_rescores_nothing_already_folded() -> None:
    board = Board()
    for event in log():
        board.scorer.apply(event)
    assert points(board.scorer) == {
        # folded before v2 reached the log: scored under v1, and they stay so
        "before": (20, "v1"),
        "after": (20, "v1"),
        # folded after it: each by the set in force at its own ts
        "late-before": (20, "v1"),
        "late-after": (30, "v2"),
        "new": (30, "v2"),
    }
    # An agent reads why, with the version each sale was scored under.
    why = {row["event"]: row["why"] for row in board.agent()["recent"]}
    assert why["after"].endswith("= 20 points (rules v1)")
    assert why["late-after"].endswith("= 30 points (rules v2)")
    # The gates are the set in force at the clock's: v2's from the moment it is folded.
    [check] = board.agent()["periods"]["month"]["gates"]["checks"]
    assert (check["gate"], check["required"], check["actual"]) == ("min_sales", 5, 5)


def folds_alike_from_any_snapshot(events: list[Event]) -> Scorer:
    """The fold of ``events``, checked equal to one restored from a snapshot at every cut."""
    whole = Scorer()
    for event in events:
        whole.apply(event)
    for cut in range(len(events) + 1):
        head = Scorer()
        for event in events[:cut]:
            head.apply(event)
        resumed = from_data(to_data(head))
        for event in events[cut:]:
            resumed.apply(event)
        assert state_hash(resumed) == state_hash(whole), f"resumed after {cut} events"
    return whole


def test_the_log_folds_to_the_same_state_in_one_go_or_from_a_snapshot_anywhere() -> None:
    folds_alike_from_any_snapshot(log())


def test_a_new_time_zone_ends_the_day_where_a_restored_fold_ends_it() -> None:
    """A set that moves the time zone east (New York to Berlin) moves the end of the
    day six hours earlier: the fold must see it whether it folded the day's start
    itself or was restored from a snapshot after it."""
    events = [
        logged(e)
        for e in (
            rules("ny", "2026-11-01T00:00:00Z", timezone="America/New_York", sale=BASE_20),
            roster("a1", "2026-11-01T00:00:00Z", team="t1", site="ber"),
            roster("a2", "2026-11-01T00:00:00Z", team="t1", site="ber"),
            prize("mug", "2026-11-01T00:00:00Z"),
            prize_rule("best-day", "2026-11-01T00:00:00Z", kind="rank", prize="mug", period="day"),
            sale("s-1", "2026-11-03T15:00:00Z", agent="a1"),
            rules("berlin", "2026-11-03T16:00:00Z", timezone="Europe/Berlin", sale=BASE_20),
        )
    ]
    # 23:30 UTC: past midnight in Berlin, 18:30 in New York.
    events += [tick("2026-11-03T16:00:00Z"), tick("2026-11-03T23:30:00Z")]
    events += [tick("2026-11-04T06:00:00Z")]
    whole = folds_alike_from_any_snapshot(events)
    [award] = whole.prizes.book.awards.values()
    assert award.ts == Board().scorer.epoch("2026-11-03T23:30:00Z"), "settled at Berlin midnight"
