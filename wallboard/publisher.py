"""Each topic's latest state and recent frames, and the scheduler that sends them.

Updates are coalesced: a topic sends at once when it was idle, then at most
``FRAMES_PER_SECOND`` frames a second, fewer when its frames, or the frames of
all topics together, would take more than ``BUSY_SHARE`` of the core to render
and send (thousands of screens, hundreds of agents' topics). A frame is
serialised once for all its subscribers, as the bytes of a websocket frame, and
under uvicorn written straight to every connection: no task and no await per
screen. No connection goes ``HEARTBEAT`` seconds without a frame (a quiet one
gets a ``ping``), so that screens notice a dead connection.

The scheduler takes its clock and its sleep as arguments, and ``drain()`` runs
it until nothing is left to send, so tests step it instead of waiting.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from starlette.websockets import WebSocket

from . import topics
from .clients import SEND_TIMEOUT, Client
from .store import TokenRecord
from .wire import PING, RAW_SEND, Frame, Wire, report_writes

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
HEARTBEAT = 15.0
#: seconds a topic nobody watches is kept, so that a screen that reconnects resumes
#: from its ring; then its state and ring are freed (a site's board at night, an
#: agent's page after the shift)
KEEP_IDLE = 60.0


class Topic:
    def __init__(self, name: str, version: str, seq: int = 0) -> None:
        self.name = name
        self.key = topics.parse(name)
        self.version = version
        self.seq = seq
        self.state: Any = None
        self.frames: deque[tuple[int, Frame]] = deque(maxlen=RING)
        self.clients: set[Client] = set()
        self.pending_events: list[Mapping[str, Any]] = []
        self.dirty = True
        self.sent_at = 0.0
        #: seconds the last frame took to render and send
        self.cost = 0.0
        self._snapshot: Frame | None = None
        #: when its last screen left (None while watched)
        self.idle_since: float | None = None

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
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        frames_per_second: float = FRAMES_PER_SECOND,
        present: Callable[[str, list[Mapping[str, Any]]], list[Mapping[str, Any]]] | None = None,
        busy_share: float = BUSY_SHARE,
        send_timeout: float = SEND_TIMEOUT,
        heartbeat: float = HEARTBEAT,
        keep_idle: float = KEEP_IDLE,
    ) -> None:
        self.render = render
        #: turns the scorer's changes into what a topic may show (public names on boards)
        self.present = present or (lambda topic, events: events)
        self.clock = clock
        self.sleep = sleep
        self.interval = 1.0 / frames_per_second
        self.busy_share = busy_share
        self.send_timeout = send_timeout
        self.heartbeat = heartbeat
        self.keep_idle = keep_idle
        self.version = secrets.token_hex(4)
        self.topics: dict[str, Topic] = {}
        self.changed = asyncio.Event()
        self.frames_sent = 0
        self.clients_dropped = 0
        self.clients: set[Client] = set()
        #: connections admitted per token (see ``admit``)
        self.admitted: dict[str, int] = {}
        #: the first seq of a topic made anew: above every seq a freed topic reached,
        #: so that a screen holding an old seq gets a snapshot, not a resume
        self.first_seq = 0
        #: whether the first screen's connection said how frames reach screens
        self.writes_reported = False

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
            events = [c for c in changes if topics.concerns(topic.key, c)]
            topic.pending_events += events
            if events or topics.touched(topic.key, agents):
                topic.dirty = True
        self.changed.set()

    # Sending -----------------------------------------------------------------
    async def run(self) -> None:
        """Send dirty topics (at once if idle, else when their interval has passed),
        and keep quiet connections alive; until cancelled."""
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            while True:
                await self.changed.wait()
                self.changed.clear()
                await self.drain()
        finally:
            heartbeat.cancel()

    async def drain(self) -> None:
        """Send every dirty topic, each when it is due (sleeping with ``sleep`` until
        then), and return once nothing is left to send."""
        while True:
            started = self.clock()
            wait = self.send_due()
            # All topics together, not each on its own, keep to the busy share:
            # hundreds of agents' topics must not crowd out ingest and the fold.
            spent = self.clock() - started
            rest = spent * (1 - self.busy_share) / self.busy_share
            if wait is None:
                if rest > 0:
                    await self.sleep(rest)
                return
            await self.sleep(max(wait, rest))

    def send_due(self) -> float | None:
        """One round: publish every dirty topic whose interval has passed. Returns the
        seconds until the next dirty topic is due, or None when none is waiting."""
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
        return wait

    async def _heartbeat(self) -> None:
        while True:
            await self.sleep(self.heartbeat / 2)
            self.beat()

    def beat(self) -> None:
        """One heartbeat tick, every half beat: a ping to each connection that got
        nothing since the last tick, so no screen goes a beat without a frame; and
        topics nobody has watched for ``keep_idle`` seconds are freed."""
        for client in list(self.clients):
            if client.quiet:
                client.push(PING)
            client.quiet = True
        self.free_idle()

    def free_idle(self) -> None:
        now = self.clock()
        for name, topic in list(self.topics.items()):
            if topic.idle_since is not None and now - topic.idle_since >= self.keep_idle:
                self.first_seq = max(self.first_seq, topic.seq + 1)
                del self.topics[name]

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
    def admit(self, token: TokenRecord, limit: int) -> bool:
        """Count a connection of ``token`` unless it holds ``limit`` already (0: no
        limit); each admitted connection is ``release``d when it ends. Done before the
        handshake's await, so that a burst of connections cannot all slip past it."""
        key = _holder(token)
        held = self.admitted.get(key, 0)
        if limit and held >= limit:
            return False
        self.admitted[key] = held + 1
        return True

    def release(self, token: TokenRecord) -> None:
        key = _holder(token)
        held = self.admitted.get(key, 0) - 1
        if held > 0:
            self.admitted[key] = held
        else:
            self.admitted.pop(key, None)

    def connect(self, websocket: WebSocket, token: TokenRecord) -> Client:
        wire = Wire.of(websocket.scope.get(RAW_SEND))
        if not self.writes_reported:
            # Known only once a server has handed over a connection: said once.
            report_writes(wire is not None)
            self.writes_reported = True
        client = Client(websocket, token, self, wire)
        self.clients.add(client)
        return client

    def disconnect(self, client: Client) -> None:
        client.close()
        self.unsubscribe(client)
        self.clients.discard(client)

    def subscribe(self, client: Client, name: str, since: Any) -> None:
        topic = self.topics.get(name)
        if topic is None:
            topic = self.topics[name] = Topic(name, self.version, self.first_seq)
            topic.state = self.render(name)
            topic.dirty = False
        elif topic.dirty:
            self.publish(topic)
        topic.idle_since = None
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
        # A topic nobody watches stays ``keep_idle`` seconds, so that a screen that
        # comes back can resume from its last frame; ``beat`` frees it after that.
        for name in client.topics:
            topic = self.topics.get(name)
            if topic is not None:
                topic.clients.discard(client)
                if not topic.clients:
                    topic.idle_since = self.clock()
        client.topics.clear()

    def clients_by_role(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for client in self.clients:
            counts[client.token.role] = counts.get(client.token.role, 0) + 1
        return counts


def _holder(token: TokenRecord) -> str:
    """Whose connection it is: the token, or the manager's name for a session."""
    return token.hash or f"session:{token.label}"
