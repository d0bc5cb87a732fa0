"""The ``rules`` events of the log, read once and then followed.

The scorer's timeline keeps each rule set and when it takes effect, but not
when it was received or who published it: those are read from the log itself.
Rule sets are few among a great many events, so the log is read once from the
start, entry by entry without parsing those that cannot be one, and afterwards
only what was added since.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import orjson

from scoring.log import Epochs
from scoring.rule_history import Published

from .store import EventLog

BATCH = 5000
#: how a rules event's type reads in the log's canonical JSON (sorted keys, no spaces)
MARK = b'"type":"rules"'


@dataclass
class RuleLog:
    #: the log has been read up to this offset
    read_to: int = 0
    #: (offset, the rule set) of each rules event read
    published: list[tuple[int, Published]] = field(default_factory=list)
    _reading: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def follow(self, store: EventLog, offset: int) -> list[Published]:
        """Every rule set published up to ``offset`` (the scorer's, so that the
        history agrees with the state it has folded), in log order."""
        async with self._reading:
            epoch = Epochs()
            while self.read_to < offset:
                entries = await store.read(self.read_to, min(BATCH, offset - self.read_to))
                if not entries:
                    break
                for entry in entries:
                    if MARK in entry.data:
                        event = orjson.loads(entry.data)
                        if event.get("type") == "rules":
                            self.published.append((entry.offset, _published(event, epoch)))
                self.read_to = entries[-1].offset
                # A read from SQLite does not wait: let screens have the loop between.
                await asyncio.sleep(0)
            return [each for at, each in self.published if at <= offset]


def _published(event: dict[str, Any], epoch: Epochs) -> Published:
    return Published(
        version=event["id"],
        effective_from=event["ts"],
        since=epoch(event["ts"]),
        received=event["received"],
        by=event.get("by"),
        rules=event["rules"],
        hidden=event.get("hidden", False),
    )
