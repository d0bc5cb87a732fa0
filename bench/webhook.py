"""Webhook ingest: events per second through ``POST /hooks/{connector}`` (signed
with the custom scheme, each payload recorded in the inbox, then mapped with a
JMESPath mapping and a roster lookup per event, then appended), against
``POST /api/events`` with the same events in the same run, on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

from bench.common import LOAD_CORE, ROOT, median, pinned, server
from scoring.events import validate
from wallboard.connectors.model import Connector
from wallboard.ingest import to_records
from wallboard.store import open_store
from wallboard.tokens import new_token

SIZES = (1, 100)
SECRET = "bench-webhook-secret"
#: the load generator's events as a CRM might send them: its own user ids, which
#: the mapping looks up in the roster's external ids
MAPPING: dict[str, Any] = {
    "each": "[] || [@]",
    "event": {
        "type": {"const": "sale"},
        "id": "id",
        "ts": "ts",
        "agent": {"lookup": "crm", "from": "agent"},
        "product": "product",
        "revenue": "revenue",
        "channel": "channel",
    },
}


def roster() -> list[dict[str, Any]]:
    ts = "2026-11-01T00:00:00Z"
    events: list[dict[str, Any]] = [
        {"id": "site", "type": "site", "ts": ts, "site": "s", "name": "Site"},
        {"id": "team", "type": "team", "ts": ts, "team": "t", "name": "Team", "site": "s"},
    ]
    for n in range(150):  # bench.load's agents: a-0 .. a-149
        events.append(
            {
                "id": f"agent-{n}",
                "type": "agent",
                "ts": ts,
                "agent": f"a-{n}",
                "name": f"Agent {n}",
                "team": "t",
                "site": "s",
                "external_ids": {"crm": f"a-{n}"},
            }
        )
    return events


async def prepare(url: str) -> str:
    """The roster and the connector in the store; an ingest token."""
    async with open_store(url) as store:
        await store.append(
            to_records([validate(e) for e in roster()], "manage", "2026-11-01T00:00:00Z")
        )
        connector = Connector(
            "bench", None, "custom", MAPPING, SECRET, "2026-11-01T00:00:00Z", "bench"
        )
        await store.put_connector("bench", connector.dump())
        token, record = new_token("ingest", label="bench", source="bench")
        await store.add_token(record)
        return token


def load(
    url: str, token: str, batch: int, seconds: float, prefix: str, hook: bool
) -> dict[str, Any]:
    concurrency = 32 if batch == 1 else 16
    args = [url, token, str(batch), str(seconds), str(concurrency), prefix]
    if hook:
        args += ["bench", SECRET]
    output = subprocess.run(
        pinned(LOAD_CORE, [sys.executable, "-m", "bench.load", *args]),
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


def run(
    seconds: float = 5.0, runs: int = 3, sizes: tuple[int, ...] = SIZES
) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        token = asyncio.run(prepare(url))
        env = {"WALLBOARD_STORE": url, "WALLBOARD_TICK_SECONDS": "0", "WALLBOARD_INGEST_RATE": "0"}
        with server(env) as base:
            for batch in sizes:
                events, hooks = [], []
                for r in range(runs):  # alternated, so that both meet the same disk
                    events.append(load(base, token, batch, seconds, f"e{batch}r{r}", False))
                    hooks.append(load(base, token, batch, seconds, f"h{batch}r{r}", True))
                direct = median([m["per_s"] for m in events])
                mapped = median([m["per_s"] for m in hooks])
                rows.append(
                    {
                        "store": "sqlite",
                        "batch": batch,
                        "per_s": round(mapped),
                        "events_api_per_s": round(direct),
                        "ratio": round(mapped / direct, 3),
                        "errors": sum(m["errors"] for m in hooks + events),
                    }
                )
                print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", nargs="?", type=float, default=5.0, help="per load run")
    parser.add_argument("--runs", type=int, default=3, help="load runs per row (median)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="e.g. 1,100")
    args = parser.parse_args()
    run(args.seconds, args.runs, tuple(int(size) for size in args.sizes.split(",")))


if __name__ == "__main__":
    main()
