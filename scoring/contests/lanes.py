"""A running run as the sales of one of its days meet it (``book.Lane``), and the
seat of each agent who sells that day: what every sale reads, gathered once.

An agent's seat is looked up the first time they sell on the day, through the
placements for a contest of teams or sites; the lanes are made again when a run
begins, is taken or ends, and when the roster moves someone.
"""

from __future__ import annotations

from functools import partial

from ..placements import Placements
from . import race
from .book import Lane, Seat, Seats
from .metrics import measure, participant
from .model import COMPONENTS, Contest, Run, watched_by


def lane(contest: Contest, run: Run, seats: Seats) -> Lane:
    metric = measure(contest.metric, contest.weights) if contest.format == "race" else None
    return (run.starts, run.ends, run, seats, metric, watched_by(contest), contest)


def seats(contest: Contest, run: Run, day: str, placements: Placements) -> Seats:
    """The seats of a lane of ``run`` on ``day``, each agent's found as they sell."""
    return Seats(partial(seat, contest, run, day, placements))


def seat(contest: Contest, run: Run, day: str, placements: Placements, agent: str) -> Seat | None:
    """``agent``'s seat in ``run`` on ``day``; None if they do not play."""
    side = _side(contest, agent, day, placements)
    if side is None:
        return None
    racing = contest.format == "race"
    return Seat(
        side,
        run.totals[0].setdefault(side, [0] * COMPONENTS) if len(run.windows) == 1 else None,
        run.counted.setdefault(side, []) if racing else None,
        race.line(contest, run, side) - 1e-9 if racing else 0.0,
    )


def _side(contest: Contest, agent: str, day: str, placements: Placements) -> str | None:
    """``metrics.participant``, placed by the placements the league reads too."""
    kind = contest.kind
    if kind in ("agents", "groups"):
        return participant(contest, None, agent, day)
    placed = placements.of(agent, day)
    if placed is None:
        return None
    side = placed[0] if kind == "teams" else placed[1]
    return side if side in contest.participants else None
