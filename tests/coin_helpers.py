"""Builders for the coin and reward-store tests: the events, as a manager or an
agent writes them, and the wallet and store as the API reads them."""

from __future__ import annotations

import itertools
from typing import Any

from scoring.reward_views import store_view, wallet_view
from tests.scoring_helpers import Board, Event, logged, rules

_ids = itertools.count(1)

#: 1 coin per 10 confirmed points; 50, 30 and 20 for the first three places
COIN_RULES = {"per_point": 0.1, "places": [50, 30, 20], "challenge_won": 25}


def coin_rules(ts: str, version: str = "coin-rules", **sections: Any) -> Event:
    return rules(version, ts, coins=COIN_RULES, **sections)


def by_manager(raw: Event, by: str = "Maria Boss") -> Event:
    """``raw`` as the log holds a manager's action: with who did it."""
    return {**logged(raw), "by": by}


def grant(agent: str, amount: int, ts: str, reason: str = "well done") -> Event:
    return by_manager(
        {
            "id": f"coins-{next(_ids)}",
            "type": "coins",
            "ts": ts,
            "agent": agent,
            "amount": amount,
            "reason": reason,
        }
    )


def reward(reward_id: str, price: int, ts: str, **extra: Any) -> Event:
    return {
        "id": f"reward-{next(_ids)}",
        "type": "reward",
        "ts": ts,
        "reward": reward_id,
        "name": reward_id.replace("-", " ").title(),
        "price": price,
        **extra,
    }


def redemption(redemption_id: str, reward_id: str, ts: str, agent: str = "a1") -> Event:
    return {
        "id": f"redemption-{next(_ids)}",
        "type": "redemption",
        "ts": ts,
        "redemption": redemption_id,
        "agent": agent,
        "reward": reward_id,
    }


def decision(redemption_id: str, ts: str, *, approve: bool, reason: str | None = None) -> Event:
    raw = {
        "id": f"decision-{next(_ids)}",
        "type": "redemption_decision",
        "ts": ts,
        "redemption": redemption_id,
        "approve": approve,
    }
    if reason is not None:
        raw["reason"] = reason
    return by_manager(raw)


def budget(site: str, month_cap: int | None, ts: str) -> Event:
    raw: Event = {"id": f"budget-{next(_ids)}", "type": "reward_budget", "ts": ts, "site": site}
    if month_cap is not None:
        raw["month_cap"] = month_cap
    return raw


def wallet(board: Board, agent: str = "a1") -> dict[str, Any]:
    return wallet_view(board.scorer, agent)


def figures(board: Board, agent: str = "a1") -> tuple[float, float, float]:
    """(balance, pending, reserved) of ``agent``'s wallet, in coins."""
    shown = wallet(board, agent)
    return shown["balance"], shown["pending"], shown["reserved"]


def history(board: Board, agent: str = "a1") -> list[tuple[str, float]]:
    """(cause, coins) of each movement, oldest first."""
    return [(m["cause"], m["coins"]) for m in reversed(wallet(board, agent)["history"])]


def store(board: Board) -> dict[str, Any]:
    return store_view(board.scorer, manager=True)


def left(board: Board, reward_id: str) -> int | None:
    [item] = [r for r in store(board)["rewards"] if r["reward"] == reward_id]
    found: int | None = item["left"]
    return found
