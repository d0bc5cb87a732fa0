"""Replay: rebuild the state from a log of ``count`` events (sales, contacts and
cancellations of the demo's company over four weeks, with its league season),
from empty and from a snapshot taken 1 % before the end."""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

import orjson

from bench.fold import SPAN, demo_setup
from scoring import snapshot
from scoring.events import validate
from scoring.log import format_ts
from wallboard.engine import CODE_VERSION, fold, fold_entries, restore_snapshot
from wallboard.ingest import to_records
from wallboard.simulator import SALE_SHARE, Simulator
from wallboard.store import open_store

BATCH = 5000


async def build(url: str, count: int) -> None:
    """``count`` events of the demo's company over four weeks (sales, contacts and
    cancellations; the oldest sales confirmed on the way), stored in batches."""
    start = datetime(2026, 11, 2, tzinfo=UTC)
    firm, setup = demo_setup(int(count * SALE_SHARE), start)
    simulator = Simulator(firm, seed=3, prefix="r")
    chunks = max(1, count // BATCH)
    async with open_store(url) as store:
        records = to_records(setup, "manage", setup[0]["ts"])
        for n in range(chunks):
            moment = start + SPAN * n / chunks
            later = start + SPAN * (n + 1) / chunks
            events = [validate(e) for e in simulator.events(BATCH, moment, later)]
            records += to_records(events, "demo", format_ts(later))
            if len(records) >= 50_000 or n == chunks - 1:
                await store.append(records[: max(0, count)])
                count -= len(records)
                records = []


async def measure(url: str) -> dict[str, Any]:
    async with open_store(url) as store:
        total = await store.last_offset()
        started = time.perf_counter()
        full = await fold(store)
        from_empty = time.perf_counter() - started
        # A snapshot 1 % before the end, as the service keeps one.
        head = await fold_to(store, total - total // 100)
        saved = orjson.dumps({"code": CODE_VERSION, "state": snapshot.to_data(head)})
        started = time.perf_counter()
        _, restored = restore_snapshot(saved)
        tail = await fold(store, restored)
        from_snapshot = time.perf_counter() - started
        assert snapshot.state_hash(tail) == snapshot.state_hash(full)
        return {
            "events": total,
            "from_empty_s": round(from_empty, 2),
            "events_per_s": round(total / from_empty),
            "from_snapshot_s": round(from_snapshot, 2),
            "snapshot_mib": round(len(saved) / 2**20, 1),
        }


async def fold_to(store: Any, offset: int) -> Any:
    from scoring.scorer import Scorer

    scorer = Scorer()
    while scorer.offset < offset:
        entries = await store.read(scorer.offset, min(BATCH, offset - scorer.offset))
        fold_entries(scorer, entries)
    return scorer


def run(count: int = 1_000_000) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/replay.db"
        asyncio.run(build(url, count))
        result = asyncio.run(measure(url))
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
