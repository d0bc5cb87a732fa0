"""What the API reads of coins and the store: an agent's wallet, the store's
items, and for managers the redemptions waiting and each site's budget.

Coins are shown as numbers of coins (the state keeps hundredths), times as the
log writes them (UTC).
"""

from __future__ import annotations

from typing import Any

from .periods import period_of
from .reward_store import HELD, Redemption, RewardBook
from .scorer import Scorer
from .views import iso
from .wallet import Movement, WalletBook


def coins(hundredths: int) -> float | int:
    """Hundredths of a coin as coins: 12 for 1200, 12.5 for 1250."""
    whole, part = divmod(hundredths, 100)
    return whole if not part else hundredths / 100


def wallet_view(scorer: Scorer, agent: str, *, limit: int = 100) -> dict[str, Any]:
    """An agent's balance, pending and reserved coins, their redemptions and the
    ``limit`` latest movements of their history, newest first."""
    held = scorer.state.slice(WalletBook).wallets.get(agent)
    history = [] if held is None else held.history
    store = scorer.state.slice(RewardBook)
    redemptions = [r for r in store.redemptions.values() if r.agent == agent]
    return {
        "agent": agent,
        "balance": 0 if held is None else coins(held.balance),
        "pending": 0 if held is None else coins(held.pending),
        "reserved": 0 if held is None else coins(held.reserved),
        "history": [_movement(m) for m in reversed(history[-limit:])],
        "movements": len(history),
        "redemptions": [_redemption(store, r) for r in reversed(redemptions)],
    }


def _movement(record: Movement) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "coins": coins(record.amount),
        "cause": record.cause,
        "ref": record.ref,
        "ts": iso(record.ts),
        "by": record.by,
        "note": record.note,
    }
    if record.asked is not None:
        shown["asked"] = coins(record.asked)
    return shown


def _redemption(store: RewardBook, asked: Redemption) -> dict[str, Any]:
    item = store.rewards.get(asked.reward)
    return {
        "redemption": asked.id,
        "reward": asked.reward,
        "name": None if item is None else item.name,
        "picture": None if item is None else item.picture,
        "price": coins(asked.price),
        "state": asked.state,
        "reason": asked.reason,
        "ts": iso(asked.ts),
        "decided": None if asked.decided is None else iso(asked.decided),
    }


def store_view(scorer: Scorer, *, manager: bool) -> dict[str, Any]:
    """The items in the store (every item, and what each has given, for a manager);
    for a manager also the redemptions waiting for a decision, oldest first, and
    each site's budget this month."""
    store = scorer.state.slice(RewardBook)
    items = [
        {
            "reward": item.id,
            "name": item.name,
            "price": coins(item.price),
            "picture": item.picture,
            "stock": item.stock,
            "left": item.left,
            **({"active": item.active, "redeemed": item.redeemed} if manager else {}),
        }
        for item in store.rewards.values()
        if manager or item.active
    ]
    if not manager:
        return {"rewards": items}
    state, clock = scorer.state, scorer.clock
    month = period_of("month", state.timeline.calendar_at(clock).day(clock))
    return {
        "rewards": items,
        "waiting": [
            {
                **_redemption(store, asked),
                "agent": asked.agent,
                "agent_name": _name(scorer, asked.agent),
                "site": asked.site,
            }
            for asked in store.redemptions.values()
            if asked.state == HELD
        ],
        "month": month,
        "budgets": _budgets(scorer, store, month),
    }


def _budgets(scorer: Scorer, store: RewardBook, month: str) -> list[dict[str, Any]]:
    used: dict[str, int] = {site: 0 for site in store.budgets}
    for site in {r.site for r in store.redemptions.values() if r.month == month and r.site}:
        used[site] = store.used(site, month)
    sites = scorer.state.sites
    rows = []
    for site in sorted(used):
        cap = store.budgets.get(site)
        rows.append(
            {
                "site": site,
                "name": sites.get(site, {}).get("name"),
                "month_cap": None if cap is None else coins(cap),
                "used": coins(used[site]),
                "left": None if cap is None else coins(max(0, cap - used[site])),
            }
        )
    return rows


def _name(scorer: Scorer, agent: str) -> str | None:
    found = scorer.state.agents.get(agent)
    return None if found is None else found.name
