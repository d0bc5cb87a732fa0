"""The contests' slice of the state, and what other features may read of it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..codecs import CACHE, Codec, stored
from ..model import Sale
from .codec import from_data, to_data
from .model import DECIDED, RUNNING, Contest, Decision, Run, decision


def _same(value: Any) -> Any:
    return value


@dataclass(slots=True)
class ContestBook:
    contests: dict[str, Contest] = stored(Codec(to_data, from_data, optional=True))
    #: [contest, run] of each run as its result became final, in that order
    finals: list[list[Any]] = stored(Codec(_same, _same, optional=True), list)
    #: the runs running or decided but not final (read on every revocation), None
    #: after one began, was decided or ended
    live: list[tuple[Contest, Run]] | None = stored(CACHE, lambda: None)
    #: local day -> the lanes counting that day's sales one by one (see tally.py);
    #: made again when ``horizon`` is -inf
    lanes: dict[str, list[Lane]] = stored(CACHE, dict)
    #: (contest, run number, local day) -> the seats of a lane (``lanes.seats``)
    seats: dict[tuple[str, int, str], Seats] = stored(CACHE, dict)
    #: the running runs of contests that count confirmations (see tally.py)
    confirming: list[tuple[Contest, Run]] | None = stored(CACHE, lambda: None)
    #: the earliest moment a recurring contest's next run begins; -inf after a run
    #: began, was decided or ended, or the roster moved someone: the lanes are
    #: made again (one question for a sale to ask)
    horizon: float = stored(CACHE, lambda: -math.inf)
    #: the latest end of a window taken of a run not final: a sale made before it
    #: may be late for one
    taken_until: float = stored(CACHE, lambda: -math.inf)
    #: the earliest clock at which a run begins, or a tie or a run is due; -inf:
    #: unknown (asked again), inf: nothing until a contest is launched
    next_moment: float = stored(CACHE, lambda: -math.inf)
    #: local day -> the sales of that day of the last weeks, so that a run asks of
    #: its own days, not of weeks of pending sales (each is asked its state); None:
    #: not kept yet. Indexed when a run asks (``tally.pending_by_day``), not by a
    #: hook on every sale; a day whose sales have all left their cancellation
    #: window is forgotten.
    pending: dict[str, list[Sale]] | None = stored(CACHE, lambda: None)
    #: id of a day's list in ``pending`` -> (that list, its length, its sale due
    #: last), while the list is indexed (``tally.last_due``)
    latest: dict[int, tuple[list[Sale], int, Sale]] = stored(CACHE, dict)
    #: how many of the sales book's sales, in the order it took them, are indexed
    indexed: int = stored(CACHE, int)

    def running(self) -> list[tuple[Contest, Run]]:
        live = self.live
        if live is None:
            live = self.live = [
                (contest, run)
                for contest in self.contests.values()
                for run in contest.runs
                if run.state in (RUNNING, DECIDED)
            ]
        return live

    def changed(self) -> None:
        self.live = None
        self.horizon = -math.inf
        self.confirming = None
        self.next_moment = -math.inf


@dataclass(slots=True)
class Seat:
    """Where an agent's sales count in a lane: the side they play for and what of
    the run's is that side's, read once so that a sale reads nothing else."""

    side: str
    #: the side's tallies in a run of one window (its other windows: None)
    counts: list[int] | None
    #: a race: the keys of the sales counted for the side (``Run.counted``)
    keys: list[str] | None
    #: a race: the side's line less its tolerance, in the metric's unit
    goal: float


class Seats(dict[str, Seat | None]):
    """Each agent's seat in a lane (None: they do not play), looked up by ``make``
    the first time they sell on its day."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[str], Seat | None]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, agent: str) -> Seat | None:
        made = self[agent] = self.make(agent)
        return made


#: a running run as the sales of one of its days meet it, in a plain tuple (each
#: sale reads it): (starts, ends, run, the seats of the day's agents
#: (``lanes.seats``), a race's metric of a side's components, agents whose own
#: pages show the contest: a challenge's two, the contest)
Lane = tuple[
    float,
    float,
    Run,
    Seats,
    Callable[[Sequence[int]], float] | None,
    frozenset[str],
    Contest,
]


def final_decisions(book: ContestBook, since: int = 0) -> list[Decision]:
    """The runs decided for good, in the order they became final, from the
    ``since``-th on: a feature that pays for places (coins) keeps how many it has
    read, and reads only the ones after, without knowing how contests work."""
    return [
        decision(book.contests[c], book.contests[c].runs[n - 1]) for c, n in book.finals[since:]
    ]
