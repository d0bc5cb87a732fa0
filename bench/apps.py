"""Apps for the references: the same endpoint, answering 202 without storing."""

from __future__ import annotations

import os
from collections.abc import Sequence

from starlette.applications import Starlette

from wallboard.app import create_app
from wallboard.settings import Settings
from wallboard.store import Record
from wallboard.store.memory import MemoryLog
from wallboard.tokens import hash_token


class NullLog(MemoryLog):
    """Accepts every append and keeps nothing (the token for the run excepted)."""

    async def open(self) -> None:
        from wallboard.store import TokenRecord

        token = os.environ["BENCH_TOKEN"]
        await self.add_token(
            TokenRecord(
                id="bench",
                hash=hash_token(token),
                role="ingest",
                label="bench",
                created="",
                source="bench",
            )
        )

    async def _append_unique(self, records: Sequence[Record]) -> list[bool]:
        return [True] * len(records)


def null_app() -> Starlette:
    return create_app(Settings(store="memory://", tick_seconds=0, ingest_rate=0), store=NullLog())


def fanout_app() -> Starlette:
    """Our push path at full speed: the board topic republished as fast as it can be
    sent (no coalescing, no share of the core kept for anything else), a fixed frame
    of ``BENCH_FRAME_BYTES`` bytes."""
    import asyncio
    import contextlib
    from collections.abc import AsyncIterator

    from starlette.routing import Route, WebSocketRoute

    from wallboard import protocol, wire
    from wallboard.publisher import Publisher
    from wallboard.services import Services
    from wallboard.store import TokenRecord

    payload = {"padding": "x" * int(os.environ.get("BENCH_FRAME_BYTES", "2000"))}
    counter = [0]

    def render(topic: str) -> dict[str, object]:
        counter[0] += 1
        return {**payload, "n": counter[0]}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = MemoryLog()
        await store.add_token(
            TokenRecord(
                id="bench",
                hash=hash_token(os.environ["BENCH_TOKEN"]),
                role="display",
                label="bench",
                created="",
            )
        )
        publisher = Publisher(render, frames_per_second=100_000, busy_share=1.0)
        app.state.services = Services.push_only(store, publisher)

        async def churn() -> None:
            while True:
                publisher.notify([], [])
                await asyncio.sleep(0)

        tasks = [asyncio.create_task(publisher.run()), asyncio.create_task(churn())]
        yield
        for task in tasks:
            task.cancel()

    async def healthz(request: object) -> object:
        from starlette.responses import PlainTextResponse

        return PlainTextResponse("ok")

    from starlette.middleware import Middleware

    return Starlette(
        routes=[Route("/healthz", healthz), WebSocketRoute("/ws", protocol.endpoint)],
        lifespan=lifespan,
        middleware=[Middleware(wire.DirectWrites)],
    )
