"""Contests in the fold: the events that launch, answer and end them, and the
lifecycle hooks through which sales and contacts score in them.

- ``counted``: a sale made inside a running run's window, by an agent who plays
  in it, adds to their side's score, pending: the run's result rests on it. Most
  sales cost a contest nothing here: the day totals count them (``tally.py``).
- ``confirmed``: it stands; with the ``confirmed_sales`` metric it counts now.
- ``revoked``: it is taken back, visibly (a ``contest_revoked`` change); a result
  already decided is worked out again and may change (``contest_result``).
- ``contact_counted``: a handled contact adds its support points and, resolved,
  a contact resolved; contacts stand at once.
- ``reached``: runs begin (and repeat), windows are taken, cup ties decided, and
  a run is decided when its end plus the grace period has passed
  (``referee.py``). Sales that reach the log later are late and count in no run,
  so a result is the same whatever order its events arrived in within the grace
  period. A decided run is provisional until the last sale it counted is
  confirmed or revoked; then it is final (``contest_final``, ``contest_decided``,
  and a ``Decision`` in ``book.final_decisions``).

A hidden contest is scored the same and tells screens nothing until a
``contest`` event with its id comes without ``hidden``.
"""

from __future__ import annotations

import math

from ..contacts import latest_contact
from ..feature import Core, Event, Feature, Handler
from ..league import LeagueBook
from ..model import Sale
from . import challenge, edit, race, tally
from .book import ContestBook, Lane
from .lanes import lane
from .lanes import seats as lanes_seats
from .launch import build
from .metrics import add, participant, score
from .model import (
    CANCELLED,
    COMPONENTS,
    DECIDED,
    FINAL,
    POINTS,
    RESOLVED,
    REVENUE,
    SALES,
    Contest,
    Run,
)
from .recurring import shifted
from .referee import Referee, touch


