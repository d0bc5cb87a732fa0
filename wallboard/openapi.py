"""The OpenAPI 3.1 document served at ``/openapi.json``, built from the contract."""

from __future__ import annotations

from typing import Any

from scoring.events import EVENT_TYPES, INTEGRATION_TYPES, json_schema
from scoring.rules import PERIODS

from . import __version__
from .ingest import MAX_BODY, MAX_EVENTS


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _read(summary: str, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "security": [{"bearer": []}],
            "parameters": parameters,
            "responses": {
                "200": {"description": "The state as of `offset` in the log"},
                "401": _error("No, unknown or revoked token"),
                "403": _error("The token's role may not read this"),
                "404": _error("Not found"),
                "422": _error("A parameter is invalid"),
            },
        }
    }


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string", "enum": list(values)}}


def _reads() -> dict[str, Any]:
    return {
        "/api/agents/{agent}": _read(
            "An agent's points, gates, goal and explanation", [_path("agent")]
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
        ),
        "/api/prizes": _read("Prize catalog, rules and awards", []),
        "/api/tombolas/{tombola}": _read("A tombola's ledger and draw", [_path("tombola")]),
        "/api/seasons": _read("League seasons", []),
        "/api/seasons/{season}/table": _read("The table, with form", [_path("season")]),
        "/api/seasons/{season}/matches": _read(
            "Matches: live scores, minute, scorers, disallowed goals", [_path("season")]
        ),
        "/api/seasons/{season}/scorers": _read("Top scorers", [_path("season")]),
    }


def document() -> dict[str, Any]:
    events = json_schema()
    event_ref = {"oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in EVENT_TYPES]}
    admin = sorted(set(EVENT_TYPES) - INTEGRATION_TYPES)
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
                    "properties": {"error": {"type": "string"}},
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
                "post": {
                    "summary": "Append one event or a batch, all or nothing",
                    "security": [{"bearer": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
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
                    },
                    "responses": {
                        "202": {
                            "description": "Stored durably (or already stored: duplicates)",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Accepted"}
                                }
                            },
                        },
                        "400": _error("The body is not JSON"),
                        "401": _error("No, unknown or revoked token"),
                        "403": _error("The token's role may not post events"),
                        "413": _error(f"The body is over {MAX_BODY} bytes"),
                        "422": _error("Some events are invalid; none was stored"),
                        "503": _error("The store is unreachable; nothing was stored"),
                    },
                }
            },
            **_reads(),
            "/api/tombolas": {
                "post": {
                    "summary": "Open a tombola: the service fixes a secret seed and "
                    "publishes its SHA-256",
                    "security": [{"bearer": []}],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["tombola", "name", "prizes", "closes"],
                                    "properties": {
                                        k: v
                                        for k, v in events["tombola_open"]["properties"].items()
                                        if k not in ("type", "seed_hash")
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {"description": "Opened; the body holds the seed hash"},
                        "401": _error("No, unknown or revoked token"),
                        "403": _error("Not a manager token"),
                        "409": _error("A tombola with this id exists"),
                        "422": _error("Invalid tombola"),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Whether the service runs and reaches its store",
                    "responses": {
                        "200": {"description": "Store reachable"},
                        "503": _error("Store unreachable"),
                    },
                }
            },
        },
    }
