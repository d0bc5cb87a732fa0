"""``POST /api/experiments`` (a manager sets one up), ``GET /api/experiments``,
``GET /api/experiments/{id}`` (its report), ``GET /api/experiments/{id}/csv``
and ``GET /api/experiments/power`` (the estimate the console shows before a launch).

Set up like a tombola: the service fixes a secret seed, keeps it in the
store's metadata, and publishes its SHA-256 in the ``experiment`` event; the
assignment and the seed follow when the log's clock reaches ``starts`` and
``ends`` (``lifecycle.py``).
"""

from __future__ import annotations

import asyncio
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from scoring.experiments.assignment import seed_hash
from scoring.experiments.contract import METRICS, UNITS
from scoring.experiments.record import Experiment
from scoring.log import format_ts

from ..api import answer
from ..errors import ApiError
from ..identity import require
from ..ingest import check_batch, parse_json, read_body, to_records
from ..services import services
from ..tokens import MANAGER_SOURCE
from . import planning, report
from .lifecycle import SEED_PREFIX

MANAGER = frozenset({"manager"})


def new_seed() -> bytes:
    """A secret seed for an assignment (a test fixes it to replay one)."""
    return secrets.token_bytes(32)


async def set_up(request: Request) -> JSONResponse:
    """The body is an ``experiment`` event without ``seed_hash`` (``id`` and ``ts``
    may be left out). The seed is stored before the event is appended: if the
    append fails, an unused seed is all that remains."""
    manager = await require(request, MANAGER)
    body = parse_json(await read_body(request))
    if not isinstance(body, dict):
        raise ApiError(422, "expected a JSON object")
    if "seed_hash" in body:
        raise ApiError(422, "seed_hash: the service fixes the seed and writes its hash")
    seed = new_seed()
    app = services(request)
    now = format_ts(app.clock())
    event = {"ts": now, **body, "type": "experiment", "seed_hash": seed_hash(seed)}
    event.setdefault("id", f"experiment-{event.get('experiment', '')}")
    [clean] = check_batch(event, None)
    if clean["experiment"] in app.engine.scorer.state.timeline.experiments:
        raise ApiError(409, f"experiment {clean['experiment']!r} exists already")
    await app.store.put_meta(SEED_PREFIX + clean["experiment"], seed)
    [stored] = await app.store.append(to_records([clean], MANAGER_SOURCE, now, manager.label))
    if not stored:
        raise ApiError(409, f"an event with id {clean['id']!r} exists already")
    answer = {"experiment": clean["experiment"], "seed_hash": clean["seed_hash"]}
    return JSONResponse(answer, status_code=201)


async def listing(request: Request) -> JSONResponse:
    await require(request, MANAGER)
    engine = services(request).engine
    scorer = engine.scorer
    found = [
        report.summary(scorer, experiment)
        for experiment in scorer.state.timeline.experiments.values()
    ]
    return answer(engine, {"experiments": found})


def _experiment(request: Request) -> Experiment:
    scorer = services(request).engine.scorer
    found = scorer.state.timeline.experiments.get(request.path_params["experiment"])
    if found is None:
        raise ApiError(404, f"no experiment {request.path_params['experiment']!r}")
    return found


async def one(request: Request) -> JSONResponse:
    await require(request, MANAGER)
    engine = services(request).engine
    return answer(engine, await report.report(engine.scorer, _experiment(request)))


async def csv_export(request: Request) -> Response:
    await require(request, MANAGER)
    engine = services(request).engine
    experiment = _experiment(request)
    tables = report.tables_of(engine.scorer, experiment)
    clustered = experiment.event["unit"] != "agent"
    text = await asyncio.to_thread(report.export, tables, experiment.arms, clustered)
    name = f"experiment-{experiment.id}.csv".replace('"', "")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def power(request: Request) -> JSONResponse:
    """``?unit=agent&metric=sales_per_agent_day&arms=2&weeks=4``: the estimate for a
    draft, from the weeks before the log's clock."""
    await require(request, MANAGER)
    query = request.query_params
    unit, metric = query.get("unit", "agent"), query.get("metric", "sales_per_agent_day")
    if unit not in UNITS:
        raise ApiError(422, f"unit: expected one of {', '.join(UNITS)}, got {unit!r}")
    if metric not in METRICS:
        raise ApiError(422, f"metric: expected one of {', '.join(METRICS)}, got {metric!r}")
    arms = _number(query.get("arms", "2"), "arms", 2, 6)
    weeks = _number(query.get("weeks", "4"), "weeks", 1, 52)
    engine = services(request).engine
    scorer = engine.scorer
    today = scorer.state.timeline.calendar_at(scorer.clock).day(scorer.clock)
    estimate = await planning.plan(scorer, unit, metric, int(arms), weeks, today)
    return answer(engine, {"power": estimate})


def _number(text: str, name: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ApiError(
            422, f"{name}: expected a number {low:g} to {high:g}, got {text!r}"
        ) from None
    if not low <= value <= high:
        raise ApiError(422, f"{name}: expected a number {low:g} to {high:g}, got {text!r}")
    return value
