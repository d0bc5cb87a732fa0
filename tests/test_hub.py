"""The live hub, in-process and over Redis pub/sub."""

from __future__ import annotations

import asyncio

from wallboard.hub import LocalHub, open_hub
from wallboard.hub.redis import RedisHub


async def test_a_subscriber_gets_only_its_topics() -> None:
    async with LocalHub() as hub:
        board = hub.subscribe(["board"])
        agent = hub.subscribe(["agent:a-1"])
        await hub.publish("board", b"1")
        await hub.publish("agent:a-1", b"2")
        assert await board.get() == ("board", b"1")
        assert await agent.get() == ("agent:a-1", b"2")
        agent.close()
        await hub.publish("agent:a-1", b"3")
        assert hub.subscriber_count() == 1


async def test_a_slow_subscriber_keeps_the_newest_messages() -> None:
    async with LocalHub() as hub:
        slow = hub.subscribe(["board"], maxsize=3)
        for n in range(10):
            await hub.publish("board", str(n).encode())
        assert slow.dropped == 7
        assert [(await slow.get())[1] for _ in range(3)] == [b"7", b"8", b"9"]


async def test_redis_hub_reaches_every_process(redis_url: str) -> None:
    first, second = open_hub(redis_url), open_hub(redis_url)
    assert isinstance(first, RedisHub)
    async with first, second:
        on_first = first.subscribe(["board"])
        on_second = second.subscribe(["board"])
        await first.publish("board", b"goal")
        assert await asyncio.wait_for(on_second.get(), 5) == ("board", b"goal")
        assert await asyncio.wait_for(on_first.get(), 5) == ("board", b"goal")
