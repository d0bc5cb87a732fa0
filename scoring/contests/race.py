"""A race to a target: the first to reach the line wins, then the next places.

The line is ``target`` in the metric's unit; with ``target`` fairness each
participant's own ``targets`` entry, with ``per_head`` the target times the
side's head count. A participant reaches it at the ``ts`` of the sale (or
contact) that takes their running total, in ``ts`` order, to the line or past
it, whatever order the events arrived in; a revoked sale is taken out and the
line may be reached later, or not at all.

A tie at the line (two participants reaching it in the same second) is a shared
place: both are placed, and the place after them is skipped (1, 1, 3). The race
has ``places`` places; those who did not reach the line are unplaced.
"""

from __future__ import annotations

from bisect import insort

from .metrics import score, summed
from .model import Contest, Run
from .standings import Row
from .standings import places as grouped


def line(contest: Contest, run: Run, participant: str) -> float:
    if contest.fairness == "target":
        return contest.targets[participant]
    if contest.fairness == "per_head":
        return contest.target * run.heads.get(participant, 1)
    return contest.target


def add(contest: Contest, run: Run, participant: str, ts: float, amount: float) -> bool:
    """Count ``amount`` at ``ts``; True if where the participant reaches the line moved.

    A race's sales mostly come in time order after the line or before a total that
    reaches it: only an entry that can move the crossing makes it be looked for."""
    insort(run.entries.setdefault(participant, []), [ts, amount])
    finish = run.finishes.get(participant)
    if finish is not None:
        return ts <= finish[0] and refresh(contest, run, participant)
    if _total(contest, run, participant) < line(contest, run, participant) - 1e-9:
        return False
    return refresh(contest, run, participant)


def remove(contest: Contest, run: Run, participant: str, ts: float, amount: float) -> bool:
    """Take ``amount`` at ``ts`` back; True if where the participant reaches the line moved."""
    entries = run.entries.get(participant, [])
    if [ts, amount] not in entries:
        return False
    entries.remove([ts, amount])
    finish = run.finishes.get(participant)
    return finish is not None and ts <= finish[0] and refresh(contest, run, participant)


def _total(contest: Contest, run: Run, participant: str) -> float:
    """The participant's total: the tallies hold it already (added before the entry)."""
    return score(contest, summed(run.totals, participant))


def refresh(contest: Contest, run: Run, participant: str) -> bool:
    """Find where ``participant`` reaches the line again; True if that moved."""
    goal = line(contest, run, participant)
    total = 0.0
    reached: list[float] | None = None
    for ts, amount in run.entries.get(participant, []):
        total += amount
        if total >= goal - 1e-9:
            reached = [ts, total]
            break
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
