"""The power estimate before an experiment starts, from the log: the smallest effect
it can see over its horizon, and how many weeks a 5 % effect needs.

Each unit's metric per day over the ``WEEKS`` weeks before the start (a team's
or site's agents summed when those are assigned) gives the baseline: its mean,
the units' lasting differences and the day-to-day noise
(``power.MetricBaseline.from_daily``). ``power.horizon_mde`` and
``power.weeks_needed`` take it from there: a two-sided test at 5 % with 80 %
power, the pre-period as long as the experiment (as the report adjusts by it).
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from scoring.experiments.units import members
from scoring.model import Bucket
from scoring.scorer import Scorer

from .metrics import MEASURES, total

WEEKS = 4
ALPHA, POWER = 0.05, 0.8
EFFECT = 0.05


def daily(scorer: Scorer, unit: str, metric: str, before: str) -> dict[str, list[float]]:
    """unit id -> its metric on each day of the ``WEEKS`` weeks before local ``before``
    (a rate's day without a denominator left out)."""
    measure = MEASURES[metric]
    groups: dict[str, list[str]] = {}
    for agent, owner in members(scorer.state, unit, before).items():
        groups.setdefault(owner, []).append(agent)
    start = date.fromisoformat(before) - timedelta(days=7 * WEEKS)
    found: dict[str, list[float]] = {}
    for owner, agents in groups.items():
        values = []
        for offset in range(7 * WEEKS):
            day = (start + timedelta(days=offset)).isoformat()
            summed = Bucket()
            for agent in agents:
                summed.add(total(scorer, agent, (day,)))
            value = measure(summed, len(agents))
            if value is not None:
                values.append(value)
        found[owner] = values
    return found


async def plan(
    scorer: Scorer, unit: str, metric: str, arms: int, weeks: float, before: str
) -> dict[str, object]:
    """The ``power`` block of an experiment or of a draft in the console: the days read
    off the fold here, the estimate (statsmodels, a second or more) in a worker thread."""
    series = daily(scorer, unit, metric, before)
    found = await asyncio.to_thread(estimate, series, arms, weeks)
    return {"metric": metric, "unit": unit, **found}


def estimate(series: dict[str, list[float]], arms: int, weeks: float) -> dict[str, object]:
    # Here, not at the top: the analysis' modules load with the first estimate, in
    # the worker thread, never with the server.
    from .analysis import AnalysisError
    from .power import MetricBaseline, horizon_mde, weeks_needed

    try:
        baseline = MetricBaseline.from_daily(series)
        per_arm = len(series) / arms
        days = 7 * weeks
        detectable = horizon_mde(baseline, per_arm, days, days, ALPHA, POWER)
        needed = weeks_needed(
            baseline, per_arm, EFFECT, ALPHA, POWER, days_per_week=7, pre_as_long_as_window=True
        )
    except AnalysisError:
        return {"available": False}
    return {
        "available": True,
        "units": len(series),
        "baseline": round(baseline.mean, 4),
        "horizon_weeks": round(weeks, 2),
        "detectable": round(detectable, 4),
        "weeks_for_5_percent": needed,
        "alpha": ALPHA,
        "power": POWER,
    }
