"""Runs the pure scorer over the log: follow, fold, snapshot, tick, draw.

The engine is the only place where the machine's clock meets the scorer, and
it meets it through the log: a writer engine appends a ``tick`` event every
``tick_seconds`` and a ``tombola_draw`` event when a tombola has closed. Tick
and draw ids are derived from the interval and the tombola, so several
engines over one Redis log write each of them once (the log de-duplicates).

Snapshots carry the log offset and a hash of the scoring code: a snapshot from
other code is discarded and the state rebuilt from the whole log.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import functools
import gc
import hashlib
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from scoring import log as scoring_log
from scoring import snapshot, tombolas
from scoring.changes import Change
from scoring.draw import ledger_hash
from scoring.log import format_ts
from scoring.model import dump
from scoring.scorer import Scorer

from .experiments.lifecycle import Writer as ExperimentWriter
from .store import Entry, EventLog, Record, StoreUnavailable

log = logging.getLogger(__name__)

SNAPSHOT_KEY = "snapshot"
SEED_PREFIX = "tombola-seed:"


def _code_version() -> str:
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in ("scoring", "leagues"):
        # Subpackages too (scoring/contests, scoring/experiments): a snapshot made by
        # other code of any of them is folded again.
        for path in sorted((root / package).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


CODE_VERSION = _code_version()


def system_record(event: dict[str, Any]) -> Record:
    return Record(*scoring_log.system_record(event))


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector off for a batch of folding or a restore.

    The fold makes long-lived records (a sale, its place in the due queue) at a
    high rate, and every collection walks them all again: a quarter of the
    fold's time. The records the fold makes form no reference cycles; cycles
    made elsewhere meanwhile are collected once the batch is done."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def fold_entries(
    scorer: Scorer,
    entries: Iterable[Entry],
    *,
    keep: bool = False,
    offsets: list[int] | None = None,
) -> None:
    """Fold stored entries, in log order, into ``scorer``.

    ``keep`` is for catching up on a long log: the state folded so far, alive
    for good, is moved out of the collector's sight (``gc.freeze``) before the
    collector runs again, so that no collection walks a million records, then
    or later while screens wait. ``gc.unfreeze`` hands it back.

    ``offsets``, if given, gets the log offset of the event behind each change
    the outbox holds (notifications key their entries by it)."""
    apply, loads = scorer.apply, orjson.loads
    with collector_paused():
        if offsets is None:
            for entry in entries:
                apply(loads(entry.data), entry.offset)
        else:
            changes = scorer.outbox.changes
            offsets.extend([scorer.offset] * (len(changes) - len(offsets)))
            for entry in entries:
                apply(loads(entry.data), entry.offset)
                if len(changes) != len(offsets):
                    offsets.extend([entry.offset] * (len(changes) - len(offsets)))
        if keep:
            gc.freeze()


def restore_snapshot(data: bytes) -> tuple[str | None, Scorer]:
    """A stored snapshot: the code version that made it, and its scorer (kept out
    of the collector's sight, as ``fold_entries`` keeps a caught-up state)."""
    with collector_paused():
        saved = orjson.loads(data)
        if saved.get("code") != CODE_VERSION:
            return saved.get("code"), Scorer()
        scorer = snapshot.from_data(saved["state"])
        del saved
        gc.freeze()
        return CODE_VERSION, scorer


async def fold(store: EventLog, scorer: Scorer | None = None, *, batch: int = 5000) -> Scorer:
    """Fold the log into ``scorer`` (a fresh one by default) up to its end.

    Changes are dropped batch by batch: a replay has no screens to tell, and a
    million of them would only take memory. What is folded is kept out of the
    collector's sight until the end (see ``fold_entries``)."""
    scorer = scorer or Scorer()
    last = await store.last_offset()
    try:
        while scorer.offset < last:
            entries = await store.read(scorer.offset, batch)
            if not entries:
                break
            fold_entries(scorer, entries, keep=True)
            scorer.drain_changes()
    finally:
        gc.unfreeze()
    return scorer


def encode_snapshot(scorer: Scorer, piece: int = 10_000) -> bytes:
    """``{"code": ..., "state": snapshot.to_data(scorer)}`` as JSON, with the sales
    encoded ``piece`` at a time: the whole state never exists as Python lists at
    once, which would leave its size behind in the allocator at every snapshot."""
    head = orjson.dumps({"code": CODE_VERSION, "state": snapshot.to_data(scorer, sales=False)})
    sales = iter(scorer.state.sales.values())
    pieces = []
    while chunk := [dump(sale) for sale in itertools.islice(sales, piece)]:
        pieces.append(orjson.dumps(chunk)[1:-1])
    # "state" is the last key, so the head ends with the state's "}" and its own.
    return b"".join([head[:-2], b',"sales":[', b",".join(pieces), b"]}}"])


def release_freed_memory() -> None:
    """Give memory the C allocator holds free back to the system.

    A snapshot encodes the whole state: tens of MiB that glibc would otherwise
    keep in its arenas once freed."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None  # glibc only


class Engine:
    #: the longest a follower waits for the log before looking again
    WAIT = 0.25

    def __init__(
        self,
        store: EventLog,
        *,
        writer: bool = True,
        tick_seconds: float = 60.0,
        snapshot_every: int = 50_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.writer = writer
        self.tick_seconds = tick_seconds
        self.snapshot_every = snapshot_every
        self.clock = clock
        self.scorer = Scorer()
        self.version = 0
        #: the offset at which folding failed, if it did (see ``_follow``)
        self.stopped_at: int | None = None
        self._since_snapshot = 0
        #: closed tombolas without a seed: logged once, never drawn
        self._undrawable: set[str] = set()
        #: writes experiments' assignments and seeds as they fall due
        self.experiments = ExperimentWriter()
        self._caught_up = asyncio.Event()
        self._folding = asyncio.Lock()
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        #: called after each fold with (changes, agents whose figures changed)
        self.listeners: list[Callable[[list[Change], list[str]], None]] = []
        #: called after each fold with (changes, the log offset of each one's event)
        self.offset_listeners: list[Callable[[list[Change], list[int]], None]] = []
        #: awaited before a snapshot: what listeners derived from the folded state
        #: must be stored before the snapshot says it was folded
        self.before_snapshot: list[Callable[[], Awaitable[None]]] = []

    # Lifecycle -------------------------------------------------------------
    async def __aenter__(self) -> Engine:
        await self.restore()
        self._tasks.append(asyncio.create_task(self._follow(), name="engine-follow"))
        if self.writer and self.tick_seconds > 0:
            self._tasks.append(asyncio.create_task(self._ticker(), name="engine-tick"))
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # The follower is asked to stop rather than cancelled: a blocking read
        # cancelled half-way can leave a Redis connection waiting forever.
        self._stopping.set()
        follower, *others = self._tasks
        for task in others:
            task.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(follower), self.WAIT + 2)
        except TimeoutError:
            follower.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.writer and self._since_snapshot:
            with contextlib.suppress(StoreUnavailable):
                await self.save_snapshot()
        gc.unfreeze()

    async def restore(self) -> None:
        """Start from the stored snapshot if it was made by this code."""
        try:
            raw = await self.store.get_meta(SNAPSHOT_KEY)
        except StoreUnavailable:
            log.warning("store unavailable at start: folding from the start when it returns")
            return
        if raw is None:
            return
        code, scorer = restore_snapshot(raw)
        if code != CODE_VERSION:
            log.info("snapshot from other scoring code (%s): rebuilding from the log", code)
            return
        self.scorer = scorer
        log.info("restored snapshot at offset %d", self.scorer.offset)

    async def save_snapshot(self) -> None:
        for flush in self.before_snapshot:
            await flush()
        # A list per record, a million of them: no collection walks them meanwhile.
        with collector_paused():
            encoded = encode_snapshot(self.scorer)
        await self.store.put_meta(SNAPSHOT_KEY, encoded)
        del encoded
        self._since_snapshot = 0
        release_freed_memory()

    # Folding ---------------------------------------------------------------
    async def step(self, limit: int = 5000) -> int:
        """Fold what the log holds beyond our offset, up to ``limit`` entries."""
        async with self._folding:
            entries = await self.store.read(self.scorer.offset, limit)
            if entries:
                offsets: list[int] | None = [] if self.offset_listeners else None
                # Catching up, the state is kept out of the collector's sight until
                # the engine stops.
                fold_entries(
                    self.scorer, entries, keep=not self._caught_up.is_set(), offsets=offsets
                )
                self._since_snapshot += len(entries)
                await self._after_fold(offsets or [])
            return len(entries)

    async def catch_up(self) -> int:
        """Fold until the end of the log as it is now; returns the offset reached."""
        last = await self.store.last_offset()
        while self.scorer.offset < last and await self.step():
            pass
        return self.scorer.offset

    async def _after_fold(self, offsets: list[int]) -> None:
        self.version += 1
        changes = self.scorer.drain_changes()
        dirty, self.scorer.outbox.dirty = sorted(self.scorer.outbox.dirty), set()
        # Screens first: a store that fails below must not cost them these changes.
        for listener in self.listeners:
            listener(changes, dirty)
        for offset_listener in self.offset_listeners:
            offset_listener(changes, offsets)
        if self.writer:
            closed = [c["tombola"] for c in changes if c["kind"] == "tombola_closed"]
            for tombola_id in closed:
                await self.draw(tombola_id)
            await self.experiments.write_due(self.scorer, self.store)
            if self._since_snapshot >= self.snapshot_every:
                await self.save_snapshot()

    async def _follow(self) -> None:
        backoff = 0.1
        while not self._stopping.is_set():
            try:
                if not await self.step():
                    self._caught_up.set()
                    if self.writer:
                        # Closed while we were down, or the draw's append failed: a
                        # draw has a fixed id, so trying again never draws twice.
                        await self.draw_closed_tombolas()
                    await self.store.wait(self.scorer.offset, timeout=self.WAIT)
                backoff = 0.1
            except StoreUnavailable as exc:
                log.warning("engine: %s; retrying in %.1fs", exc, backoff)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception:
                # The fold is deterministic: the same entry would fail again. Stop,
                # say so in the log and in /readyz, and keep serving the last state.
                log.exception("engine: folding stopped after offset %d", self.scorer.offset)
                self.stopped_at = self.scorer.offset
                return

    async def _ticker(self) -> None:
        while True:
            await asyncio.sleep(self.tick_seconds)
            with contextlib.suppress(StoreUnavailable):
                await self.tick()

    async def tick(self) -> None:
        """Write the machine's time into the log as a ``tick``."""
        now = self.clock()
        slot = int(now // self.tick_seconds) if self.tick_seconds > 0 else int(now)
        event = {
            "id": f"tick-{slot}",
            "type": "tick",
            "ts": format_ts(datetime.fromtimestamp(now, UTC)),
        }
        await self.store.append([system_record(event)])

    # Tombola ---------------------------------------------------------------
    async def draw_closed_tombolas(self) -> None:
        for tombola in list(self.scorer.tombolas.book.tombolas.values()):
            if tombola.state == "closed" and tombola.id not in self._undrawable:
                await self.draw(tombola.id)

    async def draw(self, tombola_id: str) -> None:
        """Reveal the seed and append the draw, with winners from the frozen ledger."""
        tombola = self.scorer.tombolas.book.tombolas[tombola_id]
        seed = await self.store.get_meta(SEED_PREFIX + tombola_id)
        if seed is None or tombola.ledger is None:
            log.error("tombola %s closed but its seed is missing: it cannot be drawn", tombola_id)
            self._undrawable.add(tombola_id)
            return
        event = {
            "id": f"draw-{tombola_id}",
            "type": "tombola_draw",
            "ts": format_ts(datetime.fromtimestamp(max(self.scorer.clock, tombola.closes), UTC)),
            "tombola": tombola_id,
            "seed": seed.hex(),
            "ledger_hash": ledger_hash(tombola.ledger),
            "winners": tombolas.result(tombola, seed),
        }
        await self.store.append([system_record(event)])
