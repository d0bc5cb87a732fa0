"""The push protocol behind ``/ws``: topics, snapshots, sequenced updates.

A client connects with a token (query ``?token=`` or the page's cookie, or the
console's session cookie) from a page of this server (the Origin check) and
sends ``{"type": "subscribe", "topics": [...], "since": {topic: [version, seq]}}``.
For each topic its role allows it gets a ``snapshot`` (the topic's whole
state, with ``version`` and ``seq``), or, when ``since`` names a version and a
sequence still in the topic's recent frames, only the ``update`` frames it
missed. After that it gets an ``update`` for every change: again the whole
state, plus the celebrations (``events``) since the previous frame, so a
client that misses a frame loses no state, only a celebration. ``version``
changes when the server restarts; a client that sees another version, or a
gap in ``seq``, asks for a fresh snapshot by subscribing again.

Who may subscribe to which topic is ``allowed()``; the README's "Who may do
what" table states it, and tests/test_roles.py holds the two together.

Updates are coalesced: a topic sends at once when it was idle, then at most
``FRAMES_PER_SECOND`` frames a second, fewer when its frames, or the frames of
all topics together, would take more than ``BUSY_SHARE`` of the core to render
and send (thousands of screens, hundreds of agents' topics). A frame is
serialised once for all its subscribers, as the bytes of a websocket frame, and
under uvicorn written straight to every connection: no task and no await per
screen. A connection that cannot take a frame (its buffer is full) gets a small
queue where the newest frames win; one that takes nothing for ``SEND_TIMEOUT``
seconds is dropped (close code 4408) and resyncs when it reconnects. No
connection goes ``HEARTBEAT`` seconds without a frame (a quiet one gets a
``ping``), so that screens notice a dead connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from .security import same_origin
from .session import manager_session
from .store import TokenRecord
from .tokens import authenticate
from .wire import PING, RAW_SEND, Frame, Wire

log = logging.getLogger(__name__)

FRAMES_PER_SECOND = 20
#: the share of the core frames may take: after a frame that took t seconds to
#: render and send, the topic's next waits at least t / BUSY_SHARE, and after a
#: round of all due topics that took t, the next round starts t / BUSY_SHARE
#: later. The rest is for ingest and the fold; at 5,000 screens a frame costs
#: about 0.1 s here.
BUSY_SHARE = 0.6
#: frames a topic keeps for screens that resume: each holds the whole state, so
#: a screen away longer than these gets a snapshot and loses only celebrations
RING = 8
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
        publisher: Publisher,
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


class Topic:
    def __init__(self, name: str, version: str) -> None:
        self.name = name
        self.version = version
        self.seq = 0
        self.state: Any = None
        self.frames: deque[tuple[int, Frame]] = deque(maxlen=RING)
        self.clients: set[Client] = set()
        self.pending_events: list[Mapping[str, Any]] = []
        self.dirty = True
        self.sent_at = 0.0
        #: seconds the last frame took to render and send
        self.cost = 0.0
        self._snapshot: Frame | None = None

    def snapshot(self) -> Frame:
        """The topic's whole state, serialised once per change (3,000 screens coming
        back after a restart ask for the same snapshot)."""
        if self._snapshot is None:
            self._snapshot = Frame.of(
                {
                    "type": "snapshot",
                    "topic": self.name,
                    "version": self.version,
                    "seq": self.seq,
                    "state": self.state,
                }
            )
        return self._snapshot

    def changed(self, state: Any) -> None:
        self.state = state
        self.seq += 1
        self._snapshot = None


class Publisher:
    """Keeps each subscribed topic's state and fans its frames out."""

    def __init__(
        self,
        render: Callable[[str], Any],
        *,
        clock: Callable[[], float] = time.monotonic,
        frames_per_second: float = FRAMES_PER_SECOND,
        present: Callable[[str, list[Mapping[str, Any]]], Sequence[Mapping[str, Any]]]
        | None = None,
        busy_share: float = BUSY_SHARE,
        send_timeout: float = SEND_TIMEOUT,
        heartbeat: float = HEARTBEAT,
    ) -> None:
        self.render = render
        #: turns the scorer's changes into what a topic may show (public names on boards)
        self.present = present or (lambda topic, events: events)
        self.clock = clock
        self.interval = 1.0 / frames_per_second
        self.busy_share = busy_share
        self.send_timeout = send_timeout
        self.heartbeat = heartbeat
        self.version = secrets.token_hex(4)
        self.topics: dict[str, Topic] = {}
        self.changed = asyncio.Event()
        self.frames_sent = 0
        self.clients_dropped = 0
        self.clients: set[Client] = set()

    # What changed ------------------------------------------------------------
    def notify(self, changes: Sequence[Mapping[str, Any]], agents: list[str]) -> None:
        """Called by the engine after each fold."""
        for topic in self.topics.values():
            if not topic.clients:
                # Nobody watches (a board switched off for the night): its state is
                # rendered afresh for the next screen, and celebrations for nobody
                # are not kept, or they would pile up all night.
                topic.dirty = True
                continue
            events = [c for c in changes if _concerns(topic.name, c)]
            topic.pending_events += events
            if topic.name.startswith("agent:"):
                if topic.name[6:] in agents or events:
                    topic.dirty = True
            else:
                topic.dirty = True
        self.changed.set()

    async def run(self) -> None:
        """Send dirty topics (at once if idle, else when their interval has passed),
        and keep quiet connections alive."""
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            await self._send_dirty()
        finally:
            heartbeat.cancel()

    async def _send_dirty(self) -> None:
        while True:
            await self.changed.wait()
            self.changed.clear()
            while True:
                now = self.clock()
                wait = None
                for topic in list(self.topics.values()):
                    if not topic.dirty or not topic.clients:
                        continue  # a topic nobody watches renders when next subscribed
                    due = topic.sent_at + max(self.interval, topic.cost / self.busy_share)
                    if now >= due:
                        self.publish(topic)
                    else:
                        wait = due - now if wait is None else min(wait, due - now)
                # All topics together, not each on its own, keep to the busy share:
                # hundreds of agents' topics must not crowd out ingest and the fold.
                spent = self.clock() - now
                rest = spent * (1 - self.busy_share) / self.busy_share
                if wait is None:
                    if rest > 0:
                        await asyncio.sleep(rest)
                    break
                await asyncio.sleep(max(wait, rest))

    async def _heartbeat(self) -> None:
        # Every half beat, a ping to each connection that got nothing since the last
        # tick: no screen goes longer than a beat without a frame.
        while True:
            await asyncio.sleep(self.heartbeat / 2)
            for client in list(self.clients):
                if client.quiet:
                    client.push(PING)
                client.quiet = True

    def publish(self, topic: Topic) -> None:
        topic.dirty = False
        topic.sent_at = self.clock()
        try:
            self._publish(topic)
        finally:
            topic.cost = self.clock() - topic.sent_at

    def _publish(self, topic: Topic) -> None:
        state = self.render(topic.name)
        events, topic.pending_events = self.present(topic.name, topic.pending_events), []
        if state == topic.state and not events:
            return
        topic.changed(state)
        frame = Frame.of(
            {
                "type": "update",
                "topic": topic.name,
                "version": topic.version,
                "seq": topic.seq,
                "state": state,
                "events": events,
            }
        )
        topic.frames.append((topic.seq, frame))
        # Synchronous: with uvicorn each push is a write to the socket, no task, no
        # await, so one frame reaches every screen before anything else runs.
        for client in list(topic.clients):
            client.push(frame)
        self.frames_sent += len(topic.clients)

    # Connections and subscriptions -------------------------------------------
    def connect(self, websocket: WebSocket, token: TokenRecord) -> Client:
        client = Client(websocket, token, self, Wire.of(websocket.scope.get(RAW_SEND)))
        self.clients.add(client)
        return client

    def disconnect(self, client: Client) -> None:
        client.close()
        self.unsubscribe(client)
        self.clients.discard(client)

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


def _concerns(topic: str, change: Mapping[str, Any]) -> bool:
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


async def endpoint(websocket: WebSocket) -> None:
    publisher: Publisher = websocket.app.state.publisher
    if not same_origin(websocket.headers):
        await websocket.close(code=CLOSE_FORBIDDEN, reason="cross-origin connection refused")
        return
    from .pages import token_from

    token = await authenticate(websocket.app.state.store, token_from(websocket))
    if token is None:
        # The console's socket: the manager's session cookie (the Origin check above
        # keeps other sites from riding on it).
        token = await manager_session(websocket)
    if token is None or token.role == "ingest":
        await websocket.close(
            code=CLOSE_UNAUTHORIZED, reason="a display, agent or manager token is needed"
        )
        return
    await websocket.accept()
    client = publisher.connect(websocket, token)
    # One coroutine a screen, this one, which reads; writes need no task of their own.
    try:
        await _receive(websocket, publisher, client)
    finally:
        publisher.disconnect(client)


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


def _error(message: str, **extra: Any) -> Frame:
    return Frame.of({"type": "error", "error": message, **extra})
