"""The read API over the scorer's state, and the manager's tombola endpoint.

Who may read what is in the README's "Who may do what" table, which
tests/test_roles.py walks for every role.

A display or agent token reads what a public board shows (:mod:`wallboard.public`);
a manager reads everything. Every answer carries ``offset``: the log position the
state has folded up to.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from leagues import views as league_views
from leagues.season import Season
from scoring import reward_views, views
from scoring.draw import seed_hash
from scoring.log import AGENT_SOURCE, format_ts
from scoring.scorer import Scorer

from . import public
from .engine import SEED_PREFIX, Engine
from .errors import ApiError
from .identity import READERS, require
from .ingest import check_batch, parse_json, read_body, to_records
from .labels import Labels
from .services import services
from .store import TokenRecord
from .tokens import MANAGER_SOURCE


def answer(engine: Engine, body: dict[str, Any]) -> JSONResponse:
    return JSONResponse({**body, "offset": engine.scorer.offset})


async def agent(request: Request) -> JSONResponse:
    agent_id = request.path_params["agent"]
    token = await require(request, frozenset({"agent", "manager"}))
    if token.role == "agent" and token.agent != agent_id:
        raise ApiError(403, "an agent token reads its own agent only")
    engine = services(request).engine
    return answer(engine, views.agent_view(engine.scorer, agent_id))


#: the most history a wallet answer holds, and how much without ``limit``
MAX_HISTORY, HISTORY = 1000, 100


async def wallet(request: Request) -> JSONResponse:
    """An agent's coins: balance, pending, reserved, redemptions and history."""
    agent_id = request.path_params["agent"]
    token = await require(request, frozenset({"agent", "manager"}))
    if token.role == "agent" and token.agent != agent_id:
        raise ApiError(403, "an agent token reads its own wallet only")
    limit = request.query_params.get("limit", str(HISTORY))
    if not (limit.isascii() and limit.isdigit() and len(limit) <= 4) or not (
        1 <= int(limit) <= MAX_HISTORY
    ):
        raise ApiError(422, f"expected limit to be 1 to {MAX_HISTORY}, got {limit[:40]!r}")
    engine = services(request).engine
    return answer(engine, reward_views.wallet_view(engine.scorer, agent_id, limit=int(limit)))


async def rewards(request: Request) -> JSONResponse:
    """The reward store; for a manager also what waits for a decision and the budgets."""
    token = await require(request, READERS)
    engine = services(request).engine
    return answer(engine, reward_views.store_view(engine.scorer, manager=token.role == "manager"))


async def leaderboard(request: Request) -> JSONResponse:
    token = await require(request, READERS)
    period = request.query_params.get("period", "day")
    by = request.query_params.get("by", "agent")
    top = request.query_params.get("top", "10")
    # isdigit() alone lets "²" through, and int() refuses 4,300 digits and more
    if not (top.isascii() and top.isdigit() and len(top) <= 3) or not 1 <= int(top) <= 100:
        raise ApiError(422, f"expected top to be 1 to 100, got {top!r}")
    engine = services(request).engine
    if token.role != "manager":
        shown = public.leaderboard(engine.scorer, period, by, int(top), _works_council(request))
        return answer(engine, shown)
    try:
        board = views.leaderboard(engine.scorer, period, by, top=int(top), public=False)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return answer(engine, board)


def _works_council(request: Request) -> bool:
    return services(request).settings.works_council


async def prizes(request: Request) -> JSONResponse:
    token = await require(request, READERS)
    engine = services(request).engine
    if token.role != "manager":
        return answer(engine, public.prizes(engine.scorer, _works_council(request)))
    return answer(engine, views.prizes_view(engine.scorer))


async def tombola(request: Request) -> JSONResponse:
    token = await require(request, READERS)
    engine = services(request).engine
    tombola_id = request.path_params["tombola"]
    if tombola_id not in engine.scorer.tombolas.book.tombolas:
        raise ApiError(404, f"no tombola {tombola_id!r}")
    if token.role != "manager":
        return answer(engine, public.tombola(engine.scorer, tombola_id, _works_council(request)))
    return answer(engine, named_tombola(engine.scorer, tombola_id))


def named_tombola(scorer: Scorer, tombola_id: str) -> dict[str, Any]:
    """A manager's view of a tombola: by ids, as a draw is verified, with the names
    of every agent and prize it mentions beside them."""
    view = views.tombola_view(scorer, tombola_id)
    labels = Labels(scorer)
    agents = sorted({*view["tickets"], *view["excluded"], *view["winners"]})
    return {
        **view,
        "names": {
            "agents": {agent: labels.agent(agent) or agent for agent in agents},
            "prizes": {prize: labels.prize(prize) or prize for prize in view["prizes"]},
        },
    }


