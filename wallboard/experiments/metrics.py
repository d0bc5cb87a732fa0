"""Each agent's metrics over an experiment's window and the same length before it,
read off the fold's day buckets: what the analysis takes, and the daily series
the report draws.

The metrics (``scoring.experiments.contract.METRICS``), per agent:

- ``sales_per_agent_day``: sales made (those cancelled later included) per day;
- ``revenue_per_agent_day``: euros of the sales that stand, per day;
- ``cancellation_rate``: sales cancelled (inside the window or after) per sale made;
- ``quality``: the contacts' average quality score (0-100);
- ``first_contact_resolution``: the share of contacts resolved at first contact;
- ``referral_rate``: the share of contacts whose customer would recommend.

A day counts for every agent assigned (an agent-day), active or not: days off
are part of what the rules may change. A rate without a denominator (no sales,
no contacts) leaves the agent out of that metric.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from scoring.experiments.record import Experiment
from scoring.experiments.units import members
from scoring.model import Bucket
from scoring.scorer import Scorer


def _per_day(value: Callable[[Bucket], float]) -> Callable[[Bucket, int], float | None]:
    return lambda bucket, days: value(bucket) / days if days else None


def _share(
    part: Callable[[Bucket], float], whole: Callable[[Bucket], int]
) -> Callable[[Bucket, int], float | None]:
    return lambda bucket, days: part(bucket) / whole(bucket) if whole(bucket) else None


def made(bucket: Bucket) -> int:
    return bucket.sales + bucket.revoked


#: metric -> its value from a bucket summed over ``days`` days
MEASURES: dict[str, Callable[[Bucket, int], float | None]] = {
    "sales_per_agent_day": _per_day(made),
    "revenue_per_agent_day": _per_day(lambda b: b.revenue / 100),
    "cancellation_rate": _share(lambda b: b.cancelled, made),
    "quality": _share(lambda b: b.quality / 100, lambda b: b.rated),
    "first_contact_resolution": _share(lambda b: b.resolved, lambda b: b.contacts),
    "referral_rate": _share(lambda b: b.referrals, lambda b: b.contacts),
}


@dataclass(frozen=True, slots=True)
class Window:
    """Local days, first and last included; ``pre`` the same count before ``first``."""

    first: str
    last: str

    @property
    def days(self) -> list[str]:
        start = date.fromisoformat(self.first)
        count = (date.fromisoformat(self.last) - start).days + 1
        return [(start + timedelta(days=n)).isoformat() for n in range(max(0, count))]

    @property
    def pre(self) -> Window:
        start, count = date.fromisoformat(self.first), len(self.days)
        return Window(
            (start - timedelta(days=count)).isoformat(), (start - timedelta(days=1)).isoformat()
        )


def window(scorer: Scorer, experiment: Experiment) -> Window | None:
    """The days measured so far: from the start to the end or the log's clock."""
    until = min(experiment.ends, scorer.clock)
    if until <= experiment.starts:
        return None
    calendar = scorer.state.timeline.calendar_at(experiment.starts)
    # The end is exclusive: an experiment ending at midnight has not measured the day after.
    return Window(calendar.day(experiment.starts), calendar.day(until - 0.001))


def total(scorer: Scorer, agent: str, days: Iterable[str]) -> Bucket:
    found, buckets = Bucket(), scorer.state.buckets.get(agent, {})
    for day in days:
        bucket = buckets.get(day)
        if bucket is not None:
            found.add(bucket)
    return found


@dataclass(frozen=True, slots=True)
class Row:
    """One agent's metric in the window and before it (what an Observation takes)."""

    agent: str
    cluster: str
    arm: str
    value: float
    pre: float | None
    weight: float


def rows(scorer: Scorer, experiment: Experiment, metric: str, span: Window) -> list[Row]:
    assert experiment.assigned is not None
    measure = MEASURES[metric]
    days, before = span.days, span.pre.days
    units = _units(scorer, experiment, span.first)
    found = []
    for agent, arm in experiment.assigned["agents"].items():
        value = measure(total(scorer, agent, days), len(days))
        if value is None:
            continue
        pre = measure(total(scorer, agent, before), len(before))
        found.append(Row(agent, units.get(agent, agent), arm, value, pre, float(len(days))))
    return found


def _units(scorer: Scorer, experiment: Experiment, day: str) -> dict[str, str]:
    """agent -> their unit of assignment at the start (the cluster of the analysis)."""
    unit = experiment.event["unit"]
    return {} if unit == "agent" else members(scorer.state, unit, day)


def series(
    scorer: Scorer, experiment: Experiment, metric: str, span: Window
) -> dict[str, list[float | None]]:
    """arm -> the metric per day over the arm's agents (a day's sums, then the ratio)."""
    assert experiment.assigned is not None
    measure = MEASURES[metric]
    by_arm: dict[str, list[str]] = {}
    for agent, arm in experiment.assigned["agents"].items():
        by_arm.setdefault(arm, []).append(agent)
    lines: dict[str, list[float | None]] = {}
    for arm in experiment.arms:
        agents = by_arm.get(arm, [])
        points: list[float | None] = []
        for day in span.days:
            summed = Bucket()
            for agent in agents:
                summed.add(total(scorer, agent, (day,)))
            value = measure(summed, len(agents))
            points.append(None if value is None else round(value, 6))
        lines[arm] = points
    return lines
