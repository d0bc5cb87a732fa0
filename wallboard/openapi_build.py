"""Pieces of the OpenAPI document: answers, parameters and guarded operations.

:mod:`wallboard.openapi` assembles the document from them, and
:mod:`wallboard.openapi_console` describes the console's endpoints with them.
"""

from __future__ import annotations

from typing import Any

from .ingest import MAX_BODY

JSON = "application/json"


def error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema or {"type": "object"}}}}


def closed_object(properties: dict[str, Any], *required: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }


def guarded(
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
            "401": error("No, unknown or revoked token"),
            "403": error(f"The token's role may not do this ({role})"),
            "503": error("The store is unreachable; nothing was written"),
        },
    }
    if body is not None:
        operation["requestBody"] = {"required": True, "content": body}
        operation["responses"].setdefault("400", error("The body is not JSON"))
        operation["responses"].setdefault("413", error(f"The body is over {MAX_BODY} bytes"))
    return operation


def read_operation(summary: str, parameters: list[dict[str, Any]], role: str) -> dict[str, Any]:
    return {
        "get": guarded(
            summary,
            role,
            {
                "200": answer("The state as of `offset` in the log"),
                "404": error("Not found"),
                "422": error("A parameter is invalid"),
            },
            parameters=parameters,
        )
    }


def path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def choice_parameter(name: str, values: tuple[str, ...]) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string", "enum": list(values)}}


def text_parameter(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, "description": description}


def count_parameter(name: str, lowest: int, highest: int, description: str) -> dict[str, Any]:
    schema = {"type": "integer", "minimum": lowest, "maximum": highest}
    return {"name": name, "in": "query", "schema": schema, "description": description}


def window_parameters() -> list[dict[str, Any]]:
    when = "a local date (2026-11-02) or a time with its offset (2026-11-02T09:00:00+01:00)"
    return [
        text_parameter("since", f"from {when}"),
        text_parameter("until", f"to {when}, that day included"),
    ]
