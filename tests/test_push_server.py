"""The push path on a real uvicorn server, where frames are written straight to
each connection: every screen gets every frame in order, a screen that stops
reading is dropped with 4408 while the others carry on, quiet screens get pings."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from typing import Any

import orjson
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import WebSocketRoute
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.helpers import serving as serving_app
from wallboard import protocol, wire
from wallboard.clients import CLOSE_SLOW
from wallboard.publisher import Publisher
from wallboard.services import Services
from wallboard.store import TokenRecord
from wallboard.store.memory import MemoryLog
from wallboard.tokens import new_token

PADDING = "x" * 50_000


def board_app(token: TokenRecord, *, changes_per_second: float, **publisher: Any) -> Starlette:
    """The real /ws endpoint and publisher over a board whose state changes on its
    own, ``changes_per_second`` times a second, each state about 50 KB."""
    renders = [0]

    def render(topic: str) -> dict[str, Any]:
        renders[0] += 1
        return {"n": renders[0], "padding": PADDING}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = MemoryLog()
        await store.add_token(token)
        app.state.services = Services.push_only(store, Publisher(render, **publisher))
        fanout = app.state.services.publisher

        async def changes() -> None:
            while changes_per_second:
                fanout.notify([], [])
                await asyncio.sleep(1 / changes_per_second)

        tasks = [asyncio.create_task(fanout.run()), asyncio.create_task(changes())]
        yield
        for task in tasks:
            task.cancel()

    return Starlette(
        routes=[WebSocketRoute("/ws", protocol.endpoint)],
        lifespan=lifespan,
        middleware=[Middleware(wire.DirectWrites)],
    )


@contextlib.contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """``app`` on uvicorn: its websocket's address."""
    with serving_app(app) as host:
        yield f"ws://{host}/ws"


def screen(stack: ExitStack, url: str, token: str, **options: Any) -> ClientConnection:
    socket = stack.enter_context(connect(f"{url}?token={token}", **options))
    socket.send('{"type": "subscribe", "topics": ["board"]}')
    return socket


def frames(socket: ClientConnection, count: int) -> list[dict[str, Any]]:
    return [orjson.loads(socket.recv(timeout=10)) for _ in range(count)]


@pytest.fixture
def display() -> tuple[str, TokenRecord]:
    return new_token("display", label="test")


def test_every_screen_gets_every_frame_in_order(display: tuple[str, TokenRecord]) -> None:
    token, record = display
    with serving(board_app(record, changes_per_second=50)) as url, ExitStack() as stack:
        screens = [screen(stack, url, token) for _ in range(3)]
        for each in screens:
            snapshot, *updates = frames(each, 11)
            assert snapshot["type"] == "snapshot"
            first = snapshot["seq"] + 1
            assert [u["seq"] for u in updates] == list(range(first, first + 10))
            assert all(u["state"]["padding"] == PADDING for u in updates)


def test_a_screen_that_stops_reading_is_dropped_and_the_others_carry_on(
    display: tuple[str, TokenRecord],
) -> None:
    token, record = display
    app = board_app(record, changes_per_second=50, send_timeout=1.0)
    with serving(app) as url, ExitStack() as stack:
        # A screen that reads nothing: the client library stops reading its socket
        # once it holds two messages, and the socket's receive buffer is small.
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.connect(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0])))
        stalled = screen(stack, url, token, sock=raw, max_queue=2)
        healthy = screen(stack, url, token)
        seqs = [frame["seq"] for frame in frames(healthy, 1)]
        deadline = time.monotonic() + 30
        while app.state.services.publisher.clients_dropped == 0:
            assert time.monotonic() < deadline, "the stalled screen was never dropped"
            seqs += [frame["seq"] for frame in frames(healthy, 1)]
        # Reading again (within the grace the server gives it), the stalled screen
        # gets what was buffered, then learns why it was dropped.
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                stalled.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_SLOW
        seqs += [frame["seq"] for frame in frames(healthy, 20)]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), "no frame skipped"
        assert app.state.services.publisher.clients_dropped == 1


def test_a_quiet_screen_gets_pings(display: tuple[str, TokenRecord]) -> None:
    token, record = display
    app = board_app(record, changes_per_second=0, heartbeat=0.2)
    with serving(app) as url, ExitStack() as stack:
        quiet = screen(stack, url, token)
        snapshot, ping, another = frames(quiet, 3)
        assert snapshot["type"] == "snapshot"
        assert ping == another == {"type": "ping"}
