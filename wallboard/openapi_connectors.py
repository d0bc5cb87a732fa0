"""The connectors' operations in the OpenAPI document: the console's endpoints
(manager) and the hook each sending system posts to (no token: its signature)."""

from __future__ import annotations

from typing import Any

from .connectors.api import MAX_TEST
from .connectors.model import NAME
from .connectors.presets import PRESETS
from .ingest import MAX_BODY
from .openapi_build import JSON, answer, closed_object, error, guarded

_NAME = {"type": "string", "pattern": f"^{NAME.pattern}$"}


def _connector_parameter() -> dict[str, Any]:
    return {"name": "connector", "in": "path", "required": True, "schema": {"type": "string"}}


def _optional(body: dict[str, Any]) -> dict[str, Any]:
    return {"required": False, "content": {JSON: {"schema": body}}}


def connectors() -> dict[str, Any]:
    found = {"404": error("No connector has this name")}
    create = closed_object(
        {
            "connector": _NAME,
            "preset": {"type": "string", "enum": sorted(PRESETS)},
            "mapping": {
                "type": "object",
                "description": "each, filter, and event or events (see the README's Connectors)",
            },
            "secret": {
                "type": "string",
                "minLength": 8,
                "maxLength": 500,
                "description": "the signing secret HubSpot, Zendesk or Twilio issued; the "
                "server makes the others and answers them once",
            },
            "organization_id": {"type": "string", "pattern": "^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$"},
        },
        "connector",
    )
    create["anyOf"] = [{"required": ["preset"]}, {"required": ["mapping"]}]
    replay = guarded(
        "Map the dead letters again (or, with all, every payload received) through the "
        "connector's current mapping; ids from the payloads keep it from counting twice",
        "manager",
        {"200": answer("What the replay stored and what still fails"), **found},
    )
    replay["parameters"] = [_connector_parameter()]
    replay["requestBody"] = _optional(closed_object({"all": {"type": "boolean"}}))
    replay["responses"] |= {
        "400": error("The body is not JSON"),
        "413": error(f"The body is over {MAX_BODY} bytes"),
        "422": error("A field is invalid"),
    }
    trial = guarded(
        "The events a mapping (the connector's own by default) makes from the latest "
        "payloads received; stores nothing",
        "manager",
        {"200": answer("Each payload's events or why it makes none"), **found},
    )
    trial["parameters"] = [_connector_parameter()]
    trial["requestBody"] = _optional(
        closed_object(
            {
                "mapping": {"type": "object"},
                "last": {"type": "integer", "minimum": 1, "maximum": MAX_TEST},
            }
        )
    )
    trial["responses"] |= {
        "400": error("The body is not JSON"),
        "413": error(f"The body is over {MAX_BODY} bytes"),
        "422": error("The mapping or `last` is invalid"),
    }
    return {
        "/api/connectors": {
            "get": guarded(
                "Every connector with its counts and when its last payload came (never a "
                "secret), and the presets",
                "manager",
                {"200": answer("Connectors")},
            ),
            "post": guarded(
                "Create or replace a connector from a preset or a mapping; a secret the "
                "server made is in this answer only",
                "manager",
                {
                    "200": answer("Replaced; the secret stays"),
                    "201": answer("Created"),
                    "422": error("A field is invalid; the message names it"),
                },
                body={JSON: {"schema": create}},
            ),
        },
        "/api/connectors/{connector}": {
            "get": guarded(
                "A connector: its mapping, counts and the latest payloads, each with its "
                "dead letter's reason",
                "manager",
                {"200": answer("The connector"), **found},
                parameters=[_connector_parameter()],
            )
        },
        "/api/connectors/{connector}/dead-letters": {
            "get": guarded(
                "The payloads that matched nothing or failed, each with the reason",
                "manager",
                {"200": answer("Dead letters"), **found},
                parameters=[_connector_parameter()],
            )
        },
        "/api/connectors/{connector}/replay": {"post": replay},
        "/api/connectors/{connector}/test": {"post": trial},
        "/hooks/{connector}": {
            "post": {
                "summary": "A sending system's payload (JSON, a form, CSV or a SOAP outbound "
                "message), proven by the connector's signature scheme, recorded, then mapped",
                "parameters": [_connector_parameter()],
                "requestBody": {
                    "required": True,
                    "content": {
                        JSON: {"schema": {"type": ["object", "array"]}},
                        "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
                        "text/csv": {"schema": {"type": "string"}},
                        "text/xml": {"schema": {"type": "string"}},
                    },
                },
                "responses": {
                    "200": {
                        "description": "Recorded; what the mapping stored, or the dead "
                        "letter's reason (a Salesforce outbound message gets its SOAP Ack)",
                        "content": {
                            JSON: {"schema": {"type": "object"}},
                            "text/xml": {"schema": {"type": "string"}},
                        },
                    },
                    "400": error("The body is not what its content type says"),
                    "401": error("The signature is missing, wrong or stale"),
                    "404": error("No connector has this name"),
                    "413": error(f"The body is over {MAX_BODY} bytes"),
                    "415": error("No connector reads this content type"),
                    "503": error("The store is unreachable; nothing was recorded"),
                },
            }
        },
    }
