"""What the report page draws, as plain data.

``charts`` gives two Plotly figures (``{"data": [...], "layout": {...}}``, drawn
by the vendored plotly-basic): the metric over time per arm, and each arm's
effect with its interval; ``effect_over_time`` the effect day by day with its
band.

Before the experiment's end the effect chart shows the always-valid interval
(see ``sequential``) and says so: a fixed 95 % interval looked at every day
finds effects that are not there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .analysis import Result


def charts(
    series: Mapping[str, Sequence[tuple[str, float]]],
    results: Mapping[str, Result],
    live: bool = False,
    metric_title: str = "",
    effect_title: str = "",
) -> dict[str, dict[str, Any]]:
    """``series``: arm -> [(day, the metric that day)], in the arms' order;
    ``results``: arm -> its ``Result`` (as ``analyse`` gives them)."""
    return {
        "over_time": metric_over_time(series, metric_title),
        "effect": effect_with_interval(results, live, effect_title),
    }


def metric_over_time(
    series: Mapping[str, Sequence[tuple[str, float]]], title: str = ""
) -> dict[str, Any]:
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": arm,
            "x": [day for day, _ in points],
            "y": [value for _, value in points],
        }
        for arm, points in series.items()
    ]
    return {
        "data": data,
        "layout": {
            "title": {"text": title},
            "xaxis": {"type": "date"},
            "yaxis": {"rangemode": "tozero"},
            "legend": {"orientation": "h"},
        },
    }


def effect_with_interval(
    results: Mapping[str, Result], live: bool = False, title: str = ""
) -> dict[str, Any]:
    """Each arm's effect as a point with its interval as error bars, beside a
    line at zero; ``live`` shows the always-valid intervals instead."""
    arms, effects, above, below = [], [], [], []
    for arm, result in results.items():
        low, high = _ends(result, live)
        arms.append(f"{arm} − {result.control}")
        effects.append(result.effect)
        above.append(high - result.effect)
        below.append(result.effect - low)
    trace = {
        "type": "scatter",
        "mode": "markers",
        "x": effects,
        "y": arms,
        "error_x": {"type": "data", "symmetric": False, "array": above, "arrayminus": below},
        "marker": {"size": 10},
    }
    zero = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": 0,
        "x1": 0,
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dot"},
    }
    return {
        "data": [trace],
        "layout": {"title": {"text": title}, "shapes": [zero], "yaxis": {"type": "category"}},
        "always_valid": live,
    }


def effect_over_time(
    running: Sequence[tuple[str, Mapping[str, Result]]], live: bool = True, title: str = ""
) -> dict[str, Any]:
    """Each arm's effect as the days went by, its interval as a band: ``running``
    is [(day, {arm: the Result from the start to that day})]. Drawn while the
    experiment runs, the band is the always-valid interval (``live``), the
    one that may be looked at every day."""
    data: list[dict[str, Any]] = []
    arms = list(dict.fromkeys(arm for _, results in running for arm in results))
    for arm in arms:
        days = [(day, results[arm]) for day, results in running if arm in results]
        ends = [_ends(result, live) for _, result in days]
        x = [day for day, _ in days]
        data.append(_line(f"{arm} high", x, [high for _, high in ends], arm, band=True))
        data.append(_line(f"{arm} low", x, [low for low, _ in ends], arm, band=True))
        data[-1]["fill"] = "tonexty"
        data.append(_line(arm, x, [result.effect for _, result in days], arm, band=False))
    zero = {"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 0, "y1": 0}
    return {
        "data": data,
        "layout": {
            "title": {"text": title},
            "xaxis": {"type": "date"},
            "shapes": [{**zero, "line": {"dash": "dot"}}],
        },
        "always_valid": live,
    }


def _ends(result: Result, live: bool) -> tuple[float, float]:
    return result.always_valid_ci if live and result.always_valid_ci else result.ci


def _line(name: str, x: list[str], y: list[float], group: str, band: bool) -> dict[str, Any]:
    line: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": x,
        "y": y,
        "legendgroup": group,
    }
    if band:
        line.update(showlegend=False, line={"width": 0})
    return line
