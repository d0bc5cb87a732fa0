"""What the agent's desk widget shows beside their figures (``screens.agent``).

The agent's own prizes and how each was won; what they can still win; what
comes next when nothing is on (the next tombola, the next match of their site);
what their first sale would earn; and the rule set's name where a person named
it. All as data: the page words it in its reader's language, with times in the
rule set's time zone.
"""

from __future__ import annotations

import re
from typing import Any

from leagues.season import FINAL, SCHEDULED, Match, Season
from scoring import views
from scoring.model import PrizeRule, Tombola
from scoring.rules import Rules
from scoring.scorer import Scorer

#: prize rules an agent is shown as something still to win, at most
CHANCES = 3
#: a rule set id a machine made, not a person: ``rules-1796238919856-c80738`` (a
#: millisecond clock and hex), ``rules-9f86d081884c7d65`` (the API's, when none is given)
MACHINE_MADE = re.compile(r"(?:[a-z]+-)?(?:\d{10,}|[0-9a-f]{12,})(?:-[0-9a-f]{4,})?", re.I)
TOMBOLA_RULE = "tombola:"


def rules_name(version: str) -> str | None:
    """The rule set's name as a manager gave it, or None for an id a machine made
    (and for the built-in rules, which nobody named)."""
    if version == "default" or MACHINE_MADE.fullmatch(version):
        return None
    return version


def extras(scorer: Scorer, agent_id: str, site: str | None) -> dict[str, Any]:
    clock = scorer.clock or 0.0
    rules = scorer.state.timeline.rules_for(agent_id, clock)
    return {
        "timezone": rules.timezone,
        "prizes": prizes(scorer, agent_id),
        "chances": chances(scorer),
        "first_sale": first_sale(rules),
        **tombolas(scorer, agent_id, clock),
        **matches(scorer, site, clock),
    }


def prizes(scorer: Scorer, agent_id: str) -> list[dict[str, Any]]:
    """The agent's awards, newest first: the prize, how it was won, whether it was
    handed over (or taken back with its sale)."""
    book = scorer.prizes.book
    shown = []
    for award in book.awards.values():
        if award.agent != agent_id:
            continue
        prize = book.prizes.get(award.prize)
        rule = book.prize_rules.get(award.rule)
        sale = scorer.state.sales.get(award.sale) if award.sale else None
        tombola = (
            scorer.tombolas.book.tombolas.get(award.rule.removeprefix(TOMBOLA_RULE))
            if award.rule.startswith(TOMBOLA_RULE)
            else None
        )
        shown.append(
            {
                "award": award.id,
                "name": prize.name if prize else award.prize,
                "picture": prize.picture if prize else None,
                "ts": views.iso(award.ts),
                "state": award.state,
                "how": "tombola" if tombola else (rule.kind if rule else None),
                "tombola_name": tombola.name if tombola else None,
                "revenue": sale.revenue / 100 if sale else None,
                "points": rule.points / 100 if rule and rule.kind == "threshold" else None,
                "period": rule.period if rule and rule.kind != "instant" else None,
                "top": rule.top if rule and rule.kind == "rank" else None,
            }
        )
    return shown[::-1]


def chances(scorer: Scorer) -> list[dict[str, Any]]:
    """Prizes still to win by the rules in force, the easiest first: an instant
    prize's least revenue, a threshold's points, a rank's places."""
    book = scorer.prizes.book
    open_rules = [
        rule
        for rule in book.prize_rules.values()
        if rule.active and not rule.hidden and not rule.out_of_stock and rule.prize in book.prizes
    ]
    order = {"instant": 0, "threshold": 1, "rank": 2}
    open_rules.sort(key=lambda rule: (order.get(rule.kind, 3), rule.min_revenue, rule.points))
    return [_chance(book.prizes[rule.prize].name, rule) for rule in open_rules[:CHANCES]]


