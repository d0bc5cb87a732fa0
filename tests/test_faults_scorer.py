"""The scorer really killed: ``wallboard scorer`` (the single writer: ticks,
tombola draws, snapshots) is SIGKILLed at random moments of a 50,000-event
stream of the demo's company and restarted; what it folded in the end is what a
clean replay of the log gives, and every event sent counts once.

``test_faults_downtime.py`` holds the windows that end while it is down, and
``test_faults_sqlite.py`` a web server killed in the middle of a batch."""

from __future__ import annotations

import asyncio
import hashlib
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from scoring.draw import seed_hash
from scoring.events import validate
from scoring.log import SYSTEM_SOURCE, format_ts
from scoring.model import CONFIRMED, PENDING, REVOKED
from scoring.rules import PROMOTER, Rules, parse_rules
from scoring.scorer import Scorer
from tests.faults import (
    TICK_SECONDS,
    Process,
    Replay,
    assert_same_state,
    now_stamp,
    records,
    saved_state,
    scorer_process,
    wait_until_ticking,
)
from wallboard.engine import SEED_PREFIX, collector_paused
from wallboard.ingest import to_records
from wallboard.simulator import AVERAGE_SALE_POINTS, RULES, SITES, Plan, Simulator, company, season
from wallboard.store import EventLog, open_store


async def open_tombola(store: EventLog, event: dict[str, Any], seed: bytes) -> None:
    """As ``POST /api/tombolas`` does: the secret seed beside the log, its hash in it."""
    await store.put_meta(SEED_PREFIX + event["tombola"], seed)
    event = {**event, "type": "tombola_open", "seed_hash": seed_hash(seed)}
    [stored] = await store.append(records([event], "manage", by="test"))
    assert stored


# A 50,000-event stream of the demo's company -----------------------------------

STREAM = 50_000
CHUNKS = 50
SPAN = timedelta(days=28)
#: tombolas that close during the stream, the last with its last tick; one more
#: closes an hour after it
TOMBOLAS = 3


@dataclass
class DemoStream:
    """The demo's roster, rules, prizes and league over four simulated weeks,
    then its sales, contacts and cancellations in chunks, each chunk followed by
    a tick that moves the clock to the chunk's end (as ``wallboard simulate``
    plays it), so that windows pass, matchdays end and tombolas close.

    Simulated time runs ahead of the machine's clock, which ingest refuses for
    sales (they have not happened yet): the test appends the stream straight to
    the store, in the form ingest gives events (``to_records``), with the
    machine's time as ``received``."""

    start: datetime
    setup: list[dict[str, Any]]
    tombolas: list[dict[str, Any]]
    chunks: list[list[dict[str, Any]]]
    ticks: list[dict[str, Any]]
    #: a tick an hour after the stream: the month's tombola closes
    closing_tick: dict[str, Any]

    def sent(self, kind: str) -> list[dict[str, Any]]:
        return [e for chunk in self.chunks for e in chunk if e["type"] == kind]


