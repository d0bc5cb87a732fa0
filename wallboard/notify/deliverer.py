"""Delivering the outbox: at least once, with backoff, a channel at a time.

Each pass claims the entries that are due (a lease in the store: no other process
takes them until it ends) and starts one task per channel, which sends that
channel's entries in order. A failure puts the entry back with an exponential
backoff and stops its channel until then; the channel's other entries wait
untried. A channel already sending, or waiting out a failure, is left out of the
next claims: a receiver that is slow or down delays only itself. After
``attempts`` failures an entry is dead (the console's dead letters) until a
manager sends it again.

A process killed while sending leaves its claims held until their lease ends;
then any process delivers them again, under the same idempotency key.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import secrets
import time
from collections.abc import Awaitable, Callable

from ..store import EventLog, OutboxEntry, StoreUnavailable
from .channels import Channel
from .messages import Message
from .sending import SendFailed

log = logging.getLogger(__name__)

Send = Callable[[Channel, Message, str, str], Awaitable[None]]
#: the longest a failed entry waits before its next attempt
MAX_BACKOFF = 3600.0


@dataclasses.dataclass
class Policy:
    attempts: int = 8
    #: the first retry's wait; each next one waits twice as long
    backoff: float = 5.0
    #: how long a claim holds an entry (longer than one attempt may take)
    lease: float = 60.0
    batch: int = 50

    def wait(self, attempts: int) -> float:
        return float(min(self.backoff * 2 ** max(attempts - 1, 0), MAX_BACKOFF))


class Deliverer:
    def __init__(
        self,
        store: EventLog,
        channels: Callable[[], Awaitable[dict[str, Channel]]],
        send: Send,
        *,
        policy: Policy | None = None,
        clock: Callable[[], float] = time.time,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.channels = channels
        self.send = send
        self.policy = policy or Policy()
        self.clock = clock
        self.holder = holder or secrets.token_hex(8)
        #: channels sending now, and channels waiting out a failure (until when)
        self.sending: dict[str, asyncio.Task[None]] = {}
        self.resting: dict[str, float] = {}
        self.wake = asyncio.Event()

    async def step(self) -> int:
        """Claim what is due for channels free to send, and start sending it; the
        number of entries claimed."""
        now = self.clock()
        self.resting = {c: until for c, until in self.resting.items() if until > now}
        skip = sorted({*self.sending, *self.resting})
        claimed = await self.store.outbox_claim(
            now, self.policy.lease, self.holder, self.policy.batch, skip
        )
        if not claimed:
            return 0
        known = await self.channels()
        by_channel: dict[str, list[OutboxEntry]] = {}
        for entry in claimed:
            by_channel.setdefault(entry.channel, []).append(entry)
        for channel_id, entries in by_channel.items():
            task = asyncio.create_task(self._deliver(known.get(channel_id), entries))
            self.sending[channel_id] = task
            task.add_done_callback(functools.partial(self._done, channel_id))
        return len(claimed)

    def _done(self, channel_id: str, task: asyncio.Task[None]) -> None:
        self.sending.pop(channel_id, None)
        self.wake.set()

    async def wait_any(self) -> None:
        """Wait until one of the channels sending now is done (or none is)."""
        if self.sending:
            await asyncio.wait(list(self.sending.values()), return_when=asyncio.FIRST_COMPLETED)

    async def settled(self) -> None:
        """Wait for the channels sending now."""
        while self.sending:
            await asyncio.gather(*self.sending.values(), return_exceptions=True)

    async def run_to_idle(self) -> None:
        """Deliver until nothing is due on the clock (tests; ``wallboard`` commands)."""
        while await self.step() or self.sending:
            await self.settled()

    async def run(self, poll: float = 1.0) -> None:
        """Forever: claim, send, and look again after ``poll`` seconds, or sooner
        when a channel finishes or new entries are made."""
        while True:
            try:
                await self.step()
            except StoreUnavailable as exc:
                log.warning("notifications: %s", exc)
            except Exception:  # a bug of ours: say so, and keep delivering the rest
                log.exception("notifications: a delivery pass failed")
            self.wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), poll)

    async def stop(self) -> None:
        for task in list(self.sending.values()):
            task.cancel()
        await asyncio.gather(*self.sending.values(), return_exceptions=True)

    async def _deliver(self, channel: Channel | None, entries: list[OutboxEntry]) -> None:
        for index, entry in enumerate(entries):
            if channel is None:
                error = f"channel {entry.channel!r} does not exist"
                await self._settle(entry, "dead", error, entry.attempts + 1)
                continue
            try:
                await self.send(channel, Message.decode(entry.message), entry.key, entry.rule)
            except SendFailed as exc:
                await self._failed(entry, str(exc))
                # The channel rests; its other entries wait for it, untried.
                for waiting in entries[index + 1 :]:
                    await self._settle(waiting, "pending", waiting.error, waiting.attempts)
                return
            except Exception as exc:  # a bug of ours must not lose the entry
                log.exception("notifications: sending %s failed", entry.key)
                await self._failed(entry, f"{type(exc).__name__}: {exc}")
                continue
            await self._settle(entry, "delivered", "", entry.attempts + 1)

    async def _failed(self, entry: OutboxEntry, error: str) -> None:
        attempts = entry.attempts + 1
        if attempts >= self.policy.attempts:
            await self._settle(entry, "dead", error, attempts)
            return
        wait = self.policy.wait(attempts)
        self.resting[entry.channel] = self.clock() + wait
        log.info(
            "notifications: %s to %s failed (%s); next in %.0fs",
            entry.key,
            entry.channel,
            error,
            wait,
        )
        await self._settle(entry, "pending", error, attempts)

    async def _settle(
        self,
        entry: OutboxEntry,
        state: str,
        error: str,
        attempts: int,
    ) -> None:
        """Write what became of ``entry``: a pending one falls due when its channel
        has rested (now, if it does not)."""
        now = self.clock()
        settled = dataclasses.replace(
            entry,
            state=state,
            attempts=attempts,
            due=self.resting.get(entry.channel, now),
            error=error,
            updated=now,
        )
        with contextlib.suppress(StoreUnavailable):
            # Not settled (the store is down, or the lease was taken over): the lease
            # ends and the entry is delivered again, as at least once allows.
            await self.store.outbox_settle(settled)