def _chance(prize: str, rule: PrizeRule) -> dict[str, Any]:
    return {
        "how": rule.kind,
        "prize": prize,
        "min_revenue": rule.min_revenue / 100,
        "points": rule.points / 100,
        "period": rule.period,
        "top": rule.top,
    }


def first_sale(rules: Rules) -> dict[str, Any]:
    """What a sale earns, for an agent with none yet: the product rule that pays the
    most a sale (``rule`` None for the one every other product falls under)."""
    name, best = max(rules.products.items(), key=lambda item: (item[1].base, item[1].per_euro))
    return {
        "rule": None if name == "*" else name,
        "base": round(best.base * rules.sales_weight, 4),
        "per_euro": round(best.per_euro * rules.sales_weight, 4),
    }


def tombolas(scorer: Scorer, agent_id: str, clock: float) -> dict[str, Any]:
    """Each open tombola with the agent's tickets and the sales to their next one;
    the next to open and the last to close, for when none is open."""
    drums = list(scorer.tombolas.book.tombolas.values())
    running = [t for t in drums if t.state == "open" and t.opens <= clock]
    upcoming = sorted((t for t in drums if t.state == "open" and t.opens > clock), key=_opens)
    ended = sorted((t for t in drums if t.state != "open"), key=lambda t: t.closes)
    last = ended[-1] if ended else None
    return {
        "tombolas_open": [
            {
                "tombola": t.id,
                "name": t.name,
                "closes": views.iso(t.closes),
                "tickets": t.tickets(agent_id),
                "every": t.every,
                "to_next": t.every - t.counts.get(agent_id, 0) % t.every,
            }
            for t in running
        ],
        "tombola_next": None
        if not upcoming
        else {"name": upcoming[0].name, "opens": views.iso(upcoming[0].opens)},
        "tombola_last": None
        if last is None
        else {
            "name": last.name,
            "closes": views.iso(last.closes),
            "drawn": last.state == "drawn",
            "tickets": (last.ledger or {}).get(agent_id, 0),
            "won": agent_id in last.winners,
        },
    }


def _opens(tombola: Tombola) -> float:
    return tombola.opens


def matches(scorer: Scorer, site: str | None, clock: float) -> dict[str, Any]:
    """For when the agent's site plays no match now: its next match and its last
    result in the seasons it plays in, and whether it plays in any."""
    seasons = [s for s in scorer.league.league.seasons.values() if not s.ended and site in s.clubs]
    coming = [
        (m.starts, season, m)
        for season in seasons
        for m in season.matches
        if m.state == SCHEDULED and m.starts > clock and site in (m.home, m.away)
    ]
    played = [
        (m.ends, season, m)
        for season in seasons
        for m in season.matches
        if m.state == FINAL and site in (m.home, m.away)
    ]
    following = min(coming, key=lambda item: item[0], default=None)
    latest = max(played, key=lambda item: item[0], default=None)
    return {
        "in_league": bool(seasons),
        "match_next": None if following is None else _fixture(following[1], following[2]),
        "match_last": None if latest is None else _fixture(latest[1], latest[2]),
    }


def _fixture(season: Season, match: Match) -> dict[str, Any]:
    return {
        "season_name": season.name,
        "matchday": match.matchday,
        "home_name": season.clubs[match.home].name,
        "away_name": season.clubs[match.away].name,
        "starts": views.iso(match.starts),
        "ends": views.iso(match.ends),
        "home_goals": match.home_goals,
        "away_goals": match.away_goals,
        "final": match.state == FINAL,
    }


def recent(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The agent's latest events for the page: the parts of each sum, not the API's
    English sentence, and the rule set's name only where a person gave one."""
    shown = []
    for row in rows:
        explain = dict(row["explain"])
        if "rules" in explain:
            explain["rules_name"] = rules_name(explain.pop("rules"))
        kept = {key: value for key, value in row.items() if key not in ("why", "rules")}
        shown.append({**kept, "explain": explain})
    return shown