def demo_stream() -> DemoStream:
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    firm, roster = company(7)
    matchdays = 2 * (len(SITES) - 1)
    plan = Plan(window=120.0, speed=SPAN.total_seconds() / matchdays / 120.0)
    league = season(firm, plan, start)
    # calibrated as the demo calibrates it: about 1.4 goals a club and match
    per_head = STREAM * 0.45 / matchdays * AVERAGE_SALE_POINTS / sum(firm.heads.values())
    league["goal_every"] = round(per_head / 1.9, 1)
    extras: list[dict[str, Any]] = [
        {"id": "prize-trophy", "type": "prize", "prize": "trophy", "name": "Trophy of the week"},
        {
            "id": "rule-week",
            "type": "prize_rule",
            "rule": "rank-week",
            "kind": "rank",
            "prize": "trophy",
            "period": "week",
            "top": 3,
        },
    ]
    stamp = format_ts(start - timedelta(days=1))
    setup = [{**event, "ts": stamp} for event in roster + extras]
    setup.append(league)
    setup += [
        {
            "id": f"goal-{agent.id}",
            "type": "goal",
            "ts": format_ts(start),
            "agent": agent.id,
            "title": "A bicycle",
            "price": "120.00",
        }
        for agent in firm.agents[::30]
    ]
    closes = [start + SPAN * (n + 1) / TOMBOLAS for n in range(TOMBOLAS)]
    closes.append(start + SPAN + timedelta(hours=1))
    tombolas = [
        {
            "id": f"tombola-{n}",
            "ts": format_ts(start),
            "tombola": f"tombola-{n}",
            "name": f"Tombola {n}",
            "prizes": ["cinema", "shirt"],
            "every": 1 + n % 3,
            "count_pending": n != 1,
            "exclude_prize_winners": n == 2,
            "closes": format_ts(moment),
        }
        for n, moment in enumerate(closes)
    ]
    simulator = Simulator(firm, seed=11, prefix="s")
    chunks, ticks = [], []
    for n in range(CHUNKS):
        *chunk, tick = simulator.events(
            STREAM // CHUNKS, start + SPAN * n / CHUNKS, start + SPAN * (n + 1) / CHUNKS
        )
        chunks.append([validate(event) for event in chunk])
        ticks.append(tick)
    closing_tick = {"id": "s-tick-closing", "type": "tick", "ts": format_ts(closes[-1])}
    return DemoStream(start, setup, tombolas, chunks, ticks, closing_tick)


@pytest.fixture(scope="module")
def stream() -> DemoStream:
    return demo_stream()


def sale_points(rules: Rules, sale: dict[str, Any]) -> int:
    euros = int(sale["revenue"].replace(".", "")) / 100
    return round(rules.sale_points(sale["product"], sale["channel"], euros, 1) * 100)


def contact_points(rules: Rules, contact: dict[str, Any]) -> int:
    referral = contact["referral"]
    referred = referral is True or (type(referral) is int and referral >= PROMOTER)
    return round(rules.contact_points(contact["resolved"], referred, contact["quality"]) * 100)


def assert_each_event_counted_once(scorer: Scorer, stream: DemoStream) -> None:
    """Counts and points per agent follow from the events sent, each counted once."""
    rules = parse_rules(RULES, "demo-rules")
    sales, contacts = stream.sent("sale"), stream.sent("contact")
    folded = {sale.id: sale for sale in scorer.state.sales.values()}
    assert folded.keys() == {sale["id"] for sale in sales}
    wrong = [s["id"] for s in sales if folded[s["id"]].points != sale_points(rules, s)]
    assert not wrong, f"sales with other points than their rules give: {wrong[:10]}"
    cancelled = {c["sale"] for c in stream.sent("cancellation")}
    assert {sale.id for sale in folded.values() if sale.cancelled} == cancelled
    assert {sale.id for sale in folded.values() if sale.state == REVOKED} <= cancelled

    expected: dict[str, Counter[str]] = {}
    for sale in sales:
        figures = expected.setdefault(sale["agent"], Counter())
        figures["sales and revoked"] += 1
        state = folded[sale["id"]]
        if state.state == PENDING:
            figures["pending points"] += state.points
        elif state.state == CONFIRMED:
            figures["confirmed points"] += state.points
    for contact in contacts:
        figures = expected.setdefault(contact["agent"], Counter())
        figures["contacts"] += 1
        figures["support points"] += contact_points(rules, contact)
    counted: dict[str, Counter[str]] = {}
    for agent, days in scorer.state.buckets.items():
        figures = counted[agent] = Counter()
        for bucket in days.values():
            figures["sales and revoked"] += bucket.sales + bucket.revoked
            figures["pending points"] += bucket.sales_pending
            figures["confirmed points"] += bucket.sales_confirmed
            figures["contacts"] += bucket.contacts
            figures["support points"] += bucket.support
    assert nonzero(counted) == nonzero(expected)


