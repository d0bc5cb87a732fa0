"""The roster in the console: the sites with their head counts, and a CSV import."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring import views
from scoring.events import InvalidEvent, validate
from scoring.log import format_ts

from .api import append
from .errors import ApiError
from .identity import require
from .ingest import read_body
from .services import services

MANAGER = frozenset({"manager"})


async def roster(request: Request) -> JSONResponse:
    """Sites with today's head count, for the season form."""
    await require(request, MANAGER)
    scorer = services(request).engine.scorer
    today = views.today(scorer)
    heads: dict[str, int] = {}
    for agent in scorer.state.agents.values():
        if agent.active:
            site = agent.placement(today)[1]
            heads[site] = heads.get(site, 0) + 1
    return JSONResponse(
        {
            "sites": [
                {
                    "site": site,
                    "name": info.get("name", site),
                    "short_name": info.get("short_name"),
                    "colour": info.get("colour"),
                    "heads": heads.get(site, 0),
                }
                for site, info in sorted(scorer.state.sites.items())
            ]
        }
    )


async def import_roster(request: Request) -> JSONResponse:
    """CSV ``agent,name,team,site[,public_name]`` with a header line: a preview with
    an error per bad line, or with ``?commit=1`` the agent events, all or none."""
    token = await require(request, MANAGER)
    text = (await read_body(request)).decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        # "new-line character seen in unquoted field - do you need to open ...": the
        # advice after the dash is for Python programmers, not for the manager.
        problem = str(exc).split(" - ")[0]
        raise ApiError(422, f"line {reader.line_num} is not valid CSV: {problem}") from None
    if not rows or [c.strip().lower() for c in rows[0][:4]] != ["agent", "name", "team", "site"]:
        raise ApiError(422, "expected a header line: agent,name,team,site[,public_name]")
    now = format_ts(datetime.now(UTC))
    events: list[dict[str, Any]] = []
    errors = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        event: dict[str, Any] = dict(zip(("agent", "name", "team", "site"), cells, strict=False))
        event["type"] = "agent"
        if len(cells) > 4 and cells[4]:
            event["public_name"] = cells[4]
        try:
            validate({**event, "id": "check", "ts": now})
        except InvalidEvent as invalid:
            errors.append({"line": number, "error": str(invalid)})
            continue
        events.append(event)
    if errors or request.query_params.get("commit") != "1":
        return JSONResponse(
            {"agents": events, "errors": errors, "committed": False},
            status_code=422 if errors else 200,
        )
    await append(request, events, "manage", by=token.label)
    return JSONResponse({"agents": events, "errors": [], "committed": True}, status_code=201)
