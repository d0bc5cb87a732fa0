"""The audit log and the integrations' traffic, apart: both read from the log.

Everything a manager changes is an event in the log (written with ``"by"``,
their name), so the log is the audit log. ``GET /api/manage/audit`` lists the
actions (see :mod:`wallboard.audit_index` for which types those are), newest
first, by page; ``GET /api/manage/traffic`` counts what the integrations sent,
per local day, source and type, and shows the latest of it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring import views
from scoring.events import ENVELOPE

from .audit_index import ACTION_TYPES, LATEST, SLOT, TRAFFIC_TYPES, Action, AuditIndex, Traffic
from .identity import require
from .labels import Labels
from .query import MOST, local_day_start, number, one, window, words
from .services import services

MANAGER = frozenset({"manager"})
#: days of traffic shown when the request names no window
TRAFFIC_DAYS = 14


async def _caught_up(request: Request) -> AuditIndex:
    """The index, with what the log holds now (asked for once the parameters hold)."""
    app = services(request)
    await app.audit.catch_up(app.store)
    return app.audit


async def audit(request: Request) -> JSONResponse:
    """Manager actions, newest first, ``limit`` at a time; ``next_before`` asks for
    the page after. Filters: ``actor``, ``type``, ``since``, ``until``."""
    await require(request, MANAGER)
    labels = Labels(services(request).engine.scorer)
    actor = one(request, "actor") or None
    types = words(request, "type", ACTION_TYPES)
    since, until = window(request, labels.scorer)
    limit = number(request, "limit", 50, 1, 500) or 50
    before = number(request, "before", None, 1, MOST)
    index = await _caught_up(request)
    page: list[Action] = []
    more = False
    for action in index.newest_first(before):
        if (
            (actor is not None and action.actor != actor)
            or (types is not None and action.type not in types)
            or (since is not None and action.received < since)
            or (until is not None and action.received >= until)
        ):
            continue
        if len(page) == limit:
            more = True
            break
        page.append(action)
    return JSONResponse(
        {
            "actions": [_shown(action.offset, action.data, labels) for action in page],
            "next_before": page[-1].offset if more else None,
            "timezone": labels.timezone,
            "types": sorted(ACTION_TYPES),
            "actors": sorted({action.actor for action in index.actions}),
            "offset": index.offset,
        }
    )


async def traffic(request: Request) -> JSONResponse:
    """Events from integrations per local day, source and type (newest day first),
    their totals, and the latest ones. Filters: ``source``, ``type``, ``since``,
    ``until`` (by default the last 14 days of the log's clock)."""
    await require(request, MANAGER)
    scorer = services(request).engine.scorer
    labels = Labels(scorer)
    source = one(request, "source") or None
    types = words(request, "type", TRAFFIC_TYPES)
    since, until = window(request, scorer)
    if since is None and until is None:
        today = date.fromisoformat(views.today(scorer))
        since = local_day_start(scorer, today - timedelta(days=TRAFFIC_DAYS - 1))
    latest = number(request, "latest", 20, 0, LATEST)
    index = await _caught_up(request)
    days: dict[tuple[str, str, str], int] = {}
    totals: dict[tuple[str, str], int] = {}
    timeline = scorer.state.timeline
    for (slot, from_source, kind), count in index.traffic.items():
        start = slot * SLOT
        if (
            (source is not None and from_source != source)
            or (types is not None and kind not in types)
            or (since is not None and start < since)
            or (until is not None and start >= until)
        ):
            continue
        day = timeline.calendar_at(start).day(start)
        days[day, from_source, kind] = days.get((day, from_source, kind), 0) + count
        totals[from_source, kind] = totals.get((from_source, kind), 0) + count
    recent: list[Traffic] = []
    for entry in reversed(index.latest):
        if len(recent) == latest:
            break
        event = orjson.loads(entry.data)
        if (source is None or event.get("source") == source) and (
            types is None or event["type"] in types
        ):
            recent.append(entry)
    return JSONResponse(
        {
            "days": [
                {"day": day, "source": from_source, "type": kind, "count": count}
                for (day, from_source, kind), count in sorted(
                    days.items(), key=lambda item: (_reverse(item[0][0]), item[0][1:])
                )
            ],
            "totals": [
                {"source": from_source, "type": kind, "count": count}
                for (from_source, kind), count in sorted(totals.items())
            ],
            "latest": [_shown(entry.offset, entry.data, labels) for entry in recent],
            "timezone": labels.timezone,
            "sources": sorted({key[1] for key in index.traffic}),
            "offset": index.offset,
        }
    )


def _reverse(day: str) -> tuple[int, ...]:
    """A sort key that puts later days first."""
    return tuple(-int(part) for part in day.split("-"))


def _shown(offset: int, data: bytes, labels: Labels) -> dict[str, Any]:
    """A stored event as the console lists it: who, when (as the log writes it and
    in local time), what it refers to by name, and its own fields."""
    event = orjson.loads(data)
    return {
        "offset": offset,
        "id": event["id"],
        "type": event["type"],
        "by": event.get("by", ""),
        "source": event.get("source", ""),
        "ts": event["ts"],
        "received": event["received"],
        "received_local": labels.local_text(event["received"]),
        "names": labels.of(event),
        "fields": {k: v for k, v in event.items() if k not in ENVELOPE and k != "by"},
    }
