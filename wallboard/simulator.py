"""A realistic company, and a simulator of what its agents do.

The company: six sites with German city names and different head counts,
about 150 agents of different skill in teams, products with their revenues
and channels, prize tiers and a weekly rank prize.

``Simulator.events`` makes a given number of sales, cancellations and contacts
spread over a stretch of time, agents picked by skill, from a seeded random
stream. Who asks decides the time: the demo on the real clock
(``timetable``, ``history``, ``player.LivePlayer``), or fast-forward on an
accelerated clock (``Plan``, ``season``): simulated time passes ``speed`` times
faster than real time, and ``tick`` events carry the simulated clock into the
log, so replaying the log gives the same state however fast it was played.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from scoring.log import format_ts

SITES = [
    ("ber", "Berlin", 38, "#1f77b4"),
    ("ham", "Hamburg", 32, "#d62728"),
    ("muc", "München", 27, "#2ca02c"),
    ("cgn", "Köln", 23, "#ff7f0e"),
    ("lei", "Leipzig", 17, "#9467bd"),
    ("ess", "Essen", 13, "#8c564b"),
]
FIRST = [
    "Anna",
    "Ben",
    "Clara",
    "Deniz",
    "Emma",
    "Finn",
    "Greta",
    "Hakan",
    "Ida",
    "Jonas",
    "Katrin",
    "Lukas",
    "Mia",
    "Noah",
    "Olga",
    "Paul",
    "Rana",
    "Sven",
    "Tina",
    "Umut",
    "Vera",
    "Willi",
    "Yasemin",
    "Zoe",
    "Mehmet",
    "Lea",
    "Jan",
    "Sophie",
    "Tim",
    "Marta",
]
LAST = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Yılmaz",
    "Neumann",
    "Schwarz",
    "Braun",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Kaya",
    "Nowak",
]
#: product, share of sales, revenue range in euros, preferred channels
PRODUCTS = [
    ("mobile-upgrade", 0.35, (15, 60), ("phone", "chat", "shop")),
    ("mobile-new", 0.15, (30, 120), ("phone", "shop", "web")),
    ("dsl-100", 0.15, (25, 45), ("phone", "chat")),
    ("fiber-1000", 0.05, (60, 90), ("phone", "web")),
    ("tv-basic", 0.12, (10, 30), ("phone", "chat", "email")),
    ("insurance", 0.08, (40, 400), ("phone",)),
    ("accessory", 0.10, (5, 80), ("shop", "web", "social")),
]
PRODUCT_WEIGHTS = list(itertools.accumulate(p[1] for p in PRODUCTS))
RULES = {
    "cancellation_window_days": 14,
    "weights": {"sales": 1.0, "support": 0.8},
    "sale": {
        "products": {
            "mobile": {"base": 20, "per_euro": 0.2},
            "dsl": {"base": 25, "per_euro": 0.1},
            "tv": {"base": 10, "per_euro": 0.1},
            "insurance": {"base": 15, "per_euro": 0.05},
            "*": {"base": 5, "per_euro": 0.1, "channel_bonus": {"shop": 3, "phone": 3}},
        },
        "groups": {
            "mobile-upgrade": "mobile",
            "mobile-new": "mobile",
            "dsl-100": "dsl",
            "fiber-1000": "dsl",
            "tv-basic": "tv",
        },
        "channel_factors": {"web": 0.6},
    },
    "contact": {
        "handled": 1,
        "resolved": 2,
        "referral": 3,
        "quality_bands": [{"min": 90, "points": 3}, {"min": 75, "points": 1}],
    },
    "commission": {"mobile": {"fixed": 4}, "dsl": {"percent": 5}, "insurance": {"percent": 8}},
    "gates": {"month": {"min_sales": 5, "min_quality": 75, "max_cancellation_rate": 0.2}},
}
#: prize, name, its usual stock, and the revenue of a sale that wins it at once
PRIZES = [
    ("basket", "Delicacies basket", 3, "250"),
    ("champagne", "Bottle of champagne", 5, "150"),
    ("shirt", "T-shirt", 20, "90"),
    ("cinema", "Cinema voucher", 30, "60"),
]
#: the same prizes on the real clock (``timetable``), where a sale comes every few
#: seconds all day: only a large insurance sale wins one, about 2 % of sales, so
#: that the board celebrates a prize every few minutes rather than every few seconds
REAL_TIME_PRIZES = [
    ("basket", "Delicacies basket", 3, "380"),
    ("champagne", "Bottle of champagne", 5, "340"),
    ("shirt", "T-shirt", 20, "280"),
    ("cinema", "Cinema voucher", 30, "200"),
]
#: the week's top three sellers win one (a rank prize, unlimited)
WEEKLY_RANK_PRIZE = ("voucher", "Restaurant voucher", 3)
AVERAGE_SALE_POINTS = 23.0
SALE_SHARE = 0.45
CANCEL_SHARE = 0.08


@dataclass
class Agent:
    id: str
    site: str
    skill: float
    #: left off public screens (the roster's ``opt_out``)
    opt_out: bool = False


@dataclass
class Company:
    agents: list[Agent] = field(default_factory=list)
    heads: dict[str, int] = field(default_factory=dict)


def company(
    seed: int = 7, prizes: list[tuple[str, str, int, str]] = PRIZES
) -> tuple[Company, list[dict[str, Any]]]:
    """The roster, rules and catalog as events (without ``ts``), and the company."""
    rng = random.Random(seed)
    firm = Company()
    events: list[dict[str, Any]] = [{"id": "demo-rules", "type": "rules", "rules": RULES}]
    for site, name, heads, colour in SITES:
        events.append(
            {
                "id": f"site-{site}",
                "type": "site",
                "site": site,
                "name": name,
                "short_name": name[:3].upper(),
                "colour": colour,
            }
        )
        teams = max(2, heads // 10)
        for team in range(teams):
            events.append(
                {
                    "id": f"team-{site}-{team}",
                    "type": "team",
                    "team": f"{site}-{team + 1}",
                    "name": f"{name} {team + 1}",
                    "site": site,
                }
            )
        firm.heads[site] = heads
        for n in range(heads):
            agent_id = f"{site}-{n + 1:02d}"
            first, last = rng.choice(FIRST), rng.choice(LAST)
            event: dict[str, Any] = {
                "id": f"agent-{agent_id}",
                "type": "agent",
                "agent": agent_id,
                "name": f"{first} {last}",
                "team": f"{site}-{n % teams + 1}",
                "site": site,
            }
            if rng.random() < 0.4:
                event["public_name"] = f"{first} {last[0]}."
            if rng.random() < 0.05:
                event["opt_out"] = True
            events.append(event)
            skill = rng.lognormvariate(0, 0.45)
            firm.agents.append(Agent(agent_id, site, skill, bool(event.get("opt_out"))))
    for prize, name, stock, revenue in prizes:
        events.append(
            {"id": f"prize-{prize}", "type": "prize", "prize": prize, "name": name, "stock": stock}
        )
        events.append(
            {
                "id": f"rule-{prize}",
                "type": "prize_rule",
                "rule": f"instant-{prize}",
                "kind": "instant",
                "prize": prize,
                "min_revenue": revenue,
            }
        )
    prize, name, top = WEEKLY_RANK_PRIZE
    events.append({"id": f"prize-{prize}", "type": "prize", "prize": prize, "name": name})
    events.append(
        {
            "id": f"rule-{prize}",
            "type": "prize_rule",
            "rule": "sellers-of-the-week",
            "kind": "rank",
            "prize": prize,
            "period": "week",
            "top": top,
        }
    )
    return firm, events


#: what agents save their commission for (``personal_goals``): a title and a price
WISHES = [
    ("Concert tickets", "180.00"),
    ("New headphones", "250.00"),
    ("A bicycle", "600.00"),
    ("A new phone", "800.00"),
    ("A weekend in Rome", "900.00"),
]


def personal_goals(firm: Company) -> list[dict[str, Any]]:
    """A ``goal`` event (without ``ts``) for every agent, from ``WISHES`` in turn."""
    return [
        {
            "id": f"goal-{agent.id}",
            "type": "goal",
            "agent": agent.id,
            "title": WISHES[n % len(WISHES)][0],
            "price": WISHES[n % len(WISHES)][1],
        }
        for n, agent in enumerate(firm.agents)
    ]


@dataclass
class Plan:
    """How fast the demo plays: ``window`` real seconds per matchday."""

    rate: float = 20.0
    window: float = 120.0
    speed: float = 240.0

    @property
    def simulated_window(self) -> timedelta:
        return timedelta(seconds=self.window * self.speed)

    def goal_every(self, firm: Company) -> float:
        # Points per head a club makes in a window (less the cancelled sales). Goals are
        # whole, so a club scores about per_head / goal_every - 0.5: aim at 1.4 a club,
        # 2.8 a match.
        heads = sum(firm.heads.values())
        per_head = (
            self.rate * self.window * SALE_SHARE * (1 - CANCEL_SHARE) * AVERAGE_SALE_POINTS / heads
        )
        return round(per_head / 1.9, 1)


def season(firm: Company, plan: Plan, starts: datetime) -> dict[str, Any]:
    windows = []
    for n in range(2 * (len(SITES) - 1)):
        opens = starts + n * plan.simulated_window
        windows.append([format_ts(opens), format_ts(opens + plan.simulated_window)])
    return {
        "id": "demo-season",
        "type": "league_season",
        "ts": format_ts(starts),
        "season": "demo",
        "name": "Sales Cup",
        "windows": windows,
        "goal_every": plan.goal_every(firm),
        "grace_minutes": 5,
        "clubs": [
            {"club": site, "name": name, "heads": heads, "colour": colour}
            for site, name, heads, colour in SITES
        ],
    }


class Simulator:
    """Events for simulated time, agents picked by skill, a seeded random stream."""

    def __init__(self, firm: Company, seed: int = 11, prefix: str = "sim") -> None:
        self.firm = firm
        self.rng = random.Random(seed)
        self.prefix = prefix
        self.count = 0
        #: the latest sales, one of which a cancellation names
        self.sales: deque[tuple[str, datetime]] = deque(maxlen=500)
        #: how likely each agent is to act (callers may change them: an agent leaves)
        self.weights = [a.skill for a in firm.agents]
        self._weighed: list[float] = []
        self._cumulative: list[float] = []

    def _agent(self) -> Agent:
        # What rng.choices(agents, weights=...) draws, without summing the weights
        # again for every event (a third of the time it took).
        if self.weights != self._weighed:
            self._weighed = list(self.weights)
            self._cumulative = list(itertools.accumulate(self.weights))
        return self.rng.choices(self.firm.agents, cum_weights=self._cumulative)[0]

    def events(self, count: int, start: datetime, end: datetime) -> list[dict[str, Any]]:
        """``count`` events spread over [start, end), then a tick at ``end``."""
        rng = self.rng
        out: list[dict[str, Any]] = []
        span = (end - start).total_seconds()
        for n in range(count):
            ts = start + timedelta(seconds=span * (n + rng.random()) / max(1, count))
            self.count += 1
            event_id = f"{self.prefix}-{self.count}"
            roll = rng.random()
            if roll < CANCEL_SHARE and self.sales:
                sale_id, _ = self.sales[rng.randrange(len(self.sales))]
                out.append(
                    {
                        "id": event_id,
                        "type": "cancellation",
                        "ts": format_ts(ts),
                        "sale": sale_id,
                        "reason": rng.choice(
                            [
                                "customer changed mind",
                                "found a cheaper offer",
                                "wrong tariff",
                                "withdrawal",
                            ]
                        ),
                    }
                )
                continue
            agent = self._agent()
            if roll < CANCEL_SHARE + SALE_SHARE:
                product, _, (low, high), channels = rng.choices(
                    PRODUCTS, cum_weights=PRODUCT_WEIGHTS
                )[0]
                revenue = math.exp(rng.uniform(math.log(low), math.log(high)))
                out.append(
                    {
                        "id": event_id,
                        "type": "sale",
                        "ts": format_ts(ts),
                        "agent": agent.id,
                        "product": product,
                        "revenue": f"{revenue:.2f}",
                        "channel": rng.choice(channels),
                    }
                )
                self.sales.append((event_id, ts))
            else:
                quality = min(100.0, max(30.0, rng.gauss(78 + 8 * (agent.skill - 1), 10)))
                out.append(
                    {
                        "id": event_id,
                        "type": "contact",
                        "ts": format_ts(ts),
                        "agent": agent.id,
                        "channel": rng.choice(["phone", "phone", "chat", "email", "social"]),
                        "resolved": rng.random() < 0.7,
                        "quality": round(quality, 1),
                        "referral": rng.randrange(0, 11),
                    }
                )
        out.append({"id": f"{self.prefix}-tick-{self.count}", "type": "tick", "ts": format_ts(end)})
        return out


def demo_setup(
    firm: Company,
    roster: list[dict[str, Any]],
    plan: Plan,
    now: datetime,
    history_windows: float = 2.5,
) -> tuple[list[dict[str, Any]], datetime]:
    """Roster, season, tombola-free history: returns the events and the simulated now."""
    starts = now - history_windows * plan.simulated_window
    setup = [{**event, "ts": format_ts(starts - timedelta(days=1))} for event in roster]
    setup.append(season(firm, plan, starts))
    return setup, starts


def play(
    simulator: Simulator, plan: Plan, start: datetime, seconds: float, step: float = 1.0
) -> list[list[dict[str, Any]]]:
    """Batches for ``seconds`` real seconds of play from simulated ``start`` (history)."""
    batches = []
    moment = start
    for _ in range(int(seconds / step)):
        later = moment + timedelta(seconds=step * plan.speed)
        batches.append(simulator.events(max(1, round(plan.rate * step)), moment, later))
        moment = later
    return batches


def utc_now(clock: Callable[[], float]) -> datetime:
    return datetime.fromtimestamp(clock(), UTC)
