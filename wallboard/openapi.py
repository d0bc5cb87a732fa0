"""The OpenAPI 3.1 document served at ``/openapi.json``, built from the contract.

It describes every route under ``/api`` and the operational ones (``/healthz``,
``/readyz``, ``/metrics``); pages, ``/ws`` and static files are not an API.
"""

from __future__ import annotations

from typing import Any

from scoring.events import EVENT_TYPES, INTEGRATION_TYPES, MANAGER_TYPES, json_schema
from scoring.rules import PERIODS

from . import __version__
from .audit_index import LATEST
from .ingest import MAX_BODY, MAX_EVENTS
from .query import MOST
from .tokens import ROLES

JSON = "application/json"


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _json(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema or {"type": "object"}}}}


def _object(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def _guarded(
    summary: str,
    role: str,
    responses: dict[str, Any],
    *,
    parameters: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An operation behind a bearer token, with the answers every such one can give."""
    operation: dict[str, Any] = {
        "summary": summary,
        "security": [{"bearer": []}],
        "parameters": parameters or [],
        "responses": {
            **responses,
            "401": _error("No, unknown or revoked token"),
            "403": _error(f"The token's role may not do this ({role})"),
            "503": _error("The store is unreachable; nothing was written"),
        },
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": body}
        operation["responses"].setdefault("400", _error("The body is not JSON"))
        operation["responses"].setdefault("413", _error(f"The body is over {MAX_BODY} bytes"))
    return operation


def _read(summary: str, parameters: list[dict[str, Any]], role: str) -> dict[str, Any]:
    return {
        "get": _guarded(
            summary,
            role,
            {
                "200": _json("The state as of `offset` in the log"),
                "404": _error("Not found"),
                "422": _error("A parameter is invalid"),
            },
            parameters=parameters,
        )
    }


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string", "enum": list(values)}}


def _text(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, "description": description}


def _count(name: str, lowest: int, highest: int, description: str) -> dict[str, Any]:
    schema = {"type": "integer", "minimum": lowest, "maximum": highest}
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _window() -> list[dict[str, Any]]:
    when = "a local date (2026-11-02) or a time with its offset (2026-11-02T09:00:00+01:00)"
    return [_text("since", f"from {when}"), _text("until", f"to {when}, that day included")]


READERS = "display, agent or manager"


def _reads() -> dict[str, Any]:
    return {
        "/api/agents/{agent}": _read(
            "An agent's points, gates, goal and explanation",
            [_path("agent")],
            "that agent's own token, or a manager",
        ),
        "/api/leaderboard": _read(
            "A ranking of the current period",
            [
                _query("period", PERIODS),
                _query("by", ("agent", "team", "site")),
                {
                    "name": "top",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
            ],
            READERS,
        ),
        "/api/prizes": _read("Prize catalog, rules and awards", [], READERS),
        "/api/tombolas/{tombola}": _read(
            "A tombola's ledger and draw", [_path("tombola")], READERS
        ),
        "/api/seasons": _read("League seasons", [], READERS),
        "/api/seasons/{season}/table": _read("The table, with form", [_path("season")], READERS),
        "/api/seasons/{season}/matches": _read(
            "Matches: live scores, minute, scorers, disallowed goals", [_path("season")], READERS
        ),
        "/api/seasons/{season}/scorers": _read("Top scorers", [_path("season")], READERS),
    }


def _fields(schema: dict[str, Any], *names: str) -> dict[str, Any]:
    """Some fields of an event type, as its JSON Schema gives them."""
    return {name: schema["properties"][name] for name in names}


def _manager_writes(events: dict[str, Any]) -> dict[str, Any]:
    tombola = events["tombola_open"]
    season = events["league_season"]
    return {
        "/api/tombolas": {
            "post": _guarded(
                "Open a tombola: the service fixes a secret seed and publishes its SHA-256",
                "manager",
                {
                    "201": _json(
                        "Opened; the body holds the seed hash",
                        _object(
                            {"tombola": {"type": "string"}, "seed_hash": {"type": "string"}},
                            "tombola",
                            "seed_hash",
                        ),
                    ),
                    "409": _error("A tombola with this id exists"),
                    "422": _error("Invalid tombola"),
                },
                body={
                    JSON: {
                        "schema": _object(
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
            "post": _guarded(
                "The fixtures and windows a league_season would get, and a goal_every "
                "calibrated on the last 28 days of sales; writes nothing",
                "manager",
                {"200": _json("The season's matches"), "422": _error("Invalid season")},
                body={
                    JSON: {
                        "schema": {
                            **_object(
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


def _agent_writes(events: dict[str, Any]) -> dict[str, Any]:
    saved = _json("Stored in the log", _object({"saved": {"type": "boolean"}}, "saved"))
    invalid = _error("Invalid field")
    return {
        "/api/me/profile": {
            "post": _guarded(
                "Set the calling agent's public name (empty: initials) or opt out of public boards",
                "agent",
                {"202": saved, "422": invalid},
                body={
                    JSON: {"schema": _object(_fields(events["profile"], "public_name", "opt_out"))}
                },
            )
        },
        "/api/me/goal": {
            "post": _guarded(
                "Set the calling agent's personal goal",
                "agent",
                {"202": saved, "422": invalid},
                body={
                    JSON: {
                        "schema": _object(
                            _fields(events["goal"], "title", "price", "picture"), "title", "price"
                        )
                    }
                },
            )
        },
    }


def _console() -> dict[str, Any]:
    """The manager console's endpoints (a manager token, or a signed-in session)."""
    csv = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "/api/manage/tokens": {
            "get": _guarded("Every token, revoked ones too", "manager", {"200": _json("Tokens")}),
            "post": _guarded(
                "Make a token; the answer is the only place it is shown",
                "manager",
                {
                    "201": _json(
                        "The new token",
                        _object(
                            {k: {"type": "string"} for k in ("token", "id", "role")},
                            "token",
                            "id",
                            "role",
                        ),
                    ),
                    "422": _error("Invalid role, agent or source"),
                },
                body={
                    JSON: {
                        "schema": _object(
                            {
                                "role": {"type": "string", "enum": list(ROLES)},
                                "label": {"type": "string", "maxLength": 200},
                                "agent": {
                                    "type": "string",
                                    "maxLength": 128,
                                    "description": "agent tokens only: the agent's id",
                                },
                                "source": {
                                    "type": "string",
                                    "maxLength": 32,
                                    "description": "ingest tokens only: like crm or acd-1",
                                },
                            },
                            "role",
                        )
                    }
                },
            ),
        },
        "/api/manage/tokens/{token}/revoke": {
            "post": _guarded(
                "Revoke a token by its id",
                "manager",
                {"200": _json("Revoked"), "404": _error("No such token")},
                parameters=[_path("token")],
            )
        },
        "/api/manage/audit": {
            "get": _guarded(
                "Manager actions (every type but sales, cancellations, contacts, ticks and "
                "draws), newest first, a page at a time",
                "manager",
                {"200": _json("A page of actions"), "422": _error("A filter is invalid")},
                parameters=[
                    _text("actor", "a manager's name as `by` shows it; `agent` for agents' own"),
                    _text("type", "one type or several, comma-separated"),
                    *_window(),
                    _count("limit", 1, 500, "actions a page (50)"),
                    _count("before", 1, MOST, "the `next_before` of the page before"),
                ],
            )
        },
        "/api/manage/traffic": {
            "get": _guarded(
                "Integration traffic: events per local day, source and type, and the latest",
                "manager",
                {
                    "200": _json("Counts and the latest events"),
                    "422": _error("A filter is invalid"),
                },
                parameters=[
                    _text("source", "one source, such as crm"),
                    _text("type", "sale, cancellation, contact, or several comma-separated"),
                    *_window(),
                    _count("latest", 0, LATEST, "how many of the latest events (20)"),
                ],
            )
        },
        "/api/manage/roster": {
            "get": _guarded(
                "Sites and teams with today's head count, and the agents",
                "manager",
                {"200": _json("Sites, teams and agents")},
            ),
            "post": _guarded(
                "Import agents from CSV (agent,name,team,site[,public_name], comma or "
                "semicolon, UTF-8): a dry run with every line's problems and the warnings; "
                "commit=1 stores it if there is nothing to warn about, confirm=1 stores it "
                "creating unknown teams and sites; all or none",
                "manager",
                {
                    "200": _json("The dry run: every line is valid"),
                    "201": _json("Stored"),
                    "409": _error("commit=1, but there are warnings to confirm; nothing stored"),
                    "422": _error(
                        "The file cannot be read, or some lines are invalid (each listed)"
                    ),
                },
                parameters=[_query("commit", ("0", "1")), _query("confirm", ("0", "1"))],
                body=csv,
            ),
        },
        "/api/manage/commission.csv": {
            "get": _guarded(
                "Confirmed commission per agent for a period, with its gate status",
                "manager",
                {
                    "200": {"description": "One line per agent", "content": csv},
                    "422": _error("Unknown period or period key"),
                },
                parameters=[
                    _query("period", PERIODS),
                    {"name": "key", "in": "query", "schema": {"type": "string"}},
                ],
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
                "responses": {"200": _json("Alive", {"type": "object", "properties": status})},
            }
        },
        "/readyz": {
            "get": {
                "summary": "Ready for traffic: the store answers and the scorer keeps up",
                "responses": {
                    "200": _json("Ready", {"type": "object", "properties": status}),
                    "503": _json("Store unreachable or scorer lagging"),
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
            "centers. Integrations post sale, cancellation and contact events; managers "
            f"also post {', '.join(admin)}.",
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
                "post": _guarded(
                    "Append one event or a batch, all or nothing",
                    "ingest or manager",
                    {
                        "202": _json(
                            "Stored durably (or already stored: duplicates)",
                            {"$ref": "#/components/schemas/Accepted"},
                        ),
                        "422": _error("Some events are invalid; none was stored"),
                        "429": _error("The token posts faster than its rate; nothing was stored"),
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
            **_manager_writes(events),
            **_agent_writes(events),
            **_console(),
            **_operations(),
        },
    }
