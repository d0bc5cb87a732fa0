"""Running a what-if: the last days of the log folded again, on a copy, with a draft.

A run folds, in a process of its own (``whatif_worker.py``), the state at the
start of the window, then the window's entries with the draft's events posted
at ``at`` (received then, as the log would hold them had a manager posted them
at that moment), and reads its figures; the log as it happened is the live
state itself, the same fold of the same entries, read at once. Nothing is
written and the live state is only read.

The state at the window's start is folded once and kept as a snapshot: the
next run starts from it and folds only what the log added since (the log only
grows, so a state at an offset never goes stale).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import orjson

from scoring.feature import Event
from scoring.log import epoch_ts
from scoring.scorer import Scorer
from scoring.whatif import compare, figures, window_of

from . import whatif_worker as worker
from .store import EventLog

T = TypeVar("T")
#: the draft as the log would hold it, posted at the time given (the log's form)
Draft = Callable[[str], list[Event]]
#: entries read and sent to the worker at a time: a read holds the event loop (as
#: the engine's own reads do), so no longer than a few milliseconds
CHUNK = 5_000
#: the kept state moves to the window's start once that is this many entries on
REBASE = 5_000


class OutsideWindow(ValueError):
    """A draft posted at a time outside the window it is to be folded into."""


@dataclass
class WhatIfs:
    """One process's what-ifs: a worker process, one run at a time, and the state
    at the start of the last window, to start the next one from."""

    _pool: ProcessPoolExecutor | None = None
    running: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: runs waiting for the one under way
    waiting: int = 0
    #: (offset, snapshot JSON) of the state the last window started from
    base: tuple[int, bytes] | None = None
    #: the kept state moves to the window's start once that is this many entries on
    rebase: int = REBASE

    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: a fork would copy the server's threads and its whole state
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        return self._pool

    def forget_pool(self) -> None:
        """After its process died: the next run starts another."""
        self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def run(
        self, store: EventLog, live: Scorer, days: int, at: float | None, draft: Draft
    ) -> dict[str, Any]:
        """The draft folded into the last ``days`` days of ``live``'s log, posted at
        ``at`` (None: the window's start), against the log as it happened. One run
        at a time: the caller holds ``running``."""
        started = time.perf_counter()
        until, clock = live.offset, live.clock
        since = clock - days * 86400
        at = since if at is None else at
        if not since <= at <= clock:
            raise OutsideWindow(
                f"expected a time in the last {days} days, from {epoch_ts(since)} to "
                f"{epoch_ts(clock)}, got {epoch_ts(at)}"
            )
        # The log as it happened: the live state, read before anything awaits.
        window = window_of(live, since)
        actual = figures(live, window)
        posted = draft(epoch_ts(at))
        start = await first_received(store, since, until)
        insert = await first_received(store, at, until)

        base = self.base if self.base is not None and self.base[0] <= start else None
        offset = base[0] if base else 0
        steps = Steps(self.pool())
        try:
            # Sent in order without waiting for each: the one worker runs them in
            # order, folding while the next entries are read.
            steps.send(worker.begin, base[1] if base else None)
            await steps.fold(store, offset, start)
            kept = steps.send(worker.base) if start - offset >= self.rebase else None
            await steps.fold(store, start, insert)
            steps.send(worker.post, posted)
            await steps.fold(store, insert, until)
            drafted = [event["contest"] for event in posted if event["type"] == "contest"]
            steps.send(worker.read, window, drafted)
            *_, (whatif, contests) = await steps.done()
            if kept is not None:
                self.base = (start, kept.result())
        finally:
            # Not waited for: the worker lets the copy go while the answer is sent
            # (unless the worker died, or the app is closing its pool).
            with contextlib.suppress(BrokenProcessPool, RuntimeError):
                steps.pool.submit(worker.end)
        return {
            "days": days,
            "from": epoch_ts(at),
            "until": epoch_ts(clock),
            "offset": until,
            "events_replayed": until - start,
            # what it took to bring the kept state to the window's start
            "caught_up": start - offset,
            "took_ms": round((time.perf_counter() - started) * 1000),
            **compare(actual, whatif),
            # a drafted contest's standings at the end of the replay, as the manager
            # reads a contest (full names)
            "contests": contests,
        }


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).astimezone(UTC).timestamp()


async def first_received(store: EventLog, moment: float, until: int) -> int:
    """How many of the first ``until`` entries the log received before ``moment``
    (it receives them in order: a binary search, a read per step)."""
    low, high = 0, until
    while low < high:
        middle = (low + high) // 2
        [entry] = await store.read(middle, 1)
        if epoch(orjson.loads(entry.data)["received"]) < moment:
            low = middle + 1
        else:
            high = middle
    return low


class Steps:
    """A run's steps, sent to the worker in order; at most ``AHEAD`` folds queued
    at a time, so that the entries read ahead stay a few chunks."""

    AHEAD = 3

    def __init__(self, pool: ProcessPoolExecutor) -> None:
        self.pool = pool
        self.loop = asyncio.get_running_loop()
        self.sent: list[asyncio.Future[Any]] = []

    def send(self, step: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        future = asyncio.wrap_future(self.pool.submit(step, *args), loop=self.loop)
        self.sent.append(future)
        return future

    async def fold(self, store: EventLog, after: int, stop: int) -> None:
        """Send the entries after ``after`` up to ``stop``, a chunk at a time."""
        while after < stop:
            waiting = [f for f in self.sent if not f.done()]
            if len(waiting) > self.AHEAD:
                await asyncio.wait(waiting[: len(waiting) - self.AHEAD])
            entries = await store.read(after, min(CHUNK, stop - after))
            if not entries:
                break
            # One bytes object rather than thousands: a log entry holds no line break.
            self.send(worker.fold, entries[0].offset, b"\n".join(e.data for e in entries))
            after = entries[-1].offset
            # A read from SQLite does not wait: let screens have the loop between.
            await asyncio.sleep(0)

    async def done(self) -> list[Any]:
        """Every step's result, once the last is done; the first failure, if any."""
        results = await asyncio.gather(*self.sent, return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return results
