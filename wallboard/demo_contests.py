"""The demo company's contests, coins and reward store: what a new user sees played.

The managers of the demo company launch, once, at the start of its history:

- **a site battle** every week, Monday to Monday local time, by points per head,
  so that the small sites stand a chance;
- **a sales race** every day: the first three sites to ``race_target`` sales a
  head (set so that most sites get there at the full rate);
- **a site cup** every week: the quarter-finals on Monday and Tuesday (the two
  top seeds have byes), the semi-finals on Wednesday and Thursday, the final
  from Friday to Sunday, by points per head;
- **two challenges** every day, each between two agents of one site, paired by
  the managers (no answer needed);

and they pay coins (``COINS``: per confirmed point, for places among agents and
for a won challenge), stock a reward store (``REWARDS``) and cap what each site
may redeem in a month (``MONTH_CAP``). The benchmark of the fold runs the same
contests (``bench/fold.py``).
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scoring.log import format_ts

from .simulator import SITES, Company

#: the rule set's ``coins`` section: 1 coin per 10 confirmed points, 50/30/20 for
#: the places of a contest among agents, 25 for a won challenge
COINS = {"per_point": 0.1, "places": [50, 30, 20], "challenge_won": 25}
#: the store: (id, name, price in coins, stock or None for unlimited)
REWARDS = [
    ("coffee", "Coffee of choice", 30, None),
    ("break", "Extra 15-minute break", 80, None),
    ("parking", "Best parking spot for a week", 300, 6),
    ("cinema-pair", "Cinema for two", 500, 10),
    ("day-off", "An extra day off", 2500, 2),
]
#: the most coins a site's agents may redeem in a month
MONTH_CAP = 10_000
#: the share of an agent's average daily sales a race's line (per head) is at
RACE_SHARE = 0.8


def with_coins(setup: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``setup`` with coins in its rule set."""
    return [
        {**event, "rules": {**event["rules"], "coins": COINS}}
        if event["type"] == "rules"
        else event
        for event in setup
    ]


def store(firm: Company) -> list[dict[str, Any]]:
    """The reward store's items and each site's monthly cap, as events without ``ts``."""
    items = [
        {"id": f"reward-{item}", "type": "reward", "reward": item, "name": name, "price": price}
        | ({} if stock is None else {"stock": stock})
        for item, name, price, stock in REWARDS
    ]
    caps = [
        {"id": f"budget-{site}", "type": "reward_budget", "site": site, "month_cap": MONTH_CAP}
        for site in firm.heads
    ]
    return items + caps


def race_target(firm: Company, daily_sales: float) -> int:
    """The line of the daily race, in sales a head, for ``firm`` making
    ``daily_sales`` a day: most sites get there, the quickest first."""
    return max(1, round(daily_sales / sum(firm.heads.values()) * RACE_SHARE))


def contests(
    firm: Company, monday: date, zone: ZoneInfo, daily_sales: float
) -> list[dict[str, Any]]:
    """The contests, as events without ``ts``, their first runs in the week from
    local ``monday``; each repeats until ended."""
    sites = [site for site, *_ in SITES]

    def midnight(day: date) -> str:
        return format_ts(datetime.combine(day, time(), zone))

    def contest(contest_id: str, fmt: str, name: str, **fields: Any) -> dict[str, Any]:
        event = {"id": f"launch-{contest_id}", "type": "contest", "contest": contest_id}
        return {**event, "format": fmt, "name": name, **fields}

    week = {"starts": midnight(monday), "ends": midnight(monday + timedelta(days=7))}
    day = {"starts": midnight(monday), "ends": midnight(monday + timedelta(days=1))}
    cuts = [0, 2, 4, 7]  # the cup's rounds: Mon-Tue, Wed-Thu, Fri-Sun
    rounds = [
        [midnight(monday + timedelta(days=a)), midnight(monday + timedelta(days=b))]
        for a, b in itertools.pairwise(cuts)
    ]
    found = [
        contest(
            "site-battle",
            "team_battle",
            "Site battle of the week",
            metric="points",
            sites=sites,
            fairness="per_head",
            repeat="weekly",
            **week,
        ),
        contest(
            "sales-race",
            "race",
            f"First to {race_target(firm, daily_sales)} sales a head today",
            metric="sales",
            sites=sites,
            target=race_target(firm, daily_sales),
            fairness="per_head",
            places=3,
            repeat="daily",
            **day,
        ),
        contest(
            "site-cup",
            "cup",
            "Site cup of the week",
            metric="points",
            sites=sites,
            fairness="per_head",
            rounds=rounds,
            repeat="weekly",
            **week,
        ),
    ]
    for n, (metric, (one, other)) in enumerate(
        zip(("revenue", "sales"), pairs(firm), strict=False)
    ):
        name = "Revenue duel of the day" if metric == "revenue" else "Sales duel of the day"
        found.append(
            contest(
                f"duel-{n + 1}",
                "challenge",
                name,
                metric=metric,
                agents=[one, other],
                repeat="daily",
                **day,
            )
        )
    return found


def pairs(firm: Company) -> list[tuple[str, str]]:
    """Two pairs of agents for the daily challenges: of the two biggest sites, the
    two agents of closest skill among its first ten on public screens (a board
    shows a challenge by both names)."""
    found = []
    for site, *_ in SITES[:2]:
        public = (a for a in firm.agents if a.site == site and not a.opt_out)
        agents = sorted(public, key=lambda a: a.id)[:10]
        ranked = sorted(agents, key=lambda a: (a.skill, a.id))
        gaps = [(b.skill - a.skill, a.id, b.id) for a, b in itertools.pairwise(ranked)]
        _, one, other = min(gaps)
        found.append((one, other))
    return found
