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
A topic must also exist (``topics.missing()``: a site or an agent the roster
names, a season the league has); a connection holds at most ``MAX_TOPICS``
topics, and a token at most ``WALLBOARD_CONNECTIONS_PER_TOKEN`` connections a
process (more are closed with 4429). Messages are text of at most
``MAX_MESSAGE`` bytes: a binary one closes the connection with 1003, invalid
UTF-8 with 1007, a longer one with 1009.

Updates are coalesced (at most ``FRAMES_PER_SECOND`` frames a second a topic,
fewer when frames take more than ``BUSY_SHARE`` of the core: see
:mod:`wallboard.publisher`). A connection that cannot take a frame gets a small
queue where the newest frames win; one that takes nothing for ``SEND_TIMEOUT``
seconds is dropped (close code 4408) and resyncs when it reconnects (see
:mod:`wallboard.clients`). No connection goes ``HEARTBEAT`` seconds without a
frame (a quiet one gets a ``ping``), so that screens notice a dead connection.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from starlette.websockets import WebSocket

from . import topics
from .clients import CLOSE_FORBIDDEN, CLOSE_TOO_MANY, CLOSE_UNAUTHORIZED, Client
from .identity import READERS, identify
from .publisher import Publisher
from .security import same_origin
from .services import services
from .wire import Frame

log = logging.getLogger(__name__)

#: topics one connection may hold; a subscribe message naming more is cut there
MAX_TOPICS = 16
#: the largest message a client may send: a subscribe message is a few hundred bytes
MAX_MESSAGE = 64 * 1024
#: RFC 6455: the endpoint received a type of data it cannot accept
CLOSE_UNSUPPORTED_DATA = 1003
#: longest topic name an error frame repeats
SHOWN_NAME = 100


async def endpoint(websocket: WebSocket) -> None:
    app = services(websocket)
    publisher = app.publisher
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
    limit = app.settings.connections_per_token
    if not publisher.admit(token, limit):
        log.debug("refused a %s connection: its token holds %d already", token.role, limit)
        await websocket.accept()
        await websocket.close(
            code=CLOSE_TOO_MANY, reason=f"this token holds {limit} connections already"
        )
        return
    try:
        await websocket.accept()
        client = publisher.connect(websocket, token)
        # One coroutine a screen, this one, which reads; writes need no task of their own.
        try:
            await _receive(websocket, publisher, client)
        finally:
            publisher.disconnect(client)
    finally:
        publisher.release(token)


async def _receive(websocket: WebSocket, publisher: Publisher, client: Client) -> None:
    while True:
        received = await websocket.receive()
        if received["type"] == "websocket.disconnect":
            return
        raw = received.get("text")
        if raw is None:
            # A client's mistake, not the server's: a close code says so, the log
            # says it at debug level.
            log.debug("closing a %s connection that sent a binary message", client.token.role)
            await websocket.close(
                code=CLOSE_UNSUPPORTED_DATA, reason="expected JSON messages as text"
            )
            return
        _handle(publisher, client, raw)


def _handle(publisher: Publisher, client: Client, raw: str) -> None:
    try:
        message = orjson.loads(raw)
    except orjson.JSONDecodeError:
        client.push(error("expected a JSON message"))
        return
    if not isinstance(message, dict) or message.get("type") != "subscribe":
        if not (isinstance(message, dict) and message.get("type") == "pong"):
            client.push(error('expected {"type": "subscribe", "topics": [...]}'))
        return
    names = message.get("topics")
    since = message.get("since")
    if not isinstance(names, list) or not all(isinstance(t, str) for t in names):
        client.push(error("expected topics as a list of strings"))
        return
    since = since if isinstance(since, dict) else {}
    for name in names[:MAX_TOPICS]:
        refusal = _refusal(client, name)
        if refusal is None:
            publisher.subscribe(client, name, since.get(name))
        else:
            client.push(error(refusal, topic=_shown(name)))


def _refusal(client: Client, name: str) -> str | None:
    """Why ``client`` may not subscribe to ``name``, or None if it may."""
    token = client.token
    if not topics.allowed(token, name):
        return f"a {token.role} token may not subscribe to {_shown(name)!r}"
    scorer = services(client.websocket).engine.scorer
    missing = topics.missing(scorer, token, topics.parse(name))
    if missing is not None:
        return f"no topic {_shown(name)!r}: {missing}"
    if name not in client.topics and len(client.topics) >= MAX_TOPICS:
        return f"a connection may hold at most {MAX_TOPICS} topics"
    return None


def _shown(name: str) -> str:
    return name if len(name) <= SHOWN_NAME else name[:SHOWN_NAME] + "..."


def error(message: str, **extra: Any) -> Frame:
    """An error frame: the client is told what was expected, and stays connected."""
    return Frame.of({"type": "error", "error": message, **extra})
