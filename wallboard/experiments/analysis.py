"""The effect of each arm of an experiment, with its confidence interval.

The interface the experiments' API and report use; it knows nothing of the
event log, only plain per-unit rows::

    from wallboard.experiments.analysis import Observation, analyse, Result

    Observation(unit, cluster, arm, value, pre=None, weight=1.0)
    analyse(observations, arms, clustered, alpha=0.05) -> {arm: Result}

- ``unit`` is an agent; ``cluster`` the unit of assignment (the agent's id,
  team id or site id); ``value`` the metric over the experiment's window for
  that agent (sales per agent-day, revenue per agent-day, cancellation rate,
  contacts resolved at first contact per day, ...); ``pre`` the same metric
  over the pre-period, ``None`` when unknown; ``weight`` the agent-days.
- ``analyse`` gives a ``Result`` for every arm but the first (the control):
  ``effect`` is the arm's mean minus the control's in the metric's unit,
  ``relative`` that over the control's mean (NaN when it is 0), ``ci`` its
  interval (95 % with the default ``alpha``), ``n`` the agents per arm,
  ``method`` how it was computed, ``p_value``, whether the pre-period was
  used (``cuped``), and ``always_valid_ci`` for a look before the end
  (``sequential``). ``Result.as_dict()`` is JSON-ready.
- Rows that cannot give an interval raise ``AnalysisError`` (a ``ValueError``)
  with a message saying what was expected: an arm with fewer than 2 agents
  (or, ``clustered``, fewer than 2 clusters), values that do not vary within
  the arms, an arm not in ``arms``, a value that is not a finite number, a
  weight not > 0. Early in an experiment that is the normal state of a
  metric: the report shows the message instead of figures.
- The first call loads numpy, scipy and statsmodels (seconds): call it off
  the event loop.

Methods (the ``method`` string names the one used):

- ``welch``: agents assigned one by one, no usable pre-period: the
  difference of the weighted means, each mean's variance from its own arm
  (Welch), t with Welch-Satterthwaite degrees of freedom. With equal weights
  this is Welch's t-test exactly.
- ``ols-hc3+cuped``: agents, with a pre-period: weighted least squares of the
  value on the arms and the centred pre-period value (CUPED; its slope theta
  is estimated once, pooled over the arms, within arm), HC3 robust errors, t
  with the residual degrees of freedom. A pre-period value that is missing
  (``None``, or not a number within ``LARGEST``) is filled with the mean of
  the known ones (still a pre-treatment covariate, so the effect stays
  unbiased); a pre-period that is missing everywhere, or does not vary within
  the arms, is left out and the method falls back to ``welch`` (or
  ``ols-cr2``).
- ``ols-cr2`` / ``ols-cr2+cuped``: teams or sites assigned (``clustered``):
  the same regression with cluster-robust errors made for the few clusters a
  contact centre has: CR2, t with Bell-McCaffrey degrees of freedom
  (``cluster_robust`` says why not CR1 with G - 1).

statsmodels and scipy load on the first analysis, not with the server: the
module itself imports neither.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cluster_robust import cr2
from .sequential import always_valid_interval

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float64]
    Ints = npt.NDArray[np.int64]


#: the largest value, pre-period value or weight taken (no metric per agent-day
#: comes near it; beyond, squares of sums leave floating point)
LARGEST = 1e12


class AnalysisError(ValueError):
    """The rows cannot give an interval; the message says what was expected."""


@dataclass(frozen=True)
class Observation:
    unit: str
    cluster: str
    arm: str
    value: float
    pre: float | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class Result:
    """One arm against the control (the first arm). ``control_mean`` and
    ``arm_mean`` are the arms' plain weighted means; ``effect`` is adjusted by
    the pre-period when ``cuped``, so it need not be their difference."""

    arm: str
    control: str
    effect: float
    #: NaN when the control's mean is 0 (``as_dict`` gives ``None``)
    relative: float
    ci: tuple[float, float]
    n: dict[str, int]
    method: str
    p_value: float
    cuped: bool
    se: float
    df: float
    control_mean: float
    arm_mean: float
    alpha: float
    clusters: dict[str, int] = field(default_factory=dict)
    #: the share of the effect's variance the pre-period took away (CUPED only)
    variance_reduction: float | None = None
    #: the interval that stays valid however often it is looked at (the live view)
    always_valid_ci: tuple[float, float] | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: ``ci`` as ``[low, high]``."""
        return {
            "arm": self.arm,
            "control": self.control,
            "effect": self.effect,
            "relative": self.relative if math.isfinite(self.relative) else None,
            "ci": list(self.ci),
            "n": dict(self.n),
            "clusters": dict(self.clusters),
            "method": self.method,
            "p_value": self.p_value,
            "cuped": self.cuped,
            "se": self.se,
            "df": self.df,
            "control_mean": self.control_mean,
            "arm_mean": self.arm_mean,
            "alpha": self.alpha,
            "variance_reduction": self.variance_reduction,
            "always_valid_ci": list(self.always_valid_ci) if self.always_valid_ci else None,
        }


