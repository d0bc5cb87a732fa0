"""Websocket screens in their own process: connect ``count`` clients to the board,
report when each marked sale (id ``L<n>``) first reached each timed client (as a
celebration in an update: a frame a screen misses counts as not delivered; at
most ``SAMPLE`` screens, spread over all, are timed), and the process's own CPU
time and loop lag, to show the clients are not the bottleneck.

The screens speak just enough websocket to read frames (a handshake, frame
headers, a pong for each ping), in a plain asyncio protocol: a general client
library spends more per frame than the server does, and thousands of screens on
one core must not be what the benchmark measures.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import resource
import sys
import time
from collections.abc import Callable
from typing import cast
from urllib.parse import urlsplit

from bench.common import run_loop

MARK = re.compile(rb'"id":"(L\d+)"')
TEXT, CLOSE, PING = 1, 8, 9
#: at most this many screens time their frames (see main)
SAMPLE = 500


def masked(opcode: int, payload: bytes) -> bytes:
    """A client frame; the all-zero mask leaves the payload as it is."""
    assert len(payload) < 126
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + b"\0\0\0\0" + payload


class Screen(asyncio.Protocol):
    """One websocket client. ``on_message`` gets each text message's payload, or
    None when ``payloads`` is off (counting only: payloads are skipped, not copied).
    ``opened`` resolves when the handshake is done, ``closed`` with the close code."""

    def __init__(
        self,
        url: str,
        subscribe: bytes,
        on_message: Callable[[bytes | None], None],
        payloads: bool = True,
    ) -> None:
        parts = urlsplit(url)
        self.request = (
            f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
        self.subscribe = subscribe
        self.on_message = on_message
        self.payloads = payloads
        loop = asyncio.get_running_loop()
        self.opened: asyncio.Future[None] = loop.create_future()
        self.closed: asyncio.Future[int] = loop.create_future()
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.skip = 0  # payload bytes of the current message still to come
        self.handshaking = True

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        stream = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        self.transport = stream
        stream.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed during the handshake"))
        if not self.closed.done():
            self.closed.set_result(1006)

    def data_received(self, data: bytes) -> None:
        if self.handshaking:
            self.buffer += data
            head, found, rest = self.buffer.partition(b"\r\n\r\n")
            if not found:
                return
            if not head.startswith(b"HTTP/1.1 101"):
                assert self.transport is not None
                self.transport.close()
                return
            self.handshaking = False
            self.buffer = b""
            assert self.transport is not None
            self.transport.write(masked(TEXT, self.subscribe))
            self.opened.set_result(None)
            data = rest
        if self.skip:
            if self.payloads:
                self.buffer += data[: self.skip]
            if len(data) <= self.skip:
                self.skip -= len(data)
                if not self.skip and self.payloads:
                    self._message(self.buffer)
                return
            data = data[self.skip :]
            self.skip = 0
            if self.payloads:
                self._message(self.buffer)
            self.buffer = b""
        elif self.buffer:
            data = self.buffer + data
            self.buffer = b""
        self._frames(data)

    def _frames(self, data: bytes) -> None:
        position, end = 0, len(data)
        while position < end:
            if end - position < 2:
                self.buffer = data[position:]
                return
            opcode, length = data[position] & 0x0F, data[position + 1] & 0x7F
            header = 2
            if length == 126:
                header = 4
                length = int.from_bytes(data[position + 2 : position + 4])
            elif length == 127:
                header = 10
                length = int.from_bytes(data[position + 2 : position + 10])
            start = position + header
            if start > end or (opcode >= CLOSE and start + length > end):
                self.buffer = data[position:]  # an incomplete header or control frame
                return
            if opcode >= CLOSE:
                self._control(opcode, data[start : start + length])
            elif start + length > end:
                self.skip = start + length - end
                if self.payloads:
                    self.buffer = data[start:]
                return
            else:
                self._message(data[start : start + length] if self.payloads else None)
            position = start + length

    def _message(self, payload: bytes | None) -> None:
        self.buffer = b""
        self.on_message(payload)

    def _control(self, opcode: int, payload: bytes) -> None:
        assert self.transport is not None
        if opcode == PING:
            self.transport.write(masked(0xA, payload))
        elif opcode == CLOSE:
            if not self.closed.done():
                self.closed.set_result(int.from_bytes(payload[:2]) if payload else 1005)
            self.transport.write(masked(CLOSE, payload[:2]))
            self.transport.close()


async def open_screen(
    url: str,
    on_message: Callable[[bytes | None], None],
    topics: tuple[str, ...] = ("board",),
    payloads: bool = True,
) -> Screen:
    parts = urlsplit(url)
    if parts.hostname is None or parts.port is None:
        raise ValueError(f"expected ws://host:port/path, got {url!r}")
    subscribe = json.dumps({"type": "subscribe", "topics": list(topics)}).encode()
    _, screen = await asyncio.get_running_loop().create_connection(
        lambda: Screen(url, subscribe, on_message, payloads), parts.hostname, parts.port
    )
    await screen.opened
    return screen


async def loop_lag(lags: list[float], every: float = 0.01) -> None:
    """How late this process's event loop wakes up: when the screens cannot keep up
    (or their core is taken by something else), frames wait here, not in the server."""
    loop = asyncio.get_running_loop()
    while True:
        due = loop.time() + every
        await asyncio.sleep(every)
        lags.append(loop.time() - due)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def main(url: str, count: int) -> None:
    """Connect, say ``ready``, take frames until a line reaches stdin (the poster is
    done and the last frames have had time to arrive), then report."""
    arrivals: dict[str, list[float]] = {}
    received = [0]
    first: list[asyncio.Future[None]] = []

    def screen() -> Callable[[bytes | None], None]:
        seen: set[bytes] = set()
        snapshot = asyncio.get_running_loop().create_future()
        first.append(snapshot)

        def on_message(payload: bytes | None) -> None:
            now = time.monotonic()
            received[0] += 1
            if not snapshot.done():
                snapshot.set_result(None)
            if payload is None:
                return  # a screen that only counts
            # A sale's first frame carries it among the celebrations, at the end.
            events = payload.rfind(b'"events":[')
            if events < 0:
                return
            for mark in MARK.findall(payload, events):
                if mark not in seen:
                    seen.add(mark)
                    arrivals.setdefault(mark.decode(), []).append(now)

        return on_message

    semaphore = asyncio.Semaphore(100)

    async def connect(timed: bool) -> Screen:
        async with semaphore:
            return await open_screen(url, screen(), payloads=timed)

    # Every ``every``-th screen reads the frames' contents and times the sales; the
    # others only take their frames in. Timing all of thousands of screens would
    # make this one process, not the server, what delays the last of them.
    every = max(1, count // SAMPLE)
    screens = await asyncio.gather(*(connect(n % every == 0) for n in range(count)))
    await asyncio.wait_for(asyncio.gather(*first), 120)
    print(json.dumps({"ready": time.monotonic()}), flush=True)
    loop = asyncio.get_running_loop()
    cpu, lags, before, start = cpu_seconds(), list[float](), received[0], loop.time()
    monitor = asyncio.create_task(loop_lag(lags))
    await loop.run_in_executor(None, sys.stdin.readline)
    monitor.cancel()
    seconds = loop.time() - start
    lags.sort()
    report = {
        "arrivals": arrivals,
        "timed": len(range(0, count, every)),
        "cpu": cpu_seconds() - cpu,
        "seconds": seconds,
        "frames_per_client_per_s": round((received[0] - before) / count / seconds, 1),
        "loop_lag_p99_ms": round(lags[int(0.99 * len(lags))] * 1000, 1) if lags else None,
    }
    print(json.dumps(report), flush=True)
    for each in screens:
        assert each.transport is not None
        each.transport.abort()


if __name__ == "__main__":
    run_loop(main(sys.argv[1], int(sys.argv[2])))
