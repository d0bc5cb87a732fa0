"""The OpenAPI paths of notifications: channels, rules, the outbox and its dead
letters (manager only). :mod:`wallboard.openapi` puts these paths in the document.
"""

from __future__ import annotations

from typing import Any

from .notify.channels import KINDS, SECURITY
from .openapi_build import JSON, answer, error, guarded, path_parameter

TEXT = {"type": "string"}
_CHANNEL = {
    "type": "object",
    "description": "A channel; a secret left out keeps the one stored (url for Slack and "
    "Teams, password for e-mail, secret for a webhook: a new webhook without one gets "
    "a signing key, answered once).",
    "properties": {
        "id": {**TEXT, "pattern": "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"},
        "kind": {"type": "string", "enum": list(KINDS)},
        "name": TEXT,
        "url": {**TEXT, "description": "the incoming or workflow webhook's address"},
        "secret": {**TEXT, "description": "a webhook's HMAC-SHA256 key (16 characters or more)"},
        "host": TEXT,
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "security": {"type": "string", "enum": list(SECURITY)},
        "username": TEXT,
        "password": TEXT,
        "sender": TEXT,
        "recipients": {"anyOf": [TEXT, {"type": "array", "items": TEXT}]},
        "ca_pem": {**TEXT, "description": "a certificate (PEM) to trust for the SMTP server"},
    },
    "required": ["id", "kind"],
}
_RULE = {
    "type": "object",
    "description": "A notification_rule event (id and ts may be left out).",
    "properties": {
        "rule": TEXT,
        "on": {"type": "array", "items": TEXT},
        "channel": TEXT,
        "language": {"type": "string", "enum": ["en", "de"]},
        "enabled": {"type": "boolean"},
        "id": TEXT,
        "ts": TEXT,
    },
    "required": ["rule", "on", "channel"],
}
ROLE = "manager"


def notifications() -> dict[str, Any]:
    return {
        "/api/notifications": {
            "get": guarded(
                "Rules, channels (secrets by their last four characters) with how their "
                "deliveries stand, the outbox's counts, pending and recently delivered entries",
                ROLE,
                {"200": answer("The notifications")},
            )
        },
        "/api/notifications/channels": {
            "post": guarded(
                "Create or replace a channel, stored apart from the log",
                ROLE,
                {
                    "200": answer("Replaced"),
                    "201": answer("Created (with `secret` once, if one was made)"),
                    "422": error("A setting is missing or invalid: `problems` by field"),
                },
                body={JSON: {"schema": _CHANNEL}},
            )
        },
        "/api/notifications/channels/{channel}/test": {
            "post": guarded(
                "Send a test message to the channel now (`?lang=de` for German)",
                ROLE,
                {
                    "200": answer("The channel took it"),
                    "404": error("No such channel"),
                    "502": error("The channel refused it or could not be reached"),
                },
                parameters=[path_parameter("channel")],
            )
        },
        "/api/notifications/channels/{channel}/delete": {
            "post": guarded(
                "Remove a channel and its secrets (its rules then make dead letters)",
                ROLE,
                {"200": answer("Removed"), "404": error("No such channel")},
                parameters=[path_parameter("channel")],
            )
        },
        "/api/notifications/rules": {
            "post": guarded(
                "Create or replace a notification rule: a notification_rule event",
                ROLE,
                {
                    "201": answer("Stored in the log"),
                    "409": error("An event with that id exists already"),
                    "422": error("The rule is invalid, or its channel does not exist"),
                },
                body={JSON: {"schema": _RULE}},
            )
        },
        "/api/notifications/dead-letters": {
            "get": guarded(
                "Notifications given up on after the last attempt, newest first",
                ROLE,
                {"200": answer("The dead letters")},
            )
        },
        "/api/notifications/dead-letters/{key}/retry": {
            "post": guarded(
                "Send a dead letter again: pending, due now, attempts counted afresh",
                ROLE,
                {"200": answer("Pending again"), "404": error("No dead letter with that key")},
                parameters=[path_parameter("key")],
            )
        },
    }