@dataclass(frozen=True)
class Rows:
    """The observations as arrays: ``arm`` indexes ``arms``, ``cluster`` is a code."""

    value: Floats
    weight: Floats
    arm: Ints
    cluster: Ints
    pre: Floats | None
    arms: tuple[str, ...]


@dataclass(frozen=True)
class Estimate:
    effect: float
    se: float
    df: float


def analyse(
    observations: Sequence[Observation],
    arms: Sequence[str],
    clustered: bool,
    alpha: float = 0.05,
    planned_relative: float = 0.05,
) -> dict[str, Result]:
    """Each arm but the first against the first. ``planned_relative`` (the
    effect the experiment was planned for, relative) sets the mixture of the
    always-valid interval; it does not change ``ci``."""
    if not 0 < alpha < 1:
        raise AnalysisError(f"expected alpha between 0 and 1, got {alpha}")
    rows = to_rows(observations, arms)
    return estimate_all(rows, clustered, alpha, planned_relative)


def to_rows(observations: Sequence[Observation], arms: Sequence[str]) -> Rows:
    import numpy as np

    if len(arms) < 2 or len(set(arms)) != len(arms):
        raise AnalysisError(f"expected two or more distinct arms, got {list(arms)}")
    index = {arm: n for n, arm in enumerate(arms)}
    unknown = sorted({o.arm for o in observations} - index.keys())
    if unknown:
        raise AnalysisError(f"expected arms among {list(arms)}, got {unknown}")
    value = np.array([o.value for o in observations], dtype=float)
    weight = np.array([o.weight for o in observations], dtype=float)
    if not np.all(np.isfinite(value)):
        raise AnalysisError("expected finite values, got NaN or infinity")
    if np.any(np.abs(value) > LARGEST):
        raise AnalysisError(f"expected values within ±{LARGEST:g}, got {np.abs(value).max():g}")
    if not np.all(np.isfinite(weight)) or np.any(weight <= 0) or np.any(weight > LARGEST):
        raise AnalysisError(f"expected weights (agent-days) > 0 and <= {LARGEST:g}")
    codes: dict[str, int] = {}
    cluster = np.array([codes.setdefault(o.cluster, len(codes)) for o in observations])
    known = [o.pre for o in observations if o.pre is not None and abs(o.pre) <= LARGEST]
    pre = None
    if known:
        fill = sum(known) / len(known)
        pre = np.array(
            [o.pre if o.pre is not None and abs(o.pre) <= LARGEST else fill for o in observations]
        )
    arm = np.array([index[o.arm] for o in observations], dtype=np.int64)
    return Rows(value, weight, arm, cluster.astype(np.int64), pre, tuple(arms))


def estimate_all(
    rows: Rows, clustered: bool, alpha: float, planned_relative: float = 0.05
) -> dict[str, Result]:
    """The results from arrays (``aa_check`` calls this without building rows)."""
    import numpy as np

    counts = np.bincount(rows.arm, minlength=len(rows.arms))
    for name, count in zip(rows.arms, counts, strict=True):
        if count < 2:
            raise AnalysisError(f"expected at least 2 agents in arm {name!r}, got {count}")
    if clustered:
        for n, name in enumerate(rows.arms):
            if _clusters(rows, n) < 2:
                raise AnalysisError(
                    f"expected at least 2 clusters in arm {name!r} for cluster-robust "
                    f"intervals, got {_clusters(rows, n)}"
                )
    pre = rows.pre if rows.pre is not None and _varies_within_arms(rows.pre, rows.arm) else None
    estimates = _estimates(rows, pre, clustered)
    for estimate in estimates:
        if not (math.isfinite(estimate.effect) and math.isfinite(estimate.se)):
            raise AnalysisError("expected values small enough for an interval")
        if not estimate.se > 0:
            raise AnalysisError("expected values that vary within the arms, got none that do")
    plain = None
    if pre is not None:
        plain = _estimates(rows, None, clustered)
    control = rows.arms[0]
    control_mean = _weighted_mean(rows, 0)
    results = {}
    for n, name in enumerate(rows.arms[1:], start=1):
        estimate = estimates[n - 1]
        low, high, p_value = _interval(estimate, alpha)
        scale = abs(control_mean) * planned_relative or estimate.se or 1.0
        results[name] = Result(
            arm=name,
            control=control,
            effect=estimate.effect,
            relative=estimate.effect / control_mean if control_mean else math.nan,
            ci=(low, high),
            n={control: int(counts[0]), name: int(counts[n])},
            clusters={control: _clusters(rows, 0), name: _clusters(rows, n)},
            method=_method(clustered, pre is not None),
            p_value=p_value,
            cuped=pre is not None,
            se=estimate.se,
            df=estimate.df,
            control_mean=control_mean,
            arm_mean=_weighted_mean(rows, n),
            alpha=alpha,
            variance_reduction=_reduction(estimate, plain[n - 1]) if plain else None,
            always_valid_ci=always_valid_interval(estimate.effect, estimate.se, alpha, scale),
        )
    return results


