"""What the fault tests share: ``wallboard`` processes started, killed and stopped
as an operator would, and the clean replay of the log they are held against."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from scoring import snapshot
from scoring.events import validate
from scoring.log import format_ts
from scoring.scorer import Scorer
from tests.conftest import free_port, wait_until_up
from wallboard.engine import SNAPSHOT_KEY
from wallboard.ingest import to_records
from wallboard.store import EventLog, Record
from wallboard.tokens import new_token

WALLBOARD = [sys.executable, "-m", "wallboard"]
#: how often a scorer under test writes a tick
TICK_SECONDS = 0.1


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


# The log ----------------------------------------------------------------------


def now_stamp() -> str:
    return format_ts(datetime.now(UTC))


def records(events: list[dict[str, Any]], source: str, by: str | None = None) -> list[Record]:
    """Events as ingest stores them: validated, with the source and ``received`` (now)."""
    return to_records([validate(event) for event in events], source, now_stamp(), by)


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


async def wait_until_ticking(store: EventLog, since: float, tick_seconds: float) -> None:
    """Poll the log until a scorer started at ``since`` writes a tick: its engine runs
    (a tick's id is the number of its ``tick_seconds`` interval)."""
    deadline = time.monotonic() + 30
    while True:
        last = await store.last_offset()
        for entry in await store.read(max(0, last - 50), 50):
            event = orjson.loads(entry.data)
            # A simulator's ticks are the service's too, with ids of their own.
            engine_tick = event["type"] == "tick" and event["id"].startswith("tick-")
            if engine_tick and event["source"] == "wallboard":
                slot = int(event["id"].removeprefix("tick-"))
                if slot * tick_seconds >= since:
                    return
        assert time.monotonic() < deadline, "the scorer writes no ticks"
        await asyncio.sleep(0.02)
