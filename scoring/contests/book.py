"""The contests' slice of the state, and what other features may read of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..codecs import CACHE, Codec, stored
from .codec import from_data, to_data
from .model import Contest, Decision, Run, decision


def _same(value: Any) -> Any:
    return value


@dataclass(slots=True)
class ContestBook:
    contests: dict[str, Contest] = stored(Codec(to_data, from_data, optional=True))
    #: sale key -> [[contest, run, window, participant], ...] while the sale is pending
    pending: dict[str, list[list[Any]]] = stored(Codec(_same, _same, optional=True))
    #: [contest, run] of each run as its result became final, in that order
    finals: list[list[Any]] = stored(Codec(_same, _same, optional=True), list)
    #: the running runs (asked on every sale and contact), None after one began or ended
    live: list[tuple[Contest, Run]] | None = stored(CACHE, lambda: None)
    #: the earliest clock at which a run begins, or a tie or a run is due; None: unknown
    next_moment: float | None = stored(CACHE, lambda: None)

    def running(self) -> list[tuple[Contest, Run]]:
        live = self.live
        if live is None:
            live = self.live = [
                (contest, run) for contest in self.contests.values() for run in contest.open_runs()
            ]
        return live

    def changed(self) -> None:
        self.live = None
        self.next_moment = None


def final_decisions(book: ContestBook, since: int = 0) -> list[Decision]:
    """The runs decided for good, in the order they became final, from the
    ``since``-th on: a feature that pays for places (coins) keeps how many it has
    read, and reads only the ones after, without knowing how contests work."""
    return [
        decision(book.contests[c], book.contests[c].runs[n - 1]) for c, n in book.finals[since:]
    ]
