"""Notifications in the app's lifespan: the deriver on the engine, the deliverer's
loop, and the HTTP client they share."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from types import TracebackType

import httpx

from ..engine import Engine
from ..settings import Settings
from ..store import EventLog, StoreUnavailable
from .channels import Channel
from .deliverer import Deliverer, Policy
from .outbox import Deriver
from .sending import Sender


class Notifications:
    def __init__(
        self,
        store: EventLog,
        engine: Engine,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.engine = engine
        self.settings = settings
        self.client = httpx.AsyncClient(follow_redirects=False)
        self.sender = Sender(self.client, settings.notify_timeout)
        policy = Policy(
            attempts=max(1, settings.notify_attempts),
            backoff=settings.notify_backoff,
            lease=max(settings.notify_lease, settings.notify_timeout + 1),
        )
        self.deliverer = Deliverer(
            store, self.channels, self.sender.send, policy=policy, clock=clock
        )
        self.deriver = Deriver(
            store,
            lambda: engine.scorer,
            works_council=settings.works_council,
            clock=clock,
            made=self.deliverer.wake.set,
        )
        self._tasks: list[asyncio.Task[None]] = []

    async def channels(self) -> dict[str, Channel]:
        return {key: Channel.decode(raw) for key, raw in (await self.store.get_channels()).items()}

    async def __aenter__(self) -> Notifications:
        # Before the engine folds: what it folds from here on is heard.
        with contextlib.suppress(StoreUnavailable):
            await self.deriver.load()
        self.engine.offset_listeners.append(self.deriver.heard)
        self.engine.before_snapshot.append(self.deriver.flush)
        self._tasks.append(asyncio.create_task(self.deriver.run(), name="notify-derive"))
        if self.settings.notify:
            self._tasks.append(asyncio.create_task(self.deliverer.run(), name="notify-deliver"))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # What is sending now is left to its lease: it is sent again after a restart.
        await self.deliverer.stop()
        with contextlib.suppress(StoreUnavailable):
            await self.deriver.flush()
        await self.client.aclose()
