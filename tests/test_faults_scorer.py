"""Faults on the scorer side, with processes really killed.

- ``wallboard scorer`` (the single writer: ticks, tombola draws, snapshots) is
  SIGKILLed at random moments of a 50,000-event stream of the demo's company
  and restarted; what it folded in the end is what a clean replay of the log
  gives, and every event sent counts once.
- A cancellation window, a matchday and a tombola that end while the scorer
  is down are settled when it comes back, as a clean replay settles them.
- ``wallboard serve`` on SQLite is SIGKILLed while batches are being posted:
  each batch is in the log whole or not at all, and every acknowledged one is.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from scoring import snapshot
from scoring.events import validate
from scoring.kinds import format_ts
from scoring.model import CONFIRMED, PENDING, REVOKED
from scoring.rules import PROMOTER, Rules, parse_rules
from scoring.scorer import Scorer
from scoring.tombola import seed_hash
from tests.conftest import free_port, wait_until_up
from wallboard.engine import SEED_PREFIX, SNAPSHOT_KEY, collector_paused
from wallboard.ingest import to_records
from wallboard.simulator import AVERAGE_SALE_POINTS, RULES, SITES, Plan, Simulator, company, season
from wallboard.store import EventLog, Record, open_store
from wallboard.tokens import new_token

WALLBOARD = [sys.executable, "-m", "wallboard"]


# Processes ------------------------------------------------------------------


class Process:
    """A ``wallboard`` command as an operator runs it, killed or stopped by the test."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args = args
        self.env = env
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        #: a web process's address
        self.url = ""

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self) -> None:
        assert self.process is None
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*WALLBOARD, *self.args], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, nothing is flushed or saved."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        code = self.process.wait(20)
        self.process = None
        assert code == -signal.SIGKILL, f"it had exited ({code}) before:\n{self.output()}"

    def stop(self) -> None:
        """SIGTERM, as a deploy stops it: a clean exit."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(30)
        self.process = None
        # uvicorn shuts down cleanly, then re-raises the signal it got.
        assert code in (0, -signal.SIGTERM), self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    """Processes a test starts; any still running when it ends are killed."""
    started: list[Process] = []
    yield started
    for process in started:
        if process.process is not None:
            process.process.kill()
            process.process.wait(20)


def scorer_process(processes: list[Process], store: str, tmp: Path, tick_seconds: float) -> Process:
    """The Procfile's ``scorer``: ``WALLBOARD_ENGINE=writer wallboard scorer``."""
    env = {
        **os.environ,
        "WALLBOARD_STORE": store,
        "WALLBOARD_ENGINE": "writer",
        "WALLBOARD_TICK_SECONDS": str(tick_seconds),
    }
    process = Process(["scorer"], env, tmp / "scorer.log")
    processes.append(process)
    return process


# The log ----------------------------------------------------------------------


def now_stamp() -> str:
    return format_ts(datetime.now(UTC))


def records(events: list[dict[str, Any]], source: str, by: str | None = None) -> list[Record]:
    """Events as ingest stores them: validated, with the source and ``received`` (now)."""
    return to_records([validate(event) for event in events], source, now_stamp(), by)


async def open_tombola(store: EventLog, event: dict[str, Any], seed: bytes) -> None:
    """As ``POST /api/tombolas`` does: the secret seed beside the log, its hash in it."""
    await store.put_meta(SEED_PREFIX + event["tombola"], seed)
    event = {**event, "type": "tombola_open", "seed_hash": seed_hash(seed)}
    [stored] = await store.append(records([event], "manage", by="test"))
    assert stored