def nonzero(figures: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {
        agent: {name: value for name, value in counter.items() if value}
        for agent, counter in figures.items()
    }


async def wait_for_draws(store: EventLog, count: int, seconds: float = 60.0) -> None:
    """Poll the log until the scorer has appended ``count`` tombola draws."""
    deadline = time.monotonic() + seconds
    seen, draws = 0, 0
    while draws < count:
        entries = await store.read(seen, 5000)
        seen += len(entries)
        # the log's canonical JSON: sorted keys, no spaces
        draws += sum(b'"type":"tombola_draw"' in entry.data for entry in entries)
        if not entries:
            assert time.monotonic() < deadline, f"{draws} of {count} tombolas drawn"
            await asyncio.sleep(0.05)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("seed", range(20))
async def test_a_scorer_killed_at_random_moments_ends_where_a_clean_replay_does(
    seed: int, stream: DemoStream, processes: list[Process], tmp_path: Path
) -> None:
    rng = random.Random(seed)
    url = f"sqlite:///{tmp_path / 'log.db'}"
    scorer = scorer_process(processes, url, tmp_path, tick_seconds=TICK_SECONDS)
    # Two SIGKILLs while the stream flows, each followed by up to three chunks
    # sent while the scorer is down, and early on a deploy (SIGTERM, then a start)
    # while it runs, which leaves a snapshot for later starts to restore (as the
    # snapshot every 50,000 events does in a longer log).
    deploy = rng.randrange(2, 12)
    kills = set(rng.sample([n for n in range(1, CHUNKS - 4) if not 0 <= deploy - n <= 3], 2))
    restart_at = -1
    async with open_store(url) as store:
        # The clean replay keeps up with the log as it grows (it is append-only),
        # on the core the scorer leaves; it stops short of the closing tick, since
        # the scorer's last snapshot may end anywhere after that.
        replay = Replay(store)
        await store.append(records(stream.setup, "manage", by="test"))
        for n, tombola in enumerate(stream.tombolas):
            await open_tombola(store, tombola, hashlib.sha256(f"{seed}:{n}".encode()).digest())
        started = time.time()
        scorer.start()
        for n, (chunk, tick) in enumerate(zip(stream.chunks, stream.ticks, strict=True)):
            received = now_stamp()
            await store.append(
                to_records([dict(e) for e in chunk], "crm", received)
                # The simulator's clock, as a server with a simulated clock stores it.
                + to_records([dict(tick)], SYSTEM_SOURCE, received, "test")
            )
            with collector_paused():
                await replay.to(await store.last_offset())
            if n in kills:
                await asyncio.sleep(rng.uniform(0.0, 0.5))
                if scorer.running:
                    scorer.kill()
                restart_at = n + rng.randrange(0, 4)
            elif n == deploy:
                await wait_until_ticking(store, started, TICK_SECONDS)
                scorer.stop()
                started = time.time()
                scorer.start()
            if not scorer.running and n >= restart_at:
                started = time.time()
                scorer.start()
        last_sent = await store.last_offset()
        # Once more while it catches up on the tail, where the third tombola closes.
        await asyncio.sleep(rng.uniform(0.0, 1.5))
        scorer.kill()
        scorer.start()
        # Only this last start folds the closing tick: its draw says it caught up.
        await store.append(records([stream.closing_tick], SYSTEM_SOURCE, by="test"))
        await wait_for_draws(store, len(stream.tombolas))
        scorer.stop()

        with collector_paused():
            saved = await saved_state(store)
            assert saved["offset"] > last_sent, "the scorer folded every event sent"
            assert_same_state(saved, await replay.to(saved["offset"]))
            assert_each_event_counted_once(replay.scorer, stream)

            # Drawn once each, as a clean replay of the whole log checks them.
            final = await replay.to(await store.last_offset())
            for tombola in final.tombolas.book.tombolas.values():
                assert tombola.state == "drawn" and tombola.problems == [], tombola
                assert tombola.winners, tombola
            log = replay.events
            assert max(Counter(f"{e['source']}:{e['id']}" for e in log).values()) == 1
            draws = [e for e in log if e["type"] == "tombola_draw"]
            assert sorted(e["tombola"] for e in draws) == [t["tombola"] for t in stream.tombolas]
            assert {e["source"] for e in draws} == {"wallboard"}
            assert any(e["type"] == "tick" and e["source"] == "wallboard" for e in log)
    # (A snapshot is discarded when the scoring code changed: not while tests run.)
    output = scorer.output()
    assert "restored snapshot at offset" in output, f"no start restored a snapshot:\n{output}"
