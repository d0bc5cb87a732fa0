"""What the audit log reads, kept up to date from the log: every manager action,
the integrations' traffic counted per quarter hour, and who handed each award over.

The log is the audit log, but a busy one: the demo's nine weeks hold 300,000
events, of which about 300 are someone's decision; the rest are sales, contacts
and cancellations. Scanning the log for every page of the audit log would read
all of them each time, so each process keeps this index: it reads the log once
as it starts (1.1 to 2.4 s for those 300,000 events on the development
machine, in batches between which screens are served), and for each request only what was
appended since.

Which events are actions is decided by type alone, never by who posted them:
everything but integration traffic (``sale``, ``cancellation``, ``contact``, even
when a manager's token posted them, as the demo's simulator does) and the
service's own clock and draws (``tick``, ``tombola_draw``).
"""

from __future__ import annotations

import asyncio
import contextlib
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import orjson

from scoring.events import EVENT_TYPES, INTEGRATION_TYPES, SYSTEM_TYPES
from scoring.log import Epochs

from .store import Entry, EventLog, StoreUnavailable

#: the types the audit log shows: decisions of managers (rules, prizes, tombolas,
#: seasons, tokens, the roster, handovers, forfeits, ...) and agents' own choices
ACTION_TYPES = frozenset(EVENT_TYPES) - INTEGRATION_TYPES - SYSTEM_TYPES
#: the types counted as traffic: what integrations report
TRAFFIC_TYPES = INTEGRATION_TYPES
#: traffic is counted per quarter hour, so that it adds up to local days in any
#: time zone (every zone's offset is a multiple of 15 minutes)
SLOT = 900
#: how many of the latest traffic events are kept for the traffic view
LATEST = 100
#: entries read from the store at a time while catching up
BATCH = 5000


class Action(NamedTuple):
    offset: int
    #: when the log took it, as epoch seconds
    received: float
    type: str
    #: the manager's name (``by``), else the source (``agent`` for an agent's own change)
    actor: str
    data: bytes


class Traffic(NamedTuple):
    offset: int
    data: bytes


class AuditIndex:
    def __init__(self) -> None:
        #: the log offset read up to
        self.offset = 0
        self.actions: list[Action] = []
        #: (quarter-hour slot, source, type) -> events received
        self.traffic: dict[tuple[int, str, str], int] = {}
        self.latest: deque[Traffic] = deque(maxlen=LATEST)
        #: award id -> (who, when received) of the first handover event for it
        self.handovers: dict[str, tuple[str, float]] = {}
        self._epochs = Epochs()
        self._lock = asyncio.Lock()

    async def warm(self, store: EventLog) -> None:
        """Read the log once at start, so that the console's first request finds
        the index ready; with the store down, that request reads it instead."""
        with contextlib.suppress(StoreUnavailable):
            await self.catch_up(store)

    async def catch_up(self, store: EventLog) -> None:
        """Read what the log holds beyond ``offset``. One reader at a time: a second
        request waits for the first one's reading rather than reading again."""
        async with self._lock:
            last = await store.last_offset()
            while self.offset < last:
                entries = await store.read(self.offset, BATCH)
                if not entries:
                    break
                self.add(entries)
                # A long first read gives the screens a turn between batches.
                await asyncio.sleep(0)

    def add(self, entries: Iterable[Entry]) -> None:
        epochs, loads = self._epochs, orjson.loads
        for entry in entries:
            event = loads(entry.data)
            kind, source = event["type"], event.get("source", "")
            if kind in TRAFFIC_TYPES:
                slot = int(epochs(event["received"]) // SLOT)
                key = (slot, source, kind)
                self.traffic[key] = self.traffic.get(key, 0) + 1
                self.latest.append(Traffic(entry.offset, entry.data))
            elif kind in ACTION_TYPES:
                received = epochs(event["received"])
                actor = event.get("by") or source
                self.actions.append(Action(entry.offset, received, kind, actor, entry.data))
                if kind == "handover":
                    self.handovers.setdefault(event["award"], (actor, received))
            self.offset = entry.offset

    def newest_first(self, before: int | None = None) -> Iterator[Action]:
        """Actions from the newest back, those at ``before`` and after left out."""
        actions = self.actions
        end = len(actions) if before is None else bisect_left(actions, before, key=_offset)
        for index in range(end - 1, -1, -1):
            yield actions[index]


def _offset(action: Action) -> int:
    return action.offset
