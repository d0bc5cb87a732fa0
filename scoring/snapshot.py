"""A scorer's state as plain JSON-ready data, and back; and its stable hash.

``state_hash`` is SHA-256 of the state's JSON with sorted keys: two scorers that
folded the same log hash the same, whichever process or backend ran them.
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from typing import Any

from leagues.snapshot import from_data as league_from_data
from leagues.snapshot import to_data as league_data

from .model import Agent, Award, Bucket, Goal, Prize, PrizeRule, Sale, Season, Tombola, dump, load
from .rules import Rules, parse_rules
from .scorer import RECENT_PER_AGENT, Scorer

FORMAT = 1


def to_data(scorer: Scorer, *, sales: bool = True) -> dict[str, Any]:
    """The state as JSON-ready data; without ``sales`` for a caller that encodes
    them, the biggest part by far, piece by piece."""
    data = {
        "format": FORMAT,
        "offset": scorer.offset,
        "clock": scorer.clock,
        "clock_day": scorer._clock_day,
        "rules": [[since, rules.version, dict(rules.raw)] for since, rules in scorer.rules],
        "agents": {k: dump(v) for k, v in scorer.agents.items()},
        "profiles": scorer.profiles,
        "teams": scorer.teams,
        "sites": scorer.sites,
        "seasons": {k: dump(v) for k, v in scorer.seasons.items()},
        "buckets": {a: {d: dump(b) for d, b in days.items()} for a, days in scorer.buckets.items()},
        "sales": [dump(sale) for sale in scorer.sales.values()] if sales else [],
        "waiting_cancellations": {k: list(v) for k, v in scorer.waiting_cancellations.items()},
        "due": [list(entry) for entry in scorer.due],
        "recent": {agent: list(rows) for agent, rows in scorer.recent.items()},
        "goals": {k: dump(v) for k, v in scorer.goals.items()},
        "prizes": {k: dump(v) for k, v in scorer.prizes.items()},
        "prize_rules": {k: dump(v) for k, v in scorer.prize_rules.items()},
        "awards": [dump(award) for award in scorer.awards.values()],
        "tombolas": {k: dump(v) for k, v in scorer.tombolas.items()},
        "settled": scorer.settled,
        "league": league_data(scorer.league),
    }
    if not sales:
        del data["sales"]
    return data


def from_data(data: dict[str, Any]) -> Scorer:
    if data.get("format") != FORMAT:
        raise ValueError(f"expected snapshot format {FORMAT}, got {data.get('format')!r}")
    scorer = Scorer()
    scorer.offset = data["offset"]
    scorer.clock = data["clock"]
    scorer._clock_day = data["clock_day"]
    scorer.rules = [
        (since, Rules() if version == "default" and not raw else parse_rules(raw, version))
        for since, version, raw in data["rules"]
    ]
    scorer.agents = {k: load(Agent, v) for k, v in data["agents"].items()}
    for agent in scorer.agents.values():
        agent.history = [tuple(entry) for entry in agent.history]  # type: ignore[misc]
    scorer.profiles = data["profiles"]
    scorer.teams = data["teams"]
    scorer.sites = data["sites"]
    scorer.seasons = {k: load(Season, v) for k, v in data["seasons"].items()}
    scorer.buckets = {
        a: {d: load(Bucket, b) for d, b in days.items()} for a, days in data["buckets"].items()
    }
    scorer.sales = {values[0]: load(Sale, values) for values in data["sales"]}
    scorer.waiting_cancellations = {
        k: (v[0], v[1], v[2]) for k, v in data["waiting_cancellations"].items()
    }
    scorer.due = [(due, key) for due, key in data["due"]]
    scorer.recent = {a: deque(rows, maxlen=RECENT_PER_AGENT) for a, rows in data["recent"].items()}
    scorer.goals = {k: load(Goal, v) for k, v in data["goals"].items()}
    scorer.prizes = {k: load(Prize, v) for k, v in data["prizes"].items()}
    scorer.prize_rules = {k: load(PrizeRule, v) for k, v in data["prize_rules"].items()}
    scorer.awards = {values[0]: load(Award, values) for values in data["awards"]}
    scorer.tombolas = {k: load(Tombola, v) for k, v in data["tombolas"].items()}
    scorer.settled = data["settled"]
    scorer.league = league_from_data(data["league"])
    return scorer


def state_hash(scorer: Scorer) -> str:
    text = json.dumps(to_data(scorer), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()
