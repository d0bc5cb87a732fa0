"""``POST /api/whatif``: what a draft would have paid over the last days of the log.

The body names the draft's events as a manager would post them, how many days
to replay (28 by default) and when the draft is posted (``from``, by default
the window's start). The answer comes when the replay is done (a few seconds:
the console shows a bar meanwhile); what it does is ``whatif_runs.py``'s.
"""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring.events import MANAGER_TYPES
from scoring.log import epoch_ts, records
from scoring.validators import Problem, integer, timestamp

from .errors import ApiError
from .identity import require
from .ingest import check_batch, parse_json, read_body
from .services import services
from .tokens import MANAGER_SOURCE
from .whatif_runs import Draft, OutsideWindow, epoch

MANAGER = frozenset({"manager"})
#: what-ifs a process runs one after the other; more waiting are refused (429)
MAX_WAITING = 4
MAX_DRAFT = 100
DAYS = integer(1, 366)
DEFAULT_DAYS = 28


async def whatif(request: Request) -> JSONResponse:
    manager = await require(request, MANAGER)
    body = parse_json(await read_body(request))
    if not isinstance(body, dict) or not set(body) <= {"events", "days", "from"}:
        raise ApiError(422, "expected an object with events, and optional days and from")
    days, at = _days(body.get("days")), _from(body.get("from"))
    app = services(request)
    live = app.engine.scorer
    if live.offset == 0:
        raise ApiError(422, "the log is empty: there is nothing to replay")
    # Checked now, dated when the run knows the window: a bad draft never waits.
    draft = drafted(body.get("events"), manager.label)
    draft(epoch_ts(at if at is not None else live.clock))
    runs = app.whatifs
    if runs.waiting >= MAX_WAITING:
        raise ApiError(
            429,
            "what-ifs run one after the other and several are waiting; retry in a few seconds",
            headers={"Retry-After": "5"},
        )
    runs.waiting += 1
    try:
        async with runs.running:
            answer = await runs.run(app.store, app.engine.scorer, days, at, draft)
    except OutsideWindow as exc:
        raise ApiError(422, f"from: {exc}") from None
    except BrokenProcessPool:
        runs.forget_pool()
        raise ApiError(503, "the what-if's process stopped; try again") from None
    finally:
        runs.waiting -= 1
    return JSONResponse(answer)


def _days(value: Any) -> int:
    try:
        return DEFAULT_DAYS if value is None else int(DAYS.check(value))
    except Problem as problem:
        raise ApiError(422, f"days: {problem}") from None


def _from(value: Any) -> float | None:
    try:
        return None if value is None else epoch(timestamp().check(value))
    except Problem as problem:
        raise ApiError(422, f"from: {problem}") from None


def drafted(events: Any, by: str) -> Draft:
    """The draft as the log would hold it posted by ``by`` at a given time: each
    event checked as ``POST /api/events`` checks a manager's, and dated then unless
    it gives its own ``ts`` (as one dated back would be)."""
    if not isinstance(events, list) or not 1 <= len(events) <= MAX_DRAFT:
        raise ApiError(422, f"expected events: a list of 1 to {MAX_DRAFT} events")

    def posted(received: str) -> list[dict[str, Any]]:
        raw = [
            {"id": f"whatif-{n}", "ts": received, **event} if isinstance(event, dict) else event
            for n, event in enumerate(events, start=1)
        ]
        try:
            clean = check_batch(raw, MANAGER_TYPES)
        except ApiError as error:
            message = f"the draft is invalid: {error.message}"
            raise ApiError(422, message, **error.details) from None
        return [orjson.loads(data) for _, data in records(clean, MANAGER_SOURCE, received, by)]

    return posted
