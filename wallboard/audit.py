"""The audit log: what managers did, read from the log itself.

Everything a manager changes is an event in the log (written with ``"by"``,
their name), so the log is the audit log.
"""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse

from .identity import require
from .services import services

MANAGER = frozenset({"manager"})


async def audit(request: Request) -> JSONResponse:
    """The latest manager actions, newest first, read from the log itself."""
    await require(request, MANAGER)
    store = services(request).store
    last = await store.last_offset()
    entries = await store.read(max(0, last - 5000), 5000)
    actions = []
    for entry in reversed(entries):
        event = orjson.loads(entry.data)
        if event.get("source") == "manage" and event.get("type") != "tick":
            actions.append(
                {
                    "offset": entry.offset,
                    "received": event["received"],
                    "by": event.get("by", ""),
                    "type": event["type"],
                    "id": event["id"],
                }
            )
        if len(actions) >= 100:
            break
    return JSONResponse({"actions": actions})
