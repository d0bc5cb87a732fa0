"""Push latency and memory per screen: N websocket clients (in their own process,
on the other core) on the board while sales are posted at ``rate`` per second;
each marked sale's time from POST to arrival at every client.

The screens listen until the last sale is answered and then ``DRAIN`` seconds
more: when a busy server answers the posts late, the sales still count as
delivered when they arrive, and the posting's delay shows as ``posts_late_s``."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.common import LOAD_CORE, ROOT, percentile, pinned, rss_kib, server_process
from wallboard.store import open_store
from wallboard.tokens import new_token

#: seconds the screens go on listening after the last sale was answered
DRAIN = 3.0


async def tokens(url: str) -> dict[str, str]:
    made = {}
    async with open_store(url) as store:
        for role in ("display", "ingest", "manager"):
            token, record = new_token(role, label="bench")
            await store.add_token(record)
            made[role] = token
    return made


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_one(clients: int, rate: float = 100.0, seconds: float = 10.0) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/push.db"
        made = asyncio.run(tokens(url))
        env = {"WALLBOARD_STORE": url, "WALLBOARD_TICK_SECONDS": "0"}
        with server_process(env) as (base, pid):
            roster = [
                {
                    "id": "site",
                    "type": "site",
                    "ts": "2026-11-01T00:00:00Z",
                    "site": "ber",
                    "name": "Berlin",
                },
                {
                    "id": "agent",
                    "type": "agent",
                    "ts": "2026-11-01T00:00:00Z",
                    "agent": "a-1",
                    "name": "Anna Berg",
                    "team": "t1",
                    "site": "ber",
                },
            ]
            httpx.post(
                f"{base}/api/events",
                json=roster,
                headers={"Authorization": f"Bearer {made['manager']}"},
            ).raise_for_status()
            before = rss_kib(pid)
            ws = base.replace("http", "ws") + f"/ws?token={made['display']}"
            screens = subprocess.Popen(
                pinned(
                    LOAD_CORE,
                    [sys.executable, "-m", "bench.clients", ws, str(clients)],
                ),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            assert screens.stdin is not None and screens.stdout is not None
            json.loads(screens.stdout.readline())  # all connected
            time.sleep(1.0)
            per_client = (rss_kib(pid) - before) / clients
            sent: dict[str, float] = {}
            server_cpu = cpu_seconds(pid)
            headers = {"Authorization": f"Bearer {made['ingest']}"}
            with httpx.Client(base_url=base, timeout=30) as client:
                start = time.monotonic()
                for n in range(int(rate * seconds)):
                    due = start + n / rate
                    time.sleep(max(0.0, due - time.monotonic()))
                    sale_id = f"L{n}"
                    sent[sale_id] = time.monotonic()
                    client.post(
                        "/api/events",
                        headers=headers,
                        json={
                            "id": sale_id,
                            "type": "sale",
                            "ts": "2026-11-23T09:30:00Z",
                            "agent": "a-1",
                            "product": "mobile-upgrade",
                            "revenue": "9.90",
                            "channel": "phone",
                        },
                    )
            late = time.monotonic() - (start + seconds)
            time.sleep(DRAIN)
            server_share = (cpu_seconds(pid) - server_cpu) / (time.monotonic() - start)
            screens.stdin.write(b"stop\n")
            screens.stdin.flush()
            report = json.loads(screens.stdout.readline())
            screens.wait(30)
    latencies = [
        (arrival - sent[mark]) * 1000
        for mark, times in report["arrivals"].items()
        for arrival in times
    ]
    expected = len(sent) * report["timed"]
    return {
        "clients": clients,
        "timed_clients": report["timed"],
        "rate": rate,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "delivered": round(len(latencies) / expected, 4),
        "posts_late_s": round(max(0.0, late), 2),
        "client_cpu_share": round(report["cpu"] / report["seconds"], 2),
        "client_loop_lag_p99_ms": report["loop_lag_p99_ms"],
        "frames_per_client_per_s": report["frames_per_client_per_s"],
        "server_cpu_share": round(server_share, 2),
        "kib_per_client": round(per_client, 1),
    }


def run(sizes: tuple[int, ...] = (100, 1000, 5000)) -> list[dict[str, Any]]:
    rows = []
    for clients in sizes:
        rows.append(run_one(clients))
        print(json.dumps(rows[-1]), flush=True)
    return rows


if __name__ == "__main__":
    run(tuple(int(a) for a in sys.argv[1:]) or (100, 1000, 5000))
