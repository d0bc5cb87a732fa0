"""What a hostile or broken client can do to a real ``wallboard serve``, done the way
a security probe did it: made-up topics by the ten thousand from a display token,
more sockets than a token may hold, binary and malformed frames, a body cut short.
The server refuses each with an error frame or a close code, its memory stays
flat, a board on another connection keeps getting its frames, and the log holds
no ERROR and no traceback."""

from __future__ import annotations

import asyncio
import itertools
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect as connect_async
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.conftest import free_port, wait_until_up
from tests.faults import WALLBOARD, add_tokens
from tests.helpers import sale
from tests.test_api_scoring import roster
from wallboard.store import open_store

#: connections a token may hold in these tests
PER_TOKEN = 20
#: what the probe did: 96,000 topics from one display token
FLOOD_SOCKETS, FLOOD_MESSAGES, TOPICS_A_MESSAGE = PER_TOKEN, 300, 16
MiB = 1024 * 1024


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path
    tokens: dict[str, str]

    @property
    def ws(self) -> str:
        return self.base.replace("http://", "ws://") + "/ws"

    def rss(self) -> int:
        """The server's resident memory in bytes, as /proc says."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        [line] = [line for line in status.splitlines() if line.startswith("VmRSS:")]
        return int(line.split()[1]) * 1024

    def post(self, body: Any, role: str = "ingest") -> None:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        response = httpx.post(f"{self.base}/api/events", json=body, headers=headers)
        assert response.status_code == 202, response.text

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    url = f"sqlite:///{tmp_path / 'log.db'}"

    async def tokens() -> dict[str, str]:
        async with open_store(url) as store:
            made = await add_tokens(store, "ingest", "manager", "display")
            # a second display token: the screen that must carry on during the flood
            made["screen"] = (await add_tokens(store, "display"))["display"]
            return made

    made = asyncio.run(tokens())
    port = free_port()
    env = {
        **os.environ,
        "WALLBOARD_STORE": url,
        "WALLBOARD_INGEST_RATE": "0",
        "WALLBOARD_CONNECTIONS_PER_TOKEN": str(PER_TOKEN),
    }
    log = tmp_path / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*WALLBOARD, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    running = Server(f"http://127.0.0.1:{port}", process, log, made)
    try:
        wait_until_up(running.base, process, log)
        running.post(roster(), role="manager")
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) in (0, -signal.SIGTERM), running.output()


def now() -> str:
    return datetime.now(UTC).isoformat()


def assert_quiet_log(server: Server) -> None:
    output = server.output()
    assert "ERROR" not in output and "Traceback" not in output, output[-3000:]


class Screen:
    """A board on its own connection, reading every frame in a thread of its own."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.socket.send('{"type": "subscribe", "topics": ["board"]}')
        self.frames: list[tuple[float, dict[str, Any]]] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for message in self.socket:
                self.frames.append((time.monotonic(), orjson.loads(message)))
        except ConnectionClosed:
            pass

    def sold(self, sale_id: str) -> float | None:
        """When an update celebrating ``sale_id`` arrived, or None."""
        for at, frame in list(self.frames):
            if any(event.get("id") == sale_id for event in frame.get("events", ())):
                return at
        return None

    def wait_for(self, sale_id: str, seconds: float = 10.0) -> float:
        deadline = time.monotonic() + seconds
        while (at := self.sold(sale_id)) is None:
            assert time.monotonic() < deadline, f"the board never showed {sale_id}"
            time.sleep(0.01)
        return at


async def flood(url: str, token: str) -> tuple[list[dict[str, Any]], list[int]]:
    """Twice ``FLOOD_SOCKETS`` sockets at once with one display token, each sending
    ``FLOOD_MESSAGES`` subscribe messages for made-up sites (reading the answers to
    each before the next, so that none is lost to a full queue); the answers to the
    sockets let in, and the close codes of those refused."""
    answers: list[dict[str, Any]] = []
    refused: list[int] = []

    async def one() -> None:
        async with connect_async(f"{url}?token={token}") as socket:
            try:
                for _ in range(FLOOD_MESSAGES):
                    names = [f"board:{secrets.token_hex(8)}" for _ in range(TOPICS_A_MESSAGE)]
                    since = {name: ["v", 1] for name in names}
                    message = {"type": "subscribe", "topics": names, "since": since}
                    await socket.send(orjson.dumps(message).decode())
                    for _ in names:
                        answers.append(orjson.loads(await socket.recv()))
            except ConnectionClosed as closed:
                assert closed.rcvd is not None, closed
                refused.append(closed.rcvd.code)

    await asyncio.wait_for(asyncio.gather(*(one() for _ in range(2 * FLOOD_SOCKETS))), 300)
    return answers, refused


