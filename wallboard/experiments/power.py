"""Before the start: how small an effect an experiment can find, and how long it takes.

Two-sample t power (statsmodels' ``TTestIndPower``, the textbook two-sided
test: 64 per arm for half a standard deviation at 5 % and 80 % power). When
teams or sites are assigned, the units are the clusters: a cluster's mean has
the variance sd² (1 + (m - 1) ICC) / m for clusters of m agents (the design
effect), and the sizes are clusters per arm.

How long: an agent's metric over a window of D agent-days varies by the
agents' lasting differences (``between_sd``) and by the day-to-day noise that
averages out (``daily_sd``), sd² = between_sd² + daily_sd² / D. CUPED, with a
pre-period of P days, takes away the share rho² of it, where

    rho² = between_sd⁴ / ((between_sd² + daily_sd² / D) (between_sd² + daily_sd² / P)),

so with a pre-period most of the agents' differences no longer hide an effect;
without one, a longer experiment cannot help once ``between_sd`` dominates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .analysis import AnalysisError


@dataclass(frozen=True)
class MetricBaseline:
    """A metric per agent-day before the experiment: its mean, the spread of the
    agents' own levels (``between_sd``) and of one agent's days (``daily_sd``)."""

    mean: float
    between_sd: float
    daily_sd: float

    @classmethod
    def from_daily(cls, per_agent: Mapping[str, Sequence[float]]) -> MetricBaseline:
        """Estimated from each agent's daily values (variance components of a
        one-way layout: the pooled within-agent variance, and the variance of
        the agents' means less what their days add to it)."""
        series = [list(days) for days in per_agent.values() if len(days) >= 2]
        if len(series) < 2:
            raise AnalysisError("expected two or more agents with two or more days each")
        means = [sum(days) / len(days) for days in series]
        within = sum(
            sum((x - mean) ** 2 for x in days) for days, mean in zip(series, means, strict=True)
        ) / sum(len(days) - 1 for days in series)
        grand = sum(means) / len(means)
        spread = sum((mean - grand) ** 2 for mean in means) / (len(means) - 1)
        average_days = len(series) / sum(1 / len(days) for days in series)
        between = max(0.0, spread - within / average_days)
        return cls(grand, math.sqrt(between), math.sqrt(within))

    def sd(self, days: float, pre_days: float | None = None) -> float:
        """The SD of an agent's mean over ``days`` days, after CUPED with a
        pre-period of ``pre_days`` (none when ``None``)."""
        between, daily = self.between_sd**2, self.daily_sd**2
        variance = between + daily / days
        if pre_days and variance > 0 and between > 0:
            rho2 = between**2 / (variance * (between + daily / pre_days))
            variance *= 1 - rho2
        return math.sqrt(variance)


def design_effect(cluster_size: float, icc: float) -> float:
    if cluster_size < 1 or not 0 <= icc <= 1:
        raise AnalysisError(
            f"expected cluster_size >= 1 and 0 <= icc <= 1, got {cluster_size} and {icc}"
        )
    return 1 + (cluster_size - 1) * icc


def minimum_detectable_effect(
    baseline_mean: float,
    baseline_sd: float,
    units_per_arm: float,
    alpha: float = 0.05,
    power: float = 0.8,
    cluster_size: float = 1.0,
    icc: float = 0.0,
) -> float:
    """The smallest relative effect (0.05 = 5 %) found with ``power``:
    ``units_per_arm`` agents, or clusters of ``cluster_size`` agents."""
    from statsmodels.stats.power import TTestIndPower

    _check(baseline_mean, baseline_sd, alpha, power)
    if units_per_arm < 2:
        raise AnalysisError(f"expected at least 2 units per arm, got {units_per_arm}")
    sd = _unit_sd(baseline_sd, cluster_size, icc)
    standardised = TTestIndPower().solve_power(
        nobs1=units_per_arm, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
    )
    return float(standardised) * sd / abs(baseline_mean)


def units_needed(
    baseline_mean: float,
    baseline_sd: float,
    effect_relative: float,
    alpha: float = 0.05,
    power: float = 0.8,
    cluster_size: float = 1.0,
    icc: float = 0.0,
) -> int:
    """Agents per arm (clusters per arm when ``cluster_size`` > 1) to find a
    relative effect of ``effect_relative`` with ``power``."""
    from statsmodels.stats.power import TTestIndPower

    _check(baseline_mean, baseline_sd, alpha, power)
    if effect_relative == 0:
        raise AnalysisError("expected an effect other than 0")
    sd = _unit_sd(baseline_sd, cluster_size, icc)
    standardised = abs(effect_relative * baseline_mean) / sd
    needed = TTestIndPower().solve_power(
        effect_size=standardised, alpha=alpha, power=power, ratio=1.0, alternative="two-sided"
    )
    return max(2, math.ceil(float(needed)))


def horizon_mde(
    baseline: MetricBaseline,
    agents_per_arm: float,
    days: float,
    pre_days: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    cluster_size: float = 1.0,
    icc: float = 0.0,
) -> float:
    """The minimum detectable relative effect of an experiment of ``days`` days
    (agent-days per agent); teams or sites of ``cluster_size`` agents when
    they are assigned (``icc``: the share of the variance between them)."""
    sd = baseline.sd(days, pre_days)
    clusters = agents_per_arm / cluster_size
    return minimum_detectable_effect(baseline.mean, sd, clusters, alpha, power, cluster_size, icc)


def weeks_needed(
    baseline: MetricBaseline,
    agents_per_arm: float,
    effect_relative: float,
    alpha: float = 0.05,
    power: float = 0.8,
    days_per_week: float = 5.0,
    pre_days: float | None = None,
    max_weeks: int = 52,
    cluster_size: float = 1.0,
    icc: float = 0.0,
    pre_as_long_as_window: bool = False,
) -> int | None:
    """Whole weeks until a relative effect is found with ``power``; ``None``
    when not within ``max_weeks`` (then the agents' differences outweigh the
    effect: a pre-period, more agents or a larger effect is needed). The
    pre-period is ``pre_days`` long, or as long as the experiment with
    ``pre_as_long_as_window`` (as the experiments' report takes it)."""
    for weeks in range(1, max_weeks + 1):
        days = weeks * days_per_week
        pre = days if pre_as_long_as_window else pre_days
        mde = horizon_mde(baseline, agents_per_arm, days, pre, alpha, power, cluster_size, icc)
        if mde <= abs(effect_relative):
            return weeks
    return None


def _unit_sd(baseline_sd: float, cluster_size: float, icc: float) -> float:
    return baseline_sd * math.sqrt(design_effect(cluster_size, icc) / cluster_size)


def _check(mean: float, sd: float, alpha: float, power: float) -> None:
    if mean == 0 or not sd > 0:
        raise AnalysisError(f"expected a mean other than 0 and an sd > 0, got {mean} and {sd}")
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise AnalysisError(f"expected alpha and power between 0 and 1, got {alpha} and {power}")
