"""The live hub: publish a change on a topic, and every subscriber sees it.

The in-process hub is the whole story for one process; the Redis hub sends
through Redis pub/sub and hands what it receives to this same local fan-out,
so each web process holds one Redis subscription however many screens it has.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Iterable
from types import TracebackType


class Subscription:
    """A bounded mailbox: when a reader falls behind, the oldest messages go.

    Screens render state, so the newest message is the one worth keeping.
    ``dropped`` counts what was discarded; a client that sees it grow asks
    for a fresh snapshot.
    """

    def __init__(self, hub: LocalHub, topics: frozenset[str], maxsize: int) -> None:
        self.topics = topics
        self.dropped = 0
        self._hub = hub
        self._messages: deque[tuple[str, bytes]] = deque(maxlen=maxsize)
        self._ready = asyncio.Event()

    def put(self, topic: str, message: bytes) -> None:
        if len(self._messages) == self._messages.maxlen:
            self.dropped += 1
        self._messages.append((topic, message))
        self._ready.set()

    async def get(self) -> tuple[str, bytes]:
        while not self._messages:
            self._ready.clear()
            await self._ready.wait()
        return self._messages.popleft()

    def __aiter__(self) -> AsyncIterator[tuple[str, bytes]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[tuple[str, bytes]]:
        while True:
            yield await self.get()

    def close(self) -> None:
        self._hub._unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class LocalHub:
    """In-process fan-out; also the local half of every other hub."""

    url = "memory://"

    def __init__(self) -> None:
        self._subscribers: dict[str, set[Subscription]] = {}

    async def __aenter__(self) -> LocalHub:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def publish(self, topic: str, message: bytes) -> None:
        self.deliver(topic, message)

    def deliver(self, topic: str, message: bytes) -> None:
        for subscription in self._subscribers.get(topic, ()):
            subscription.put(topic, message)

    def subscribe(self, topics: Iterable[str], maxsize: int = 64) -> Subscription:
        subscription = Subscription(self, frozenset(topics), maxsize)
        for topic in subscription.topics:
            self._subscribers.setdefault(topic, set()).add(subscription)
        return subscription

    def subscriber_count(self) -> int:
        return len({s for subs in self._subscribers.values() for s in subs})

    def _unsubscribe(self, subscription: Subscription) -> None:
        for topic in subscription.topics:
            subscribers = self._subscribers.get(topic)
            if subscribers is not None:
                subscribers.discard(subscription)
                if not subscribers:
                    del self._subscribers[topic]
