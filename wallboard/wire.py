"""Frames on the wire: serialised once for every screen, and written straight to
uvicorn's websocket connections, as ``websockets.broadcast()`` writes to its own.

The push protocol itself is in :mod:`wallboard.protocol`, topics and sequences in
:mod:`wallboard.publisher`, per-connection queues in :mod:`wallboard.clients`.
"""

from __future__ import annotations

import asyncio
import logging
from importlib.metadata import version
from typing import Any

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send
from websockets.frames import Frame as WsFrame
from websockets.frames import Opcode

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import (
        WebSocketsSansIOProtocol as _SANSIO,
    )
except ImportError:  # another server: frames go through the ASGI send
    _SANSIO = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

#: where :class:`DirectWrites` leaves the server's own ``send`` in a websocket scope
RAW_SEND = "wallboard.raw_send"


class Frame:
    """One message, serialised once for all its subscribers: the whole websocket
    frame as it goes on the wire. Server frames are not masked, so those bytes are
    the same on every connection. Topics keep their recent frames for screens
    that resume, so only these bytes are kept; the JSON text is their tail."""

    __slots__ = ("data", "header")

    def __init__(self, payload: bytes) -> None:
        self.data = WsFrame(Opcode.TEXT, payload).serialize(mask=False)
        self.header = len(self.data) - len(payload)

    @classmethod
    def of(cls, message: dict[str, Any]) -> Frame:
        return cls(orjson.dumps(message))

    @property
    def text(self) -> str:
        return self.data[self.header :].decode()


PING = Frame(b'{"type":"ping"}')


def report_writes(direct: bool) -> None:
    """Say how frames reach screens: straight to each connection, or (another
    server, or uvicorn's other websocket implementations) through the ASGI
    ``send``, which works but costs a task and an await per frame and screen."""
    if direct:
        log.info("push: frames are written straight to each screen's connection")
    else:
        log.warning(
            "push: frames go through the ASGI send, not straight to each connection "
            "(uvicorn %s); run `wallboard serve`, or uvicorn with "
            "--ws wallboard.websocket_server:ServerProtocol, for the fast path",
            version("uvicorn"),
        )


class DirectWrites:
    """ASGI middleware that hands ``/ws`` the server's own ``send``, before any
    wrapper, so that :class:`Wire` can recognise the connection behind it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND] = send
        await self.app(scope, receive, send)


class Wire:
    """Writes frames straight to a uvicorn websockets-sansio connection, without a
    task or an await, as ``websockets.broadcast()`` does: the frame's bytes go to
    the transport, which sends at once or buffers. ``write`` refuses while the
    transport is over its high-water mark (asyncio paused it), so a slow screen
    buffers at most that much on the server; the caller queues instead.

    Only uvicorn's default websocket implementation is recognised; with any other
    server (or the test client) :meth:`of` returns None and frames go through the
    ASGI ``send``.
    """

    __slots__ = ("protocol", "transport")

    def __init__(self, protocol: Any) -> None:
        self.protocol = protocol
        self.transport: asyncio.Transport = protocol.transport

    @classmethod
    def of(cls, send: Any) -> Wire | None:
        protocol = getattr(send, "__self__", None)
        if _SANSIO is None or not isinstance(protocol, _SANSIO) or protocol.transport is None:
            return None
        return cls(protocol)

    def write(self, data: bytes) -> bool:
        """Write ``data``, or return False when the transport is paused. A connection
        that is closing takes nothing: its reader sees the disconnect and cleans up."""
        protocol = self.protocol
        if protocol.close_sent or self.transport.is_closing():
            return True
        if not protocol.writable.is_set():
            return False
        self.transport.write(data)
        return True

    async def writable(self) -> None:
        await self.protocol.writable.wait()

    def close(self, code: int, reason: str, grace: float) -> None:
        """Send a close frame behind whatever is buffered, even while paused (a client
        that reads again learns why it was dropped), and abort the connection if the
        client has not read it all within ``grace`` seconds."""
        protocol = self.protocol
        if protocol.close_sent or self.transport.is_closing():
            return
        protocol.conn.send_close(code, reason)
        self.transport.write(b"".join(protocol.conn.data_to_send()))
        protocol.close_sent = True
        self.transport.close()
        asyncio.get_running_loop().call_later(grace, self.transport.abort)
