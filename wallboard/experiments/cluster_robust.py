"""Cluster-robust standard errors for few clusters: CR2 with Bell-McCaffrey
degrees of freedom.

A contact centre has few teams and fewer sites. The usual cluster-robust
errors (CR1, statsmodels' ``cov_type="cluster"``) with t on G - 1 degrees of
freedom are too narrow there: with the demo company's six sites, three an
arm, their 95 % intervals held the truth in 91.9 % of simulated experiments.
CR2 (Bell and McCaffrey 2002) scales each cluster's residuals by
(I - H_gg)^(-1/2), which removes the bias of the squared residuals, and the
Satterthwaite degrees of freedom of Bell and McCaffrey (as Imbens and Kolesár
2016 recommend; clubSandwich's default) are what the few clusters really
give: about 3.5 for six sites rather than 5. Together they held the truth
in about 95 % of the same experiments (README, "Experiments: how the
analysis was checked").

Weighted least squares is ordinary least squares on the rows scaled by the
square roots of their weights, so everything here works on those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Floats = npt.NDArray[np.float64]
    Ints = npt.NDArray[np.int64]

#: eigenvalues of I - H_gg below this count as 0 (a pseudo-inverse square root)
TINY = 1e-10


def cr2(
    design: Floats, value: Floats, weight: Floats, cluster: Ints, coefficients: range
) -> list[tuple[float, float, float]]:
    """The estimate, its CR2 standard error and its Bell-McCaffrey degrees of
    freedom, for each of ``coefficients`` (column indices of ``design``)."""
    import numpy as np

    root = np.sqrt(weight)
    x = design * root[:, None]
    bread = np.linalg.pinv(x.T @ x)
    beta = bread @ x.T @ (value * root)
    residual = value * root - x @ beta
    residual_maker = np.eye(len(value)) - x @ bread @ x.T
    members = [np.flatnonzero(cluster == c) for c in np.unique(cluster)]
    adjust = [_inverse_root(residual_maker[np.ix_(rows, rows)]) for rows in members]
    scores = np.array(
        [x[rows].T @ (a @ residual[rows]) for rows, a in zip(members, adjust, strict=True)]
    )
    covariance = bread @ (scores.T @ scores) @ bread
    out = []
    for k in coefficients:
        contrast = bread[:, k]
        columns = [
            residual_maker[:, rows] @ (a @ (x[rows] @ contrast))
            for rows, a in zip(members, adjust, strict=True)
        ]
        spread = np.column_stack(columns)
        eigen = np.linalg.eigvalsh(spread.T @ spread)
        df = float(eigen.sum() ** 2 / (eigen**2).sum()) if np.any(eigen > 0) else 0.0
        out.append((float(beta[k]), float(np.sqrt(max(covariance[k, k], 0.0))), df))
    return out


def _inverse_root(matrix: Floats) -> Floats:
    import numpy as np

    values, vectors = np.linalg.eigh(matrix)
    scaled = np.where(values > TINY, 1 / np.sqrt(np.where(values > TINY, values, 1.0)), 0.0)
    result: Floats = (vectors * scaled) @ vectors.T
    return result
