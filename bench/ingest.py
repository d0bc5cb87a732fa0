"""Ingest: events per second through POST /api/events, every one acknowledged
durably, on sqlite and on redis; single events and batches of 100 and 500.

References in the same run: the same endpoint answering 202 without storing
(``bench.apps:null_app``), and a bare loop appending the same batches to the
same store in one process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import LOAD_CORE, ROOT, median, pinned, redis_server, server
from wallboard.store import Record, open_store
from wallboard.tokens import new_token

SIZES = (1, 100, 500)


def load(url: str, token: str, batch: int, seconds: float, prefix: str) -> dict[str, Any]:
    concurrency = 32 if batch == 1 else 16
    command = pinned(
        LOAD_CORE,
        [
            sys.executable,
            "-m",
            "bench.load",
            url,
            token,
            str(batch),
            str(seconds),
            str(concurrency),
            prefix,
        ],
    )
    output = subprocess.run(
        command,
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout
    result: dict[str, Any] = json.loads(output)
    return result


async def bare_append(url: str, batch: int, count: int) -> float:
    prefix = f"bare-{time.time_ns()}"  # new keys each run: no run measures duplicates
    async with open_store(url) as store:
        started = time.perf_counter()
        for start in range(0, count, batch):
            await store.append(
                [Record(f"{prefix}:{start}-{n}", b'{"type":"sale"}') for n in range(batch)]
            )
        return count / (time.perf_counter() - started)


async def make_token(url: str) -> str:
    async with open_store(url) as store:
        token, record = new_token("ingest", label="bench", source="bench")
        await store.add_token(record)
        return token


def run(
    seconds: float = 5.0,
    runs: int = 3,
    sizes: tuple[int, ...] = SIZES,
    only: tuple[str, ...] = ("sqlite", "redis"),
) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        redis_process, redis_url = redis_server(Path(tmp))
        try:
            stores = {"sqlite": f"sqlite:///{tmp}/bench.db", "redis": redis_url}
            stores = {name: url for name, url in stores.items() if name in only}
            null_token = "bench-null-token"
            for batch in sizes:
                with server({"BENCH_TOKEN": null_token}, "bench.apps:null_app") as base:
                    reference = median(
                        [
                            load(base, null_token, batch, seconds, f"n{r}")["per_s"]
                            for r in range(runs)
                        ]
                    )
                for name, url in stores.items():
                    token = asyncio.run(make_token(url))
                    # capacity, not the per-token limit a production server keeps
                    env = {
                        "WALLBOARD_STORE": url,
                        "WALLBOARD_TICK_SECONDS": "0",
                        "WALLBOARD_INGEST_RATE": "0",
                    }
                    with server(env) as base:
                        measured = [
                            load(base, token, batch, seconds, f"{name}{batch}r{r}")
                            for r in range(runs)
                        ]
                    rate = median([m["per_s"] for m in measured])
                    bare = median(
                        [
                            asyncio.run(bare_append(url, batch, max(2000, batch * 20)))
                            for _ in range(runs)
                        ]
                    )
                    rows.append(
                        {
                            "store": name,
                            "batch": batch,
                            "per_s": round(rate),
                            "no_store_per_s": round(reference),
                            "ratio_to_no_store": round(rate / reference, 3),
                            "bare_append_per_s": round(bare),
                            "errors": sum(m["errors"] for m in measured),
                            "client_cpu_share": round(
                                max(m["client_cpu_share"] for m in measured), 2
                            ),
                        }
                    )
                    print(json.dumps(rows[-1]), flush=True)
        finally:
            redis_process.terminate()
            redis_process.wait()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", nargs="?", type=float, default=5.0, help="per load run")
    parser.add_argument("--runs", type=int, default=3, help="load runs per row (median)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="e.g. 100,500")
    parser.add_argument("--stores", default="sqlite,redis", help="sqlite, redis or both")
    args = parser.parse_args()
    sizes = tuple(int(size) for size in args.sizes.split(","))
    run(args.seconds, args.runs, sizes, tuple(args.stores.split(",")))


if __name__ == "__main__":
    main()
