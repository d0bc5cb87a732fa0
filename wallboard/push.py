"""The push protocol behind ``/ws``: topics, snapshots, sequenced updates.

A client connects with a token (query ``?token=`` or the page's cookie) and
sends ``{"type": "subscribe", "topics": [...], "since": {topic: [version, seq]}}``.
For each topic its role allows it gets a ``snapshot`` (the topic's whole
state, with ``version`` and ``seq``), or, when ``since`` names a version and a
sequence still in the topic's recent frames, only the ``update`` frames it
missed. After that it gets an ``update`` for every change: again the whole
state, plus the celebrations (``events``) since the previous frame, so a
client that misses a frame loses no state, only a celebration. ``version``
changes when the server restarts; a client that sees another version, or a
gap in ``seq``, asks for a fresh snapshot by subscribing again.

Topics and who may subscribe:

| topic | display | agent | manager |
| --- | --- | --- | --- |
| `board`, `board:<site>` | yes | - | yes |
| `agent:<id>` | - | own id only | yes |
| `manage` | - | - | yes |

Updates are coalesced: a topic sends at once when it was idle, then at most
``FRAMES_PER_SECOND`` frames a second. A frame is serialised once for all its
subscribers. Each client has a small queue where the newest frames win; a
client whose send does not finish within ``SEND_TIMEOUT`` seconds is dropped
(close code 4408) and resyncs when it reconnects. The server sends a ``ping``
frame every ``HEARTBEAT`` seconds so that clients notice a dead connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from .store import TokenRecord
from .tokens import authenticate

log = logging.getLogger(__name__)

FRAMES_PER_SECOND = 4
RING = 32
QUEUE = 16
SEND_TIMEOUT = 5.0
HEARTBEAT = 15.0
CLOSE_FORBIDDEN = 4403
CLOSE_UNAUTHORIZED = 4401
CLOSE_SLOW = 4408


def allowed(token: TokenRecord, topic: str) -> bool:
    if token.role == "manager":
        return topic in ("board", "manage") or topic.startswith(("board:", "agent:"))
    if token.role == "display":
        return topic == "board" or topic.startswith("board:")
    if token.role == "agent":
        return topic == f"agent:{token.agent}"
    return False


class Client:
    """One connection: a bounded queue of frames where the newest win."""

    def __init__(self, websocket: WebSocket, token: TokenRecord) -> None:
        self.websocket = websocket
        self.token = token
        self.topics: set[str] = set()
        self.frames: deque[str] = deque(maxlen=QUEUE)
        self.ready = asyncio.Event()
        self.dropped_frames = 0

    def push(self, frame: str) -> None:
        if len(self.frames) == self.frames.maxlen:
            self.dropped_frames += 1
        self.frames.append(frame)
        self.ready.set()

    async def send_loop(self) -> None:
        while True:
            if not self.ready.is_set():
                try:
                    async with asyncio.timeout(HEARTBEAT):
                        await self.ready.wait()
                except TimeoutError:
                    # Quiet for a while: a ping lets the screen know the line is alive.
                    self.frames.append('{"type":"ping"}')
            self.ready.clear()
            # One deadline per burst (at a few frames a second, a frame or two), not
            # a wait_for per send, which would cost a task each.
            async with asyncio.timeout(SEND_TIMEOUT):
                while self.frames:
                    await self.websocket.send_text(self.frames.popleft())


class Topic:
    def __init__(self, name: str, version: str) -> None:
        self.name = name
        self.version = version
        self.seq = 0
        self.state: Any = None
        self.frames: deque[tuple[int, str]] = deque(maxlen=RING)
        self.clients: set[Client] = set()
        self.pending_events: list[dict[str, Any]] = []
        self.dirty = True
        self.sent_at = 0.0

    def snapshot(self) -> str:
        return orjson.dumps(
            {
                "type": "snapshot",
                "topic": self.name,
                "version": self.version,
                "seq": self.seq,
                "state": self.state,
            }
        ).decode()


class Publisher:
    """Keeps each subscribed topic's state and fans its frames out."""

    def __init__(
        self,
        render: Callable[[str], Any],
        *,
        clock: Callable[[], float] = time.monotonic,
        frames_per_second: float = FRAMES_PER_SECOND,
        present: Callable[[str, list[dict[str, Any]]], list[dict[str, Any]]] | None = None,
    ) -> None:
        self.render = render
        #: turns the scorer's changes into what a topic may show (public names on boards)
        self.present = present or (lambda topic, events: events)
        self.clock = clock
        self.interval = 1.0 / frames_per_second
        self.version = secrets.token_hex(4)
        self.topics: dict[str, Topic] = {}
        self.changed = asyncio.Event()
        self.frames_sent = 0
        self.clients_dropped = 0
        self.clients: set[Client] = set()

    # What changed ------------------------------------------------------------
    def notify(self, changes: list[dict[str, Any]], agents: list[str]) -> None:
        """Called by the engine after each fold."""
        for topic in self.topics.values():
            events = [c for c in changes if _concerns(topic.name, c)]
            topic.pending_events += events
            if topic.name.startswith("agent:"):
                if topic.name[6:] in agents or events:
                    topic.dirty = True
            else:
                topic.dirty = True
        self.changed.set()

    async def run(self) -> None:
        """Send dirty topics: at once if idle, else when their interval has passed."""
        while True:
            await self.changed.wait()
            self.changed.clear()
            while True:
                now = self.clock()
                wait = None
                for topic in list(self.topics.values()):
                    if not topic.dirty or not topic.clients:
                        continue  # a topic nobody watches renders when next subscribed
                    due = topic.sent_at + self.interval
                    if now >= due:
                        self.publish(topic)
                    else:
                        wait = due - now if wait is None else min(wait, due - now)
                if wait is None:
                    break
                await asyncio.sleep(wait)

    def publish(self, topic: Topic) -> None:
        topic.dirty = False
        topic.sent_at = self.clock()
        state = self.render(topic.name)
        events, topic.pending_events = self.present(topic.name, topic.pending_events), []
        if state == topic.state and not events:
            return
        topic.state = state
        topic.seq += 1
        frame = orjson.dumps(
            {
                "type": "update",
                "topic": topic.name,
                "version": topic.version,
                "seq": topic.seq,
                "state": state,
                "events": events,
            }
        ).decode()
        topic.frames.append((topic.seq, frame))
        for client in topic.clients:
            client.push(frame)
        self.frames_sent += len(topic.clients)

    # Subscriptions -----------------------------------------------------------
    def subscribe(self, client: Client, name: str, since: Any) -> None:
        topic = self.topics.get(name)
        if topic is None:
            topic = self.topics[name] = Topic(name, self.version)
            topic.state = self.render(name)
            topic.dirty = False
        elif topic.dirty:
            self.publish(topic)
        topic.clients.add(client)
        client.topics.add(name)
        if (
            isinstance(since, list)
            and len(since) == 2
            and since[0] == topic.version
            and isinstance(since[1], int)
            and since[1] <= topic.seq
        ):
            missed = [frame for seq, frame in topic.frames if seq > since[1]]
            if len(missed) == topic.seq - since[1]:
                for frame in missed:
                    client.push(frame)
                self.frames_sent += len(missed)
                return
        client.push(topic.snapshot())
        self.frames_sent += 1

    def unsubscribe(self, client: Client) -> None:
        # Topics stay (one per board, site and agent at most), so that a screen that
        # comes back can resume from its last frame.
        for name in client.topics:
            topic = self.topics.get(name)
            if topic is not None:
                topic.clients.discard(client)
        client.topics.clear()

    def clients_by_role(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for client in self.clients:
            counts[client.token.role] = counts.get(client.token.role, 0) + 1
        return counts


def _concerns(topic: str, change: dict[str, Any]) -> bool:
    """Which celebrations a topic shows."""
    kind = change.get("kind")
    if topic.startswith("agent:"):
        return change.get("agent") == topic[6:] and kind in (
            "sale",
            "revoked",
            "prize",
            "prize_revoked",
            "goal_reached",
            "goal",
        )
    return kind in (
        "goal",
        "goal_disallowed",
        "prize",
        "goal_reached",
        "tombola_drawn",
        "match_final",
        "season_ended",
        "sale",
    )


def _origin_ok(websocket: WebSocket) -> bool:
    origin = websocket.headers.get("origin")
    if origin is None:
        return True  # not a browser: tokens protect it
    host = websocket.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


async def endpoint(websocket: WebSocket) -> None:
    publisher: Publisher = websocket.app.state.publisher
    if not _origin_ok(websocket):
        await websocket.close(code=CLOSE_FORBIDDEN, reason="cross-origin connection refused")
        return
    from .pages import token_from

    token = await authenticate(websocket.app.state.store, token_from(websocket))
    if token is None or token.role == "ingest":
        await websocket.close(
            code=CLOSE_UNAUTHORIZED, reason="a display, agent or manager token is needed"
        )
        return
    await websocket.accept()
    client = Client(websocket, token)
    publisher.clients.add(client)
    # Two coroutines a screen: this one reads, a task writes (memory per screen counts).
    sender = asyncio.create_task(_send(websocket, publisher, client))
    try:
        await _receive(websocket, publisher, client)
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
        publisher.unsubscribe(client)
        publisher.clients.discard(client)


async def _send(websocket: WebSocket, publisher: Publisher, client: Client) -> None:
    try:
        await client.send_loop()
    except TimeoutError:
        publisher.clients_dropped += 1
        log.info("dropped a slow %s client", client.token.role)
        with contextlib.suppress(Exception):
            await websocket.close(code=CLOSE_SLOW, reason="too slow; reconnect")


async def _receive(websocket: WebSocket, publisher: Publisher, client: Client) -> None:
    with contextlib.suppress(WebSocketDisconnect):
        while True:
            raw = await websocket.receive_text()
            try:
                message = orjson.loads(raw)
            except orjson.JSONDecodeError:
                client.push(_error("expected a JSON message"))
                continue
            if not isinstance(message, dict) or message.get("type") != "subscribe":
                if isinstance(message, dict) and message.get("type") == "pong":
                    continue
                client.push(_error('expected {"type": "subscribe", "topics": [...]}'))
                continue
            topics = message.get("topics")
            since = message.get("since") or {}
            if not isinstance(topics, list) or not all(isinstance(t, str) for t in topics):
                client.push(_error("expected topics as a list of strings"))
                continue
            for name in topics[:16]:
                if allowed(client.token, name):
                    publisher.subscribe(
                        client, name, since.get(name) if isinstance(since, dict) else None
                    )
                else:
                    client.push(
                        _error(
                            f"a {client.token.role} token may not subscribe to {name!r}", topic=name
                        )
                    )


def _error(message: str, **extra: Any) -> str:
    return orjson.dumps({"type": "error", "error": message, **extra}).decode()
