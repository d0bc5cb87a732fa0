"""The power estimate before an experiment starts: the smallest effect it can see
over its horizon, and how many weeks a given effect needs.

From the last ``WEEKS`` weeks before the start, each unit's metric per week
gives the spread between units (``between``) and a unit's spread from week to
week (``within``). Over ``w`` weeks a unit's mean varies by ``between +
within / w``; the analysis adjusts for the same metric over the same length
before the start (CUPED), which takes out what the two periods share, leaving
``v - between**2 / v`` with ``v = between + within / w``. With ``n`` units per
arm, a two-sided test at 5 % with 80 % power sees an effect of ``(z(0.975) +
z(0.8)) * sqrt(2 * residual / n)``. Teams and sites are the units when they
are assigned: their agents' sums make the unit's figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist, fmean, variance

from scoring.experiments.units import members
from scoring.model import Bucket
from scoring.scorer import Scorer

from .metrics import MEASURES, total

WEEKS = 4
ALPHA, POWER = 0.05, 0.8
MAX_WEEKS = 52


@dataclass(frozen=True, slots=True)
class Spread:
    mean: float
    between: float
    within: float
    units: int


def spread(scorer: Scorer, unit: str, metric: str, before: str) -> Spread | None:
    """Units' weekly figures over the ``WEEKS`` weeks before local day ``before``."""
    measure = MEASURES[metric]
    groups: dict[str, list[str]] = {}
    for agent, owner in members(scorer.state, unit, before).items():
        groups.setdefault(owner, []).append(agent)
    start = date.fromisoformat(before) - timedelta(days=7 * WEEKS)
    weekly: list[list[float]] = []
    for agents in groups.values():
        values = []
        for week in range(WEEKS):
            days = [(start + timedelta(days=7 * week + d)).isoformat() for d in range(7)]
            summed = Bucket()
            for agent in agents:
                summed.add(total(scorer, agent, days))
            value = measure(summed, 7 * len(agents))
            if value is not None:
                values.append(value)
        if len(values) == WEEKS:
            weekly.append(values)
    if len(weekly) < 4:
        return None
    means = [fmean(values) for values in weekly]
    within = fmean([variance(values) for values in weekly])
    between = max(0.0, variance(means) - within / WEEKS)
    return Spread(fmean(means), between, within, len(weekly))


def detectable(found: Spread, arms: int, weeks: float) -> float:
    """The smallest effect, relative to the mean, seen over ``weeks`` weeks."""
    per_arm = found.units / arms
    varying = found.between + found.within / weeks
    residual = varying - found.between**2 / varying if varying else 0.0
    z = NormalDist().inv_cdf(1 - ALPHA / 2) + NormalDist().inv_cdf(POWER)
    absolute = z * math.sqrt(2 * residual / per_arm)
    return absolute / found.mean if found.mean else math.inf


def weeks_needed(found: Spread, arms: int, effect: float) -> int | None:
    for weeks in range(1, MAX_WEEKS + 1):
        if detectable(found, arms, weeks) <= effect:
            return weeks
    return None


def plan(
    scorer: Scorer, unit: str, metric: str, arms: int, weeks: float, before: str
) -> Mapping[str, object]:
    """The ``power`` block of an experiment or of a draft in the console."""
    found = spread(scorer, unit, metric, before)
    if found is None:
        return {"metric": metric, "unit": unit, "available": False}
    return {
        "metric": metric,
        "unit": unit,
        "available": True,
        "units": found.units,
        "baseline": round(found.mean, 4),
        "horizon_weeks": round(weeks, 2),
        "detectable": round(detectable(found, arms, weeks), 4),
        "weeks_for_5_percent": weeks_needed(found, arms, 0.05),
        "alpha": ALPHA,
        "power": POWER,
    }
