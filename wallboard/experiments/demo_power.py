"""The power estimate for the demo company: how long its experiments take.

The company is the simulator's (``simulator.company``: 150 agents at six
sites, skills lognormal). In an experiment it is played day by day, every
day of the week, each agent making a Poisson number of sales a day around
``SALES_PER_DAY`` times their skill (the live demo's board runs far busier:
it is made to move on a wall, not to be measured). That gives the baseline
of "sales per agent-day" without playing a single day: its mean, the spread
of the agents' levels (their skills) and the day-to-day noise (Poisson: the
variance is the mean). The pre-period is as long as the experiment, as the
report takes it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from ..simulator import company
from .power import MetricBaseline, weeks_needed

#: sales a day of an agent of skill 1 when the demo company plays an experiment
SALES_PER_DAY = 3.0
#: the demo company works every day of the week
DAYS_PER_WEEK = 7


@dataclass(frozen=True)
class DemoPower:
    baseline: MetricBaseline
    agents: int
    effect_relative: float
    #: whole weeks with two arms of half the agents each; None: not within a year
    weeks_with_pre_period: int | None
    weeks_without_pre_period: int | None


def demo_sales_baseline(sales_per_day: float = SALES_PER_DAY) -> tuple[MetricBaseline, int]:
    """Sales per agent-day in the demo company, and its number of agents."""
    firm, _ = company()
    skills = [agent.skill for agent in firm.agents]
    mean = sales_per_day * statistics.fmean(skills)
    between = sales_per_day * statistics.pstdev(skills)
    return MetricBaseline(mean, between, math.sqrt(mean)), len(skills)


def demo_power(effect_relative: float = 0.05) -> DemoPower:
    """How many weeks the demo company needs to find ``effect_relative`` on
    sales per agent-day (agents assigned one by one, 80 % power, 5 % level)."""
    baseline, agents = demo_sales_baseline()
    per_arm = agents / 2

    def weeks(pre: bool) -> int | None:
        return weeks_needed(
            baseline,
            per_arm,
            effect_relative,
            days_per_week=DAYS_PER_WEEK,
            pre_as_long_as_window=pre,
        )

    return DemoPower(baseline, agents, effect_relative, weeks(True), weeks(False))