def _season(request: Request) -> tuple[Engine, Season]:
    engine = services(request).engine
    season = engine.scorer.league.league.seasons.get(request.path_params["season"])
    if season is None:
        raise ApiError(404, f"no season {request.path_params['season']!r}")
    return engine, season


def _names(request: Request, engine: Engine, token: TokenRecord) -> Callable[[str], str]:
    """Agents by full name for managers; as a board names them for the others."""
    if token.role != "manager":
        return public.names(engine.scorer, _works_council(request))
    agents = engine.scorer.state.agents

    def name(agent_id: str) -> str:
        agent = agents.get(agent_id)
        return agent_id if agent is None else agent.name

    return name


async def seasons(request: Request) -> JSONResponse:
    await require(request, READERS)
    engine = services(request).engine
    league = engine.scorer.league.league
    return answer(
        engine, {"seasons": [league_views.season_summary(s) for s in league.seasons.values()]}
    )


async def season_table(request: Request) -> JSONResponse:
    await require(request, READERS)
    engine, season = _season(request)
    return answer(engine, {"season": season.id, "table": league_views.table_view(season)})


async def season_matches(request: Request) -> JSONResponse:
    token = await require(request, READERS)
    engine, season = _season(request)
    league, clock = engine.scorer.league.league, engine.scorer.clock
    name = _names(request, engine, token)
    return answer(
        engine,
        {
            "season": season.id,
            "matches": [
                league_views.match_view(league, match, clock, name) for match in season.matches
            ],
        },
    )


async def season_scorers(request: Request) -> JSONResponse:
    token = await require(request, READERS)
    engine, season = _season(request)
    ranked = league_views.scorers_view(
        engine.scorer.league.league, season.id, _names(request, engine, token)
    )
    if token.role != "manager":
        ranked = public.scorers(engine.scorer, ranked, _works_council(request))
    return answer(engine, {"season": season.id, "scorers": ranked})


async def append(
    request: Request, events: list[dict[str, Any]], source: str, by: str | None = None
) -> None:
    """Validate events written on a user's behalf and store them, all or nothing."""
    now = format_ts(datetime.now(UTC))
    for event in events:
        event.setdefault("ts", now)
        event.setdefault("id", f"{event['type']}-{secrets.token_hex(8)}")
    clean = check_batch(events, None)
    await services(request).store.append(to_records(clean, source, now, by))


async def my_profile(request: Request) -> JSONResponse:
    """An agent sets their public name (empty: initials) or opts out of public boards."""
    token = await require(request, frozenset({"agent"}))
    body = parse_json(await read_body(request))
    if not isinstance(body, dict) or not set(body) <= {"public_name", "opt_out"}:
        raise ApiError(422, "expected an object with public_name and/or opt_out")
    await append(request, [{"type": "profile", "agent": token.agent, **body}], AGENT_SOURCE)
    return JSONResponse({"saved": True}, status_code=202)


async def my_goal(request: Request) -> JSONResponse:
    """An agent sets their personal goal: a title and a price."""
    token = await require(request, frozenset({"agent"}))
    body = parse_json(await read_body(request))
    if not isinstance(body, dict) or not set(body) <= {"title", "price", "picture"}:
        raise ApiError(422, "expected an object with title, price and optional picture")
    await append(request, [{"type": "goal", "agent": token.agent, **body}], AGENT_SOURCE)
    return JSONResponse({"saved": True}, status_code=202)


async def open_tombola(request: Request) -> JSONResponse:
    """Fix a secret seed, store it, and publish its hash in a ``tombola_open`` event.

    The body is a ``tombola_open`` event without ``seed_hash`` (and ``id`` and
    ``ts`` may be left out). The seed is stored before the event is appended:
    if the append fails, an unused seed is all that remains.
    """
    manager = await require(request, frozenset({"manager"}))
    body = parse_json(await read_body(request))
    if not isinstance(body, dict):
        raise ApiError(422, "expected a JSON object")
    seed = secrets.token_bytes(32)
    now = format_ts(datetime.now(UTC))
    event = {"ts": now, **body, "type": "tombola_open", "seed_hash": seed_hash(seed)}
    event.setdefault("id", f"tombola-{event.get('tombola', '')}")
    [clean] = check_batch(event, None)
    engine = services(request).engine
    if clean["tombola"] in engine.scorer.tombolas.book.tombolas:
        raise ApiError(409, f"tombola {clean['tombola']!r} exists already")
    store = services(request).store
    await store.put_meta(SEED_PREFIX + clean["tombola"], seed)
    [stored] = await store.append(to_records([clean], MANAGER_SOURCE, now, manager.label))
    if not stored:
        raise ApiError(409, f"an event with id {clean['id']!r} exists already")
    return JSONResponse(
        {"tombola": clean["tombola"], "seed_hash": clean["seed_hash"]}, status_code=201
    )
