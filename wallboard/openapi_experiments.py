"""The OpenAPI paths of experiments: set one up, list them, read one's report, its
CSV, and the power estimate for a draft. :mod:`wallboard.openapi` puts these
paths in the document."""

from __future__ import annotations

from typing import Any

from scoring.experiments.contract import METRICS, UNITS

from .openapi_build import (
    JSON,
    answer,
    choice_parameter,
    closed_object,
    error,
    guarded,
    path_parameter,
)

TEXT = {"type": "string"}


def _number(name: str, lowest: float, highest: float, description: str) -> dict[str, Any]:
    schema = {"type": "number", "minimum": lowest, "maximum": highest}
    return {"name": name, "in": "query", "schema": schema, "description": description}


def experiments(events: dict[str, Any]) -> dict[str, Any]:
    fields = events["experiment"]["properties"]
    body = closed_object(
        {k: v for k, v in fields.items() if k not in ("type", "seed_hash")},
        "experiment",
        "name",
        "arms",
        "unit",
        "metric",
        "starts",
        "ends",
    )
    report = guarded(
        "An experiment's report: setup, assignment and strata once started, the seed once "
        "revealed, results per metric (effect, relative, 95 % ci, n per arm, method), "
        "daily series per arm, the rules-alone replay and the power estimate",
        "manager",
        {"200": answer("The report as of `offset` in the log"), "404": error("No such experiment")},
        parameters=[path_parameter("experiment")],
    )
    csv = guarded(
        "The report as CSV: the results, then every agent's value and pre-period value",
        "manager",
        {
            "200": {"description": "CSV", "content": {"text/csv": {"schema": TEXT}}},
            "404": error("No such experiment"),
        },
        parameters=[path_parameter("experiment")],
    )
    power = guarded(
        "How small an effect a draft experiment can see over its horizon, and how many "
        "weeks a 5 % effect needs, from the weeks before the log's clock; writes nothing",
        "manager",
        {"200": answer("The estimate"), "422": error("A parameter is invalid")},
        parameters=[
            choice_parameter("unit", UNITS),
            choice_parameter("metric", METRICS),
            _number("arms", 2, 6, "how many arms"),
            _number("weeks", 1, 52, "the planned horizon"),
        ],
    )
    return {
        "/api/experiments": {
            "get": guarded(
                "Every experiment with its status (scheduled, running, ended)",
                "manager",
                {"200": answer("The experiments as of `offset` in the log")},
            ),
            "post": guarded(
                "Set up an experiment: the service fixes a secret seed and publishes its "
                "SHA-256; units are assigned when the log's clock reaches `starts`",
                "manager",
                {
                    "201": answer(
                        "Set up; the body holds the seed hash",
                        closed_object(
                            {"experiment": TEXT, "seed_hash": TEXT}, "experiment", "seed_hash"
                        ),
                    ),
                    "409": error("An experiment with this id exists"),
                    "422": error("Invalid experiment"),
                },
                body={JSON: {"schema": body}},
            ),
        },
        "/api/experiments/power": {"get": power},
        "/api/experiments/{experiment}/csv": {"get": csv},
        "/api/experiments/{experiment}": {"get": report},
    }
