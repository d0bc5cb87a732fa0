"""The power estimate for the demo company: how long its experiments take.

The demo's company (``simulator.company``: 150 agents at six sites) sells on
the demo's calendar (``timetable``: open every day, busiest from 9 to 18) with
agents picked by their skill, so an agent's sales per day are Poisson around
their skill's share of the company's sales. That gives the baseline of "sales
per agent-day" without playing the calendar: its mean, the spread of the
agents' levels (their skills) and the day-to-day noise (Poisson: the variance
is the mean).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ..simulator import SALE_SHARE, company
from ..timetable import Timetable
from .power import MetricBaseline, weeks_needed

#: the demo company works every day of the week
DAYS_PER_WEEK = 7
#: the pre-period CUPED uses: the two weeks before the start
PRE_DAYS = 14


@dataclass(frozen=True)
class DemoPower:
    baseline: MetricBaseline
    agents: int
    effect_relative: float
    #: whole weeks with two arms of half the agents each; None: not within a year
    weeks_with_pre_period: int | None
    weeks_without_pre_period: int | None


def demo_sales_baseline() -> tuple[MetricBaseline, int]:
    """Sales per agent-day in the demo company, and its number of agents."""
    firm, _ = company()
    start = datetime(2026, 1, 5, 12, tzinfo=UTC)
    calendar = Timetable(firm, start)
    day = calendar.busy_from + timedelta(days=1)
    sales_per_day = calendar.expected(day, day + timedelta(days=1)) * SALE_SHARE
    skills = [agent.skill for agent in firm.agents]
    mean = sales_per_day / len(skills)
    between = mean * statistics.pstdev(skills) / statistics.fmean(skills)
    return MetricBaseline(mean, between, math.sqrt(mean)), len(skills)


def demo_power(effect_relative: float = 0.05) -> DemoPower:
    """How many weeks the demo company needs to find ``effect_relative`` on
    sales per agent-day (agents assigned one by one, 80 % power, 5 % level)."""
    baseline, agents = demo_sales_baseline()
    per_arm = agents / 2

    def weeks(pre_days: int | None) -> int | None:
        return weeks_needed(
            baseline, per_arm, effect_relative, days_per_week=DAYS_PER_WEEK, pre_days=pre_days
        )

    return DemoPower(baseline, agents, effect_relative, weeks(PRE_DAYS), weeks(None))
