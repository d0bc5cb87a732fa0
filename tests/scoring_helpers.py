"""Builders for the scoring tests: events in the form the log stores them, and a
scorer to fold them into.

An event goes through ``scoring.events.validate`` and ``scoring.log.records``
and back through orjson, exactly as the service writes and reads it, so the
tests meet the scorer with the same dicts production does.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
from collections.abc import Mapping
from typing import Any

import orjson

from scoring.events import INTEGRATION_TYPES, SYSTEM_TYPES, validate
from scoring.log import SYSTEM_SOURCE, records, system_record
from scoring.rules import DEFAULT_RULES, SECTIONS
from scoring.scorer import Scorer
from scoring.views import agent_view, leaderboard, prizes_view, tombola_view

CRM = "crm"
MANAGE = "manage"
Event = dict[str, Any]

_ids = itertools.count(1)


def _next_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


def logged(raw: Event, *, received: str | None = None, source: str | None = None) -> Event:
    """``raw`` as the log holds it: validated, with ``source`` and ``received``.

    ``received`` defaults to the event's own ``ts``: the event reached the log
    the moment it happened, so the scorer's clock follows the events.
    """
    clean = validate(raw)
    if source is None:
        source = CRM if clean["type"] in INTEGRATION_TYPES else MANAGE
        if clean["type"] in SYSTEM_TYPES:
            source = SYSTEM_SOURCE  # ticks and draws come from the service alone
    [(_, data)] = records([clean], source, received or clean["ts"])
    event: Event = orjson.loads(data)
    return event


# Integration events ---------------------------------------------------------


def sale(
    event_id: str,
    ts: str,
    *,
    agent: str = "a1",
    product: str = "mobile",
    revenue: str = "100.00",
    channel: str = "phone",
    **extra: Any,
) -> Event:
    return {
        "id": event_id,
        "type": "sale",
        "ts": ts,
        "agent": agent,
        "product": product,
        "revenue": revenue,
        "channel": channel,
        **extra,
    }


def cancellation(event_id: str, of_sale: str, ts: str, **extra: Any) -> Event:
    return {"id": event_id, "type": "cancellation", "ts": ts, "sale": of_sale, **extra}


def contact(
    event_id: str,
    ts: str,
    *,
    agent: str = "a1",
    resolved: bool = False,
    quality: float | None = 80,
    referral: bool | int = False,
    channel: str = "phone",
) -> Event:
    """A handled contact; ``quality`` None: one without a quality score."""
    event = {
        "id": event_id,
        "type": "contact",
        "ts": ts,
        "agent": agent,
        "channel": channel,
        "resolved": resolved,
        "quality": quality,
        "referral": referral,
    }
    return {name: value for name, value in event.items() if value is not None}


# Manager events -------------------------------------------------------------


def rules(version: str, ts: str, **sections: Any) -> Event:
    """A rules event: ``sections`` in place of the defaults', the set whole."""
    return {"id": version, "type": "rules", "ts": ts, "rules": whole_rules(**sections)}


def whole_rules(**sections: Any) -> dict[str, Any]:
    """Every section a new rule set must carry, the defaults but for ``sections``."""
    return {**{name: copy.deepcopy(DEFAULT_RULES[name]) for name in SECTIONS}, **sections}


def roster(agent: str, ts: str, *, team: str, site: str, name: str = "", **extra: Any) -> Event:
    return {
        "id": _next_id(f"roster-{agent}"),
        "type": "agent",
        "ts": ts,
        "agent": agent,
        "name": name or f"Agent {agent.upper()}",
        "team": team,
        "site": site,
        **extra,
    }


def team(team_id: str, name: str, site: str, ts: str = "2026-01-01T00:00:00Z") -> Event:
    return {
        "id": _next_id("team"),
        "type": "team",
        "ts": ts,
        "team": team_id,
        "name": name,
        "site": site,
    }


def season(season_id: str, starts: str, ends: str, ts: str = "2026-01-01T00:00:00Z") -> Event:
    return {
        "id": _next_id("season"),
        "type": "season",
        "ts": ts,
        "season": season_id,
        "name": season_id.title(),
        "starts": starts,
        "ends": ends,
    }


def goal(event_id: str, ts: str, *, agent: str = "a1", title: str, price: str) -> Event:
    return {
        "id": event_id,
        "type": "goal",
        "ts": ts,
        "agent": agent,
        "title": title,
        "price": price,
    }


def prize(prize_id: str, ts: str, *, name: str = "", stock: int | None = None) -> Event:
    event = {
        "id": _next_id("prize"),
        "type": "prize",
        "ts": ts,
        "prize": prize_id,
        "name": name or prize_id.title(),
    }
    if stock is not None:
        event["stock"] = stock
    return event


