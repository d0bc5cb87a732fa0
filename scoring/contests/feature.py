"""Contests in the fold: the events that launch, answer and end them, and the
lifecycle hooks through which sales and contacts score in them.

- ``counted``: a sale made inside a running run's window, by an agent who plays
  in it, adds to their side's score, pending: the run's result rests on it.
- ``confirmed``: it stands; with the ``confirmed_sales`` metric it counts now.
- ``revoked``: it is taken back, visibly (a ``contest_revoked`` change); a result
  already decided is worked out again and may change (``contest_result``).
- ``contact_counted``: a handled contact adds its support points and, resolved,
  a contact resolved; contacts stand at once.
- ``reached``: runs begin (and repeat), cup ties are decided, and a run is
  decided when its end plus the grace period has passed (``referee.py``). Sales
  that reach the log later are late and count in no run, so a result is the
  same whatever order its events arrived in within the grace period. A decided
  run is provisional until the last sale it counted is confirmed or revoked;
  then it is final (``contest_final``, ``contest_decided``, and a ``Decision``
  in ``book.final_decisions``).

A hidden contest is scored the same and tells screens nothing until a
``contest`` event with its id comes without ``hidden``.
"""

from __future__ import annotations

from ..contacts import latest_contact
from ..feature import Core, Event, Feature, Handler
from ..league import LeagueBook
from ..model import Sale
from . import challenge, tally
from .book import ContestBook
from .launch import build
from .metrics import add, participant, score
from .model import CANCELLED, CONFIRMED, DECIDED, POINTS, RESOLVED, UNPLAYED, Contest, Run
from .referee import Referee, touch


