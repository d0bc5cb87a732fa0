"""The OpenAPI 3.1 document served at ``/openapi.json``, built from the contract.

It describes every route under ``/api`` and the operational ones (``/healthz``,
``/readyz``, ``/metrics``); pages, ``/ws`` and static files are not an API.
"""

from __future__ import annotations

from typing import Any

from scoring.events import EVENT_TYPES, INTEGRATION_TYPES, MANAGER_TYPES, json_schema
from scoring.rules import PERIODS

from . import __version__
from .ingest import MAX_EVENTS
from .openapi_build import (
    JSON,
    answer,
    choice_parameter,
    closed_object,
    error,
    guarded,
    path_parameter,
    read_operation,
)
from .openapi_connectors import connectors
from .openapi_console import console
from .openapi_experiments import experiments
from .openapi_notify import notifications
from .openapi_rewards import rewards

READERS = "display, agent or manager"


def _reads() -> dict[str, Any]:
    return {
        "/api/agents/{agent}": read_operation(
            "An agent's points, gates, goal and explanation",
            [path_parameter("agent")],
            "that agent's own token, or a manager",
        ),
        "/api/leaderboard": read_operation(
            "A ranking of the current period",
            [
                choice_parameter("period", PERIODS),
                choice_parameter("by", ("agent", "team", "site")),
                {
                    "name": "top",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
            ],
            READERS,
        ),
        "/api/prizes": read_operation("Prize catalog, rules and awards", [], READERS),
        "/api/tombolas/{tombola}": read_operation(
            "A tombola's ledger and draw", [path_parameter("tombola")], READERS
        ),
        "/api/contests": read_operation(
            "Contests (hidden ones for managers only): each with its current run, state, "
            "whether it is provisional, and its winners once decided",
            [],
            READERS,
        ),
        "/api/contests/{contest}": read_operation(
            "A contest: each participant's score, rank and whether it is provisional; the "
            "places and winners once decided; a cup's bracket, a race's line, a challenge's "
            "answer; every run. Display and agent tokens read public names only",
            [path_parameter("contest")],
            READERS,
        ),
        "/api/seasons": read_operation("League seasons", [], READERS),
        "/api/seasons/{season}/table": read_operation(
            "The table, with form", [path_parameter("season")], READERS
        ),
        "/api/seasons/{season}/matches": read_operation(
            "Matches: live scores, minute, scorers, disallowed goals",
            [path_parameter("season")],
            READERS,
        ),
        "/api/seasons/{season}/scorers": read_operation(
            "Top scorers", [path_parameter("season")], READERS
        ),
    }


def _fields(schema: dict[str, Any], *names: str) -> dict[str, Any]:
    """Some fields of an event type, as its JSON Schema gives them."""
    return {name: schema["properties"][name] for name in names}


def _manager_writes(events: dict[str, Any]) -> dict[str, Any]:
    tombola = events["tombola_open"]
    season = events["league_season"]
    return {
        "/api/tombolas": {
            "post": guarded(
                "Open a tombola: the service fixes a secret seed and publishes its SHA-256",
                "manager",
                {
                    "201": answer(
                        "Opened; the body holds the seed hash",
                        closed_object(
                            {"tombola": {"type": "string"}, "seed_hash": {"type": "string"}},
                            "tombola",
                            "seed_hash",
                        ),
                    ),
                    "409": error("A tombola with this id exists"),
                    "422": error("Invalid tombola"),
                },
                body={
                    JSON: {
                        "schema": closed_object(
                            {
                                k: v
                                for k, v in tombola["properties"].items()
                                if k not in ("type", "seed_hash")
                            },
                            "tombola",
                            "name",
                            "prizes",
                            "closes",
                        )
                    }
                },
            )
        },
        "/api/seasons/preview": {
            "post": guarded(
                "The fixtures and windows a league_season would get, its goal_every as "
                "sent, and beside it the goal_every the last 10 windows of the same shape "
                "suggest, with the reasons; writes nothing",
                "manager",
                {
                    "200": answer("The season's fixtures", _preview()),
                    "422": error("Invalid season"),
                },
                body={
                    JSON: {
                        "schema": {
                            **closed_object(
                                {k: v for k, v in season["properties"].items() if k != "type"},
                                "season",
                                "name",
                                "clubs",
                            ),
                            "anyOf": season["anyOf"],
                        }
                    }
                },
            )
        },
    }


def _preview() -> dict[str, Any]:
    text, integer = {"type": "string"}, {"type": "integer"}
    number, maybe = {"type": "number"}, {"type": ["number", "null"]}
    suggestion = closed_object(
        {
            "value": maybe,
            "reason": text,
            "goals_per_match": maybe,
            "target": number,
            "windows": integer,
            "windows_looked_at": integer,
            "exact": maybe,
            "goals_per_match_as_sent": maybe,
        },
        "value",
        "reason",
    )
    names = {"type": "array", "items": text}
    matchday = closed_object(
        {
            "matchday": integer,
            "opens": text,
            "closes": text,
            "matches": {"type": "array", "items": closed_object({"home": text, "away": text})},
            "bye": names,
        },
        "matchday",
        "opens",
        "closes",
        "matches",
    )
    match = closed_object(
        {
            key: integer if key == "matchday" else text
            for key in (
                *("match", "matchday", "home", "away", "home_name", "away_name"),
                *("starts", "ends", "opens", "closes"),
            )
        },
        "match",
        "matchday",
        "home",
        "away",
    )
    return closed_object(
        {
            "season": text,
            "name": text,
            "exists": {"type": "boolean"},
            "timezone": text,
            "goal_every": maybe,
            "suggested_goal_every": suggestion,
            "matchdays": {"type": "array", "items": matchday},
            "matches": {"type": "array", "items": match},
        },
        "season",
        "goal_every",
        "suggested_goal_every",
        "matches",
    )


def _agent_writes(events: dict[str, Any]) -> dict[str, Any]:
    saved = answer("Stored in the log", closed_object({"saved": {"type": "boolean"}}, "saved"))
    invalid = error("Invalid field")
    return {
        "/api/me/profile": {
            "post": guarded(
                "Set the calling agent's public name (empty: initials) or opt out of public boards",
                "agent",
                {"202": saved, "422": invalid},
                body={
                    JSON: {
                        "schema": closed_object(
                            _fields(events["profile"], "public_name", "opt_out")
                        )
                    }
                },
            )
        },
        "/api/me/goal": {
            "post": guarded(
                "Set the calling agent's personal goal",
                "agent",
                {"202": saved, "422": invalid},
                body={
                    JSON: {
                        "schema": closed_object(
                            _fields(events["goal"], "title", "price", "picture"), "title", "price"
                        )
                    }
                },
            )
        },
    }


def _rule_sets() -> dict[str, Any]:
    """The rules in force, their history, and what a draft would have paid (manager)."""
    fields: dict[str, Any] = {
        "version": {"type": "string"},
        "effective_from": {"type": ["string", "null"]},
        "received": {"type": ["string", "null"]},
        "by": {"type": ["string", "null"]},
        "rules": {"type": "object"},
    }
    version = {"type": "object", "properties": fields, "required": list(fields)}
    change = {
        "type": "object",
        "properties": {"path": {"type": "string"}, "from": {}, "to": {}},
        "required": ["path", "from", "to"],
    }
    pair = {
        "type": "object",
        "properties": {k: {"type": "number"} for k in ("actual", "whatif", "diff")},
        "required": ["actual", "whatif", "diff"],
    }
    row = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "points": pair,
            "commission": pair,
            "prizes": pair,
        },
        "required": ["name", "points", "commission", "prizes"],
    }
    rows = {"type": "array", "items": row}
    return {
        "/api/whatif": {
            "post": guarded(
                "What a draft (a rule set, a prize rule, a prize, ...) would have paid over the "
                "last days of the log, posted at `from`, against the log as it happened; "
                "writes nothing, answers when the replay is done",
                "manager",
                {
                    "200": answer(
                        "The two folds side by side",
                        {
                            "type": "object",
                            "properties": {
                                "days": {"type": "integer"},
                                "from": {"type": "string"},
                                "until": {"type": "string"},
                                "offset": {"type": "integer"},
                                "events_replayed": {"type": "integer"},
                                "caught_up": {"type": "integer"},
                                "took_ms": {"type": "integer"},
                                "agents": rows,
                                "teams": rows,
                                "sites": rows,
                                "totals": {
                                    "type": "object",
                                    "properties": {
                                        k: pair
                                        for k in (
                                            "points",
                                            "commission",
                                            "prizes",
                                            "prize_cost",
                                            "agents_winning",
                                        )
                                    },
                                },
                                "gates": {"type": "array", "items": {"type": "object"}},
                            },
                            "required": [
                                "days",
                                "from",
                                "until",
                                "events_replayed",
                                "took_ms",
                                "agents",
                                "teams",
                                "sites",
                                "totals",
                                "gates",
                            ],
                        },
                    ),
                    "422": error(
                        "The body, `days`, `from` or a draft event is invalid, or the log is empty"
                    ),
                    "429": error("Several what-ifs are waiting already; retry after a while"),
                },
                body={
                    JSON: {
                        "schema": closed_object(
                            {
                                "events": {
                                    "type": "array",
                                    "description": "events as a manager would post them to "
                                    "/api/events (id and ts may be left out: ts is `from`)",
                                    "items": {"type": "object"},
                                    "minItems": 1,
                                    "maxItems": 100,
                                },
                                "days": {
                                    "type": "integer",
                                    "minimum": 1,
                                    "maximum": 366,
                                    "description": "how many days to replay, up to the log's "
                                    "clock (default 28)",
                                },
                                "from": {
                                    "type": "string",
                                    "description": "when the draft is posted, ISO 8601 with a UTC "
                                    "offset, inside the window (default: its start)",
                                },
                            },
                            "events",
                        )
                    }
                },
            )
        },
        "/api/rules": {
            "get": guarded(
                "The rule set in force at the log's clock, and every version, newest first, "
                "each with what it changed from the one before",
                "manager",
                {
                    "200": answer(
                        "The rules in force and their history",
                        {
                            "type": "object",
                            "properties": {
                                "in_force": version,
                                "history": {
                                    "type": "array",
                                    "items": {
                                        **version,
                                        "properties": {
                                            **fields,
                                            "scheduled": {"type": "boolean"},
                                            "changes": {"type": "array", "items": change},
                                        },
                                    },
                                },
                                "offset": {"type": "integer"},
                            },
                            "required": ["in_force", "history", "offset"],
                        },
                    )
                },
            )
        },
    }


