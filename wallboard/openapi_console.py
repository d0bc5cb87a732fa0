"""The manager console's endpoints in the OpenAPI document (``/api/manage/...``)."""

from __future__ import annotations

from typing import Any

from scoring.rules import PERIODS

from .audit_index import LATEST
from .openapi_build import (
    JSON,
    answer,
    choice_parameter,
    closed_object,
    count_parameter,
    error,
    guarded,
    path_parameter,
    text_parameter,
    window_parameters,
)
from .query import MOST
from .tokens import ROLES


def console() -> dict[str, Any]:
    """The manager console's endpoints (a manager token, or a signed-in session)."""
    csv = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "/api/manage/tokens": {
            "get": guarded("Every token, revoked ones too", "manager", {"200": answer("Tokens")}),
            "post": guarded(
                "Make a token; the answer is the only place it is shown",
                "manager",
                {
                    "201": answer(
                        "The new token",
                        closed_object(
                            {k: {"type": "string"} for k in ("token", "id", "role")},
                            "token",
                            "id",
                            "role",
                        ),
                    ),
                    "422": error("Invalid role, agent or source"),
                },
                body={
                    JSON: {
                        "schema": closed_object(
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
            "post": guarded(
                "Revoke a token by its id",
                "manager",
                {"200": answer("Revoked"), "404": error("No such token")},
                parameters=[path_parameter("token")],
            )
        },
        "/api/manage/audit": {
            "get": guarded(
                "Manager actions (every type but sales, cancellations, contacts, ticks and "
                "draws), newest first, a page at a time",
                "manager",
                {"200": answer("A page of actions"), "422": error("A filter is invalid")},
                parameters=[
                    text_parameter(
                        "actor", "a manager's name as `by` shows it; `agent` for agents' own"
                    ),
                    text_parameter("type", "one type or several, comma-separated"),
                    *window_parameters(),
                    count_parameter("limit", 1, 500, "actions a page (50)"),
                    count_parameter("before", 1, MOST, "the `next_before` of the page before"),
                ],
            )
        },
        "/api/manage/traffic": {
            "get": guarded(
                "Integration traffic: events per local day, source and type, and the latest",
                "manager",
                {
                    "200": answer("Counts and the latest events"),
                    "422": error("A filter is invalid"),
                },
                parameters=[
                    text_parameter("source", "one source, such as crm"),
                    text_parameter(
                        "type", "sale, cancellation, contact, or several comma-separated"
                    ),
                    *window_parameters(),
                    count_parameter("latest", 0, LATEST, "how many of the latest events (20)"),
                ],
            )
        },
        "/api/manage/awards": {
            "get": guarded(
                "Awards with agent and prize names, newest first, a page at a time; every "
                "tombola with its winners",
                "manager",
                {"200": answer("Awards and tombolas"), "422": error("A filter is invalid")},
                parameters=[
                    text_parameter(
                        "state", "awarded, handed_over, revoked, or several comma-separated"
                    ),
                    text_parameter("agent", "an agent's id"),
                    text_parameter("prize", "a prize's id"),
                    text_parameter("tombola", "a tombola's id: its winners' awards"),
                    count_parameter("limit", 1, 1000, "awards a page (100)"),
                    count_parameter("before", 1, MOST, "the `next_before` of the page before"),
                ],
            )
        },
        "/api/manage/awards/{award}/handover": {
            "post": guarded(
                "Mark an award handed over (a handover event, stored once however often sent)",
                "manager",
                {
                    "201": answer("Handed over by this request"),
                    "200": answer("Handed over already"),
                    "404": error("No such award"),
                    "409": error("The award was revoked"),
                },
                parameters=[path_parameter("award")],
            )
        },
        "/api/manage/roster": {
            "get": guarded(
                "Sites and teams with today's head count, and the agents",
                "manager",
                {"200": answer("Sites, teams and agents")},
            ),
            "post": guarded(
                "Import agents from CSV (agent,name,team,site[,public_name], comma or "
                "semicolon, UTF-8): a dry run with every line's problems and the warnings; "
                "commit=1 stores it if there is nothing to warn about, confirm=1 stores it "
                "creating unknown teams and sites; all or none",
                "manager",
                {
                    "200": answer("The dry run: every line is valid"),
                    "201": answer("Stored"),
                    "409": error("commit=1, but there are warnings to confirm; nothing stored"),
                    "422": error(
                        "The file cannot be read, or some lines are invalid (each listed)"
                    ),
                },
                parameters=[
                    choice_parameter("commit", ("0", "1")),
                    choice_parameter("confirm", ("0", "1")),
                ],
                body=csv,
            ),
        },
        "/api/manage/commission.csv": {
            "get": guarded(
                "Confirmed commission per agent for a period, with its gate status",
                "manager",
                {
                    "200": {"description": "One line per agent", "content": csv},
                    "422": error("Unknown period or period key"),
                },
                parameters=[
                    choice_parameter("period", PERIODS),
                    {"name": "key", "in": "query", "schema": {"type": "string"}},
                ],
            )
        },
    }
