"""Always-valid intervals, for a report looked at before the experiment ends.

A fixed 95 % interval is right once, at the planned horizon. Looked at every
day, and the experiment stopped the first day it excludes zero, it finds an
effect that is not there far more often than 5 % of the time. The live view
therefore shows the interval of a mixture sequential probability ratio test
(mSPRT, normal mixture; Johari, Pekelis and Walsh, "Always valid inference",
2017): with the estimate's variance V and the mixture's variance tau², the
effects theta whose likelihood ratio stays under 1 / alpha,

    |estimate - theta| <= sqrt(V (V + tau²) / tau² * (ln((V + tau²) / V) - 2 ln alpha)),

hold the true effect at every look at once with probability 1 - alpha (for an
estimate that is, or is close to, a running mean of normal data). It is
wider than the fixed interval; the fixed one is the report's answer at the
horizon. ``mixture_sd`` (tau) is set before the start: the effect the
experiment was planned to find, in the metric's unit, is a good choice.

The functions take floats or numpy arrays alike (the tests look at thousands
of simulated experiments at once).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt


def always_valid_half_width(
    se: npt.ArrayLike, alpha: float, mixture_sd: float
) -> npt.NDArray[np.float64]:
    """Half the width of the always-valid interval for estimates with ``se``."""
    import numpy as np

    variance = np.square(np.asarray(se, dtype=float))
    tau2 = mixture_sd * mixture_sd
    log_ratio = np.log((variance + tau2) / variance)
    squared = variance * (variance + tau2) / tau2 * (log_ratio - 2 * math.log(alpha))
    half: npt.NDArray[np.float64] = np.sqrt(squared)
    return half


def always_valid_interval(
    effect: float, se: float, alpha: float, mixture_sd: float
) -> tuple[float, float] | None:
    """The interval, or ``None`` where it cannot be computed (no spread at all,
    or numbers beyond floating point)."""
    import numpy as np

    if not se > 0 or not mixture_sd * mixture_sd > 0:
        return None
    with np.errstate(all="ignore"):
        half = float(always_valid_half_width(se, alpha, mixture_sd))
    if not math.isfinite(half):
        return None
    return (effect - half, effect + half)
