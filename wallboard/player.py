"""Players that post the simulated company into a running server, over HTTP.

- ``LivePlayer`` plays on the real clock, after the history ``wallboard demo``
  wrote (``history.py``): the CRM's sales, cancellations and contacts with an
  ingest token, as any integration posts them, and the managers' actions of
  the timetable (seasons, tombolas, restocking) with a manager token. The
  server's own engine keeps the clock.
- ``simulate`` fast-forwards (``wallboard simulate``, ``wallboard demo --speed``,
  benchmarks): it writes the roster, a season and the clock's ticks with a
  manager token, which a server takes only under ``WALLBOARD_SIMULATED_CLOCK=1``.
  Simulated time starts at the real time and runs ``speed`` times faster, so it
  stays ahead of the server's own clock and every event keeps its simulated
  timestamp in the log.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from scoring.log import format_ts

from .simulator import Plan, Simulator, company, season
from .timetable import Action, Timetable, restock

log = logging.getLogger(__name__)
BATCH = 1000


class Poster:
    """POSTs batches to a server, retrying while it is unreachable (503) or asks
    the token to slow down (429), after the ``Retry-After`` it gives."""

    def __init__(self, url: str, token: str, stop: threading.Event | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.stop = stop or threading.Event()

    def request(self, path: str, body: Any) -> dict[str, Any]:
        return self._send(
            urllib.request.Request(
                self.url + path,
                data=json.dumps(body).encode(),
                method="POST",
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
        )

    def get(self, path: str) -> dict[str, Any]:
        return self._send(
            urllib.request.Request(
                self.url + path, headers={"Authorization": f"Bearer {self.token}"}
            )
        )

    def _send(self, request: urllib.request.Request) -> dict[str, Any]:
        path = request.selector
        backoff = 0.2
        while not self.stop.is_set():
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    answer: dict[str, Any] = json.loads(response.read())
                    return answer
            except urllib.error.HTTPError as error:
                if error.code < 500 and error.code != 429:
                    raise RuntimeError(f"{path}: {error.code} {error.read().decode()}") from None
                retry_after = error.headers.get("Retry-After", "")
                if retry_after.isascii() and retry_after.isdigit():
                    self.stop.wait(int(retry_after))
                    continue
            except (urllib.error.URLError, OSError):
                pass
            self.stop.wait(backoff)
            backoff = min(backoff * 2, 5.0)
        return {}

    def events(self, events: list[dict[str, Any]]) -> None:
        for start in range(0, len(events), BATCH):
            self.request("/api/events", events[start : start + BATCH])


def simulate(
    poster: Poster,
    plan: Plan,
    *,
    history_windows: float = 2.5,
    seed: int = 7,
    clock: Callable[[], float] = time.time,
    until: float | None = None,
) -> None:
    """Set up the company and its season, play some history at once, then play live."""
    firm, roster = company(seed)
    simulated = datetime.fromtimestamp(clock(), UTC)
    stamp = format_ts(simulated - timedelta(days=1))
    poster.events([{**event, "ts": stamp} for event in roster])
    poster.events([season(firm, plan, simulated)])
    poster.request(
        "/api/tombolas",
        {
            "tombola": "demo-week",
            "name": "Tombola of the week",
            "prizes": ["cinema", "shirt", "champagne"],
            "ts": format_ts(simulated),
            "every": 3,
            "exclude_prize_winners": True,
            "closes": format_ts(simulated + 4 * plan.simulated_window),
        },
    )
    simulator = Simulator(firm, seed=seed + 1, prefix=f"sim{int(simulated.timestamp())}")
    step = timedelta(seconds=plan.speed)  # one real second of play
    for _ in range(int(history_windows * plan.window)):
        poster.events(simulator.events(round(plan.rate), simulated, simulated + step))
        simulated += step
    log.info("simulator: history played up to %s; playing live", format_ts(simulated))
    started, base = clock(), simulated
    while not poster.stop.is_set() and (until is None or clock() < until):
        target = base + timedelta(seconds=(clock() - started) * plan.speed)
        if target > simulated:
            seconds = (target - simulated).total_seconds() / plan.speed
            poster.events(simulator.events(max(1, round(plan.rate * seconds)), simulated, target))
            simulated = target
        poster.stop.wait(1.0)


#: how often the live player looks at the prizes' stock
RESTOCK_EVERY = timedelta(minutes=1)


class LivePlayer:
    """The company after its history, on the real clock: each ``step`` posts what
    happened since the last one (at the timetable's rate) and what the managers
    do meanwhile. ``clock`` is injectable, so tests move time rather than wait."""

    def __init__(
        self,
        crm: Poster,
        manager: Poster,
        timetable: Timetable,
        simulator: Simulator,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.crm = crm
        self.manager = manager
        self.timetable = timetable
        self.simulator = simulator
        self.clock = clock
        #: how far the company has been played (the history ends at the start)
        self.played = timetable.start
        self.restocked = timetable.start

    def step(self) -> None:
        now = datetime.fromtimestamp(self.clock(), UTC)
        if now <= self.played:
            return
        moment = self.played
        # Cut at each action, so that a tombola opens before the sales that count in it.
        for action in self.timetable.actions(self.played, now):
            self._play(moment, action.at)
            self._act(action)
            moment = action.at
        self._play(moment, now)
        self.played = now
        if now - self.restocked >= RESTOCK_EVERY:
            self.restocked = now
            catalogue = self.manager.get("/api/prizes").get("prizes", [])
            stock = {p["prize"]: (p["stock"], p["awarded"]) for p in catalogue}
            if events := restock(stock, now):
                self.manager.events(events)

    def run(self, interval: float = 1.0) -> None:
        """Step every ``interval`` seconds until the crm poster is stopped."""
        while not self.crm.stop.is_set():
            try:
                self.step()
            except RuntimeError:
                # A refusal (4xx) is a bug in the simulation, not a reason to stop the demo.
                log.exception("live player: a request was refused")
            self.crm.stop.wait(interval)

    def _play(self, begin: datetime, end: datetime) -> None:
        count = self.timetable.count(begin, end, self.simulator.rng)
        if count:
            # Without the simulator's tick: on the real clock the server keeps the time.
            self.crm.events(self.simulator.events(count, begin, end)[:-1])

    def _act(self, action: Action) -> None:
        if action.kind == "tombola":
            self.manager.request("/api/tombolas", action.event)
        else:
            self.manager.events([action.event])
