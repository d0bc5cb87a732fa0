"""What the web process pushes to screens, and the ``/ws`` endpoint that does it.

For now screens follow the stream of stored events on the ``events`` topic;
the scorer's state topics build on the same hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from .hub import LocalHub
from .store import EventLog, StoreUnavailable
from .tokens import authenticate

log = logging.getLogger(__name__)
RECENT = 20
#: Which roles may follow the raw event stream.
EVENT_READERS = frozenset({"display", "manager"})


def summary(data: bytes) -> dict[str, Any]:
    """The fields of an event a screen may show (no customer references)."""
    event = orjson.loads(data)
    keep = (
        "id",
        "type",
        "ts",
        "agent",
        "product",
        "revenue",
        "currency",
        "channel",
        "sale",
        "name",
        "site",
        "team",
    )
    return {name: event[name] for name in keep if name in event}


class Live:
    def __init__(self, store: EventLog, hub: LocalHub) -> None:
        self.store = store
        self.hub = hub

    async def events_stored(self, events: list[bytes]) -> None:
        message = orjson.dumps({"kind": "events", "events": [summary(e) for e in events[-RECENT:]]})
        try:
            await self.hub.publish("events", message)
        except StoreUnavailable as exc:
            # The events are stored; screens catch up from the log on reconnect.
            log.warning("could not publish to screens: %s", exc)

    async def recent(self) -> list[dict[str, Any]]:
        last = await self.store.last_offset()
        entries = await self.store.read(max(0, last - RECENT), RECENT)
        return [summary(entry.data) for entry in entries]


async def websocket_endpoint(websocket: WebSocket) -> None:
    live: Live = websocket.app.state.live
    token = websocket.query_params.get("token") or websocket.cookies.get("wallboard_token")
    record = await authenticate(live.store, token)
    if record is None or record.role not in EVENT_READERS:
        await websocket.close(code=4401, reason="a display or manager token is needed")
        return
    await websocket.accept()
    with live.hub.subscribe(["events"]) as subscription:
        snapshot = {"kind": "snapshot", "events": await live.recent()}
        await websocket.send_text(orjson.dumps(snapshot).decode())

        async def pump() -> None:
            async for _topic, message in subscription:
                await websocket.send_text(message.decode())

        sender = asyncio.create_task(pump())
        try:
            # Reading is how a closed connection is noticed while nothing is sent.
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            pass
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await sender
