"""Coins hold whatever happens in whatever order: each wallet's balance is the sum
of its history and never below zero, what is held is what waits for a decision,
and a replay, or a fold restored from a snapshot anywhere, ends in the same state."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.changes import Change
from scoring.log import format_ts
from scoring.reward_store import APPROVED, HELD, RewardBook
from scoring.scorer import Scorer
from scoring.snapshot import from_data, state_hash, to_data
from scoring.wallet import WalletBook
from tests.coin_helpers import budget, coin_rules, decision, grant, redemption, reward
from tests.scoring_helpers import Event, cancellation, contact, logged, roster, sale

START = datetime(2026, 10, 28, 8, tzinfo=UTC)
AGENTS = ("a1", "a2", "a3")  # a3 is not on the roster: under no site's budget
REWARDS = ("mug", "hat", "ghost")  # no event ever puts a ghost in the store

agents = st.sampled_from(AGENTS)
redeem = st.tuples(st.just("redeem"), agents, st.sampled_from(REWARDS))
decide = st.tuples(st.just("decide"), st.integers(0, 30), st.booleans())
steps = st.one_of(
    redeem,
    decide,
    st.tuples(st.just("grant"), agents, st.integers(-150, 150).filter(bool)),
    st.tuples(st.just("sale"), agents, st.integers(0, 90_000), st.integers(0, 72)),
    st.tuples(st.just("cancel"), st.integers(0, 30), st.just(0)),
    st.tuples(st.just("contact"), agents, st.booleans()),
    redeem,
    decide,
    st.tuples(
        st.just("reward"),
        st.sampled_from(REWARDS[:2]),
        st.integers(1, 120),
        st.one_of(st.none(), st.integers(0, 3)),
    ),
    st.tuples(st.just("budget"), st.sampled_from(("ber", "lei")), st.sampled_from((None, 0, 90))),
)


def log(plan: list[tuple[Any, ...]], gaps: list[int]) -> list[Event]:
    """The events of ``plan`` as the log holds them, each received ``gaps`` hours
    apart (a month's end passes on the way); a sale may be dated back a few hours."""
    at = format_ts(START)
    events = [
        logged(coin_rules(at, cancellation_window_days=2)),
        logged(roster("a1", at, team="t1", site="ber")),
        logged(roster("a2", at, team="t2", site="lei")),
        logged(reward("mug", 30, at, stock=2)),
        logged(reward("hat", 80, at)),
        logged(budget("ber", 100, at)),
        *(grant(agent, 100, at) for agent in AGENTS),
    ]
    now, sales, asked = START, [], []
    for n, (step, gap) in enumerate(zip(plan, gaps, strict=False)):
        now += timedelta(hours=gap)
        ts = format_ts(now)
        kind, first, second, *rest = step
        if kind == "grant":
            raw = grant(first, second, ts)
        elif kind == "sale":
            sales.append(f"s{n}")
            dated = format_ts(now - timedelta(hours=rest[0]))
            raw = logged(
                sale(f"s{n}", dated, agent=first, revenue=f"{second / 100:.2f}"), received=ts
            )
        elif kind == "cancel" and sales:
            raw = cancellation(f"c{n}", sales[first % len(sales)], ts)
        elif kind == "contact":
            raw = contact(f"k{n}", ts, agent=first, resolved=second)
        elif kind == "redeem":
            asked.append(f"r{n}")
            raw = redemption(f"r{n}", second, ts, agent=first)
        elif kind == "decide" and asked:
            raw = decision(asked[first % len(asked)], ts, approve=second)
        elif kind == "reward":
            raw = reward(first, second, ts, **({} if rest[0] is None else {"stock": rest[0]}))
        elif kind == "budget":
            raw = budget(first, second, ts)
        else:
            continue
        events.append(raw if "source" in raw else logged(raw))
    return events


def check_wallets(scorer: Scorer) -> None:
    wallets = scorer.state.slice(WalletBook)
    store = scorer.state.slice(RewardBook)
    for agent, held in wallets.wallets.items():
        assert held.balance == sum(m.amount for m in held.history), agent
        assert held.balance >= 0, agent
        pending = sum(
            coins
            for key, coins in wallets.pending_sales.items()
            if scorer.state.sales[key].agent == agent
        )
        assert held.pending == pending >= 0, agent
        waiting = [
            r.price for r in store.redemptions.values() if r.agent == agent and r.state == HELD
        ]
        assert held.reserved == sum(waiting), agent
    for item in store.rewards.values():
        given = [r for r in store.redemptions.values() if r.reward == item.id]
        assert item.redeemed == sum(r.state in (HELD, APPROVED) for r in given), item.id


def fold(events: list[Event], batch: int) -> tuple[Scorer, list[Change]]:
    """Fold as the engine does live: in batches, the changes drained after each."""
    scorer, changes = Scorer(), []
    for n, event in enumerate(events, 1):
        scorer.apply(event, n)
        check_wallets(scorer)
        if n % batch == 0:
            changes += scorer.drain_changes()
    return scorer, changes + scorer.drain_changes()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=st.lists(steps, min_size=3, max_size=40),
    gaps=st.lists(st.integers(0, 30), min_size=40, max_size=40),
    batch=st.integers(1, 7),
    cut=st.integers(0, 45),
)
def test_balances_are_their_history_never_negative_and_the_fold_replays_alike(
    plan: list[tuple[Any, ...]], gaps: list[int], batch: int, cut: int
) -> None:
    events = log(plan, gaps)
    live, told = fold(events, batch)
    replayed, retold = fold(events, 1)
    assert state_hash(replayed) == state_hash(live)
    assert retold == told
    # A snapshot taken anywhere, stored as JSON as the engine stores it, folds on alike.
    cut = min(cut, len(events))
    head, _ = fold(events[:cut], batch)
    resumed = from_data(json.loads(json.dumps(to_data(head))))
    for n, event in enumerate(events[cut:], cut + 1):
        resumed.apply(event, n)
        check_wallets(resumed)
    assert state_hash(resumed) == state_hash(live)
