"""Fold speed: sale events per second through the scorer and a running league,
on one core, with the demo's rules, prizes and roster, folded the way the
engine folds the log (``wallboard.engine.fold_entries``).

Beside it, the same log with the demo's contests running throughout (a weekly
site battle and site cup, a daily race and two daily challenges: ``contests``),
folded in the same run.

The sales spread over four weeks, so that the oldest pass their cancellation
window and are confirmed during the run, and a double round-robin season
between the demo's six sites is live throughout.

References, measured in the same run over the same events: a bare dict-update
loop (a count per agent) over parsed events, and the same loop parsing each
event's JSON first, as the fold does; and the fold's floor, the least any fold
of a sale must do: parse it, keep its record, add it to its agent's day,
remember it among the agent's recent events and queue it for confirmation,
with no rules, prizes, league or confirmations.
"""

from __future__ import annotations

import gc
import heapq
import statistics
import sys
import time
from collections import deque
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from scoring.events import validate
from scoring.log import format_ts
from scoring.model import Bucket, Sale
from scoring.scorer import Scorer
from wallboard import demo_contests
from wallboard.engine import collector_paused, fold_entries
from wallboard.simulator import (
    AVERAGE_SALE_POINTS,
    SITES,
    Company,
    Plan,
    Simulator,
    company,
    season,
)
from wallboard.store import Entry
from wallboard.timetable import ZONE

SPAN = timedelta(days=28)
#: the engine's read size
BATCH = 5000


def demo_setup(sales: int, start: datetime) -> tuple[Company, list[dict[str, Any]]]:
    """The demo's roster, rules and prizes, and a season between its sites whose
    matchdays cover ``SPAN`` from ``start``, with ``goal_every`` calibrated as the
    demo does (about 1.4 goals a club and match) for ``sales`` sales in that time."""
    firm, roster = company(7)
    matchdays = 2 * (len(SITES) - 1)
    plan = Plan(window=120.0, speed=SPAN.total_seconds() / matchdays / 120.0)
    league = season(firm, plan, start)
    per_head = sales / matchdays * AVERAGE_SALE_POINTS / sum(firm.heads.values())
    league["goal_every"] = round(per_head / 1.9, 1)
    stamp = format_ts(start - timedelta(days=1))
    return firm, [validate({**event, "ts": stamp}) for event in roster] + [validate(league)]


def contests(firm: Company, start: datetime, sales: int) -> list[dict[str, Any]]:
    """The demo's contests (``wallboard.demo_contests``: a weekly site battle and
    site cup, a daily race and two daily challenges), their first runs in the week
    of ``start``, the race's line set for ``sales`` sales in ``SPAN``."""
    local = start.astimezone(ZONE).date()
    monday = local - timedelta(days=local.weekday())
    return demo_contests.contests(firm, monday, ZONE, sales / SPAN.days)


def events(count: int, seed: int = 1, *, with_contests: bool = False) -> list[bytes]:
    """The demo's setup and league season (and, ``with_contests``, the contests of
    ``contests``), then ``count`` sales as they arrive."""
    start = datetime(2026, 11, 2, tzinfo=UTC)
    firm, setup = demo_setup(count, start)
    if with_contests:
        stamp = format_ts(start - timedelta(days=1))
        setup += [validate({**event, "ts": stamp}) for event in contests(firm, start, count)]
    simulator = Simulator(firm, seed=seed, prefix="s")
    stream = simulator.events(int(count / 0.45) + 1000, start, start + SPAN)
    sales = [e for e in stream if e["type"] == "sale"][:count]
    # In the log's canonical form, as ingest stores them.
    return [
        orjson.dumps(
            {**validate(event), "source": source, "received": event["ts"]},
            option=orjson.OPT_SORT_KEYS,
        )
        for source, events in (("manage", setup), ("crm", sales))
        for event in events
    ]


def fold(log: list[bytes]) -> float:
    """As the engine catches up on the log (``wallboard.engine.fold``): batches of
    ``BATCH`` folded, drained, and kept out of the collector's sight."""
    scorer = Scorer()
    entries = [Entry(offset, data) for offset, data in enumerate(log, 1)]
    started = time.perf_counter()
    try:
        for start in range(0, len(entries), BATCH):
            fold_entries(scorer, entries[start : start + BATCH], keep=True)
            scorer.drain_changes()
    finally:
        gc.unfreeze()
    return time.perf_counter() - started


