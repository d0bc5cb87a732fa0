"""A flood of wrong passwords: what the screens notice.

One server; from another process (on the other core) a board screen, a sale a
tenth of a second (each timed from its POST to its frame on the screen) and
``/healthz`` asked over and over: first ``QUIET`` seconds with nothing else,
then while ``FLOOD`` wrong passwords are posted to ``/manage/login``,
``PARALLEL`` at a time, half for a real name (the security probe's flood, which
took ``/healthz`` to a median of 2.3 s when the hash ran on the event loop).
Then ``UNLIMITED_FLOOD`` of them on a server with no sign-in limit
(``WALLBOARD_SIGNIN_PER_*=0``), where every attempt is hashed: what keeping the
hash off the event loop is worth on its own (fewer, to keep the stage short).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from bench.clients import open_screen
from bench.common import LOAD_CORE, ROOT, percentile, pinned, run_loop, server
from bench.push import tokens
from wallboard.session import add_manager
from wallboard.store import open_store

PARALLEL = 30
FLOOD = 300
UNLIMITED_FLOOD = 120
QUIET = 4.0
SALES_PER_S = 10.0
#: a timed sale's id: L, the server's run and phase, a number
MARK = re.compile(rb'"id":"(L[A-Za-z]+\d+)"')
ROSTER = [
    {"id": "site", "type": "site", "ts": "2026-11-01T00:00:00Z", "site": "ber", "name": "Berlin"},
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


async def _prepare(url: str) -> dict[str, str]:
    made = await tokens(url)
    async with open_store(url) as store:
        await add_manager(store, "boss", "the right password")
    return made


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/signin.db"
        made = asyncio.run(_prepare(url))
        env = {"WALLBOARD_STORE": url, "WALLBOARD_TICK_SECONDS": "0"}
        with server(env) as base:
            httpx.post(
                f"{base}/api/events",
                json=ROSTER,
                headers={"Authorization": f"Bearer {made['manager']}"},
            ).raise_for_status()
            limited = _load(base, made, "A", ("quiet", f"flood={FLOOD}"))
        unlimited_env = {
            **env,
            "WALLBOARD_SIGNIN_PER_ADDRESS": "0",
            "WALLBOARD_SIGNIN_PER_ACCOUNT": "0",
        }
        with server(unlimited_env) as base:
            unlimited = _load(base, made, "B", (f"flood={UNLIMITED_FLOOD}",))
    return {**limited, "flood_no_limit": unlimited["flood"]}


def _load(base: str, made: dict[str, str], run: str, phases: tuple[str, ...]) -> dict[str, Any]:
    """The phases, from a process of their own; ``run`` keeps sale ids apart between
    servers on the same log."""
    result = subprocess.run(
        pinned(
            LOAD_CORE,
            [
                sys.executable,
                "-m",
                "bench.signin",
                base,
                made["display"],
                made["ingest"],
                run,
                *phases,
            ],
        ),
        capture_output=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


async def _flood_process(base: str, attempts: int) -> dict[int, int]:
    """The flood, from a process of its own: its client's work must not delay the
    probe's loop, or the probe would time the client rather than the server."""
    flood = await asyncio.create_subprocess_exec(
        *pinned(LOAD_CORE, [sys.executable, "-m", "bench.signin", "flood", base, str(attempts)]),
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    out, _ = await flood.communicate()
    return {int(status): count for status, count in json.loads(out).items()}


async def flood_main(base: str, count: int) -> None:
    """``count`` wrong-password sign-ins, ``PARALLEL`` at a time; how each was answered."""
    statuses: Counter[int] = Counter()
    attempts = iter(range(count))
    limits = httpx.Limits(max_connections=PARALLEL)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def attacker() -> None:
            for n in attempts:
                name = "boss" if n % 2 else f"nobody-{n}"
                answer = await client.post(
                    "/manage/login", data={"name": name, "password": f"guess {n}"}
                )
                statuses[answer.status_code] += 1

        await asyncio.gather(*(attacker() for _ in range(PARALLEL)))
    print(json.dumps(statuses), flush=True)


def _timer(sent: dict[str, float], latencies: list[float]) -> Callable[[bytes | None], None]:
    """A screen's handler: each marked sale's time from its POST to its first frame."""

    def on_message(payload: bytes | None) -> None:
        now = time.monotonic()
        events = payload.rfind(b'"events":[') if payload else -1
        if payload is None or events < 0:
            return
        for mark in MARK.findall(payload, events):
            posted = sent.pop(mark.decode(), None)
            if posted is not None:
                latencies.append(now - posted)

    return on_message


def _sale(sale_id: str) -> dict[str, str]:
    return {
        "id": sale_id,
        "type": "sale",
        "ts": "2026-11-23T09:30:00Z",
        "agent": "a-1",
        "product": "mobile-upgrade",
        "revenue": "9.90",
        "channel": "phone",
    }


def _ms(values: list[float], share: float) -> float:
    return round(percentile(values, share) * 1000, 1)


async def phase(base: str, display: str, ingest: str, flood: int, prefix: str) -> dict[str, Any]:
    """One phase: probe and sales for ``QUIET`` seconds, or for as long as ``flood``
    wrong passwords take."""
    sent: dict[str, float] = {}
    latencies: list[float] = []
    ws = base.replace("http", "ws", 1) + f"/ws?token={display}"
    screen = await open_screen(ws, _timer(sent, latencies))
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        started = time.monotonic()
        done = asyncio.Event()
        statuses: Counter[int] = Counter()
        healthz: list[float] = []

        async def probe() -> None:
            while not done.is_set():
                asked = time.monotonic()
                (await client.get("/healthz")).raise_for_status()
                healthz.append(time.monotonic() - asked)

        async def sales() -> None:
            headers = {"Authorization": f"Bearer {ingest}"}
            n = 0
            while not done.is_set():
                sale_id = f"L{prefix}{n}"
                n += 1
                sent[sale_id] = time.monotonic()
                await client.post("/api/events", json=_sale(sale_id), headers=headers)
                await asyncio.sleep(1 / SALES_PER_S)  # the pace of sales, not a wait

        async def phase_end() -> None:
            if flood:
                statuses.update(await _flood_process(base, flood))
            else:
                await asyncio.sleep(QUIET)  # the quiet phase's length
            done.set()

        await asyncio.gather(probe(), sales(), phase_end())
        seconds = time.monotonic() - started
        # Sales posted in the last moments still count when their frame arrives.
        deadline = time.monotonic() + 2.0
        while sent and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
    assert screen.transport is not None
    screen.transport.abort()
    return {
        "seconds": round(seconds, 2),
        "healthz_p50_ms": _ms(healthz, 0.5),
        "healthz_p99_ms": _ms(healthz, 0.99),
        "healthz_asked": len(healthz),
        "frame_p50_ms": _ms(latencies, 0.5),
        "frame_p99_ms": _ms(latencies, 0.99),
        "frames_timed": len(latencies),
        "frames_missing": len(sent),
        "sign_ins": sum(statuses.values()),
        "sign_ins_429": statuses[429],
        "sign_ins_other": {str(k): v for k, v in statuses.items() if k != 429},
    }


async def main(*args: str, phases: list[str]) -> None:
    """``args``: the server, a display and an ingest token, and the run's letter."""
    base, display, ingest, run = args
    report = {}
    for spec in phases:
        name, _, attempts = spec.partition("=")  # "quiet", or "flood=<attempts>"
        report[name] = await phase(base, display, ingest, int(attempts or 0), f"{run}{name}")
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 1:  # the stage on its own, as make bench runs it
        print(json.dumps(run(), indent=2))
    elif sys.argv[1] == "flood":
        run_loop(flood_main(sys.argv[2], int(sys.argv[3])))
    else:
        run_loop(main(*sys.argv[1:5], phases=sys.argv[5:]))
