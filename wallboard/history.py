"""The demo company's past weeks, written straight into a store before it serves.

A demo that starts empty shows nothing a manager would recognise: no confirmed
commission (a sale waits out its 14-day cancellation window), no finished
matchday, no tombola drawn. So ``wallboard demo`` writes the weeks before its
start into the log as if the service had been running: every event carries its
own time as ``received``, the engine's ticks and draws come where the engine
would have written them, and the managers' actions (``timetable.Timetable``)
come at their hour.

The log is written in batches and folded as it grows by the engine itself
(``Engine.catch_up``), which draws each tombola at its closing as it does live;
the state is saved as a snapshot at the end, so the server starts from it
rather than folding the weeks again. The engine folds from a log in memory,
which is copied into the store in large transactions while the fold goes on:
folding from a store that commits to disk every few hours of history waited
for the disk more than it folded.
"""

from __future__ import annotations

import asyncio
import gc
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from scoring.draw import seed_hash
from scoring.events import validate
from scoring.log import SYSTEM_SOURCE, encode, event_key, format_ts
from scoring.scorer import Scorer

from .engine import SEED_PREFIX, Engine
from .simulator import Simulator
from .store import EventLog, Record
from .store.memory import MemoryLog
from .timetable import Action, Timetable, restock
from .tokens import MANAGER_SOURCE

#: the source of the simulated CRM's events (sales, cancellations, contacts)
CRM_SOURCE = "crm"
#: who the demo's own scheduled actions (setup, restocks, tombolas) are by in the
#: audit log: apart from "demo", the person trying the console
MANAGER = "demo schedule"
#: how often the history is folded (and prizes running low restocked)
FOLD_EVERY = timedelta(hours=2)
#: records per transaction when the history is copied into the store
COPY_BATCH = 50_000


def stamped(events: Iterable[dict[str, Any]], source: str, by: str | None = None) -> list[Record]:
    """Validated events as the log stores them, each received at its own ``ts``
    (``scoring.log.records`` stamps a batch with one time)."""
    batch = []
    for event in events:
        event["source"], event["received"] = source, event["ts"]
        if by is not None:
            event["by"] = by
        batch.append(event)
    return [
        Record(event_key(source, event["id"]), data)
        for event, data in zip(batch, encode(batch), strict=True)
    ]


def tick(moment: datetime) -> Record:
    """The engine's tick at ``moment`` (``Engine.tick``, once a minute)."""
    event = {"id": f"tick-{int(moment.timestamp() // 60)}", "type": "tick", "ts": format_ts(moment)}
    return stamped([event], SYSTEM_SOURCE)[0]


def cuts(begin: datetime, end: datetime, moments: Iterable[datetime]) -> list[datetime]:
    """Where [begin, end) is cut: each whole hour (the rate changes), each of
    ``moments`` inside it, and ``end``."""
    hour = begin.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    hours = int((end - hour) / timedelta(hours=1)) + 1
    found = {hour + n * timedelta(hours=1) for n in range(max(0, hours))} | set(moments)
    return sorted({moment for moment in found if begin < moment < end} | {end})