def test_a_display_token_flooding_made_up_topics_is_refused_and_memory_stays_flat(
    server: Server,
) -> None:
    with connect(f"{server.ws}?token={server.tokens['screen']}") as board:
        screen = Screen(board)
        server.post(sale("warm-up", agent="a-1", ts=now()))
        screen.wait_for("warm-up")
        before = server.rss()
        peak = [before]
        posted: list[str] = []
        flooding = threading.Event()
        flooding.set()

        def during() -> None:
            n = 0
            while flooding.is_set():
                peak.append(server.rss())
                posted.append(f"during-{n}")
                server.post(sale(posted[-1], agent="a-2", ts=now()))
                n += 1
                time.sleep(0.1)  # the pace of a busy floor, not a wait for anything

        sampler = threading.Thread(target=during, daemon=True)
        sampler.start()
        started = time.monotonic()
        answers, refused = asyncio.run(flood(server.ws, server.tokens["display"]))
        took = time.monotonic() - started
        flooding.clear()
        sampler.join(10)
        peak.append(server.rss())

        errors = [a for a in answers if a.get("type") == "error"]
        assert len(errors) == FLOOD_SOCKETS * FLOOD_MESSAGES * TOPICS_A_MESSAGE
        assert not [a for a in answers if a.get("type") == "snapshot"], "a made-up topic was made"
        assert all(e["topic"].startswith("board:") and e["topic"] in e["error"] for e in errors)
        assert refused == [4429] * FLOOD_SOCKETS, "more sockets than the token may hold"

        # The board carried on: every sale posted during the flood reached it, each
        # within two seconds of its predecessor.
        arrivals = [screen.wait_for(sale_id) for sale_id in posted]
        assert len(arrivals) >= 3, f"the flood took {took:.1f} s: too short to tell"
        gaps = [b - a for a, b in itertools.pairwise(arrivals)]
        assert max(gaps) < 2.0, f"the board stalled for {max(gaps):.1f} s"

        grown = max(peak) - before
        print(f"RSS {before / MiB:.1f} MiB before, {max(peak) / MiB:.1f} MiB at most")
        assert grown < 10 * MiB, f"RSS grew {grown / MiB:.1f} MiB during the flood"
    assert_quiet_log(server)


def closed_code(server: Server, send: Any) -> int:
    with connect(f"{server.ws}?token={server.tokens['display']}") as ws:
        send(ws)
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                ws.recv(timeout=10)
    assert closed.value.rcvd is not None, "the server closed without a close frame"
    return closed.value.rcvd.code


def test_malformed_frames_get_close_codes_and_the_log_stays_quiet(server: Server) -> None:
    assert closed_code(server, lambda ws: ws.send(b"\x00\x01binary")) == 1003
    assert closed_code(server, lambda ws: ws.send(b"\xff\xfe not UTF-8", text=True)) == 1007
    assert closed_code(server, lambda ws: ws.send("x" * 100_000)) == 1009
    # Invalid UTF-8 with the client's own close right behind: one read on the server.
    with connect(f"{server.ws}?token={server.tokens['display']}") as ws:
        ws.send(b"\xc3", text=True)

    # A body cut short: the client goes away mid-upload.
    host, port = server.base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as raw:
        raw.sendall(
            b"POST /api/events HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {server.tokens['ingest']}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{"
        )
    # A board still subscribes, and the server answers: nothing above broke it.
    with connect(f"{server.ws}?token={server.tokens['screen']}") as ws:
        ws.send('{"type": "subscribe", "topics": ["board", "board:nowhere"]}')
        kinds = {orjson.loads(ws.recv(timeout=10))["type"] for _ in range(2)}
        assert kinds == {"snapshot", "error"}
    assert httpx.get(f"{server.base}/healthz").status_code == 200
    assert_quiet_log(server)