class Replay:
    """A clean replay: a fresh scorer folds the log, event by event, in log order."""

    def __init__(self, store: EventLog) -> None:
        self.store = store
        self.scorer = Scorer()
        self.events: list[dict[str, Any]] = []

    async def to(self, until: int) -> Scorer:
        scorer = self.scorer
        while scorer.offset < until:
            entries = await self.store.read(scorer.offset, min(5000, until - scorer.offset))
            assert entries, f"the log ends at {scorer.offset}, before {until}"
            for entry in entries:
                event = orjson.loads(entry.data)
                self.events.append(event)
                scorer.apply(event, entry.offset)
            scorer.drain_changes()
        return scorer


async def saved_state(store: EventLog) -> dict[str, Any]:
    """The scorer's state as it saved it (``wallboard.engine`` snapshots)."""
    raw = await store.get_meta(SNAPSHOT_KEY)
    assert raw is not None, "the scorer saved no snapshot"
    state: dict[str, Any] = orjson.loads(raw)["state"]
    return state


def assert_same_state(saved: dict[str, Any], clean: Scorer) -> None:
    expected = orjson.loads(orjson.dumps(snapshot.to_data(clean)))
    differing = sorted(k for k in expected.keys() | saved.keys() if saved.get(k) != expected.get(k))
    assert not differing, f"the scorer's state differs from a clean replay in {differing}"


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
    folded = {sale.id: sale for sale in scorer.sales.values()}
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
    for agent, days in scorer.buckets.items():
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


async def wait_until_ticking(store: EventLog, since: float, tick_seconds: float) -> None:
    """Poll the log until a scorer started at ``since`` writes a tick: its engine runs
    (a tick's id is the number of its ``tick_seconds`` interval)."""
    deadline = time.monotonic() + 30
    while True:
        last = await store.last_offset()
        for entry in await store.read(max(0, last - 50), 50):
            event = orjson.loads(entry.data)
            if event["source"] == "wallboard" and event["type"] == "tick":
                slot = int(event["id"].removeprefix("tick-"))
                if slot * tick_seconds >= since:
                    return
        assert time.monotonic() < deadline, "the scorer writes no ticks"
        await asyncio.sleep(0.02)


TICK_SECONDS = 0.1


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
                + to_records([dict(tick)], "manage", received, "test")
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
        await store.append(records([stream.closing_tick], "manage", by="test"))
        await wait_for_draws(store, len(stream.tombolas))
        scorer.stop()

        with collector_paused():
            saved = await saved_state(store)
            assert saved["offset"] > last_sent, "the scorer folded every event sent"
            assert_same_state(saved, await replay.to(saved["offset"]))
            assert_each_event_counted_once(replay.scorer, stream)

            # Drawn once each, as a clean replay of the whole log checks them.
            final = await replay.to(await store.last_offset())
            for tombola in final.tombolas.values():
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


# Moments that pass while the scorer is down -------------------------------------


def web_process(processes: list[Process], store: str, tmp: Path, engine: str) -> Process:
    """``wallboard serve`` on a free port (``engine`` reader: the Procfile's ``web``)."""
    port = free_port()
    env = {**os.environ, "WALLBOARD_STORE": store, "WALLBOARD_ENGINE": engine}
    process = Process(["serve", "--port", str(port)], env, tmp / "web.log")
    process.url = f"http://127.0.0.1:{port}"
    processes.append(process)
    return process


def start_web(web: Process) -> None:
    web.start()
    assert web.process is not None
    wait_until_up(web.url, web.process, web.log)


async def add_tokens(store: EventLog, *roles: str) -> dict[str, str]:
    tokens = {}
    for role in roles:
        token, record = new_token(role, label="test", source="crm" if role == "ingest" else None)
        await store.add_token(record)
        tokens[role] = token
    return tokens


def sale_event(event_id: str, agent: str, ts: datetime, revenue: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "sale",
        "ts": format_ts(ts),
        "agent": agent,
        "product": "mobile-upgrade",
        "channel": "phone",
        "revenue": revenue,
    }


