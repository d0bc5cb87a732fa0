"""A run's standings: each participant's score, what they are ranked by, their
rank, and whether it rests on sales still in their cancellation window.

Participants level on what they are ranked by share a rank (1, 1, 3), and a
place; within it they are listed by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..state import State
from .fairness import cohorts, fair
from .metrics import score, summed
from .model import Contest, Run
from .tally import live_totals, pending_sides


@dataclass(frozen=True, slots=True)
class Row:
    participant: str
    score: float
    ranked_by: float
    rank: int
    provisional: bool
    cohort: str


def scores(contest: Contest, totals: list[dict[str, list[int]]]) -> dict[str, float]:
    """Each participant's metric over a run's windows."""
    return {p: score(contest, summed(totals, p)) for p in contest.participants}


def ranked(values: Mapping[str, float]) -> list[tuple[int, str]]:
    """(rank, participant), best first; equal values share a rank."""
    order = sorted(values, key=lambda p: (-values[p], p))
    result: list[tuple[int, str]] = []
    for position, p in enumerate(order, 1):
        rank = result[-1][0] if result and values[p] == values[result[-1][1]] else position
        result.append((rank, p))
    return result


def places(rows: Iterable[tuple[int, str]]) -> list[list[str]]:
    """Ranked participants grouped by rank: the places, each shared by its members."""
    grouped: list[list[str]] = []
    last = None
    for rank, p in rows:
        if rank != last:
            grouped.append([])
            last = rank
        grouped[-1].append(p)
    return grouped


def standings(state: State, contest: Contest, run: Run, *, pending: bool = True) -> list[Row]:
    """The rows of a run, by cohort then rank; each row ``provisional`` while its
    score rests on a sale in its cancellation window, unless ``pending`` is false
    (places need no such flag, and finding it asks every pending sale)."""
    raw = scores(contest, live_totals(state, contest, run))
    fair_scores = fair(contest, raw, run.baseline, run.heads)
    cohort_of = cohorts(state, contest, run)
    resting = pending_sides(state, contest, run) if pending else set()
    rows: list[Row] = []
    for cohort in sorted(set(cohort_of.values())):
        members = {p: v for p, v in fair_scores.items() if cohort_of[p] == cohort}
        rows += [
            Row(p, raw[p], members[p], rank, p in resting, cohort) for rank, p in ranked(members)
        ]
    return rows


def ranking_places(rows: Iterable[Row]) -> dict[str, list[list[str]]]:
    """Places per cohort from standings."""
    by_cohort: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        by_cohort.setdefault(row.cohort, []).append((row.rank, row.participant))
    return {cohort: places(rows) for cohort, rows in by_cohort.items()}
