"""A stand-in for the analysis until the real one is merged (deleted before merge)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Observation:
    unit: str
    cluster: str
    arm: str
    value: float
    pre: float | None
    weight: float = 1.0


@dataclass(frozen=True)
class Result:
    effect: float
    relative: float
    ci: tuple[float, float]
    n: dict[str, int]
    method: str
    p_value: float
    cuped: bool


def analyse(
    observations: Sequence[Observation], arms: Sequence[str], clustered: bool, alpha: float = 0.05
) -> dict[str, Result]:
    import statsmodels.api as sm

    rows = [o for o in observations if o.arm in arms]
    y = np.array([o.value for o in rows])
    cuped = all(o.pre is not None for o in rows) and len({o.pre for o in rows}) > 1
    results = {}
    control = [o for o in rows if o.arm == arms[0]]
    for arm in arms[1:]:
        keep = [i for i, o in enumerate(rows) if o.arm in (arms[0], arm)]
        yy = y[keep]
        columns = [np.ones(len(keep)), np.array([1.0 if rows[i].arm == arm else 0.0 for i in keep])]
        if cuped:
            pre = np.array([rows[i].pre for i in keep], dtype=float)
            columns.append(pre - pre.mean())
        x = np.column_stack(columns)
        model = sm.OLS(yy, x)
        if clustered:
            groups = np.unique([rows[i].cluster for i in keep], return_inverse=True)[1]
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups})
        else:
            fit = model.fit(cov_type="HC1")
        low, high = fit.conf_int(alpha)[1]
        effect = float(fit.params[1])
        mean = float(np.mean([o.value for o in control])) or 1.0
        results[arm] = Result(
            effect,
            effect / mean,
            (float(low), float(high)),
            {a: sum(1 for i in keep if rows[i].arm == a) for a in (arms[0], arm)},
            ("ols-cluster" if clustered else "ols-hc1") + ("+cuped" if cuped else ""),
            float(fit.pvalues[1]),
            cuped,
        )
    return results