def roster_and_cup(now: datetime, moment: datetime) -> list[dict[str, Any]]:
    """Two sites with an agent each, a prize, and a cup whose first matchday ends at
    ``moment`` with no grace."""
    events: list[dict[str, Any]] = [
        {"id": "prize-p", "type": "prize", "prize": "p", "name": "Cinema voucher"},
        {"id": "site-ber", "type": "site", "site": "ber", "name": "Berlin"},
        {"id": "site-ham", "type": "site", "site": "ham", "name": "Hamburg"},
        {"id": "team-ber", "type": "team", "team": "ber-1", "name": "Spree", "site": "ber"},
        {"id": "team-ham", "type": "team", "team": "ham-1", "name": "Elbe", "site": "ham"},
        {
            "id": "agent-a-1",
            "type": "agent",
            "agent": "a-1",
            "name": "Anna Berg",
            "team": "ber-1",
            "site": "ber",
        },
        {
            "id": "agent-a-2",
            "type": "agent",
            "agent": "a-2",
            "name": "Ben Ohl",
            "team": "ham-1",
            "site": "ham",
        },
        {
            "id": "cup",
            "type": "league_season",
            "season": "cup",
            "name": "Cup",
            "clubs": [
                {"club": "ber", "name": "Berlin", "heads": 1},
                {"club": "ham", "name": "Hamburg", "heads": 1},
            ],
            "goal_every": 10,
            "grace_minutes": 0,
            "windows": [
                [format_ts(now - timedelta(hours=1)), format_ts(moment)],
                [format_ts(moment), format_ts(moment + timedelta(days=1))],
            ],
        },
    ]
    return [{**event, "ts": format_ts(now - timedelta(days=1))} for event in events]


