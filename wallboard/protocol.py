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

Who may subscribe to which topic is ``topics.allowed()``; the README's "Who may
do what" table states it, and tests/test_roles.py holds the two together.

Updates are coalesced (at most ``FRAMES_PER_SECOND`` frames a second a topic,
fewer when frames take more than ``BUSY_SHARE`` of the core: see
:mod:`wallboard.publisher`). A connection that cannot take a frame gets a small
queue where the newest frames win; one that takes nothing for ``SEND_TIMEOUT``
seconds is dropped (close code 4408) and resyncs when it reconnects (see
:mod:`wallboard.clients`). No connection goes ``HEARTBEAT`` seconds without a
frame (a quiet one gets a ``ping``), so that screens notice a dead connection.
"""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from . import topics
from .clients import CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, Client
from .identity import READERS, identify
from .publisher import Publisher
from .security import same_origin
from .services import services
from .wire import Frame

#: topics one subscribe message may name; the rest are ignored
MAX_TOPICS = 16


async def endpoint(websocket: WebSocket) -> None:
    publisher = services(websocket).publisher
    if not same_origin(websocket.headers):
        await websocket.close(code=CLOSE_FORBIDDEN, reason="cross-origin connection refused")
        return
    # The console's socket comes with the manager's session cookie; the Origin check
    # above keeps other sites from riding on it.
    token = await identify(websocket)
    if token is None or token.role not in READERS:
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
                client.push(error("expected a JSON message"))
                continue
            if not isinstance(message, dict) or message.get("type") != "subscribe":
                if isinstance(message, dict) and message.get("type") == "pong":
                    continue
                client.push(error('expected {"type": "subscribe", "topics": [...]}'))
                continue
            names = message.get("topics")
            since = message.get("since") or {}
            if not isinstance(names, list) or not all(isinstance(t, str) for t in names):
                client.push(error("expected topics as a list of strings"))
                continue
            for name in names[:MAX_TOPICS]:
                if topics.allowed(client.token, name):
                    publisher.subscribe(
                        client, name, since.get(name) if isinstance(since, dict) else None
                    )
                else:
                    client.push(
                        error(
                            f"a {client.token.role} token may not subscribe to {name!r}", topic=name
                        )
                    )


def error(message: str, **extra: Any) -> Frame:
    """An error frame: the client is told what was expected, and stays connected."""
    return Frame.of({"type": "error", "error": message, **extra})
