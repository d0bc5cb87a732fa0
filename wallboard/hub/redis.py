"""Live hub over Redis pub/sub: a change published by any process reaches all."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import redis.asyncio as aioredis
import redis.exceptions

from .. import redis_keys
from ..store import StoreUnavailable
from .base import LocalHub

log = logging.getLogger(__name__)


class RedisHub(LocalHub):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self._redis: aioredis.Redis | None = None
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def open(self) -> None:
        self._redis = aioredis.Redis.from_url(self.url, socket_connect_timeout=2.0)
        self._reader = asyncio.create_task(self._listen(), name="redis-hub-reader")
        # Publishing before our own subscription is live would lose our own
        # messages; wait for it (briefly: a down Redis must not block startup).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), 2.0)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._redis is not None:
            await self._redis.aclose()

    async def publish(self, topic: str, message: bytes) -> None:
        if self._redis is None:
            raise StoreUnavailable("redis hub is not open")
        try:
            await self._redis.publish(redis_keys.LIVE_CHANNEL_PREFIX + topic, message)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(f"redis hub: {exc}") from exc

    async def _listen(self) -> None:
        assert self._redis is not None
        prefix = redis_keys.LIVE_CHANNEL_PREFIX.encode()
        backoff = 0.1
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.psubscribe(redis_keys.LIVE_CHANNEL_PREFIX + "*")
                    self._subscribed.set()
                    backoff = 0.1
                    async for message in pubsub.listen():
                        if message["type"] == "pmessage":
                            topic = message["channel"].removeprefix(prefix).decode()
                            self.deliver(topic, message["data"])
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError):
                log.warning("live hub lost redis; reconnecting in %.1fs", backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
