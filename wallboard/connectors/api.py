"""The console's connector endpoints (manager): create or replace, list, read,
dead letters, replay, and a mapping's test against what came in.

Answers are whole for the console: the mapping, the latest payloads with their
state, the dead letters with their reasons, and counts. A secret is answered
once, when the product made it, and never again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring.log import format_ts

from ..errors import ApiError
from ..identity import require
from ..ingest import parse_json, read_body
from ..services import Services, services
from ..store import InboxEntry
from .intake import deliver, events_of
from .mapping import CompiledMapping, MappingFailed, MappingInvalid, compile_mapping
from .model import Connector, build, find
from .presets import PRESETS

#: payloads shown with a connector, and the most a test maps
LATEST = 20
MAX_TEST = 100
#: payloads read at a time by a replay
PAGE = 200


def _payload(entry: InboxEntry, dead: dict[int, str] | None = None) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "seq": entry.seq,
        "received": entry.received,
        "content_type": entry.content_type,
        "body": entry.body.decode("utf-8", "replace"),
    }
    if dead is not None:
        shown["dead_letter"] = dead.get(entry.seq)
    return shown


async def _summary(app: Services, connector: Connector) -> dict[str, Any]:
    dead = await app.store.dead_letters(connector.name)
    newest = await app.store.latest_payloads(connector.name, 1)
    return {
        **connector.public(),
        "counts": {
            "payloads": await app.store.payload_count(connector.name),
            "dead_letters": len(dead),
        },
        "last_payload": newest[-1].received if newest else None,
    }


async def list_connectors(request: Request) -> JSONResponse:
    await require(request, ("manager",))
    app = services(request)
    found = []
    for name in await app.store.connector_names():
        connector = await find(app.store, name)
        summary = await _summary(app, connector)
        del summary["mapping"]
        found.append(summary)
    return JSONResponse({"connectors": found, "presets": sorted(PRESETS)})


async def save_connector(request: Request) -> JSONResponse:
    manager = await require(request, ("manager",))
    app = services(request)
    body = parse_json(await read_body(request))
    name = body.get("connector") if isinstance(body, dict) else None
    raw = await app.store.get_connector(name) if isinstance(name, str) else None
    existing = Connector.load(raw) if raw is not None else None
    connector, secret = build(body, existing, format_ts(app.clock()), manager.label)
    await app.store.put_connector(connector.name, connector.dump())
    answer = {**await _summary(app, connector), "created": existing is None}
    if secret is not None:
        answer["secret"] = secret  # shown this once
    return JSONResponse(answer, status_code=201 if existing is None else 200)


async def read_connector(request: Request) -> JSONResponse:
    await require(request, ("manager",))
    app = services(request)
    connector = await find(app.store, request.path_params["connector"])
    dead = await app.store.dead_letters(connector.name)
    latest = await app.store.latest_payloads(connector.name, LATEST)
    return JSONResponse(
        {
            **await _summary(app, connector),
            "latest": [_payload(entry, dead) for entry in reversed(latest)],
        }
    )


async def dead_letters(request: Request) -> JSONResponse:
    await require(request, ("manager",))
    app = services(request)
    connector = await find(app.store, request.path_params["connector"])
    dead = await app.store.dead_letters(connector.name)
    entries = [e async for e in _entries(app, connector.name, dead)]
    return JSONResponse(
        {
            "connector": connector.name,
            "count": len(dead),
            "dead_letters": [{**_payload(entry), "reason": dead[entry.seq]} for entry in entries],
        }
    )


async def _entries(
    app: Services, name: str, only: dict[int, str] | None
) -> AsyncIterator[InboxEntry]:
    """The connector's payloads, oldest first, a page at a time (an inbox may hold
    more than a process wants in memory at once); with ``only``, just those
    numbered in it."""
    if only is not None:
        for seq in only:
            for entry in await app.store.payloads(name, seq - 1, 1):
                yield entry
        return
    after = 0
    while page := await app.store.payloads(name, after, PAGE):
        for entry in page:
            yield entry
        after = page[-1].seq


def _options(raw: bytes, allowed: set[str]) -> dict[str, Any]:
    """An optional JSON object's fields: none for an empty body."""
    if not raw.strip():
        return {}
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise ApiError(422, "expected a JSON object")
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ApiError(
            422, f"{unknown[0][:64]}: unknown field; expected {', '.join(sorted(allowed))}"
        )
    return body


async def replay(request: Request) -> JSONResponse:
    await require(request, ("manager",))
    app = services(request)
    connector = await find(app.store, request.path_params["connector"])
    raw = await read_body(request)
    options = _options(raw, {"all"})
    every = options.get("all", False)
    if not isinstance(every, bool):
        raise ApiError(422, "all: expected true (every payload received) or false (dead letters)")
    mapping = connector.compiled()
    dead = await app.store.dead_letters(connector.name)
    totals = {"replayed": 0, "accepted": 0, "duplicates": 0, "failed": 0}
    async for entry in _entries(app, connector.name, None if every else dead):
        outcome = await deliver(app, connector, mapping, entry, was_dead=entry.seq in dead)
        totals["replayed"] += 1
        totals["accepted"] += outcome.accepted
        totals["duplicates"] += outcome.duplicates
        totals["failed"] += outcome.failed is not None
    left = len(await app.store.dead_letters(connector.name))
    return JSONResponse({"connector": connector.name, **totals, "dead_letters": left})


async def try_mapping(request: Request) -> JSONResponse:
    await require(request, ("manager",))
    app = services(request)
    connector = await find(app.store, request.path_params["connector"])
    raw = await read_body(request)
    options = _options(raw, {"mapping", "last"})
    last = options.get("last", 10)
    if type(last) is not int or not 1 <= last <= MAX_TEST:
        raise ApiError(422, f"last: expected a whole number of payloads, 1 to {MAX_TEST}")
    mapping: CompiledMapping
    try:
        mapping = (
            compile_mapping(options["mapping"]) if "mapping" in options else connector.compiled()
        )
    except MappingInvalid as invalid:
        raise ApiError(422, f"{invalid.where}: {invalid.problem}", field=invalid.where) from None
    results = []
    for entry in reversed(await app.store.latest_payloads(connector.name, last)):
        try:
            events, error = events_of(mapping, entry, app), None
        except MappingFailed as failed:
            events, error = [], str(failed)
        results.append(
            {"seq": entry.seq, "received": entry.received, "events": events, "error": error}
        )
    return JSONResponse({"connector": connector.name, "stored": False, "results": results})