def prize_rule(rule_id: str, ts: str, *, kind: str, prize: str, **extra: Any) -> Event:
    return {
        "id": _next_id("prize-rule"),
        "type": "prize_rule",
        "ts": ts,
        "rule": rule_id,
        "kind": kind,
        "prize": prize,
        **extra,
    }


def handover(award: str, ts: str) -> Event:
    return {"id": _next_id("handover"), "type": "handover", "ts": ts, "award": award}


def tombola_open(
    tombola_id: str, ts: str, *, closes: str, prizes: list[str], seed: bytes, **extra: Any
) -> Event:
    return {
        "id": _next_id("tombola"),
        "type": "tombola_open",
        "ts": ts,
        "tombola": tombola_id,
        "name": tombola_id.title(),
        "prizes": prizes,
        "closes": closes,
        "seed_hash": hashlib.sha256(seed).hexdigest(),
        **extra,
    }


def tombola_draw(
    tombola_id: str, ts: str, *, seed: bytes, ledger: Mapping[str, int], winners: list[str]
) -> Event:
    return {
        "id": _next_id("draw"),
        "type": "tombola_draw",
        "ts": ts,
        "tombola": tombola_id,
        "seed": seed.hex(),
        "ledger_hash": ledger_digest(ledger),
        "winners": winners,
    }


def ledger_digest(ledger: Mapping[str, int]) -> str:
    """The documented ledger hash, written out here rather than imported: SHA-256
    of ``{"agent": tickets}`` as JSON with sorted keys and no spaces."""
    text = json.dumps(dict(sorted(ledger.items())), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def tick(ts: str) -> Event:
    """A tick as the service writes it: only id, type and ts, from the service."""
    _, data = system_record(validate({"id": f"tick-{ts}", "type": "tick", "ts": ts}))
    event: Event = orjson.loads(data)
    return event


# A scorer with the views at hand ---------------------------------------------


class Board:
    """A fresh scorer, fed raw events, read through the views."""

    def __init__(self, *events: Event) -> None:
        self.scorer = Scorer()
        self.feed(*events)

    def feed(self, *events: Event, received: str | None = None) -> Board:
        for raw in events:
            if "source" in raw:  # already as the log holds it (a tick)
                self.scorer.apply(raw)
            else:
                self.scorer.apply(logged(raw, received=received))
        return self

    def at(self, ts: str) -> Board:
        """Move the clock with a tick."""
        self.scorer.apply(tick(ts))
        return self

    def agent(self, agent_id: str = "a1") -> dict[str, Any]:
        return agent_view(self.scorer, agent_id)

    def period(self, kind: str, agent_id: str = "a1") -> dict[str, Any]:
        """The agent's figures for the current ``kind`` period."""
        figures: dict[str, Any] = self.agent(agent_id)["periods"][kind]
        return figures

    def points_of_events(self, agent_id: str = "a1") -> dict[str, float]:
        """Points per event id, as the agent's explanation lists them."""
        return {
            row["event"]: row["points"] for row in self.agent(agent_id)["recent"] if "points" in row
        }

    def rows(self, period: str, by: str = "agent") -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = leaderboard(self.scorer, period, by)["rows"]
        return rows

    def board(self, period: str, by: str = "agent") -> list[tuple[str, float]]:
        """(id, points) in leaderboard order."""
        return [(row["id"], row["points"]) for row in self.rows(period, by)]

    def prizes(self) -> dict[str, Any]:
        return prizes_view(self.scorer)

    def awards(self) -> list[dict[str, Any]]:
        awards: list[dict[str, Any]] = prizes_view(self.scorer)["awards"]
        return awards

    def tombola(self, tombola_id: str) -> dict[str, Any]:
        return tombola_view(self.scorer, tombola_id)

    def changes(self, kind: str) -> list[dict[str, Any]]:
        return [change for change in self.scorer.outbox.changes if change["kind"] == kind]


# Contests ---------------------------------------------------------------------


def contest(
    contest_id: str,
    ts: str,
    *,
    format: str,
    starts: str,
    ends: str,
    metric: str = "revenue",
    **extra: Any,
) -> Event:
    return {
        "id": _next_id(f"contest-{contest_id}"),
        "type": "contest",
        "ts": ts,
        "contest": contest_id,
        "format": format,
        "name": contest_id.title(),
        "metric": metric,
        "starts": starts,
        "ends": ends,
        **extra,
    }


def challenge_answer(contest_id: str, ts: str, *, accept: bool) -> Event:
    return {
        "id": _next_id("answer"),
        "type": "challenge_answer",
        "ts": ts,
        "contest": contest_id,
        "accept": accept,
    }


def contest_end(contest_id: str, ts: str) -> Event:
    return {"id": _next_id("end"), "type": "contest_end", "ts": ts, "contest": contest_id}
