"""Contests as a snapshot holds them: each a plain object of its fields, its runs
and their ties nested, read back into the same dataclasses."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import Contest, Run, Tie


def to_data(contests: dict[str, Contest]) -> list[dict[str, Any]]:
    return [asdict(contest) for contest in contests.values()]


def from_data(data: list[dict[str, Any]]) -> dict[str, Contest]:
    contests = {}
    for raw in data:
        runs = [Run(**{**run, "ties": [Tie(**tie) for tie in run["ties"]]}) for run in raw["runs"]]
        contest = Contest(**{**raw, "runs": runs})
        contests[contest.id] = contest
    return contests
