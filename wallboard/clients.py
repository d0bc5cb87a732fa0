"""One screen's connection: a small queue where the newest frames win, and the drop.

Frames are written at once when the connection can take them (under uvicorn,
straight to its transport: see :mod:`wallboard.wire`). One that cannot take a
frame gets a queue of ``QUEUE`` frames, the oldest falling out, and a task that
sends them as the connection drains; one that takes nothing for
``SEND_TIMEOUT`` seconds is dropped with ``CLOSE_SLOW`` and resyncs when it
reconnects. A slow screen never holds up the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from typing import Protocol

from starlette.websockets import WebSocket

from .store import TokenRecord
from .wire import Frame, Wire

log = logging.getLogger(__name__)

QUEUE = 16
SEND_TIMEOUT = 5.0
CLOSE_UNAUTHORIZED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_SLOW = 4408
#: the token holds as many connections as ``WALLBOARD_CONNECTIONS_PER_TOKEN`` allows
CLOSE_TOO_MANY = 4429


class Roster(Protocol):
    """What a client needs of whoever holds it (the publisher): how long a send may
    stall, a count of the clients dropped, and a way to let go of one."""

    send_timeout: float
    clients_dropped: int

    def disconnect(self, client: Client) -> None: ...


class Client:
    """One connection. Frames are written at once when the connection can take them;
    otherwise they wait in a small queue where the newest win, and a task (only while
    there is a backlog) sends them as the connection drains. A connection that takes
    nothing for ``send_timeout`` seconds is dropped."""

    __slots__ = (
        "closed",
        "dropped_frames",
        "flusher",
        "frames",
        "publisher",
        "quiet",
        "token",
        "topics",
        "websocket",
        "wire",
    )

    def __init__(
        self,
        websocket: WebSocket,
        token: TokenRecord,
        publisher: Roster,
        wire: Wire | None = None,
    ) -> None:
        self.websocket = websocket
        self.token = token
        self.publisher = publisher
        self.topics: set[str] = set()
        self.wire = wire
        self.frames: deque[Frame] = deque(maxlen=QUEUE)
        self.flusher: asyncio.Task[None] | None = None
        #: nothing sent since the last heartbeat tick
        self.quiet = False
        self.closed = False
        self.dropped_frames = 0

    def push(self, frame: Frame) -> None:
        if self.closed:
            return
        self.quiet = False
        if self.flusher is None:
            if self.wire is not None and self.wire.write(frame.data):
                return
            self.flusher = asyncio.create_task(self._flush())
        elif len(self.frames) == QUEUE:
            self.dropped_frames += 1
        self.frames.append(frame)

    def close(self) -> None:
        self.closed = True
        self.frames.clear()
        if self.flusher is not None:
            self.flusher.cancel()

    async def _flush(self) -> None:
        wire, timeout = self.wire, self.publisher.send_timeout
        try:
            while self.frames:
                # The deadline is for progress: a screen that reads, however slowly,
                # stays and gets the newest frames; one that stalls is dropped.
                async with asyncio.timeout(timeout):
                    if wire is not None:
                        await wire.writable()
                        while self.frames and wire.write(self.frames[0].data):
                            self.frames.popleft()
                    else:
                        await self.websocket.send_text(self.frames.popleft().text)
        except TimeoutError:
            self.flusher = None
            await self._drop()
        except Exception:  # the connection went away mid-send: the reader cleans up
            self.close()
        finally:
            self.flusher = None

    async def _drop(self) -> None:
        self.publisher.clients_dropped += 1
        log.info("dropped a slow %s client", self.token.role)
        await self.shut(CLOSE_SLOW, "too slow; reconnect")

    async def shut(self, code: int, reason: str) -> None:
        """Close the connection from this side, with ``code``; it stops getting frames."""
        self.close()
        self.publisher.disconnect(self)
        if self.wire is not None:
            self.wire.close(code, reason, self.publisher.send_timeout)
            return
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.publisher.send_timeout):
                await self.websocket.close(code=code, reason=reason)