class Contests(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(ContestBook)
        # A lane keeps each agent's seat for the day: a move makes the lanes again.
        core.placements.watch(self._roster_moved)
        self.referee = Referee(
            core.state, core.outbox, self.book, core.state.slice(LeagueBook), core.placements
        )

    def handlers(self) -> dict[str, Handler]:
        return {"contest": self.launch, "challenge_answer": self.answer, "contest_end": self.end}

    # Events ----------------------------------------------------------------
    def launch(self, event: Event) -> None:
        known = self.book.contests.get(event["contest"])
        if known is None:
            self._launch(event)
        else:
            self._change(known, {**event, "source": known.source})

    def _launch(self, event: Event) -> None:
        waits = event["format"] == "challenge" and challenge.needs_answer(event["source"])
        contest = build(event, self.epoch, None if waits else True)
        self.book.contests[contest.id] = contest
        run = self.referee.begin(contest)
        self._count_earlier(contest, run, list(tally.earlier_sales(self.state, contest, run)))
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

    def _change(self, known: Contest, event: Event) -> None:
        """A ``contest`` event for a contest that exists (``edit.py``): it replaces
        one not started, or changes a started one's name and end; else refused."""
        clock = self.state.clock
        new = build(event, self.epoch, known.accepted)
        problem = edit.refusal(known, new, clock, edit.zone_of(self.state, known))
        if problem is not None:
            self.outbox.emit({"kind": "contest_error", "contest": known.id, "error": problem})
            return
        # Seats hold a run's tallies and windows: found again after any change.
        self.book.seats = {}
        if edit.replaces(known, clock):
            del self.book.contests[known.id]
            self.book.changed()
            self._launch(event)
            return
        if known.hidden and not new.hidden:
            self.referee.reveal(known)
        known.name = new.name
        if new.ends != known.ends:
            self._move_end(known, new.ends)
        touch(self.outbox, known)
        self.book.changed()
        self.reached(clock)

    def _move_end(self, contest: Contest, ends: float) -> None:
        """Every run from the current one on ends at ``ends``'s time: the current
        one is cut short, or extended (``edit.refusal`` checked it can be)."""
        contest.ends = ends
        run = contest.runs[-1]
        at = shifted(ends, edit.zone_of(self.state, contest), contest.repeat, run.number - 1)
        if at < run.ends:
            while len(run.windows) > 1 and run.windows[-1][0] >= at:
                run.windows.pop(), run.totals.pop(), run.taken.pop()
            self._cut(contest, run, at)
        elif tally.by_sale(contest):
            run.ends = run.windows[-1][1] = at  # its days are all counted sale by sale
        else:
            # A window more: the days the old end cut stay counted as they were, the
            # days it adds whole from the day totals when it is taken.
            run.windows.append([run.ends, at])
            run.totals.append({})
            run.taken.append(False)
            run.ends = at

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
                self._cut(contest, run, at)
        self.book.changed()
        self.reached(self.state.clock)

    # Hooks -----------------------------------------------------------------
    def counted(self, sale: Sale) -> None:
        """Count a sale in the lanes that count its day sale by sale (every sale of a
        race's days; most days of most contests have none): spelled out here, not
        called, as each call here costs every sale (measured)."""
        book = self.book
        ts = sale.ts
        if ts >= book.horizon:  # the lanes to make again, or a recurring run due
            if not book.contests:
                return
            self._refresh(ts)
        for found in book.lanes.get(sale.day, ()):
            starts, ends, run, seats, metric, watchers, contest = found
            if not starts <= ts < ends:
                continue
            seat = seats[sale.agent]
            if seat is None:
                continue  # the agent does not play
            counts = seat.counts
            if counts is None:  # a run of several windows: a cup's
                counts = self._window_counts(run, seat.side, ts)
                if counts is None:
                    continue  # between the cup's windows, or late for its window
            counts[POINTS] += sale.points
            counts[SALES] += 1
            counts[REVENUE] += sale.revenue
            if watchers:
                self.outbox.dirty.update(watchers)  # a challenge's two pages both show it
            keys = seat.keys
            if keys is not None and metric is not None:
                # A race keeps the sale, and looks for where the side reaches the
                # line again if the sale can move it: a total that reaches it, or a
                # sale before where it was reached.
                keys.append(sale.key)
                finish = run.finishes.get(seat.side)
                if metric(counts) >= seat.goal if finish is None else ts <= finish[0]:
                    self._race_look(contest, run, seat.side, ts)
        if ts < book.taken_until:
            self._late(sale)

    def confirmed(self, sale: Sale) -> None:
        book = self.book
        confirming = book.confirming  # kept only while there are contests, as lanes
        if confirming is None:
            if not book.contests:
                return
            self._index()
            confirming = book.confirming or []
        for contest, run in confirming:
            counted = tally.counted_in(self.state, contest, run, sale)
            if counted is not None:
                self._confirm(contest, run, *counted, sale)
                if run.state == DECIDED:
                    self.referee.recheck(contest, run)

    def revoked(self, sale: Sale) -> None:
        if not self.book.contests:
            return
        by_sale = {id(found[2]) for found in self._lanes().get(sale.day, ())}
        for contest, run in self.book.running():
            counted = tally.counted_in(self.state, contest, run, sale)
            if counted is None:
                continue
            at, side = counted
            # A window taken holds the sale in its tallies; one still open holds it
            # only if it counts its day sale by sale (else the day totals lost it).
            if run.taken[at] or id(run) in by_sale:
                tally.add(run.totals[at], side, sale, -1)
            if contest.format == "race":
                self._race_look(contest, run, side, sale.ts)
            self._tell_revoked(contest, run, side, sale)
            if run.state == DECIDED:
                self.referee.recheck(contest, run)

    def contact_counted(self, agent: str, day: str) -> None:
        book = self.book
        if not book.contests:
            return
        lanes = self._lanes().get(day)
        if not lanes:
            return
        contact, ts, points, resolved = latest_contact(self.state, agent)
        record = self.state.agents.get(agent)
        for starts, ends, run, *_, contest in lanes:
            if contest.metric not in _CONTACT_METRICS or not starts <= ts < ends:
                continue
            side = participant(contest, record, agent, day)
            at = tally.window(run, ts)
            if side is None or at is None or run.taken[at]:
                continue
            add(run.totals[at], side, POINTS, points)
            add(run.totals[at], side, RESOLVED, int(resolved))
            if contest.format == "race":
                amount = score(contest, [points, 0, 0, 0, int(resolved)])
                run.entries.setdefault(side, {})[f"contact:{agent}:{contact}"] = [ts, amount]
                self._race_look(contest, run, side, ts)

    def reached(self, when: float) -> None:
        book = self.book
        # Every event and every sale falling due asks: nothing due is the first
        # question (measured).
        if when < book.next_moment:
            return
        if not book.contests:
            book.next_moment = math.inf  # a launch makes it unknown again
            return
        if book.next_moment == -math.inf:
            book.next_moment = self.referee.plan()
            if when < book.next_moment:
                return
        for contest in list(book.contests.values()):
            self.referee.advance(contest, when)
        book.next_moment = self.referee.plan()

    # Counting ---------------------------------------------------------------
    @staticmethod
    def _window_counts(run: Run, side: str, ts: float) -> list[int] | None:
        """The side's tallies of the window of ``run`` holding ``ts``, None if none
        (between a cup's windows) or if that window is taken already (a day the
        next window shares). A run of one window has a lane only while it is not
        taken: the lanes are made again when it is."""
        at = tally.window(run, ts)
        if at is None or run.taken[at]:
            return None
        tallies = run.totals[at]
        counts = tallies.get(side)
        if counts is None:
            counts = tallies[side] = [0] * COMPONENTS
        return counts

    def _count_earlier(
        self, contest: Contest, run: Run, earlier: list[tuple[int, str, Sale]]
    ) -> None:
        for at, side, sale in earlier:
            tally.add(run.totals[at], side, sale)
            touch(self.outbox, contest)
            if contest.format == "race":
                run.counted.setdefault(side, []).append(sale.key)
            if tally.is_confirmed(sale) and tally.counts_confirmations(contest):
                self._confirm(contest, run, at, side, sale)
            elif contest.format == "race":
                self._race_look(contest, run, side, sale.ts)

    def _confirm(self, contest: Contest, run: Run, at: int, side: str, sale: Sale) -> None:
        tally.confirm(run.totals[at], side)
        if contest.format == "race":
            self._race_look(contest, run, side, sale.ts)

    def _race_look(self, contest: Contest, run: Run, side: str, ts: float) -> None:
        """Look again for where ``side`` reaches the line, if ``ts`` can move it."""
        if run.state == FINAL or not race.worth_a_look(contest, run, side, ts):
            return
        goal = race.line(contest, run, side)
        if contest.metric == "sales":  # each sale one: only their times (measured)
            reached = race.nth(tally.race_times(self.state, run, side), goal)
        else:
            reached = race.crossing(tally.race_entries(self.state, contest, run, side), goal)
        if race.settle(run, side, reached):
            self.referee.race_moved(contest, run, side)

    def _tell_revoked(self, contest: Contest, run: Run, side: str, sale: Sale) -> None:
        amount = score(contest, tally.components(sale))
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

    def _late(self, sale: Sale) -> None:
        """A sale made in a window already taken: it counts in nothing there; noted,
        so that its revocation changes nothing either."""
        record = self.state.agents.get(sale.agent)
        for contest, run in self.book.running():
            at = tally.window(run, sale.ts)
            if at is None or not run.taken[at] or not run.starts <= sale.ts < run.ends:
                continue
            if participant(contest, record, sale.agent, sale.day) is not None:
                run.late.append(sale.key)

    # Runs -------------------------------------------------------------------
    def _lanes(self) -> dict[str, list[Lane]]:
        return self.book.lanes if self.book.horizon != -math.inf else self._index()

    def _refresh(self, ts: float) -> None:
        """The lanes made again; first, the runs of a recurring contest due by ``ts``
        begun (the clock would begin them when it got there)."""
        self._index()
        if ts >= self.book.horizon:
            self._repeat(ts)
            self._index()

    def _roster_moved(self) -> None:
        self.book.horizon, self.book.seats = -math.inf, {}

    def _index(self) -> dict[str, list[Lane]]:
        """The lanes by the days they count sale by sale; and the next repeat."""
        lanes: dict[str, list[Lane]] = {}
        kept, seats = self.book.seats, {}
        taken_until = -math.inf
        confirming = []
        # Decided runs outnumber running ones by the days of a cancellation window:
        # each is asked the least (measured: asking them as running ones was most of
        # what rebuilding this cost, and it is rebuilt whenever a run moves).
        for contest, run in self.book.running():
            if tally.counts_confirmations(contest):
                confirming.append((contest, run))
            if run.state == DECIDED:  # every window taken, the last closing last
                taken_until = max(taken_until, run.windows[-1][1])
                continue
            for (_, closes), taken in zip(run.windows, run.taken, strict=True):
                if taken:
                    taken_until = max(taken_until, closes)
            # Most runs count no day sale by sale: no lane to make. A lane for each
            # day, as an agent's seat may differ from day to day; the seats found
            # are kept while the run counts the day (the lanes are made again
            # several times a day: measured).
            for day in dict.fromkeys(tally.sale_days(self.state, contest, run)):
                key = (contest.id, run.number, day)
                found = kept.get(key)
                if found is None:
                    found = lanes_seats(contest, run, day, self.placements)
                seats[key] = found
                lanes.setdefault(day, []).append(lane(contest, run, found))
        horizon = math.inf
        for contest in self.book.contests.values():
            if contest.repeat is not None and contest.ended is None and contest.runs:
                horizon = min(horizon, contest.runs[-1].ends)
        self.book.lanes, self.book.horizon, self.book.seats = lanes, horizon, seats
        self.book.taken_until, self.book.confirming = taken_until, confirming
        return lanes

    def _repeat(self, ts: float) -> None:
        """A sale stamped past the latest run of a recurring contest: the runs up to
        it begin."""
        for contest in list(self.book.contests.values()):
            if contest.repeat is None:
                continue
            while contest.ended is None and contest.runs[-1].ends <= ts:
                self.referee.begin(contest)

    def _cut(self, contest: Contest, run: Run, at: float) -> None:
        """End ``run`` at ``at``: the day that now ends it is counted sale by sale
        from here on, so its sales so far are counted so (its contacts are not kept
        one by one: those of that day count only from now on)."""
        before = set(tally.sale_days(self.state, contest, run))
        run.ends = at
        run.windows[-1][1] = at
        after = set(tally.sale_days(self.state, contest, run))
        if after - before:
            earlier = [
                found
                for found in tally.earlier_sales(self.state, contest, run)
                if found[2].day in after - before
            ]
            self._count_earlier(contest, run, earlier)


_CONTACT_METRICS = frozenset({"points", "contacts_resolved", "mix"})
