"""Determinism: the same events give the same totals in any order of arrival,
and a fold resumed from a snapshot ends where a fold in one go does."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.log import format_ts
from scoring.scorer import Scorer
from scoring.snapshot import from_data, state_hash, to_data
from scoring.views import agent_view, leaderboard, prizes_view, tombola_view
from tests.scoring_helpers import (
    Event,
    cancellation,
    contact,
    goal,
    logged,
    prize,
    prize_rule,
    roster,
    rules,
    sale,
    season,
    tick,
    tombola_draw,
    tombola_open,
)

AGENTS = ("a1", "a2", "a3")
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
SPREAD_MINUTES = 10 * 24 * 60  # sales and contacts fall in the ten days from T0
WINDOW = timedelta(days=14)
#: every event of the shuffled stream reaches the log at once, after the last
#: sale and before the first window ends, so the clock stands still meanwhile
RECEIVED = format_ts(T0 + timedelta(days=10, hours=1))
#: then one tick past every window
FINAL = format_ts(T0 + timedelta(days=40))
SEED = bytes(range(32))

PREFIX: tuple[Event, ...] = (
    rules(
        "r-replay",
        "2026-11-01T00:00:00Z",
        sale={"products": {"*": {"base": 2, "per_euro": 1}}, "channel_factors": {"shop": 2}},
        contact={"handled": 1, "resolved": 1, "referral": 2},
        commission={"*": {"fixed": 3, "percent": 10}},
    ),
    season("replay", "2026-11-01", "2027-01-31"),
    *(roster(agent, "2026-11-01T00:00:00Z", team=f"t-{agent}", site="berlin") for agent in AGENTS),
)


def at(minutes: int) -> str:
    return format_ts(T0 + timedelta(minutes=minutes))


@dataclass(frozen=True)
class SaleSpec:
    agent: str
    minute: int
    euros: int
    quantity: int
    channel: str

    def event(self, index: int) -> Event:
        return sale(
            f"s{index}",
            at(self.minute),
            agent=self.agent,
            revenue=f"{self.euros}.00",
            quantity=self.quantity,
            channel=self.channel,
        )


@dataclass(frozen=True)
class ContactSpec:
    agent: str
    minute: int
    resolved: bool
    quality: int
    referral: bool | int

    def event(self, index: int) -> Event:
        return contact(
            f"c{index}",
            at(self.minute),
            agent=self.agent,
            resolved=self.resolved,
            quality=self.quality,
            referral=self.referral,
        )


@dataclass(frozen=True)
class Stream:
    sales: list[SaleSpec]
    #: sale index -> (minutes after the sale it was cancelled, sent before the sale?)
    cancellations: dict[int, tuple[int, bool]]
    contacts: list[ContactSpec]
    log: list[Event]


MINUTES = st.integers(0, SPREAD_MINUTES - 1)
SALES = st.builds(
    SaleSpec,
    agent=st.sampled_from(AGENTS),
    minute=MINUTES,
    euros=st.integers(0, 500),
    quantity=st.integers(1, 3),
    channel=st.sampled_from(("phone", "shop")),
)
CONTACTS = st.builds(
    ContactSpec,
    agent=st.sampled_from(AGENTS),
    minute=MINUTES,
    resolved=st.booleans(),
    quality=st.integers(0, 100),
    referral=st.one_of(st.booleans(), st.integers(0, 10)),
)


@st.composite
def streams(draw: st.DrawFn) -> Stream:
    sales = draw(st.lists(SALES, min_size=1, max_size=12))
    # up to 20 days after the sale: inside the 14-day window or after it
    cancellations = draw(
        st.dictionaries(
            st.integers(0, len(sales) - 1), st.tuples(st.integers(0, 20 * 24 * 60), st.booleans())
        )
    )
    contacts = draw(st.lists(CONTACTS, max_size=8))

    # The log holds the events in time order, except that a cancellation sent
    # early sits just before its sale.
    timeline: list[tuple[int, int, Event]] = []
    for index, spec in enumerate(sales):
        timeline.append((spec.minute, 1, spec.event(index)))
    for index, (after, early) in cancellations.items():
        minute = sales[index].minute
        event = cancellation(f"x{index}", f"s{index}", at(minute + after))
        timeline.append((minute, 0, event) if early else (minute + after, 2, event))
    for index, spec in enumerate(contacts):
        timeline.append((spec.minute, 1, spec.event(index)))
    for n in range(draw(st.integers(0, 2))):  # cancellations of sales that never come
        timeline.append((n, 1, cancellation(f"orphan{n}", f"never-sent-{n}", at(n))))
    log = [event for *_, event in sorted(timeline, key=lambda entry: entry[:2])]
    # The store never logs an id twice, but a scorer fed a sale or a
    # cancellation again must ignore it. (Contacts have no such guard: they
    # rely on the log's de-duplication.)
    for _ in range(draw(st.integers(0, 4))):
        again = draw(st.sampled_from([e for e in log if e["type"] != "contact"]))
        log.insert(draw(st.integers(0, len(log))), again)
    return Stream(sales, cancellations, contacts, log)


def expected_totals(stream: Stream) -> dict[str, dict[str, Any]]:
    """What every agent has once all windows passed, worked out from the specs."""
    totals = {
        agent: {"points": 0, "commission": 0, "sales": 0, "revoked": 0, "cancelled": 0}
        for agent in AGENTS
    }
    for index, spec in enumerate(stream.sales):
        mine = totals[spec.agent]
        cancelled = stream.cancellations.get(index)
        if cancelled is not None:
            mine["cancelled"] += 1
            if timedelta(minutes=cancelled[0]) < WINDOW:
                mine["revoked"] += 1
                continue
        mine["sales"] += 1
        factor = 2 if spec.channel == "shop" else 1
        mine["points"] += (2 * spec.quantity + spec.euros) * factor * 100  # hundredths
        mine["commission"] += 300 * spec.quantity + 10 * spec.euros  # cents: 3 € each + 10 %
    for spec in stream.contacts:
        referred = spec.referral is True or (type(spec.referral) is int and spec.referral >= 9)
        totals[spec.agent]["points"] += (1 + spec.resolved + 2 * referred) * 100  # hundredths
    return {
        agent: {
            "points": {"pending": 0.0, "confirmed": t["points"] / 100, "total": t["points"] / 100},
            "commission": {"pending": 0.0, "confirmed": t["commission"] / 100},
            "sales": t["sales"],
            "revoked": t["revoked"],
            "cancelled": t["cancelled"],
        }
        for agent, t in totals.items()
    }


def fold_at_once(events: list[Event]) -> Scorer:
    """The prefix, then ``events`` all received at the same moment, then a final tick."""
    scorer = Scorer()
    for event in PREFIX:
        scorer.apply(logged(event))
    for event in events:
        scorer.apply(logged(event, received=RECEIVED))
    scorer.apply(tick(FINAL))
    return scorer


def season_totals(scorer: Scorer) -> dict[str, dict[str, Any]]:
    keys = ("points", "commission", "sales", "revoked", "cancelled")
    return {
        agent: {key: agent_view(scorer, agent)["periods"]["season"][key] for key in keys}
        for agent in AGENTS
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams(), data=st.data())
def test_totals_do_not_depend_on_the_order_of_arrival(stream: Stream, data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(stream.log), label="arrival order")
    in_log_order = fold_at_once(stream.log)
    in_arrival_order = fold_at_once(shuffled)
    expected = expected_totals(stream)
    assert season_totals(in_log_order) == expected
    assert season_totals(in_arrival_order) == expected
    for by in ("agent", "team", "site"):
        assert leaderboard(in_arrival_order, "season", by) == leaderboard(
            in_log_order, "season", by
        )


# Snapshots ------------------------------------------------------------------

RICH_PREFIX: tuple[Event, ...] = (
    *PREFIX,
    prize("bag", "2026-11-01T00:00:00Z", stock=3),
    prize("cinema", "2026-11-01T00:00:00Z"),
    prize_rule(
        "big-sale", "2026-11-01T00:00:00Z", kind="instant", prize="bag", min_revenue="300.00"
    ),
    prize_rule(
        "hundred",
        "2026-11-01T00:00:00Z",
        kind="threshold",
        prize="cinema",
        points=100,
        period="week",
    ),
    prize_rule("best", "2026-11-01T00:00:00Z", kind="rank", prize="cinema", top=2, period="day"),
    tombola_open(
        "xmas",
        "2026-11-01T00:00:00Z",
        closes=format_ts(T0 + timedelta(days=20)),
        prizes=["cinema"],
        seed=SEED,
        every=2,
    ),
    goal("g1", "2026-11-01T00:00:00Z", agent="a1", title="Vespa", price="150.00"),
)


def rich_log(stream: Stream) -> list[Event]:
    """A log as the service writes it: each event received when it happened,
    with ticks, ending past every window and with the tombola drawn."""
    log = [logged(event) for event in RICH_PREFIX]
    for n, event in enumerate(stream.log):
        log.append(logged(event))
        if n % 3 == 2:
            log.append(tick(format_ts(T0 + timedelta(days=n))))
    log.append(tick(FINAL))
    log.append(logged(tombola_draw("xmas", FINAL, seed=SEED, ledger={}, winners=[])))
    return log


def fold(events: list[Event], scorer: Scorer | None = None) -> Scorer:
    scorer = scorer or Scorer()
    for event in events:
        scorer.apply(event)
    return scorer


def visible(scorer: Scorer) -> list[Any]:
    return [
        [agent_view(scorer, agent) for agent in (*AGENTS, "nobody")],
        prizes_view(scorer),
        tombola_view(scorer, "xmas"),
        leaderboard(scorer, "week", "team"),
    ]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams(), data=st.data())
def test_a_fold_resumed_from_a_snapshot_ends_where_one_fold_does(
    stream: Stream, data: st.DataObject
) -> None:
    log = rich_log(stream)
    whole = fold(log)
    split = data.draw(st.integers(0, len(log)), label="snapshot after")
    first_half = fold(log[:split])
    stored = orjson.dumps(to_data(first_half))
    restored = from_data(orjson.loads(stored))
    assert state_hash(restored) == state_hash(first_half)
    resumed = fold(log[split:], restored)
    assert state_hash(resumed) == state_hash(whole)
    assert visible(resumed) == visible(whole)


# The hash is the same in every process ---------------------------------------


def scenario_hash() -> str:
    """A log whose fold once depended on Python's per-process string hashing:
    a batch of four days reaches the log at once, and a rank prize with one in
    stock settles them all at the next midnight."""
    events = [logged(event) for event in PREFIX]
    events += [
        logged(prize("cinema", "2026-11-01T00:00:00Z", stock=1)),
        logged(
            prize_rule(
                "best", "2026-11-01T00:00:00Z", kind="rank", prize="cinema", top=1, period="day"
            )
        ),
    ]
    for day in range(2, 6):
        for agent in AGENTS:
            ts = f"2026-11-0{day}T1{AGENTS.index(agent)}:00:00Z"
            events.append(
                logged(sale(f"{agent}-{day}", ts, agent=agent), received="2026-11-06T08:00:00Z")
            )
    events.append(tick("2026-11-07T08:00:00Z"))
    return state_hash(fold(events))


def test_the_state_hash_is_the_same_in_every_process() -> None:
    hashes = set()
    for hash_seed in ("1", "2", "3", "4"):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from tests.test_scoring_replay import scenario_hash; print(scenario_hash())",
            ],
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        hashes.add(result.stdout.strip())
    assert hashes == {scenario_hash()}
