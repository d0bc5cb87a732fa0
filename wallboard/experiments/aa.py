"""The A/A check: the same analysis on random splits of units that got no treatment.

Before an experiment starts, its units are split at random into two arms
many times over the pre-period, and each split analysed as if it were an
experiment. Nothing differs between the halves, so a sound analysis finds an
"effect" (an interval without zero) in about ``alpha`` of the splits. Far more
says the intervals are too narrow for this data (clusters not accounted for,
a few extreme agents).

The splits of one company are not independent experiments (twelve teams have
only 462 different halves), so even a sound analysis scatters around
``alpha`` more than a binomial count would: over eight simulated companies of
twelve teams, from 2.5 % to 7 % at ``alpha`` = 5 % (1,000 splits each). The check passes up to twice
``alpha``; analysing a team split agent by agent finds 30 % and more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .analysis import AnalysisError, Observation, Rows, estimate_all, to_rows


@dataclass(frozen=True)
class AACheck:
    splits: int
    false_positives: int
    alpha: float
    method: str

    @property
    def rate(self) -> float:
        return self.false_positives / self.splits

    @property
    def limit(self) -> float:
        """The highest rate that passes: twice ``alpha``."""
        return 2 * self.alpha

    @property
    def passed(self) -> bool:
        return self.rate <= self.limit

    def as_dict(self) -> dict[str, Any]:
        return {
            "splits": self.splits,
            "false_positives": self.false_positives,
            "rate": self.rate,
            "alpha": self.alpha,
            "limit": self.limit,
            "passed": self.passed,
            "method": self.method,
        }


def aa_check(
    observations: Sequence[Observation],
    clustered: bool,
    splits: int = 500,
    alpha: float = 0.05,
    seed: int = 0,
) -> AACheck:
    """Split the units (their clusters, when ``clustered``) in halves ``splits``
    times; ``value`` is the pre-period metric, ``arm`` and ``pre`` are ignored."""
    import numpy as np

    if splits < 1:
        raise AnalysisError(f"expected at least 1 split, got {splits}")
    plain = [Observation(o.unit, o.cluster, "A", o.value, None, o.weight) for o in observations]
    rows = to_rows(plain, ("A", "B"))
    groups = int(rows.cluster.max()) + 1 if len(rows.cluster) else 0
    if (groups if clustered else len(rows.value)) < 4:
        what = "clusters" if clustered else "units"
        raise AnalysisError(f"expected at least 4 {what} to split")
    rng = np.random.default_rng(seed)
    false_positives, method = 0, ""
    for _ in range(splits):
        if clustered:
            treated = rng.permutation(groups)[: groups // 2]
            arm = np.isin(rows.cluster, treated).astype(np.int64)
        else:
            arm = np.zeros(len(rows.value), dtype=np.int64)
            arm[rng.permutation(len(rows.value))[: len(rows.value) // 2]] = 1
        split = Rows(rows.value, rows.weight, arm, rows.cluster, None, rows.arms)
        result = estimate_all(split, clustered, alpha)["B"]
        low, high = result.ci
        false_positives += not low <= 0 <= high
        method = result.method
    return AACheck(splits, false_positives, alpha, method)
