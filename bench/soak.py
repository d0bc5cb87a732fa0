"""``make soak``: a working day's load on one server for ten minutes, to show that
nothing creeps: memory levels off, no screen that keeps up is dropped, nothing
is logged as an error, every event is acknowledged, push latency holds.

The server is the default setup (embedded SQLite, the engine writing ticks and
drawing tombolas) on the server core, logging as ``wallboard serve`` does. The
load runs in one process on the other core: the demo's roster, rules, prizes,
a league season and a tombola, then ``rate`` events a second from the demo's
simulator (sales, some cancellations, contacts) POSTed one by one as an
integration sends them, while ``clients`` websocket screens watch the board,
site boards, agents' ``/me`` topics and a manager's console.

Usage: ``python -m bench.soak [--minutes 10] [--clients 1000] [--rate 200]``.
Writes ``bench/results/soak.json`` and ``soak.md``; exits 1 on FAIL.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from starlette.applications import Starlette

from bench.clients import cpu_seconds, loop_lag, open_screen
from bench.common import (
    LOAD_CORE,
    ROOT,
    free_port,
    median,
    pinned,
    rss_kib,
    run_loop,
    start_server,
    stop_server,
)
from bench.load import Connection
from bench.push import cpu_seconds as cpu_seconds_of
from bench.soak_report import LATE_LIMIT, STALL_SECONDS, failures, markdown
from scoring.log import format_ts
from scoring.scorer import Scorer
from wallboard.engine import fold_entries
from wallboard.ingest import check_batch, to_records
from wallboard.simulator import SITES, Plan, Simulator, company, season
from wallboard.store import Entry, open_store
from wallboard.tokens import new_token

RESULTS = ROOT / "bench" / "results"
#: how often the server's memory, CPU time and /metrics are read
SAMPLE_SECONDS = 2.0
MANAGERS = 2
POSTERS = 16
COMPANY_SEED, LOAD_SEED = 7, 8
#: every n-th board screen reads its frames and times the sales in them
TIME_EVERY_BOARD = 5
#: a sale's own celebration (a prize or a cancellation names the sale too)
MARK = re.compile(rb'"kind":"sale","agent":"[^"]*","id":"(soak-\d+)"')
FAILURE_LINE = re.compile(r"\bERROR\b|\bCRITICAL\b|Traceback")


def app() -> Starlette:
    """The product as ``wallboard serve`` runs it, its log lines included (so that an
    error shows up with its level), for uvicorn's ``--factory``."""
    from wallboard.app import create_app
    from wallboard.logs import configure
    from wallboard.settings import Settings

    settings = Settings.from_env()
    configure(settings.log_format)
    return create_app(settings)


class Histogram:
    """Latencies counted in tenths of a millisecond: memory stays flat however long
    the run."""

    def __init__(self) -> None:
        self.counts: Counter[int] = Counter()

    def add(self, ms: float) -> None:
        self.counts[int(ms * 10)] += 1

    def percentile(self, share: float) -> float | None:
        total = self.counts.total()
        rank, seen = int(share * total), 0
        for tenths in sorted(self.counts):
            seen += self.counts[tenths]
            if seen > rank:
                return tenths / 10
        return None

    def summary(self) -> dict[str, Any]:
        return {
            "n": self.counts.total(),
            "p50_ms": self.percentile(0.5),
            "p99_ms": self.percentile(0.99),
        }