class HistoryWriter:
    """Appends the timetable's past to an empty ``store`` and folds it."""

    def __init__(self, store: EventLog, timetable: Timetable, simulator: Simulator) -> None:
        self.target = store
        #: where the history is made and folded, copied into the target as it grows
        self.store = Scratch()
        self._copying: asyncio.Task[list[bool]] | None = None
        self.timetable = timetable
        self.simulator = simulator
        # One snapshot, at the end: the engine's every 50,000 events would cost a
        # third of a second each on the way.
        self.engine = Engine(self.store, writer=True, tick_seconds=0, snapshot_every=1 << 62)
        self.pending: list[Record] = []
        #: events written (the engine's draws not counted)
        self.written = 0

    async def write(self, setup: list[dict[str, Any]]) -> Scorer:
        """``setup`` (roster, rules, catalogue) a day before the history begins,
        then the history up to the timetable's start; returns the folded state."""
        origin, start = self.timetable.origin, self.timetable.start
        day_before = format_ts(origin - timedelta(days=1))
        self.pending += stamped(
            (validate({**event, "ts": day_before}) for event in setup), MANAGER_SOURCE, MANAGER
        )
        actions = self.timetable.actions(origin, start)
        closings = {
            datetime.fromisoformat(action.event["closes"])
            for action in actions
            if action.kind == "tombola"
        }
        try:
            moment, next_fold = origin, origin + FOLD_EVERY
            for until in cuts(origin, start, [a.at for a in actions] + sorted(closings)):
                for action in actions:
                    if action.at == moment:
                        await self._act(action)
                self._play(moment, until)
                self.pending.append(tick(until))
                # Folded at each closing, so that the engine draws the tombola right there.
                if until >= next_fold or until in closings or until == start:
                    await self._fold()
                    self._restock(until)
                    next_fold = until + FOLD_EVERY
                moment = until
            await self._fold()
            await self.engine.save_snapshot()
        finally:
            gc.unfreeze()
        await self._copy(everything=True)
        for name in await self.store.meta_names():  # the tombolas' seeds, the snapshot
            value = await self.store.get_meta(name)
            if value is not None:
                await self.target.put_meta(name, value)
        return self.engine.scorer

    def _play(self, begin: datetime, end: datetime) -> None:
        count = self.timetable.count(begin, end, self.simulator.rng)
        if count:
            # The simulator writes its events in the log's canonical form (a test holds
            # it to that), so the hundreds of thousands skip validation; its own tick
            # is left out: the engine's come at every cut.
            self.pending += stamped(self.simulator.events(count, begin, end)[:-1], CRM_SOURCE)

    async def _act(self, action: Action) -> None:
        event = action.event
        if action.kind == "tombola":
            # As POST /api/tombolas opens one: a secret seed kept beside the log,
            # its hash published in the event.
            seed = secrets.token_bytes(32)
            await self.store.put_meta(SEED_PREFIX + event["tombola"], seed)
            event = {
                **event,
                "id": f"tombola-{event['tombola']}",
                "type": "tombola_open",
                "seed_hash": seed_hash(seed),
            }
        self.pending += stamped([validate(event)], MANAGER_SOURCE, MANAGER)

    def _restock(self, at: datetime) -> None:
        prizes = self.engine.scorer.prizes.book.prizes.values()
        stock = {prize.id: (prize.stock, prize.awarded) for prize in prizes}
        self.pending += stamped(
            (validate(event) for event in restock(stock, at)), MANAGER_SOURCE, MANAGER
        )

    async def _fold(self) -> None:
        """Append what is pending and fold until the log holds nothing more (the
        engine appends a draw when it folds a closing)."""
        if self.pending:
            await self.store.append(self.pending)
            self.written += len(self.pending)
            self.pending = []
        while await self.engine.catch_up() < await self.store.last_offset():
            pass
        await self._copy()

    async def _copy(self, *, everything: bool = False) -> None:
        """Hand what the log holds to the target, ``COPY_BATCH`` records at a time,
        in order: the store writes them in a thread of its own, mostly while the
        fold goes on. Its offsets are the log's, so the snapshot holds there too."""
        records = self.store.records
        while len(records) - self.store.copied >= (1 if everything else COPY_BATCH):
            if self._copying is not None:
                await self._copying
            begin = self.store.copied
            end = min(len(records), begin + COPY_BATCH)
            self._copying = asyncio.create_task(self.target.append(records[begin:end]))
            self.store.copied = end
        if everything and self._copying is not None:
            await self._copying
            self._copying = None


class Scratch(MemoryLog):
    """A log in memory that keeps the records it stored, in order, for a copy."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[Record] = []
        #: how many of them were handed to the target
        self.copied = 0

    async def _append_unique(self, records: Sequence[Record]) -> list[bool]:
        stored = await super()._append_unique(records)
        self.records += [record for record, new in zip(records, stored, strict=True) if new]
        return stored
