"""A race to a target: the first to reach the line wins, then the next places.

The line is ``target`` in the metric's unit; with ``target`` fairness each
participant's own ``targets`` entry, with ``per_head`` the target times the
side's head count. A participant reaches it at the ``ts`` of the sale (or
contact) that takes their running total, in ``ts`` order, to the line or past
it, whatever order the events arrived in; a revoked sale is taken out and the
line may be reached later, or not at all.

Only the running totals are kept sale by sale; where the line was reached is
looked for, in the sales themselves, when a total reaches it or an earlier
sale moves it (``worth_a_look``).

A tie at the line (two participants reaching it in the same second) is a shared
place: both are placed, and the place after them is skipped (1, 1, 3). The race
has ``places`` places; those who did not reach the line are unplaced.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

from .metrics import value
from .model import Contest, Run
from .standings import Row
from .standings import places as grouped


def line(contest: Contest, run: Run, participant: str) -> float:
    if contest.fairness == "target":
        return contest.targets[participant]
    if contest.fairness == "per_head":
        return contest.target * run.heads.get(participant, 1)
    return contest.target


def total(contest: Contest, run: Run, participant: str) -> float:
    """The participant's running total (a race has one window)."""
    counts = run.totals[0].get(participant)
    return 0.0 if counts is None else value(counts, contest.metric, contest.weights)


def worth_a_look(contest: Contest, run: Run, participant: str, ts: float) -> bool:
    """Whether what just counted at ``ts`` (or was taken back) can move where the
    participant reaches the line: most sales come after it, or before a total
    that reaches it, and cost nothing more."""
    finish = run.finishes.get(participant)
    if finish is None:
        return total(contest, run, participant) >= line(contest, run, participant) - 1e-9
    return ts <= finish[0]


def crossing(entries: Iterable[list[float]], goal: float) -> list[float] | None:
    """[ts, total] where the running total of ``entries`` ([ts, amount]) in ``ts``
    order first reaches ``goal``."""
    ordered = sorted(entries)
    amounts = [amount for _, amount in ordered]
    if amounts and min(amounts) >= 0:
        # The running totals only grow: found by bisection over them, summed in C
        # in the same order as the loop below (measured: the loop was most of what
        # looking for the line cost, as a side reaches it with its latest sale).
        totals = list(accumulate(amounts, initial=0.0))[1:]
        at = bisect_left(totals, goal - 1e-9)
        return [ordered[at][0], totals[at]] if at < len(totals) else None
    running = 0.0
    for ts, amount in ordered:
        running += amount
        if running >= goal - 1e-9:
            return [ts, running]
    return None


def nth(times: list[float], goal: float) -> list[float] | None:
    """``crossing`` of entries each worth one, at ``times``: [ts, count] of the one
    that takes the count to ``goal``, the times sorted in C as floats (a race
    looks for the line in every sale of a side as the side reaches it)."""
    count = max(1, math.ceil(goal - 1e-9))
    if len(times) < count:
        return None
    return [sorted(times)[count - 1], float(count)]


def settle(run: Run, participant: str, reached: list[float] | None) -> bool:
    """Keep where the participant reaches the line; True if that moved."""
    before = run.finishes.get(participant)
    if reached is None:
        run.finishes.pop(participant, None)
    else:
        run.finishes[participant] = reached
    return before != reached


def order(run: Run) -> list[tuple[int, str]]:
    """(place, participant) of everyone at the line, first first; one second shared."""
    ranked: list[tuple[int, str]] = []
    at = sorted(run.finishes, key=lambda p: (run.finishes[p][0], p))
    for position, p in enumerate(at, 1):
        same = ranked and run.finishes[p][0] == run.finishes[ranked[-1][1]][0]
        ranked.append((ranked[-1][0] if same else position, p))
    return ranked


def places(contest: Contest, run: Run) -> list[list[str]]:
    return grouped((place, p) for place, p in order(run) if place <= contest.places)


def rerank(run: Run, rows: list[Row]) -> list[Row]:
    """Standings of a race: those at the line in the order they reached it, then the
    others by score."""
    finished = {p: place for place, p in order(run)}
    first = sorted(
        (r for r in rows if r.participant in finished),
        key=lambda r: (finished[r.participant], r.participant),
    )
    rest = [r for r in rows if r.participant not in finished]
    result = [
        Row(r.participant, r.score, r.ranked_by, finished[r.participant], r.provisional, r.cohort)
        for r in first
    ]
    last_value, last_rank = None, 0
    for position, r in enumerate(rest, len(first) + 1):
        rank = last_rank if r.ranked_by == last_value else position
        last_value, last_rank = r.ranked_by, rank
        result.append(Row(r.participant, r.score, r.ranked_by, rank, r.provisional, r.cohort))
    return result