class Contests(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(ContestBook)
        self.referee = Referee(core.state, core.outbox, self.book, core.state.slice(LeagueBook))

    def handlers(self) -> dict[str, Handler]:
        return {"contest": self.launch, "challenge_answer": self.answer, "contest_end": self.end}

    # Events ----------------------------------------------------------------
    def launch(self, event: Event) -> None:
        known = self.book.contests.get(event["contest"])
        if known is not None:
            if known.hidden and not event.get("hidden", False):
                self.referee.reveal(known)
            else:
                self.outbox.emit(
                    {
                        "kind": "contest_error",
                        "contest": known.id,
                        "error": f"contest {known.id!r} exists already; the first launch stands",
                    }
                )
            return
        waits = event["format"] == "challenge" and challenge.needs_answer(event["source"])
        contest = build(event, self.epoch, None if waits else True)
        self.book.contests[contest.id] = contest
        run = self.referee.begin(contest)
        for sale in tally.earlier_sales(self.state, run):
            self._add(contest, run, sale, confirmed=tally.is_confirmed(sale))
        if waits:
            self.referee.emit(
                contest,
                {
                    "kind": "challenge_issued",
                    "contest": contest.id,
                    "challenger": contest.challenger,
                    "opponent": contest.opponent,
                    "stake": contest.stake,
                },
            )
        self.reached(self.state.clock)

    def answer(self, event: Event) -> None:
        contest = self.book.contests.get(event["contest"])
        if contest is None or contest.format != "challenge" or contest.accepted is not None:
            return  # a second answer changes nothing
        if not contest.open_runs():
            return  # expired or withdrawn meanwhile
        ended = challenge.answer(contest, event["accept"])
        self.referee.emit(
            contest,
            {"kind": "challenge_answered", "contest": contest.id, "accept": event["accept"]},
        )
        for run in ended:
            self.referee.ended(contest, run)
        self.book.changed()

    def end(self, event: Event) -> None:
        contest = self.book.contests.get(event["contest"])
        if contest is None or contest.ended is not None:
            return
        # What counted stays counted: an end dated before the clock ends it now.
        at = max(self.epoch(event["ts"]), self.state.clock)
        contest.ended = at
        if contest.format == "challenge" and contest.accepted is None:
            for run in challenge.withdraw(contest):
                self.referee.ended(contest, run)
        for run in contest.open_runs():
            if at <= run.starts or (contest.format == "cup" and at < run.ends):
                run.state = CANCELLED  # a cup is called off: no round is cut short
                self.referee.ended(contest, run)
            elif at < run.ends:
                run.ends = at
                run.windows[-1][1] = at
        self.book.changed()
        self.reached(self.state.clock)

    # Hooks -----------------------------------------------------------------
    def counted(self, sale: Sale) -> None:
        live = self.book.running()
        if not live:
            return
        ts, ts_now = sale.ts, self.state.clock
        later: list[Contest] = []
        for contest, run in live:
            if run.starts <= ts < run.ends:
                self._add(contest, run, sale, now=ts_now)
            elif ts >= run.ends and contest.repeat is not None and run is contest.runs[-1]:
                later.append(contest)
        for contest in later:
            # Stamped ahead of the clock, past the latest run's end: the next run begins.
            latest = contest.runs[-1]
            while contest.ended is None and latest.ends <= ts:
                latest = self.referee.begin(contest)
            if latest.open and latest.starts <= ts < latest.ends:
                self._add(contest, latest, sale, now=ts_now)

    def confirmed(self, sale: Sale) -> None:
        entries = self.book.pending.pop(sale.key, None) if self.book.pending else None
        for contest_id, number, at, side in entries or ():
            contest = self.book.contests[contest_id]
            run = contest.runs[number - 1]
            tally.settle(run, side)
            if run.state in UNPLAYED:
                continue
            run.totals[at][side][CONFIRMED] += 1
            if contest.format == "race" and contest.metric == "confirmed_sales":
                self.referee.race_entry(contest, run, side, sale.ts, 1.0)
            if run.state == DECIDED:
                self.referee.recheck(contest, run, moved=_counts_confirmations(contest))

    def revoked(self, sale: Sale) -> None:
        entries = self.book.pending.pop(sale.key, None) if self.book.pending else None
        for contest_id, number, at, side in entries or ():
            contest = self.book.contests[contest_id]
            run = contest.runs[number - 1]
            tally.settle(run, side)
            if run.state in UNPLAYED:
                continue
            tally.take_back(run, at, side, sale)
            amount = score(contest, tally.components(sale))
            if contest.format == "race" and contest.metric != "confirmed_sales":
                self.referee.race_exit(contest, run, side, sale.ts, amount)
            self.referee.emit(
                contest,
                {
                    "kind": "contest_revoked",
                    "contest": contest.id,
                    "run": run.number,
                    "participant": side,
                    "agent": sale.agent,
                    "sale": sale.id,
                    "amount": round(amount, 2),
                },
            )
            if run.state == DECIDED:
                self.referee.recheck(contest, run)

    def contact_counted(self, agent: str, day: str) -> None:
        live = self.book.running()
        if not live:
            return
        ts, points, resolved = latest_contact(self.state, agent)
        record = self.state.agents.get(agent)
        for contest, run in live:
            if contest.metric not in _CONTACT_METRICS or not run.starts <= ts < run.ends:
                continue
            side = participant(contest, record, agent, day)
            at = tally.window(run, ts)
            if side is None or at is None or tally.late(contest, run, at, self.state.clock):
                continue
            add(run.totals[at], side, POINTS, points)
            add(run.totals[at], side, RESOLVED, int(resolved))
            if contest.format == "race":
                amount = score(contest, [points, 0, 0, 0, int(resolved)])
                self.referee.race_entry(contest, run, side, ts, amount)

    def reached(self, when: float) -> None:
        book = self.book
        if not book.contests:
            return
        if book.next_moment is None:
            book.next_moment = self.referee.plan()
        if when < book.next_moment:
            return
        for contest in list(book.contests.values()):
            self.referee.advance(contest, when)
        book.next_moment = self.referee.plan()

    # ---------------------------------------------------------------------
    def _add(
        self,
        contest: Contest,
        run: Run,
        sale: Sale,
        *,
        confirmed: bool = False,
        now: float | None = None,
    ) -> None:
        side = tally.add_sale(
            self.book, self.state, contest, run, sale, confirmed=confirmed, now=now
        )
        if side is not None:
            touch(self.outbox, contest)
        if side is None or contest.format != "race":
            return
        if contest.metric != "confirmed_sales":
            amount = score(contest, tally.components(sale))
            self.referee.race_entry(contest, run, side, sale.ts, amount)
        elif confirmed:
            self.referee.race_entry(contest, run, side, sale.ts, 1.0)


_CONTACT_METRICS = frozenset({"points", "contacts_resolved", "mix"})


def _counts_confirmations(contest: Contest) -> bool:
    return contest.metric == "confirmed_sales" or (
        contest.metric == "mix" and contest.weights.get("confirmed_sales", 0) != 0
    )