def screens_plan(clients: int, agents: list[str]) -> list[tuple[str, str]]:
    """(token name, topic) for each screen: six in ten on the company board, two on a
    site's board, two on an agent's own page, and a manager's console or two."""
    plan = []
    for n in range(clients):
        slot = n % 10
        if n < MANAGERS:
            plan.append(("manager", "manage"))
        elif slot < 6:
            plan.append(("display", "board"))
        elif slot < 8:
            plan.append(("display", f"board:{SITES[n % len(SITES)][0]}"))
        else:
            agent = agents[(n // 10 * 2 + slot - 8) % len(agents)]
            plan.append((f"agent:{agent}", f"agent:{agent}"))
    return plan


class Watch:
    """What one screen saw: frames, the last one's time, and (when timed) each
    marked sale's time from its POST to its arrival as a celebration."""

    def __init__(self, load: LoadRun, kind: str) -> None:
        self.load, self.kind = load, kind
        self.frames = 0
        self.last = time.monotonic()
        self.closed = False
        self.first: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def __call__(self, payload: bytes | None) -> None:
        self.last = now = time.monotonic()
        self.frames += 1
        if not self.first.done():
            self.first.set_result(None)
            return  # the snapshot: no celebrations
        if payload is None:
            return
        events = payload.rfind(b'"events":[')
        if events < 0:
            return
        sent = self.load.sent
        for mark in MARK.findall(payload, events):
            at = sent.get(mark.decode())
            if at is not None:
                self.load.latency(self.kind, now, (now - at) * 1000)


class LoadRun:
    """The load process: screens connected first, then events posted on schedule."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.sent: dict[str, float] = {}
        self.window = config["seconds"] / 10  # latency reported in ten slices
        self.started = 0.0
        self.histograms: dict[str, Histogram] = {}
        self.slices: list[Histogram] = [Histogram() for _ in range(10)]
        self.counts: Counter[str] = Counter(scheduled=0, sent=0, acknowledged=0, unsent=0)
        self.closes: Counter[int] = Counter()
        self.late_ms = 0.0
        self.answers = Histogram()  # from a POST to its answer

    def latency(self, kind: str, now: float, ms: float) -> None:
        self.histograms.setdefault(kind, Histogram()).add(ms)
        if kind == "board" and self.started:
            index = int((now - self.started) / self.window)
            self.slices[min(index, 9)].add(ms)

    def closed(self, watch: Watch, code: int) -> None:
        watch.closed = True
        self.closes[code] += 1

    async def connect(self) -> list[Watch]:
        base, tokens = self.config["ws"], self.config["tokens"]
        semaphore = asyncio.Semaphore(100)
        plan = screens_plan(self.config["clients"], self.config["agents"])

        async def one(n: int, token: str, topic: str) -> Watch:
            kind = topic.split(":")[0]
            timed = kind == "agent" or (topic == "board" and n % TIME_EVERY_BOARD == 0)
            watch = Watch(self, kind)
            async with semaphore:
                screen = await open_screen(
                    f"{base}/ws?token={tokens[token]}", watch, (topic,), payloads=timed
                )
            screen.closed.add_done_callback(lambda done: self.closed(watch, done.result()))
            return watch

        watches = await asyncio.gather(*(one(n, *each) for n, each in enumerate(plan)))
        await asyncio.wait_for(asyncio.gather(*(w.first for w in watches)), 120)
        return list(watches)

    async def post(self) -> None:
        """``rate`` events a second, each sent when due by the first free connection."""
        config, loop = self.config, asyncio.get_running_loop()
        simulator = Simulator(company(COMPANY_SEED)[0], seed=LOAD_SEED, prefix="soak")
        queue: asyncio.Queue[tuple[float, str, bytes] | None] = asyncio.Queue()
        per_second = max(1, round(config["rate"]))

        async def poster() -> None:
            connection = Connection(config["url"], config["tokens"]["ingest"])
            while (item := await queue.get()) is not None:
                due, event_id, body = item
                self.late_ms = max(self.late_ms, (loop.time() - due) * 1000)
                self.sent[event_id] = sent = time.monotonic()
                self.counts["sent"] += 1
                try:
                    status = await connection.post(body)
                except (OSError, asyncio.IncompleteReadError, RuntimeError):
                    await connection.close()
                    status = 0
                self.answers.add((time.monotonic() - sent) * 1000)
                self.counts["acknowledged" if status == 202 else f"status_{status}"] += 1
            await connection.close()

        posters = [asyncio.create_task(poster()) for _ in range(POSTERS)]
        start = loop.time()
        for second in range(int(config["seconds"])):
            now = datetime.now(UTC)
            batch = simulator.events(per_second, now - timedelta(seconds=1), now)[:-1]
            for n, event in enumerate(batch):  # the tick left out: the server writes its own
                due = start + second + n / per_second
                await asyncio.sleep(due - loop.time())
                queue.put_nowait((due, event["id"], orjson.dumps(event)))
                self.counts["scheduled"] += 1
        # A load that fell behind stops with the run, what it could not send counted.
        end = loop.time() + LATE_LIMIT
        while not queue.empty() and loop.time() < end:
            await asyncio.sleep(0.05)
        while not queue.empty():
            queue.get_nowait()
            self.counts["unsent"] += 1
        for _ in posters:
            queue.put_nowait(None)
        await asyncio.gather(*posters)

    async def run(self) -> None:
        watches = await self.connect()
        print(json.dumps({"ready": len(watches)}), flush=True)
        lags: list[float] = []
        monitor = asyncio.create_task(loop_lag(lags, 0.05))
        cpu, self.started = cpu_seconds(), time.monotonic()
        await self.post()
        await asyncio.sleep(2.0)  # the last celebrations
        elapsed = time.monotonic() - self.started
        monitor.cancel()
        now = time.monotonic()
        lags.sort()
        report = {
            **self.counts,
            "seconds": round(elapsed, 1),
            "per_s": round(self.counts["acknowledged"] / (elapsed - 2.0), 1),
            "late_max_ms": round(self.late_ms, 1),
            "answer": {
                **self.answers.summary(),
                "max_ms": max(self.answers.counts, default=0) / 10,
            },
            "load_cpu_share": round((cpu_seconds() - cpu) / elapsed, 2),
            "load_loop_lag_p99_ms": round(lags[int(0.99 * len(lags))] * 1000, 1),
            "closes": {str(code): count for code, count in self.closes.items()},
            "stalled": sum(1 for w in watches if not w.closed and now - w.last > STALL_SECONDS),
            "frames_per_screen_per_s": round(
                sum(w.frames for w in watches) / len(watches) / elapsed, 1
            ),
            "latency": {kind: h.summary() for kind, h in sorted(self.histograms.items())},
            "board_latency_by_slice": [
                {"from_s": round(n * self.window), **h.summary()} for n, h in enumerate(self.slices)
            ],
        }
        print(json.dumps(report), flush=True)


async def make_tokens(store_url: str, agents: list[str]) -> dict[str, str]:
    made = {}
    async with open_store(store_url) as store:
        for name in ("display", "ingest", "manager", *(f"agent:{a}" for a in agents)):
            role, _, agent = name.partition(":")
            token, record = new_token(role, label="soak", agent=agent or None)
            await store.add_token(record)
            made[name] = token
    return made


def company_events(now: datetime, rate: float) -> list[dict[str, Any]]:
    """The demo's roster, rules and prizes, and a season of one-minute matchdays."""
    firm, roster = company(COMPANY_SEED)
    stamp = format_ts(now - timedelta(days=1))
    league = season(firm, Plan(rate=rate, window=60.0, speed=1.0), now)
    return [{**event, "ts": stamp} for event in roster] + [league]


def set_up(base: str, manager: str, rate: float, seconds: float) -> None:
    """The company, and a tombola drawn during the run."""
    now = datetime.now(UTC)
    with httpx.Client(base_url=base, timeout=30) as client:
        headers = {"Authorization": f"Bearer {manager}"}
        events = company_events(now, rate)
        client.post("/api/events", json=events, headers=headers).raise_for_status()
        tombola = {
            "tombola": "soak",
            "name": "Tombola of the soak",
            "prizes": ["cinema", "shirt"],
            "every": 3,
            "closes": format_ts(now + timedelta(seconds=0.4 * seconds)),
        }
        client.post("/api/tombolas", json=tombola, headers=headers).raise_for_status()


def state_kib_per_event(rate: float, events: int = 20_000) -> float:
    """What the folded state grows by per event of the soak's mix, folded here as the
    server folds it. Every sale is kept for its cancellation window (14 days), so
    memory grows with the log by design; a leak is growth beyond this."""
    scorer, offset, now = Scorer(), 0, datetime.now(UTC)
    simulator = Simulator(company(COMPANY_SEED)[0], seed=LOAD_SEED, prefix="soak")
    per_second = max(1, round(rate))

    def fold(batch: list[dict[str, Any]], source: str) -> None:
        nonlocal offset
        records = to_records(check_batch(batch, None), source, format_ts(now))
        fold_entries(scorer, [Entry(offset + n, r.data) for n, r in enumerate(records, 1)])
        offset += len(records)
        scorer.drain_changes()

    def play(seconds: int) -> None:
        nonlocal now
        for _ in range(seconds):
            fold(simulator.events(per_second, now, now + timedelta(seconds=1))[:-1], "crm")
            now += timedelta(seconds=1)

    fold(company_events(now, rate), "manage")
    play(events // per_second)
    gc.collect()
    before = rss_kib(os.getpid())
    play(events // per_second)
    gc.collect()
    return (rss_kib(os.getpid()) - before) / (events // per_second * per_second)


def metrics(base: str) -> dict[str, float]:
    """/metrics as name{labels} -> value."""
    text = httpx.get(f"{base}/metrics", timeout=10).text
    pairs = (line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#"))
    return {name: float(value) for name, value in pairs}


def sample(base: str, pid: int, t: float, setup: float) -> dict[str, float]:
    figures = metrics(base)
    return {
        "t": round(t, 1),
        "rss_kib": rss_kib(pid),
        "clients": sum(v for k, v in figures.items() if k.startswith("wallboard_clients{")),
        "scorer_lag": figures["wallboard_scorer_lag_events"],
        "ingested": figures["wallboard_events_ingested_total"] - setup,
    }


def drive(base: str, pid: int, config: dict[str, Any]) -> dict[str, Any]:
    """Start the load process and sample the server (every ``SAMPLE_SECONDS``) while it
    runs; the samples, the load's report and the server's share of its core."""
    load = subprocess.Popen(
        pinned(LOAD_CORE, [sys.executable, "-m", "bench.soak", "--load"]),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert load.stdin is not None and load.stdout is not None
        load.stdin.write(json.dumps(config).encode())
        load.stdin.close()
        json.loads(load.stdout.readline())  # every screen has its snapshot
        samples, started, cpu = [], time.monotonic(), cpu_seconds_of(pid)
        while load.poll() is None:
            samples.append(sample(base, pid, time.monotonic() - started, config["setup"]))
            time.sleep(SAMPLE_SECONDS)
        share = (cpu_seconds_of(pid) - cpu) / (time.monotonic() - started)
        return {"samples": samples, "load": json.loads(load.stdout.readline()), "share": share}
    finally:
        if load.poll() is None:
            load.kill()


def run(minutes: float, clients: int, rate: float, warmup: float) -> dict[str, Any]:
    seconds = minutes * 60
    agents = [agent.id for agent in company(COMPANY_SEED)[0].agents]
    with tempfile.TemporaryDirectory() as tmp:
        store = f"sqlite:///{tmp}/soak.db"
        tokens = asyncio.run(make_tokens(store, agents))
        port, log = free_port(), Path(tmp) / "server.log"
        with log.open("ab") as output:
            server, _ = start_server(port, {"WALLBOARD_STORE": store}, "bench.soak:app", output)
            try:
                base = f"http://127.0.0.1:{port}"
                set_up(base, tokens["manager"], rate, seconds)
                setup = metrics(base)["wallboard_events_ingested_total"]
                ws = f"ws://127.0.0.1:{port}"
                config: dict[str, Any] = {"url": base, "ws": ws, "tokens": tokens}
                config |= {"agents": agents, "clients": clients, "rate": rate}
                driven = drive(base, server.pid, config | {"seconds": seconds, "setup": setup})
                final = metrics(base)
            finally:
                stop_server(server)
        lines = log.read_text(errors="replace").splitlines()
    during = [s for s in driven["samples"] if s["t"] <= seconds]  # not while screens leave
    early = [s for s in during if warmup * 60 <= s["t"] < (warmup + minutes / 10) * 60]
    late = [s for s in during if s["t"] >= seconds * 0.9]
    rss_early, rss_late = (median([s["rss_kib"] for s in window]) for window in (early, late))
    folded = median([s["ingested"] for s in late]) - median([s["ingested"] for s in early])
    state_kib = state_kib_per_event(rate) * folded
    errors = [line for line in lines if FAILURE_LINE.search(line)]
    warnings = [line for line in lines if "WARNING" in line]
    return {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "minutes": minutes,
        "clients": clients,
        "rate": rate,
        "warmup_minutes": warmup,
        "load": driven["load"],
        "server_cpu_share": round(driven["share"], 2),
        "rss_mib_after_warmup": round(rss_early / 1024, 1),
        "rss_mib_last": round(rss_late / 1024, 1),
        "memory_growth": round(rss_late / rss_early - 1, 4),
        "state_mib": round(state_kib / 1024, 1),
        "memory_growth_beyond_state": round((rss_late - state_kib) / rss_early - 1, 4),
        "clients_min": min(s["clients"] for s in during),
        "scorer_lag_max": max(s["scorer_lag"] for s in during),
        "server_dropped": final["wallboard_clients_dropped_total"],
        "server_ingested": final["wallboard_events_ingested_total"] - setup,
        "errors_logged": len(errors),
        "error_lines": errors[:20],
        "warnings_logged": len(warnings),
        "warning_lines": warnings[:20],
        "samples": driven["samples"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200.0, help="events a second")
    parser.add_argument(
        "--warmup", type=float, help="minutes (default: a fifth of the run, at least one)"
    )
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        run_loop(LoadRun(json.loads(sys.stdin.read())).run())
        return
    # Each topic keeps its recent frames for screens that resume; at 200 events a
    # second the agents' topics fill theirs in about a minute, and memory climbs till then.
    warmup = min(max(args.minutes / 5, 1.0), 0.7 * args.minutes)
    result = run(args.minutes, args.clients, args.rate, args.warmup or warmup)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(result, indent=2))
    found = failures(result)
    (RESULTS / "soak.md").write_text(table := markdown(result, found))
    print(table, flush=True)
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
