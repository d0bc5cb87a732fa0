"""The OpenAPI paths of coins and the reward store: an agent's wallet and the store.

Coins are numbers of coins (kept in hundredths: 12.5 is possible); times are the
log's, UTC. :mod:`wallboard.openapi` puts these paths in the document.
"""

from __future__ import annotations

from typing import Any

from scoring.reward_store import APPROVED, HELD, REASONS, REFUSED, REJECTED
from scoring.wallet import (
    CHALLENGE,
    CORRECTION,
    GRANT,
    PLACE,
    REDEMPTION,
    REFUND,
    SALE,
    SUPPORT,
)

from .api import MAX_HISTORY
from .openapi_build import answer, closed_object, count_parameter, error, guarded, path_parameter

TEXT, COINS = {"type": "string"}, {"type": "number"}
MAYBE_TEXT, MAYBE_COINS = {"type": ["string", "null"]}, {"type": ["number", "null"]}
CAUSES = (SALE, SUPPORT, GRANT, CORRECTION, PLACE, CHALLENGE, REDEMPTION, REFUND)


def _movement() -> dict[str, Any]:
    return closed_object(
        {
            "coins": {**COINS, "description": "into the wallet (> 0) or out of it (< 0)"},
            "cause": {"type": "string", "enum": list(CAUSES)},
            "ref": {
                **TEXT,
                "description": "what caused it: a sale's source:id, a day of contacts, the "
                "coins event's id, a contest, a redemption",
            },
            "ts": TEXT,
            "by": {**MAYBE_TEXT, "description": "the manager who gave, took or refunded"},
            "note": {**TEXT, "description": "the reason given, or the place in a contest"},
            "asked": {**COINS, "description": "a correction that asked for more than was held"},
        },
        "coins",
        "cause",
        "ref",
        "ts",
        "by",
        "note",
    )


def _redemption(*extra: str) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "redemption": TEXT,
        "reward": TEXT,
        "name": MAYBE_TEXT,
        "picture": MAYBE_TEXT,
        "price": COINS,
        "state": {"type": "string", "enum": [HELD, APPROVED, REJECTED, REFUSED]},
        "reason": {
            **TEXT,
            "description": f"refused: one of {', '.join(REASONS)}; rejected: the manager's reason",
        },
        "ts": TEXT,
        "decided": MAYBE_TEXT,
        "agent": TEXT,
        "agent_name": MAYBE_TEXT,
        "site": MAYBE_TEXT,
    }
    plain = ("redemption", "reward", "name", "picture", "price", "state", "reason", "ts")
    return closed_object(
        {k: v for k, v in fields.items() if k in plain or k in extra},
        *plain,
        "decided",
        *extra,
    )


def _wallet() -> dict[str, Any]:
    return closed_object(
        {
            "agent": TEXT,
            "balance": {**COINS, "description": "spendable: the sum of the history"},
            "pending": {**COINS, "description": "of sales still in their cancellation window"},
            "reserved": {**COINS, "description": "held for redemptions waiting for a decision"},
            "history": {"type": "array", "items": _movement()},
            "movements": {"type": "integer", "description": "the whole history's length"},
            "redemptions": {"type": "array", "items": _redemption()},
            "offset": {"type": "integer"},
        },
        "agent",
        "balance",
        "pending",
        "reserved",
        "history",
        "movements",
        "redemptions",
        "offset",
    )


def _store() -> dict[str, Any]:
    item = {
        "type": "object",
        "properties": {
            "reward": TEXT,
            "name": TEXT,
            "price": COINS,
            "picture": MAYBE_TEXT,
            "stock": {"type": ["integer", "null"]},
            "left": {"type": ["integer", "null"]},
            "active": {"type": "boolean"},
            "redeemed": {"type": "integer"},
        },
        "required": ["reward", "name", "price", "picture", "stock", "left"],
        "additionalProperties": False,
    }
    budget = closed_object(
        {
            "site": TEXT,
            "name": MAYBE_TEXT,
            "month_cap": MAYBE_COINS,
            "used": COINS,
            "left": MAYBE_COINS,
        },
        "site",
        "name",
        "month_cap",
        "used",
        "left",
    )
    return {
        "type": "object",
        "properties": {
            "rewards": {"type": "array", "items": item},
            "waiting": {
                "type": "array",
                "items": _redemption("agent", "agent_name", "site"),
                "description": "managers: redemptions held for a decision, oldest first",
            },
            "month": {**TEXT, "description": "managers: the local month the budgets count"},
            "budgets": {"type": "array", "items": budget},
            "offset": {"type": "integer"},
        },
        "required": ["rewards", "offset"],
        "additionalProperties": False,
    }


def rewards() -> dict[str, Any]:
    return {
        "/api/agents/{agent}/wallet": {
            "get": guarded(
                "An agent's coins: balance, pending, reserved, their redemptions and the "
                "history, newest first",
                "that agent's own token, or a manager",
                {
                    "200": answer("The wallet as of `offset` in the log", _wallet()),
                    "422": error("`limit` is invalid"),
                },
                parameters=[
                    path_parameter("agent"),
                    count_parameter(
                        "limit", 1, MAX_HISTORY, "how many movements, newest first (100)"
                    ),
                ],
            )
        },
        "/api/rewards": {
            "get": guarded(
                "The reward store: items, price, stock left, picture; for managers also "
                "every item, the redemptions waiting for a decision and each site's budget "
                "this month",
                "display, agent or manager",
                {"200": answer("The store as of `offset` in the log", _store())},
            )
        },
    }
