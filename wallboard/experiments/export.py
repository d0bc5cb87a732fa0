"""The report as CSV: the results per metric and arm, then the per-unit rows
they came from, as one text (a blank line between the two tables)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence

from .analysis import Observation, Result

#: the columns of the two tables of ``export_csv``
RESULT_COLUMNS = (
    "metric",
    "arm",
    "control",
    "effect",
    "relative",
    "ci_low",
    "ci_high",
    "alpha",
    "p_value",
    "n_control",
    "n_arm",
    "clusters_control",
    "clusters_arm",
    "method",
    "cuped",
    "variance_reduction",
    "always_valid_low",
    "always_valid_high",
)
UNIT_COLUMNS = ("metric", "unit", "cluster", "arm", "value", "pre", "weight")


def export_csv(
    observations: Mapping[str, Sequence[Observation]],
    results: Mapping[str, Mapping[str, Result]],
) -> str:
    """The results per metric and arm, a blank line, then the per-unit rows;
    both keyed by metric name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RESULT_COLUMNS)
    writer.writerows(_result_rows(results))
    writer.writerow(())
    writer.writerow(UNIT_COLUMNS)
    writer.writerows(
        [
            _cell(metric),
            _cell(o.unit),
            _cell(o.cluster),
            _cell(o.arm),
            o.value,
            _blank(o.pre),
            o.weight,
        ]
        for metric, rows in observations.items()
        for o in rows
    )
    return out.getvalue()


def _result_rows(results: Mapping[str, Mapping[str, Result]]) -> Iterable[list[object]]:
    for metric, by_arm in results.items():
        for arm, r in by_arm.items():
            valid = r.always_valid_ci or (None, None)
            yield [
                _cell(metric),
                _cell(arm),
                _cell(r.control),
                r.effect,
                _blank(r.relative),
                r.ci[0],
                r.ci[1],
                r.alpha,
                r.p_value,
                r.n.get(r.control, 0),
                r.n.get(arm, 0),
                r.clusters.get(r.control, 0),
                r.clusters.get(arm, 0),
                r.method,
                "yes" if r.cuped else "no",
                _blank(r.variance_reduction),
                _blank(valid[0]),
                _blank(valid[1]),
            ]


def _blank(value: float | None) -> object:
    return "" if value is None or not math.isfinite(value) else value


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a name as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
