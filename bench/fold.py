"""Fold speed: sale events per second through the scorer and a running league,
on one core, with realistic rules.

References, measured in the same run over the same events: a bare dict-update
loop (points per agent) over parsed events, and the same loop parsing each
event's JSON first, as the fold does.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from typing import Any

import orjson

from scoring.events import format_ts
from scoring.scorer import Scorer

RULES = {
    "cancellation_window_days": 14,
    "weights": {"sales": 1.0, "support": 0.8},
    "sale": {
        "products": {
            "mobile": {"base": 20, "per_euro": 0.2},
            "dsl": {"base": 30, "per_euro": 0.1, "channel_bonus": {"shop": 5, "phone": 5}},
            "tv": {"base": 10, "per_euro": 0.1},
            "*": {"base": 5, "per_euro": 0.05},
        },
        "groups": {
            "mobile-upgrade": "mobile",
            "mobile-new": "mobile",
            "dsl-100": "dsl",
            "dsl-250": "dsl",
            "tv-basic": "tv",
        },
        "channel_factors": {"web": 0.5},
    },
    "contact": {
        "handled": 1,
        "resolved": 2,
        "referral": 3,
        "quality_bands": [{"min": 90, "points": 3}, {"min": 75, "points": 1}],
    },
    "commission": {"mobile": {"fixed": 5}, "dsl": {"percent": 3}},
    "gates": {"month": {"min_sales": 5, "min_quality": 80}},
}
PRODUCTS = ["mobile-upgrade", "mobile-new", "dsl-100", "dsl-250", "tv-basic", "insurance"]
CHANNELS = ["phone", "chat", "email", "social", "shop", "web"]


def events(count: int, seed: int = 1) -> list[bytes]:
    rng = random.Random(seed)
    start = 1_795_000_000.0
    setup = [{"id": "rules", "type": "rules", "ts": "2026-01-01T00:00:00Z", "rules": RULES}]
    for n in range(150):
        setup.append(
            {
                "id": f"ag-{n}",
                "type": "agent",
                "ts": "2026-01-01T00:00:00Z",
                "agent": f"a-{n}",
                "name": f"Agent {n}",
                "team": f"t{n % 15}",
                "site": f"s{n % 6}",
            }
        )
    setup.append(
        {
            "id": "league",
            "type": "league_season",
            "ts": "2026-01-01T00:00:00Z",
            "season": "bench",
            "name": "Bench",
            "starts": "2026-11-16",
            "goal_every": 5000,
            "clubs": [
                {"club": f"s{n}", "name": f"Site {n}", "heads": 20 + 5 * n} for n in range(6)
            ],
        }
    )
    for event in setup:
        event.update(source="manage", received=event["ts"])
    out = [orjson.dumps(e) for e in setup]
    for n in range(count):
        ts = format_ts_epoch(start + n * 0.5)
        out.append(
            orjson.dumps(
                {
                    "id": f"s-{n}",
                    "type": "sale",
                    "ts": ts,
                    "received": ts,
                    "source": "crm",
                    "agent": f"a-{rng.randrange(150)}",
                    "product": rng.choice(PRODUCTS),
                    "revenue": f"{rng.randrange(500, 50000) / 100:.2f}",
                    "channel": rng.choice(CHANNELS),
                }
            )
        )
    return out


def format_ts_epoch(epoch: float) -> str:
    from datetime import UTC, datetime

    return format_ts(datetime.fromtimestamp(epoch, UTC))


def fold(log: list[bytes]) -> float:
    scorer = Scorer()
    loads, apply = orjson.loads, scorer.apply
    started = time.perf_counter()
    for offset, data in enumerate(log, 1):
        apply(loads(data), offset)
    return time.perf_counter() - started


def fold_parsed(events: list[dict[str, Any]]) -> float:
    scorer = Scorer()
    apply = scorer.apply
    started = time.perf_counter()
    for offset, event in enumerate(events, 1):
        apply(event, offset)
    return time.perf_counter() - started


def reference(log: list[bytes]) -> float:
    totals: dict[str, float] = {}
    loads = orjson.loads
    started = time.perf_counter()
    for data in log:
        event: dict[str, Any] = loads(data)
        agent = event.get("agent")
        totals[agent] = totals.get(agent, 0.0) + 1.0
    return time.perf_counter() - started


def reference_parsed(events: list[dict[str, Any]]) -> float:
    totals: dict[str, float] = {}
    started = time.perf_counter()
    for event in events:
        agent = event.get("agent")
        totals[agent] = totals.get(agent, 0.0) + 1.0
    return time.perf_counter() - started


def main(count: int = 200_000, runs: int = 5) -> dict[str, float]:
    log = events(count)
    parsed_events = [orjson.loads(data) for data in log]
    gc.collect()
    timings: dict[str, list[float]] = {
        "fold": [],
        "fold_parsed": [],
        "reference": [],
        "reference_parsed": [],
    }
    for _ in range(runs):
        timings["fold"].append(fold(log))
        timings["reference"].append(reference(log))
        timings["fold_parsed"].append(fold_parsed([dict(e) for e in parsed_events]))
        timings["reference_parsed"].append(reference_parsed(parsed_events))
    rates = {name: len(log) / statistics.median(times) for name, times in timings.items()}
    return {
        "events": len(log),
        **{f"{name}_per_s": round(rate) for name, rate in rates.items()},
        "ratio_from_json": round(rates["fold"] / rates["reference"], 3),
        "ratio_parsed": round(rates["fold_parsed"] / rates["reference_parsed"], 3),
    }


if __name__ == "__main__":
    print(orjson.dumps(main(*(int(a) for a in sys.argv[1:]))).decode())
