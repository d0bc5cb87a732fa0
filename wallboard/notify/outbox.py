"""From the fold's changes to outbox entries: one per event and rule, made once.

The engine tells each change with the log offset of the event behind it. A
change of a kind some rule names is worded at once, from the state it was made
in (public names as the board shows them then), and queued; a task then reads
the rules in force before that event, and stores one outbox entry per rule, keyed
by the event's offset, the change's place among that event's notifiable changes,
and the rule. The same event folded again (after a restart, from a snapshot; in
another process over the same Redis) makes the same keys, which the outbox stores
once. A cursor in the store (the last offset derived) spares a rebuilt state from
deriving the whole history again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from scoring.changes import NOTIFIABLE, Change
from scoring.scorer import Scorer

from ..store import EventLog, OutboxEntry, StoreUnavailable
from .messages import Message, message
from .rules import RuleBook
from .words import LANGUAGES

CURSOR = "notify-derived"
BATCH = 500


@dataclass(frozen=True)
class Told:
    """A notifiable change, worded in each language (None: a board would not show it)."""

    offset: int
    #: its place among the notifiable changes of its event
    index: int
    kind: str
    messages: dict[str, Message | None]


def key(offset: int, index: int, rule: str) -> str:
    digest = hashlib.sha256(f"{offset}\0{index}\0{rule}".encode()).hexdigest()
    return f"n{offset}-{index}-{digest[:24]}"


class Deriver:
    def __init__(
        self,
        store: EventLog,
        scorer: Callable[[], Scorer],
        *,
        works_council: bool,
        clock: Callable[[], float] = time.time,
        made: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.scorer = scorer
        self.works_council = works_council
        self.clock = clock
        #: told when new entries are stored (the deliverer wakes)
        self.made = made
        self.book = RuleBook()
        self.cursor = 0
        self.queue: list[Told] = []
        self.wake = asyncio.Event()
        self._flushing = asyncio.Lock()

    async def load(self) -> None:
        raw = await self.store.get_meta(CURSOR)
        self.cursor = int(raw) if raw else 0

    def heard(self, changes: list[Change], offsets: list[int]) -> None:
        """The engine's listener: word the notifiable changes, queue them."""
        places: dict[int, int] = {}
        scorer = self.scorer()
        for change, offset in zip(changes, offsets, strict=False):
            if change["kind"] not in NOTIFIABLE or offset <= self.cursor:
                continue
            index = places[offset] = places.get(offset, -1) + 1
            worded = {
                language: message(scorer, change, language, self.works_council)
                for language in LANGUAGES
            }
            if any(worded.values()):
                self.queue.append(Told(offset, index, change["kind"], worded))
        if self.queue:
            self.wake.set()

    async def flush(self) -> None:
        """Store what is queued as outbox entries (raises StoreUnavailable; the
        queue is kept for the next try)."""
        async with self._flushing:
            while self.queue:
                batch = self.queue[:BATCH]
                last = batch[-1].offset
                await self.book.follow(self.store, last)
                entries = [entry for told in batch for entry in self._entries(told)]
                if entries:
                    await self.store.outbox_add(entries)
                del self.queue[: len(batch)]
                if last > self.cursor:
                    self.cursor = last
                    await self.store.put_meta(CURSOR, str(last).encode())
                if entries:
                    self.made()

    def _entries(self, told: Told) -> list[OutboxEntry]:
        now = self.clock()
        entries = []
        for rule in self.book.at(told.offset):
            worded = told.messages.get(rule.language)
            if told.kind not in rule.on or worded is None:
                continue
            entries.append(
                OutboxEntry(
                    key=key(told.offset, told.index, rule.rule),
                    channel=rule.channel,
                    rule=rule.rule,
                    offset=told.offset,
                    message=worded.encode(),
                    due=now,
                    created=now,
                    updated=now,
                )
            )
        return entries

    async def run(self) -> None:
        backoff = 0.1
        while True:
            await self.wake.wait()
            self.wake.clear()
            try:
                await self.flush()
                backoff = 0.1
            except StoreUnavailable as exc:
                logging.getLogger(__name__).warning("notifications: %s", exc)
                self.wake.set()
                with contextlib.suppress(TimeoutError):
                    await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
