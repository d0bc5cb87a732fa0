"""A team battle: two or more teams, sites, groups of agents (or agents) over a
window, by a metric; ranked by the contest's fairness option, places shared on
equal scores, per cohort with ``cohort`` fairness."""

from __future__ import annotations

from ..state import State
from .model import Contest, Run
from .standings import ranking_places, standings


def places(state: State, contest: Contest, run: Run) -> dict[str, list[list[str]]]:
    return ranking_places(standings(state, contest, run, pending=False))