def _operations() -> dict[str, Any]:
    status = {
        "status": {"type": "string"},
        "store": {"type": "string"},
        "scorer_lag": {"type": "integer"},
    }
    return {
        "/healthz": {
            "get": {
                "summary": "The process answers; says whether it reaches its store",
                "responses": {"200": answer("Alive", {"type": "object", "properties": status})},
            }
        },
        "/readyz": {
            "get": {
                "summary": "Ready for traffic: the store answers and the scorer keeps up",
                "responses": {
                    "200": answer("Ready", {"type": "object", "properties": status}),
                    "503": answer("Store unreachable or scorer lagging"),
                },
            }
        },
        "/metrics": {
            "get": {
                "summary": "Counters and gauges in the Prometheus text format",
                "responses": {
                    "200": {
                        "description": "Metrics",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
    }


def _events() -> dict[str, Any]:
    """Each event type's schema, in which an optional field may also be null: the
    contract takes null as leaving the field out."""
    events = json_schema()
    for schema in events.values():
        properties = schema["properties"]
        for name in set(properties) - set(schema["required"]):
            properties[name] = {"anyOf": [properties[name], {"type": "null"}]}
        for alternative in schema.get("anyOf", []):
            alternative["properties"] = {
                n: {"not": {"type": "null"}} for n in alternative["required"]
            }
    return events


def document() -> dict[str, Any]:
    events = _events()
    # What a token may post; the service's own types are in the components, as the log holds them.
    postable = [name for name in EVENT_TYPES if name in MANAGER_TYPES]
    event_ref = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in postable]}
    admin = sorted(MANAGER_TYPES - INTEGRATION_TYPES)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "wallboard",
            "version": __version__,
            "description": "Real-time gamification wallboard for sales and support contact "
            "centers. Integrations post sale, cancellation and contact events, and may "
            "launch contests (contest, contest_end); agents post their own challenges "
            f"(contest, challenge_answer, contest_end); managers also post {', '.join(admin)}.",
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                **events,
                "Event": event_ref,
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string", "minLength": 1}},
                    "required": ["error"],
                },
                "Accepted": {
                    "type": "object",
                    "properties": {
                        "accepted": {"type": "integer"},
                        "duplicates": {"type": "integer"},
                        "duplicate_ids": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
        },
        "paths": {
            "/api/events": {
                "post": guarded(
                    "Append one event or a batch, all or nothing. Integrations post sale, "
                    "cancellation and contact, and launch and end their own contests; an "
                    "agent's token (or its widget) posts, for its own agent only, a "
                    "challenge of their own, the answer to one they were challenged to, the "
                    "withdrawal of one still waiting, and redemptions",
                    "ingest, agent or manager",
                    {
                        "202": answer(
                            "Stored durably (or already stored: duplicates)",
                            {"$ref": "#/components/schemas/Accepted"},
                        ),
                        "409": error(
                            "A league_season, contest or redemption for an id that exists, "
                            "or made twice in the batch; nothing was stored"
                        ),
                        "422": error("Some events are invalid; none was stored"),
                        "429": error("The token posts faster than its rate; nothing was stored"),
                    },
                    body={
                        JSON: {
                            "schema": {
                                "oneOf": [
                                    {"$ref": "#/components/schemas/Event"},
                                    {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Event"},
                                        "minItems": 1,
                                        "maxItems": MAX_EVENTS,
                                    },
                                ]
                            }
                        }
                    },
                )
            },
            **_reads(),
            **rewards(),
            **_manager_writes(events),
            **_agent_writes(events),
            **console(),
            **connectors(),
            **notifications(),
            **experiments(events),
            **_rule_sets(),
            **_operations(),
        },
    }
