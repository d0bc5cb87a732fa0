"""A contest's runs over time: begun, announced, their cup ties and results
decided, made final, and everything screens hear of it.

The feature (``feature.py``) feeds the tallies; the referee decides. It gets
the state, the outbox, the contests' slice and the league's (a cup seeds from a
season's table), nothing more.
"""

from __future__ import annotations

import math
from typing import Any

from ..changes import Change
from ..league import LeagueBook, table_order
from ..outbox import Outbox
from ..placements import Placements
from ..state import State
from . import challenge, cup, race, recurring, tally, team_battle
from .book import ContestBook
from .launch import new_run
from .model import DECIDED, EXPIRED, FINAL, RUNNING, Contest, Run, Tie, watched_by, winners


class Referee:
    def __init__(
        self,
        state: State,
        outbox: Outbox,
        book: ContestBook,
        league: LeagueBook,
        placements: Placements,
    ):
        self.state = state
        self.placements = placements
        self.outbox = outbox
        self.book = book
        self.league = league

    def begin(self, contest: Contest) -> Run:
        """The contest's next run, as the state stands now."""
        seeding = contest.seeding
        table = table_order(self.league, seeding) if isinstance(seeding, str) else None
        run = new_run(self.state, contest, len(contest.runs) + 1, self.placements.of, table)
        contest.runs.append(run)
        if contest.format == "cup":
            self._cup(contest, run, -math.inf)  # the byes
        self.book.changed()
        return run

    def advance(self, contest: Contest, when: float) -> None:
        """Everything due by ``when``: runs begun and announced, ties and runs decided,
        results made final."""
        due = recurring.next_due(contest)
        while due is not None and due <= when:
            self.begin(contest)
            due = recurring.next_due(contest)
        # One pass in run order: the runs decided come before those running.
        for run in contest.runs:
            if run.state == DECIDED:
                if run.final_at is not None and when > run.final_at:
                    self._finalise(contest, run)
            elif run.state == RUNNING:
                self._advance_run(contest, run, when)

    def _advance_run(self, contest: Contest, run: Run, when: float) -> None:
        if not run.announced and run.starts <= when:
            run.announced = True
            self.emit(contest, _started(contest, run))
        for at, (_, closes) in enumerate(run.windows):
            if not run.taken[at] and closes + contest.grace <= when:
                tally.take(self.state, contest, run, at)
                self.book.changed()
        if contest.format == "cup":
            self._cup(contest, run, when)
        if run.ends + contest.grace <= when:
            self.decide(contest, run)

    def plan(self) -> float:
        """The next moment anything is due."""
        moments = [math.inf]
        for contest in self.book.contests.values():
            due = recurring.next_due(contest)
            if due is not None:
                moments.append(due)
        # Only the runs not final: a contest's history is asked nothing (measured).
        for contest, run in self.book.running():
            if run.state == DECIDED:
                if run.final_at is not None:
                    moments.append(run.final_at)
                continue
            grace = contest.grace
            moments.append(run.ends + grace)
            moments += [
                closes + grace
                for (_, closes), taken in zip(run.windows, run.taken, strict=True)
                if not taken
            ]
            if not run.announced:
                moments.append(run.starts)
            if contest.format == "cup":
                moments += cup.due(contest, run)
        return min(moments)

    def decide(self, contest: Contest, run: Run) -> None:
        self.book.changed()
        if contest.format == "challenge" and contest.accepted is None:
            run.state = EXPIRED
            self.ended(contest, run)
            return
        for at in range(len(run.windows)):
            tally.take(self.state, contest, run, at)
        run.places = self._places(contest, run)
        run.decided_at = run.ends + contest.grace
        run.state = DECIDED
        final_at = tally.last_due(self.state, contest, run)
        if final_at is not None:
            run.final_at = final_at
            self.emit(contest, _result("contest_provisional", contest, run))
        else:
            self._finalise(contest, run)

    def recheck(self, contest: Contest, run: Run) -> None:
        """A decided run after one of its sales was revoked (or, counting them,
        confirmed): its places again."""
        if contest.format == "cup":
            cup.redecide_final(contest, run)
        places = self._places(contest, run)
        if places != run.places:
            run.places = places
            self.emit(contest, _result("contest_result", contest, run))

    def ended(self, contest: Contest, run: Run) -> None:
        self.emit(
            contest,
            {"kind": "contest_ended", "contest": contest.id, "run": run.number, "state": run.state},
        )

    def reveal(self, contest: Contest) -> None:
        """A hidden contest shown: screens hear now of what they were not told."""
        contest.hidden = False
        for run in contest.runs:
            if run.announced:
                self.emit(contest, _started(contest, run))
            if run.state == FINAL:
                self.emit(contest, _result("contest_final", contest, run))

    def race_moved(self, contest: Contest, run: Run, side: str) -> None:
        """Where ``side`` reaches the line moved (or it no longer does)."""
        self.emit(
            contest,
            {
                "kind": "race_finish",
                "contest": contest.id,
                "run": run.number,
                "participant": side,
                "reached": side in run.finishes,
            },
        )

    def emit(self, contest: Contest, change: Change) -> None:
        if not contest.hidden:
            self.outbox.emit(change)
            touch(self.outbox, contest)

    # ---------------------------------------------------------------------
    def _finalise(self, contest: Contest, run: Run) -> None:
        self.book.changed()
        run.state = FINAL
        run.late = []
        run.counted, run.entries = {}, {}  # what placed the race is in its finishes
        self.book.finals.append([contest.id, run.number])
        self.emit(contest, _result("contest_final", contest, run))
        self.emit(
            contest,
            {
                "kind": "contest_decided",
                "contest": contest.id,
                "run": run.number,
                "format": contest.format,
                "places": run.places,
                "stake": contest.stake,
            },
        )

    def _places(self, contest: Contest, run: Run) -> dict[str, list[list[str]]]:
        if contest.format == "race":
            return {"": race.places(contest, run)}
        if contest.format == "cup":
            return {"": cup.places(run)}
        if contest.format == "challenge":
            return challenge.places(self.state, contest, run)
        return team_battle.places(self.state, contest, run)

    def _cup(self, contest: Contest, run: Run, when: float) -> None:
        def decided(tie: Tie) -> None:
            if tie.by != "bye":
                self.emit(contest, _tie(contest, run, tie))

        cup.advance(contest, run, when, decided)


def _started(contest: Contest, run: Run) -> Change:
    return {
        "kind": "contest_started",
        "contest": contest.id,
        "name": contest.name,
        "format": contest.format,
        "run": run.number,
    }


def _tie(contest: Contest, run: Run, tie: Tie) -> Change:
    assert tie.winner is not None
    return {
        "kind": "cup_tie",
        "contest": contest.id,
        "run": run.number,
        "round": tie.round,
        "tie": tie.number,
        "winner": tie.winner,
        "by": tie.by,
        "legs": tie.legs,
    }


def _result(kind: str, contest: Contest, run: Run) -> Any:
    return {"kind": kind, "contest": contest.id, "run": run.number, "winners": winners(run)}


def touch(outbox: Outbox, contest: Contest) -> None:
    """A challenge's two agents see it on their own pages: whatever moves it (a
    sale of either, an answer, a result) changes what both pages show."""
    outbox.dirty.update(watched_by(contest))
