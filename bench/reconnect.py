"""Reconnect after a restart: N screens (in their own process, on the other core)
on the board; the server is stopped and started again on the same port; how long
until every screen has a fresh snapshot from the new server.

The screens come back as the browser's ``wallboard/static/live.js`` does: the first retry
after 0.5 s, then each wait 1.5 times the last up to 10 s, jittered by +-25 %, and each
subscribes with the ``since`` of its last frame (which names the old server, so
the answer is a snapshot). Two times are reported: from the stop (what a person
at the wall sees: the restart included) and from the new server answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from typing import Any

import httpx

from bench.clients import Screen, cpu_seconds, loop_lag
from bench.common import (
    LOAD_CORE,
    ROOT,
    free_port,
    percentile,
    pinned,
    run_loop,
    start_server,
    stop_server,
)
from bench.push import cpu_seconds as cpu_seconds_of
from bench.push import tokens

VERSION = re.compile(rb'"version":"([^"]+)"')
FIRST_RETRY, GROWTH, MAX_RETRY = 0.5, 1.5, 10.0


def run(clients: int = 3000, sales: int = 300) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/reconnect.db"
        made = asyncio.run(tokens(url))
        env = {"WALLBOARD_STORE": url, "WALLBOARD_TICK_SECONDS": "0"}
        port = free_port()
        server, _ = start_server(port, env)
        try:
            seed(port, made, sales)
            screens = subprocess.Popen(
                pinned(
                    LOAD_CORE,
                    [
                        sys.executable,
                        "-m",
                        "bench.reconnect",
                        "--screens",
                        f"ws://127.0.0.1:{port}/ws?token={made['display']}",
                        str(clients),
                    ],
                ),
                stdout=subprocess.PIPE,
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            assert screens.stdout is not None
            json.loads(screens.stdout.readline())  # every screen has its first snapshot
            time.sleep(1.0)
            stopped = time.monotonic()
            stop_server(server)
            exited = time.monotonic()
            server, answered = start_server(port, env)
            server_cpu = cpu_seconds_of(server.pid)
            report = json.loads(screens.stdout.readline())
            server_cpu = cpu_seconds_of(server.pid) - server_cpu
            screens.wait(30)
        finally:
            stop_server(server)
    fresh = report["fresh"]
    return {
        "clients": clients,
        "served": len(fresh),
        "all_s_from_stop": round(max(fresh) - stopped, 2) if fresh else None,
        "all_s_from_up": round(max(fresh) - answered, 2) if fresh else None,
        "p50_s_from_up": round(percentile([t - answered for t in fresh], 0.5), 2),
        "restart_s": round(answered - stopped, 2),
        "stop_s": round(exited - stopped, 2),
        "served_after_connect_p50_s": report["wait_p50_s"],
        "served_after_connect_max_s": report["wait_max_s"],
        "server_cpu_s": round(server_cpu, 2),
        "client_cpu_share": report["cpu_share"],
        "client_loop_lag_p99_ms": report["loop_lag_p99_ms"],
    }


def seed(port: int, made: dict[str, str], sales: int) -> None:
    """A roster and some sales, so that the snapshot is a board's usual size."""
    base = f"http://127.0.0.1:{port}"
    ts = "2026-11-01T00:00:00Z"
    roster: list[dict[str, Any]] = [
        {"id": "site", "type": "site", "ts": ts, "site": "ber", "name": "Berlin"},
        {"id": "team", "type": "team", "ts": ts, "team": "t1", "name": "Spree", "site": "ber"},
    ]
    roster += [
        {
            "id": f"agent-{n}",
            "type": "agent",
            "ts": ts,
            "agent": f"a-{n}",
            "name": f"Agent Number{n}",
            "team": "t1",
            "site": "ber",
        }
        for n in range(30)
    ]
    events = [
        {
            "id": f"S{n}",
            "type": "sale",
            "ts": "2026-11-23T09:30:00Z",
            "agent": f"a-{n % 30}",
            "product": "mobile-upgrade",
            "revenue": "19.90",
            "channel": "phone",
        }
        for n in range(sales)
    ]
    with httpx.Client(base_url=base, timeout=30) as client:
        for body, role in ((roster, "manager"), (events, "ingest")):
            client.post(
                "/api/events", json=body, headers={"Authorization": f"Bearer {made[role]}"}
            ).raise_for_status()


async def screens(url: str, count: int) -> None:
    """The screens' process: connect, report, then report when each screen has a
    snapshot from a server other than the first."""
    first_version: list[bytes] = []
    fresh: list[float] = []
    waits: list[float] = []  # from a successful attempt's connect to its snapshot
    connected = asyncio.Event()
    done = asyncio.Event()

    port = int(url.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
    first_connects = asyncio.Semaphore(200)

    async def screen() -> None:
        version: bytes | None = None
        retry = FIRST_RETRY
        while True:
            loop = asyncio.get_running_loop()
            got: asyncio.Future[bytes] = loop.create_future()

            def on_message(payload: bytes | None, got: asyncio.Future[bytes] = got) -> None:
                assert payload is not None
                if payload.startswith(b'{"type":"snapshot"') and not got.done():
                    match = VERSION.search(payload)
                    assert match is not None
                    got.set_result(match.group(1))

            since = {"board": [version.decode(), 0]} if version else {}
            subscribe = json.dumps({"type": "subscribe", "topics": ["board"], "since": since})
            try:
                # Only the first connections are paced; reconnects come as they come.
                async with first_connects if version is None else contextlib.nullcontext():
                    attempted = time.monotonic()
                    _, protocol = await loop.create_connection(
                        lambda: Screen(url, subscribe.encode(), on_message),  # noqa: B023
                        "127.0.0.1",
                        port,
                    )
                    await protocol.opened
                    retry = FIRST_RETRY
                    either: set[asyncio.Future[bytes] | asyncio.Future[int]] = {
                        got,
                        protocol.closed,
                    }
                    await asyncio.wait(either, return_when="FIRST_COMPLETED")
                if got.done():
                    new = got.result()
                    if version is None:
                        version = new
                        first_version.append(new)
                        if len(first_version) == count:
                            connected.set()
                    elif new != first_version[0]:
                        fresh.append(time.monotonic())
                        waits.append(fresh[-1] - attempted)
                        if len(fresh) == count:
                            done.set()
                        return
                    await protocol.closed
            except (OSError, ConnectionError):
                pass
            await asyncio.sleep(retry * random.uniform(0.75, 1.25))
            retry = min(retry * GROWTH, MAX_RETRY)

    tasks = [asyncio.create_task(screen()) for _ in range(count)]
    await asyncio.wait_for(connected.wait(), 180)
    print(json.dumps({"connected": count}), flush=True)
    lags: list[float] = []
    monitor = asyncio.create_task(loop_lag(lags))
    cpu, started = cpu_seconds(), time.monotonic()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(done.wait(), 120)
    monitor.cancel()
    lags.sort()
    print(
        json.dumps(
            {
                "fresh": fresh,
                "wait_p50_s": round(percentile(waits, 0.5), 3),
                "wait_max_s": round(max(waits, default=float("nan")), 3),
                "cpu_share": round((cpu_seconds() - cpu) / (time.monotonic() - started), 2),
                "loop_lag_p99_ms": round(lags[int(0.99 * len(lags))] * 1000, 1) if lags else None,
            }
        ),
        flush=True,
    )
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--screens"]:
        run_loop(screens(sys.argv[2], int(sys.argv[3])))
    else:
        print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)), flush=True)
