"""The simulator's company, playing days with a known effect in one arm: its
agents sell ``sales_lift`` more (8 %) and see ``cancel_drop`` fewer of their
sales cancelled (2 points), so an experiment's analysis can be checked
against the truth.

Each agent makes, per day, a Poisson number of sales with mean ``SALES_PER_DAY``
times their skill (times 1 + ``sales_lift`` when treated), each cancelled a
little later with probability ``CANCEL_RATE`` (less ``cancel_drop`` when
treated), and a Poisson number of contacts. A day's events come in one batch
that ends with a tick at the day's end; the stream is seeded.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from scoring.log import format_ts

from ..simulator import PRODUCT_WEIGHTS, PRODUCTS, Company

SALES_PER_DAY = 3.0
CONTACTS_PER_DAY = 2.0
CANCEL_RATE = 0.12
#: sales and contacts fall between 07:00 and 17:00 of ``start``'s time zone
OPENS, HOURS = 7, 10


@dataclass(frozen=True)
class Effect:
    """The agents who sell more and cancel less, and by how much."""

    treated: frozenset[str] = field(default_factory=frozenset)
    sales_lift: float = 0.08
    cancel_drop: float = 0.02

    def truth(self, firm: Company) -> dict[str, float]:
        """The effect in each metric's unit: sales per agent-day over the company's
        average agent, and the cancellation rate in points."""
        skill = sum(agent.skill for agent in firm.agents) / len(firm.agents)
        return {
            "sales_per_agent_day": self.sales_lift * SALES_PER_DAY * skill,
            "cancellation_rate": -self.cancel_drop,
        }


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: the means here are small.
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def days(
    firm: Company, start: datetime, count: int, effect: Effect | None = None, seed: int = 5
) -> Iterator[list[dict[str, Any]]]:
    """One batch of events per day from ``start`` (a local midnight) for ``count`` days."""
    rng = random.Random(seed)
    effect = effect or Effect()
    serial = 0
    for n in range(count):
        day = start + timedelta(days=n)
        batch: list[dict[str, Any]] = []
        for agent in firm.agents:
            treated = agent.id in effect.treated
            lift = 1 + effect.sales_lift if treated else 1.0
            cancel = CANCEL_RATE - (effect.cancel_drop if treated else 0.0)
            for _ in range(_poisson(rng, SALES_PER_DAY * agent.skill * lift)):
                serial += 1
                ts = day + timedelta(hours=OPENS + HOURS * rng.random())
                batch.append(_sale(rng, f"fx-{seed}-{serial}", agent.id, ts))
                if rng.random() < cancel:
                    later = ts + timedelta(minutes=10 + 110 * rng.random())
                    batch.append(_cancellation(f"fx-{seed}-{serial}", later))
            for _ in range(_poisson(rng, CONTACTS_PER_DAY)):
                serial += 1
                ts = day + timedelta(hours=OPENS + HOURS * rng.random())
                batch.append(_contact(rng, f"fx-{seed}-{serial}", agent.id, ts, agent.skill))
        batch.sort(key=lambda event: event["ts"])
        end = day + timedelta(days=1)
        batch.append({"id": f"fx-{seed}-tick-{n}", "type": "tick", "ts": format_ts(end)})
        yield batch


def _sale(rng: random.Random, event_id: str, agent: str, ts: datetime) -> dict[str, Any]:
    product, _, (low, high), channels = rng.choices(PRODUCTS, cum_weights=PRODUCT_WEIGHTS)[0]
    revenue = math.exp(rng.uniform(math.log(low), math.log(high)))
    return {
        "id": event_id,
        "type": "sale",
        "ts": format_ts(ts),
        "agent": agent,
        "product": product,
        "revenue": f"{revenue:.2f}",
        "channel": rng.choice(channels),
    }


def _cancellation(sale: str, ts: datetime) -> dict[str, Any]:
    return {"id": f"{sale}-x", "type": "cancellation", "ts": format_ts(ts), "sale": sale}


def _contact(
    rng: random.Random, event_id: str, agent: str, ts: datetime, skill: float
) -> dict[str, Any]:
    quality = min(100.0, max(30.0, rng.gauss(78 + 8 * (skill - 1), 10)))
    return {
        "id": event_id,
        "type": "contact",
        "ts": format_ts(ts),
        "agent": agent,
        "channel": rng.choice(["phone", "chat", "email"]),
        "resolved": rng.random() < 0.7,
        "quality": round(quality, 1),
        "referral": rng.randrange(0, 11),
    }
