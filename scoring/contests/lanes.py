"""A running run as the sales of one of its days meet it (``book.Lane``), and the
seat of each agent who sells that day: what every sale reads, gathered once.

An agent's seat is looked up the first time they sell on the day, through the
placements for a contest of teams or sites; the lanes are made again when a run
begins, is taken or ends, and when the roster moves someone.
"""

from __future__ import annotations

from ..placements import Placements
from . import race
from .book import Lane, Seat
from .metrics import measure
from .model import COMPONENTS, Contest, Run, watched_by


def lane(contest: Contest, run: Run, seats: dict[str, Seat | None]) -> Lane:
    metric = measure(contest.metric, contest.weights) if contest.format == "race" else None
    return (run.starts, run.ends, run, seats, metric, watched_by(contest), contest)


def seat(found: Lane, agent: str, day: str, placements: Placements) -> Seat | None:
    """``agent``'s seat in the lane on ``day``, kept in the lane."""
    _, _, run, seats, metric, _, contest = found
    side = _side(contest, agent, day, placements)
    made = None
    if side is not None:
        single = len(run.windows) == 1
        made = Seat(
            side,
            run.totals[0].setdefault(side, [0] * COMPONENTS) if single else None,
            None if metric is None else run.counted.setdefault(side, []),
            0.0 if metric is None else race.line(contest, run, side) - 1e-9,
        )
    seats[agent] = made
    return made


def _side(contest: Contest, agent: str, day: str, placements: Placements) -> str | None:
    kind = contest.kind
    if kind == "agents":
        return agent if agent in contest.participants else None
    if kind == "groups":
        return next((name for name, members in contest.groups.items() if agent in members), None)
    placed = placements.of(agent, day)
    if placed is None:
        return None
    side = placed[0] if kind == "teams" else placed[1]
    return side if side in contest.participants else None
