"""What-if: the demo company's last 28 days replayed with a draft, through the API.

A server on the fixed demo log (``tests/data/demo-log.jsonl.xz``: nine weeks of
the demo company), as the Procfile runs a web process, on both cores: the
what-if folds in a process of its own, which the server's process would
otherwise share its one core with (the other stages pin the server to one
core, away from their load; here the load is one request at a time); from
this process,
``POST /api/whatif`` with the rule set in force paying 30 points a mobile
instead of 22 and a value on every prize: once with nothing kept (the state at
the window's start is folded and kept), then ``RUNS`` times from the kept
state, each timed from the request to the answer. ``/healthz`` is asked over and
over from a thread meanwhile, and in a quiet spell before: what the server's
other work notices. The reference: the same window folded in this process from
the same state, with nothing else around it.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import gc
import json
import lzma
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.common import ROOT, free_port, median, percentile, start_server, stop_server
from scoring import snapshot
from scoring.scorer import Scorer
from wallboard.store import Record, open_store
from wallboard.tokens import new_token

LOG = ROOT / "tests" / "data" / "demo-log.jsonl.xz"
DAYS = 28
RUNS = 5
QUIET = 3.0
#: what each of the demo's prizes costs, in the draft
VALUES = {"basket": "40.00", "champagne": "25.00", "shirt": "15.00", "cinema": "12.00"}


def lines() -> list[bytes]:
    return lzma.decompress(LOG.read_bytes()).splitlines()


async def _store(url: str, log: list[bytes]) -> str:
    """The demo log in a store of its own, and a manager token for it."""
    async with open_store(url) as store:
        for n in range(0, len(log), 20_000):
            batch = []
            for line in log[n : n + 20_000]:
                event = orjson.loads(line)
                batch.append(Record(f"{event['source']}:{event['id']}", line))
            await store.append(batch)
        token, record = new_token("manager", label="bench")
        await store.add_token(record)
    return token


class Pulse(threading.Thread):
    """``/healthz`` asked every 20 ms until stopped; each answer's time in ms."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.times: list[float] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self.stopping.is_set():
                started = time.perf_counter()
                client.get("/healthz").raise_for_status()
                self.times.append((time.perf_counter() - started) * 1000)
                self.stopping.wait(0.02)

    def stop(self) -> list[float]:
        self.stopping.set()
        self.join()
        return self.times


def _caught_up(client: httpx.Client) -> None:
    deadline = time.monotonic() + 300
    while client.get("/readyz").json().get("scorer_lag") != 0:
        if time.monotonic() > deadline:
            raise RuntimeError("the server did not fold the demo log within 5 minutes")
        time.sleep(0.2)


def _draft(client: httpx.Client) -> dict[str, Any]:
    rules = copy.deepcopy(client.get("/api/rules").json()["in_force"]["rules"])
    rules["sale"]["products"]["mobile"]["base"] = 30
    events: list[dict[str, Any]] = [{"type": "rules", "id": "rules-draft", "rules": rules}]
    for prize in client.get("/api/prizes").json()["prizes"]:
        event = {"type": "prize", "prize": prize["prize"], "name": prize["name"]}
        if prize["stock"] is not None:
            event["stock"] = prize["stock"]
        events.append({**event, "value": VALUES.get(prize["prize"], "10.00")})
    return {"events": events, "days": DAYS}


def _ask(client: httpx.Client, body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    answer = client.post("/api/whatif", json=body)
    answer.raise_for_status()
    return time.perf_counter() - started, answer.json()


class Reference:
    """The window folded in this process from the state at its start, restored from
    its snapshot as the what-if restores it: the least the what-if can take. Timed
    between the what-ifs, so that both meet the same machine."""

    def __init__(self, log: list[bytes], start: int) -> None:
        self.log, self.start = log, start
        with _collector_off():
            scorer = Scorer()
            for offset, line in enumerate(log[:start], start=1):
                scorer.apply(orjson.loads(line), offset)
            scorer.drain_changes()
            self.kept = orjson.dumps(snapshot.to_data(scorer))

    def time(self) -> float:
        with _collector_off():
            started = time.perf_counter()
            again = snapshot.from_data(orjson.loads(self.kept))
            for offset, line in enumerate(self.log[self.start :], start=self.start + 1):
                again.apply(orjson.loads(line), offset)
            took = time.perf_counter() - started
            del again
        return took


@contextlib.contextmanager
def _collector_off() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def run() -> dict[str, Any]:
    log = lines()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        token = asyncio.run(_store(url, log))
        # No ticks: the log's clock stays where the demo log left it.
        env = {"WALLBOARD_STORE": url, "WALLBOARD_TICK_SECONDS": "0", "WALLBOARD_ENGINE": "reader"}
        port = free_port()
        process, _ = start_server(port, env, core="0,1")
        base = f"http://127.0.0.1:{port}"
        headers = {"Authorization": f"Bearer {token}"}
        try:
            client = httpx.Client(base_url=base, headers=headers, timeout=300)
            _caught_up(client)
            body = _draft(client)
            quiet = Pulse(base)
            quiet.start()
            time.sleep(QUIET)
            quiet_times = quiet.stop()
            pulse = Pulse(base)
            pulse.start()
            first_s, first = _ask(client, body)
            busy_times = pulse.stop()
            reference = Reference(log, first["offset"] - first["events_replayed"])
            timed, reference_times = [], []
            for _ in range(RUNS):
                pulse = Pulse(base)
                pulse.start()
                timed.append(_ask(client, body))
                busy_times += pulse.stop()
                reference_times.append(reference.time())
            client.close()
        finally:
            stop_server(process)
    reference_s = median(reference_times)
    runs_s = [seconds for seconds, _ in timed]
    result = {
        "log_events": len(log),
        "days": DAYS,
        "events_replayed": first["events_replayed"],
        "first_s": round(first_s, 2),
        "first_caught_up": first["caught_up"],
        "runs_s": [round(s, 2) for s in runs_s],
        "median_s": round(median(runs_s), 2),
        "took_ms_median": median([float(answer["took_ms"]) for _, answer in timed]),
        "reference_s": round(reference_s, 2),
        "ratio": round(median(runs_s) / reference_s, 2),
        "healthz_quiet_p50_ms": round(median(quiet_times), 1),
        "healthz_p50_ms": round(median(busy_times), 1),
        "healthz_p99_ms": round(percentile(busy_times, 0.99), 1),
        "points_diff": first["totals"]["points"]["diff"],
        "prize_cost_whatif": first["totals"]["prize_cost"]["whatif"],
    }
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    run()