def fold_parsed(events: list[dict[str, Any]]) -> float:
    scorer = Scorer()
    apply = scorer.apply
    started = time.perf_counter()
    try:
        for start in range(0, len(events), BATCH):
            with collector_paused():
                for offset, event in enumerate(events[start : start + BATCH], start + 1):
                    apply(event, offset)
                gc.freeze()
            scorer.drain_changes()
    finally:
        gc.unfreeze()
    return time.perf_counter() - started


def reference(log: list[bytes]) -> float:
    totals: dict[str | None, float] = {}  # None: the setup events, which have no agent
    loads = orjson.loads
    started = time.perf_counter()
    for data in log:
        event: dict[str, Any] = loads(data)
        agent = event.get("agent")
        totals[agent] = totals.get(agent, 0.0) + 1.0
    return time.perf_counter() - started


def floor(log: list[bytes]) -> float:
    sales: dict[str, Sale] = {}
    buckets: dict[str, dict[str, Bucket]] = {}
    recent: dict[str, deque[list[Any]]] = {}
    due: list[tuple[float, str]] = []
    loads, epoch = orjson.loads, datetime.fromisoformat
    started = time.perf_counter()
    with collector_paused():
        for data in log:
            event: dict[str, Any] = loads(data)
            if event["type"] != "sale":
                continue
            ts = epoch(event["ts"]).timestamp()
            key, agent = f"{event['source']}:{event['id']}", event["agent"]
            cents, day = int(event["revenue"].replace(".", "")), event["ts"][:10]
            sale = sales[key] = Sale(
                key,
                event["id"],
                agent,
                event["product"],
                event["channel"],
                ts,
                day,
                cents,
                1,
                cents,
                cents,
                "",
                ts + SPAN.total_seconds(),
            )
            days = buckets.get(agent)
            if days is None:
                days = buckets[agent] = {}
            bucket = days.get(day)
            if bucket is None:
                bucket = days[day] = Bucket()
            bucket.sales += 1
            bucket.revenue += cents
            bucket.sales_pending += cents
            bucket.commission_pending += cents
            rows = recent.get(agent)
            if rows is None:
                rows = recent[agent] = deque(maxlen=50)
            rows.append(["sale", key])
            heapq.heappush(due, (sale.due, key))
    return time.perf_counter() - started


def reference_parsed(events: list[dict[str, Any]]) -> float:
    totals: dict[str | None, float] = {}  # None: the setup events, which have no agent
    started = time.perf_counter()
    for event in events:
        agent = event.get("agent")
        totals[agent] = totals.get(agent, 0.0) + 1.0
    return time.perf_counter() - started


def main(count: int = 200_000, runs: int = 5) -> dict[str, float]:
    log = events(count)
    with_contests = events(count, with_contests=True)
    parsed_events = [orjson.loads(data) for data in log]
    gc.collect()
    timings: dict[str, list[float]] = {
        "fold": [],
        "fold_contests": [],
        "fold_parsed": [],
        "reference": [],
        "reference_parsed": [],
        "floor": [],
    }
    for _ in range(runs):
        timings["fold"].append(fold(log))
        timings["fold_contests"].append(fold(with_contests))
        timings["reference"].append(reference(log))
        timings["fold_parsed"].append(fold_parsed([dict(e) for e in parsed_events]))
        timings["reference_parsed"].append(reference_parsed(parsed_events))
        timings["floor"].append(floor(log))
    rates = {name: len(log) / statistics.median(times) for name, times in timings.items()}
    # The same sales, five contest events more: per sale, as the fold without them.
    rates["fold_contests"] = len(log) / statistics.median(timings["fold_contests"])
    return {
        "events": len(log),
        **{f"{name}_per_s": round(rate) for name, rate in rates.items()},
        "ratio_from_json": round(rates["fold"] / rates["reference"], 3),
        "ratio_parsed": round(rates["fold_parsed"] / rates["reference_parsed"], 3),
        "ratio_to_floor": round(rates["fold"] / rates["floor"], 3),
        "ratio_with_contests": round(rates["fold_contests"] / rates["fold"], 3),
    }


if __name__ == "__main__":
    print(orjson.dumps(main(*(int(a) for a in sys.argv[1:]))).decode())
