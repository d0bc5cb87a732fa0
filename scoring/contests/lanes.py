"""A running run as a sale meets it (``book.Lane``): what every sale of its days
reads, gathered once per run."""

from __future__ import annotations

from . import race
from .book import Lane
from .model import Contest, Run, watched_by


def lane(contest: Contest, run: Run) -> Lane:
    groups = {agent: name for name, members in contest.groups.items() for agent in members}
    lines = None
    if contest.format == "race":
        lines = {side: race.line(contest, run, side) for side in contest.participants}
    return (
        run.starts,
        run.ends,
        contest,
        run,
        contest.kind,
        frozenset(contest.participants),
        groups,
        len(run.windows) == 1,
        lines,
        watched_by(contest),
    )