@pytest.mark.timeout(90)
async def test_windows_that_end_while_the_scorer_is_down_close_when_it_returns(
    processes: list[Process], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    scorer = scorer_process(processes, url, tmp_path, tick_seconds=TICK_SECONDS)
    web = web_process(processes, url, tmp_path, engine="reader")
    async with open_store(url) as store:
        tokens = await add_tokens(store, "ingest", "manager")
        start_web(web)
        started = time.time()
        scorer.start()
        with httpx.Client(base_url=web.url, timeout=30) as client:

            def post(events: list[dict[str, Any]], role: str = "ingest") -> None:
                headers = {"Authorization": f"Bearer {tokens[role]}"}
                response = client.post("/api/events", json=events, headers=headers)
                assert response.status_code == 202, response.text

            def get(path: str) -> Any:
                headers = {"Authorization": f"Bearer {tokens['manager']}"}
                response = client.get(path, headers=headers)
                assert response.status_code == 200, response.text
                return response.json()

            # The moment: a sale's cancellation window, the first matchday and a tombola
            # end at once, a few seconds from now, while the scorer is down.
            now = datetime.now(UTC).replace(microsecond=0)
            moment = now + timedelta(seconds=10)
            post(roster_and_cup(now, moment), "manager")
            # A second tombola closes two seconds after the moment: only the restarted
            # scorer's ticks carry the clock there.
            for tombola, closes in (("t", moment), ("t2", moment + timedelta(seconds=2))):
                opened = client.post(
                    "/api/tombolas",
                    json={
                        "tombola": tombola,
                        "name": "Draw",
                        "prizes": ["p"],
                        "ts": format_ts(now - timedelta(minutes=1)),
                        "closes": format_ts(closes),
                    },
                    headers={"Authorization": f"Bearer {tokens['manager']}"},
                )
                assert opened.status_code == 201, opened.text
            # The default rules: 10 points a sale and 0.1 a euro, 14 days' window; the
            # cup: a goal every 10 points a head.
            post(
                [
                    # made 14 days ago, reported late: its window ends at the moment
                    sale_event("s-due", "a-1", moment - timedelta(days=14), "50.00"),
                    sale_event("s-ber", "a-1", now, "100.00"),  # 20 points: 2 goals, a ticket
                    sale_event("s-ham", "a-2", now, "100.00"),  # 20 points: 2 goals, a ticket
                ]
            )
            # A deploy, whose snapshot holds the pending sale, the live match and the open
            # tombola; then a crash.
            await wait_until_ticking(store, started, TICK_SECONDS)
            scorer.stop()
            started = time.time()
            scorer.start()
            await wait_until_ticking(store, started, TICK_SECONDS)
            scorer.kill()

            # Down, before the moment: a sale that plays and earns a ticket, and a
            # cancellation inside the window, which takes back a sale, its goals and ticket.
            post(
                [
                    sale_event("s-ham-2", "a-2", now, "0.00"),  # 10 points: a goal
                    {"id": "c-ber", "type": "cancellation", "ts": format_ts(now), "sale": "s-ber"},
                ]
            )
            assert datetime.now(UTC) < moment, "the setup took longer than the moment gives it"
            await asyncio.sleep((moment - datetime.now(UTC)).total_seconds() + 0.2)
            # Down, after it: a sale inside the matchday by its time but too late for the
            # final whistle and the draw, and a cancellation inside its sale's window that
            # reaches the log after the window passed: it counts in the rate only.
            late = moment - timedelta(minutes=1)
            post(
                [
                    sale_event("s-ber-late", "a-1", late, "100.00"),
                    {"id": "c-due", "type": "cancellation", "ts": format_ts(late), "sale": "s-due"},
                ]
            )
            last_sent = await store.last_offset()
            scorer.start()

            deadline = time.monotonic() + 30
            for tombola_id in ("t", "t2"):
                while (tombola := get(f"/api/tombolas/{tombola_id}"))["state"] != "drawn":
                    assert time.monotonic() < deadline, f"not drawn: {tombola}"
                    await asyncio.sleep(0.1)
                assert tombola["verified"] is True
            # The late sale came after the first tombola closed, before the second did.
            assert get("/api/tombolas/t")["tickets"] == {"a-2": 2}
            assert get("/api/tombolas/t2")["tickets"] == {"a-1": 1, "a-2": 2}

            [first, _] = get("/api/seasons/cup/matches")["matches"]
            assert first["state"] == "final"
            scores = {first["home"]: first["home_goals"], first["away"]: first["away_goals"]}
            assert scores == {"ber": 0, "ham": 3}
            disallowed = [g for g in first["goals"] if g["disallowed"]]
            assert [(g["club"], g["reason"]) for g in disallowed] == [
                ("ber", "sale s-ber cancelled")
            ] * 2

            recent = {row["event"]: row for row in get("/api/agents/a-1")["recent"]}
            assert recent["s-due"]["state"] == "confirmed"
            assert "counts in the cancellation rate" in recent["c-due"]["why"]
            assert recent["s-ber"]["state"] == "revoked"
            assert recent["s-ber-late"]["state"] == "pending"

        # The scorer, stopped, saved what it folded: what a clean replay gives.
        scorer.stop()
        with collector_paused():
            saved = await saved_state(store)
            assert saved["offset"] >= last_sent
            assert_same_state(saved, await Replay(store).to(saved["offset"]))
            state = snapshot.from_data(saved)
        assert state.sales["crm:s-due"].state == CONFIRMED
        assert state.sales["crm:s-due"].cancelled
        assert state.sales["crm:s-ber"].state == REVOKED
        assert state.league.seasons["cup"].matches[0].state == "final"
        assert [t.state for t in state.tombolas.values()] == ["drawn", "drawn"]
    # Both starts after the first restored the snapshot of the one before.
    assert scorer.output().count("restored snapshot at offset") == 2


# The web server killed while batches are being posted ---------------------------


@dataclass
class Batch:
    id: str
    events: list[dict[str, Any]]
    #: the HTTP status it got; None while unsent, 0 when no answer came
    status: int | None = None


def batches_for(client: int, count: int, rng: random.Random) -> list[Batch]:
    """Batches of 500 to 1,000 sales and contacts, each event id led by its batch's."""
    now = format_ts(datetime.now(UTC))
    batches = []
    for number in range(count):
        batch_id = f"b{client}-{number}"
        events: list[dict[str, Any]] = []
        for n in range(rng.randrange(500, 1001)):
            event: dict[str, Any] = {"id": f"{batch_id}/{n}", "ts": now, "agent": f"a-{n % 40}"}
            if n % 3:
                event.update(type="contact", channel="phone", resolved=n % 2 == 0)
                event.update(quality=60 + n % 41, referral=n % 11)
            else:
                event.update(type="sale", product="dsl-100", channel="chat")
                event.update(revenue=f"{n % 90 + 10}.00")
            events.append(event)
        batches.append(Batch(batch_id, events))
    return batches


def post_until_refused(base: str, token: str, batches: list[Batch]) -> None:
    """One client posting its batches one after the other, until the server is gone."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
        for batch in batches:
            try:
                batch.status = client.post("/api/events", json=batch.events).status_code
            except httpx.TransportError:
                batch.status = 0
                return


CLIENTS = 4


@pytest.mark.timeout(90)
@pytest.mark.parametrize("seed", range(4))
async def test_a_web_server_killed_mid_batch_keeps_each_batch_whole_or_absent(
    seed: int, processes: list[Process], tmp_path: Path
) -> None:
    rng = random.Random(seed)
    url = f"sqlite:///{tmp_path / 'log.db'}"
    async with open_store(url) as store:
        token = (await add_tokens(store, "ingest"))["ingest"]
    web = web_process(processes, url, tmp_path, engine="writer")
    web.env["WALLBOARD_INGEST_RATE"] = "0"  # a bulk load: no rate limit on the token
    start_web(web)
    clients = [batches_for(client, 40, rng) for client in range(CLIENTS)]
    threads = [
        threading.Thread(target=post_until_refused, args=(web.url, token, batches))
        for batches in clients
    ]
    for thread in threads:
        thread.start()
    sent = [batch for batches in clients for batch in batches]
    deadline = time.monotonic() + 30
    while not any(batch.status == 202 for batch in sent):
        assert time.monotonic() < deadline, "no batch was acknowledged"
        await asyncio.sleep(0.01)
    await asyncio.sleep(rng.uniform(0.0, 1.0))
    web.kill()
    for thread in threads:
        thread.join(30)
    acknowledged = {batch.id for batch in sent if batch.status == 202}
    unanswered = [batch for batch in sent if batch.status == 0]
    assert {batch.status for batch in sent} <= {None, 0, 202}
    assert unanswered, "the kill came while batches were in flight"

    start_web(web)
    with closing(sqlite3.connect(tmp_path / "log.db")) as database:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    async with open_store(url) as store:
        stored = Counter(
            orjson.loads(entry.data)["id"].rsplit("/", 1)[0]
            for entry in await store.read(0, 1_000_000)
        )
    sizes = {batch.id: len(batch.events) for batch in sent}
    halves = {key: (count, sizes[key]) for key, count in stored.items() if count != sizes[key]}
    assert not halves, f"batches stored in part (stored, sent): {halves}"
    assert acknowledged <= stored.keys(), "every acknowledged batch is in the log"
    assert stored.keys() <= {batch.id for batch in sent if batch.status is not None}

    # The integration sends again what got no answer: each such batch is wholly new
    # or wholly a duplicate, and then the log holds every batch once.
    with httpx.Client(
        base_url=web.url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        for batch in unanswered:
            response = client.post("/api/events", json=batch.events)
            assert response.status_code == 202, response.text
            answer = response.json()
            whole = len(batch.events)
            expected = (0, whole) if batch.id in stored else (whole, 0)
            assert (answer["accepted"], answer["duplicates"]) == expected, batch.id
    web.stop()
    async with open_store(url) as store:
        total = await store.last_offset()
    assert total == sum(len(batch.events) for batch in sent if batch.status is not None)