def _estimates(rows: Rows, pre: Floats | None, clustered: bool) -> list[Estimate]:
    if clustered or pre is not None:
        return _regression(rows, pre, clustered)
    return [_welch(rows, n) for n in range(1, len(rows.arms))]


def _interval(estimate: Estimate, alpha: float) -> tuple[float, float, float]:
    """The interval's ends and the p-value, from t with the estimate's df."""
    from scipy import stats

    half = float(stats.t.ppf(1 - alpha / 2, estimate.df)) * estimate.se
    p_value = float(2 * stats.t.sf(abs(estimate.effect / estimate.se), estimate.df))
    return (estimate.effect - half, estimate.effect + half, p_value)


def _reduction(adjusted: Estimate, plain: Estimate) -> float | None:
    return 1 - (adjusted.se / plain.se) ** 2 if plain.se > 0 else None


def _clusters(rows: Rows, arm: int) -> int:
    import numpy as np

    return len(np.unique(rows.cluster[rows.arm == arm]))


def _weighted_mean(rows: Rows, arm: int) -> float:
    mask = rows.arm == arm
    return float((rows.value[mask] * rows.weight[mask]).sum() / rows.weight[mask].sum())


def _method(clustered: bool, cuped: bool) -> str:
    if clustered:
        return "ols-cr2+cuped" if cuped else "ols-cr2"
    return "ols-hc3+cuped" if cuped else "welch"


def _varies_within_arms(pre: Floats, arm: Ints) -> bool:
    import numpy as np

    centred = pre.copy()
    for n in np.unique(arm):
        centred[arm == n] -= pre[arm == n].mean()
    return bool(np.ptp(centred) > 1e-12 * max(1.0, float(np.abs(pre).max())))


def _welch(rows: Rows, arm: int) -> Estimate:
    """Difference of weighted means; each mean's variance from its own arm."""
    parts = []
    for n in (0, arm):
        mask = rows.arm == n
        value, weight = rows.value[mask], rows.weight[mask]
        count = len(value)
        mean = float((value * weight).sum() / weight.sum())
        variance = float(((weight * (value - mean)) ** 2).sum() / weight.sum() ** 2)
        parts.append((mean, variance * count / (count - 1), count))
    (control, v0, n0), (treated, v1, n1) = parts
    variance = v0 + v1
    denominator = v0**2 / (n0 - 1) + v1**2 / (n1 - 1)
    df = variance**2 / denominator if denominator > 0 else float(n0 + n1 - 2)
    return Estimate(treated - control, math.sqrt(variance), df)


def _regression(rows: Rows, pre: Floats | None, clustered: bool) -> list[Estimate]:
    """WLS of the value on the arms (and the centred pre-period): one estimate
    per arm but the first. HC3 errors for agents (statsmodels), CR2 with
    Bell-McCaffrey degrees of freedom for clusters (``cluster_robust``)."""
    import numpy as np

    columns = [np.ones(len(rows.value))]
    columns += [(rows.arm == n).astype(float) for n in range(1, len(rows.arms))]
    if pre is not None:
        columns.append(pre - np.average(pre, weights=rows.weight))
    design = np.column_stack(columns)
    arms = range(1, len(rows.arms))
    # Degenerate rows (an arm all alike, an agent the pre-period singles out)
    # make the algebra warn and give infinite or missing errors: checked below.
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        if clustered:
            found = cr2(design, rows.value, rows.weight, rows.cluster, arms)
        else:
            found = _hc3(design, rows.value, rows.weight, arms)
    for effect, se, df in found:
        if not (math.isfinite(effect) and math.isfinite(se) and math.isfinite(df) and df > 0):
            raise AnalysisError("expected rows that vary enough within the arms for an interval")
    return [Estimate(effect, se, df) for effect, se, df in found]


def _hc3(
    design: Floats, value: Floats, weight: Floats, arms: range
) -> list[tuple[float, float, float]]:
    import numpy as np
    import statsmodels.api as sm

    model = sm.WLS(value, design, weights=weight)
    fit = model.fit(cov_type="HC3", use_t=True)
    if not np.all(np.isfinite(np.asarray(fit.bse)[arms.start : arms.stop])):
        # an agent with all the leverage: HC3 divides by 1 - h = 0
        fit = model.fit(cov_type="HC1", use_t=True)
    params, errors = np.asarray(fit.params), np.asarray(fit.bse)
    return [(float(params[k]), float(errors[k]), float(fit.df_resid)) for k in arms]
