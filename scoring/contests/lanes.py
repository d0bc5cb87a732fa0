"""A running run as a sale meets it (``book.Lane``): what every sale of its days
reads, gathered once per run."""

from __future__ import annotations

from . import race
from .book import Lane
from .metrics import measure
from .model import Contest, Run, watched_by

#: what places an agent's sale, by the contest's kind: -1 the agent themselves (a
#: participant or a group's member), else the index in the roster's (team, site)
PLACED_BY = {"agents": -1, "groups": -1, "teams": 0, "sites": 1}


def lane(contest: Contest, run: Run) -> Lane:
    if contest.kind == "groups":
        sides = {agent: name for name, members in contest.groups.items() for agent in members}
    else:
        sides = {side: side for side in contest.participants}
    racing = None
    if contest.format == "race":
        goals = {side: race.line(contest, run, side) - 1e-9 for side in contest.participants}
        racing = (goals, measure(contest.metric, contest.weights))
    return (
        run.starts,
        run.ends,
        contest,
        run,
        PLACED_BY[contest.kind],
        sides,
        len(run.windows) == 1,
        racing,
        watched_by(contest),
    )
