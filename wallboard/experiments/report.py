"""An experiment's report: its setup, assignment, results per metric, the daily
series per arm, the rules-alone replay and the power estimate.

The figures are read off the fold on the event loop (a dictionary walk); the
statistics (``analysis.py``, numpy and statsmodels) run in a worker thread.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from scoring.experiments.counterfactual import paid
from scoring.experiments.record import Experiment
from scoring.scorer import Scorer

from . import metrics, planning
from .metrics import Row

#: an experiment set up after its start (this long or more) is retrospective
RETROSPECTIVE_AFTER = 60.0


def status(scorer: Scorer, experiment: Experiment) -> str:
    if scorer.clock < experiment.starts or experiment.assigned is None:
        return "scheduled"
    return "ended" if scorer.clock >= experiment.ends else "running"


def retrospective(experiment: Experiment) -> bool:
    received = experiment.event.get("received")
    if received is None:
        return False
    moment = datetime.fromisoformat(received).timestamp()
    return moment - experiment.starts >= RETROSPECTIVE_AFTER


def summary(scorer: Scorer, experiment: Experiment) -> dict[str, Any]:
    event = experiment.event
    return {
        "experiment": experiment.id,
        "name": event["name"],
        "arms": experiment.arms,
        "unit": event["unit"],
        "metric": event["metric"],
        "starts": event["starts"],
        "ends": event["ends"],
        "status": status(scorer, experiment),
        "retrospective": retrospective(experiment),
    }


def metric_names(experiment: Experiment) -> list[str]:
    return [experiment.event["metric"], *experiment.event.get("guardrails", [])]


async def report(scorer: Scorer, experiment: Experiment) -> dict[str, Any]:
    event = experiment.event
    view: dict[str, Any] = {
        **summary(scorer, experiment),
        "strata": event.get("strata", []),
        "guardrails": event.get("guardrails", []),
        "rules": {arm["arm"]: arm["rules"] for arm in event["arms"]},
        "seed_hash": event["seed_hash"],
        "seed": experiment.seed,
        "assignment": None,
        "unit_strata": None,
        "agents": None,
        "window": None,
        "results": {},
        "problems": {},
        "series": {},
        "counterfactual": None,
    }
    view["power"] = await power(scorer, experiment)
    assigned = experiment.assigned
    if assigned is None:
        return view
    view["assignment"] = assigned["assignment"]
    view["unit_strata"] = assigned["strata"]
    view["agents"] = {arm: 0 for arm in experiment.arms}
    for arm in assigned["agents"].values():
        view["agents"][arm] += 1
    span = metrics.window(scorer, experiment)
    if span is None:
        return view
    view["window"] = {"first": span.first, "last": span.last, "days": len(span.days)}
    tables = tables_of(scorer, experiment)
    view["series"] = {
        m: {"days": span.days, "arms": metrics.series(scorer, experiment, m, span)}
        for m in metric_names(experiment)
    }
    view["counterfactual"] = paid(scorer.state, experiment, min(experiment.ends, scorer.clock))
    clustered = event["unit"] != "agent"
    view["results"], view["problems"] = await asyncio.to_thread(
        analysed, tables, experiment.arms, clustered
    )
    return view


async def power(scorer: Scorer, experiment: Experiment) -> Any:
    calendar = scorer.state.timeline.calendar_at(experiment.starts)
    weeks = (experiment.ends - experiment.starts) / (7 * 86400)
    before = calendar.day(min(experiment.starts, scorer.clock or experiment.starts))
    event = experiment.event
    return await planning.plan(
        scorer, event["unit"], event["metric"], len(experiment.arms), weeks, before
    )


def analysed(
    tables: dict[str, list[Row]], arms: Sequence[str], clustered: bool
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Per metric, per arm after the first: the effect and its 95 % interval; and per
    metric whose rows cannot give one yet (an arm without agents, values that do not
    vary), what is missing."""
    from .analysis import AnalysisError, Observation, analyse

    found: dict[str, dict[str, Any]] = {}
    problems: dict[str, str] = {}
    for metric, rows in tables.items():
        observations = [
            Observation(row.agent, row.cluster, row.arm, row.value, row.pre, row.weight)
            for row in rows
        ]
        try:
            results = analyse(observations, list(arms), clustered)
        except AnalysisError as error:
            found[metric], problems[metric] = {}, str(error)
            continue
        found[metric] = {arm: _plain(result.as_dict()) for arm, result in results.items()}
    return found, problems


def _plain(result: dict[str, Any]) -> dict[str, Any]:
    """JSON can carry no NaN: a figure the analysis had none for is null."""
    return {
        key: _finite(value) if isinstance(value, float) else value for key, value in result.items()
    }


def _finite(value: float) -> float | None:
    """A figure JSON can carry: none where the analysis had none (no spread at all)."""
    return float(value) if math.isfinite(value) else None


def tables_of(scorer: Scorer, experiment: Experiment) -> dict[str, list[Row]]:
    """Each metric's rows per agent so far (none before the start)."""
    span = metrics.window(scorer, experiment)
    if span is None or experiment.assigned is None:
        return {}
    return {m: metrics.rows(scorer, experiment, m, span) for m in metric_names(experiment)}


def export(tables: dict[str, list[Row]], arms: Sequence[str], clustered: bool) -> str:
    """The report as CSV (``export.export_csv``): the results per metric and arm, then
    every agent's rows. Run it in a worker thread: it analyses every metric."""
    from .analysis import AnalysisError, Observation, Result, analyse
    from .export import export_csv

    observations = {
        metric: [
            Observation(row.agent, row.cluster, row.arm, row.value, row.pre, row.weight)
            for row in rows
        ]
        for metric, rows in tables.items()
    }
    results: dict[str, dict[str, Result]] = {}
    for metric, rows in observations.items():
        try:
            results[metric] = analyse(rows, list(arms), clustered)
        except AnalysisError:
            results[metric] = {}
    return export_csv(observations, results)
