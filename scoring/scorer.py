"""The scorer: a deterministic fold of the event log into what everyone earned.

``Scorer.apply(event)`` takes events in log order. Time moves only with the
log: the clock is the latest ``received`` stamp or ``tick`` seen, never the
machine's. Each time it moves, sales whose cancellation window has passed are
confirmed (``sales.py``), every feature hears that the clock reached each such
moment and then the new time (tombolas close, matches kick off and end), and
when the local day turns, periods that ended settle (rank prizes).

This module only puts the fold together: the state (``state.py``), the sales
and contacts that drive a sale's lifecycle, and the features that follow it,
registered in ``FEATURES``, one line each, in the order their hooks are called.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from .changes import Change
from .channels import Channels
from .contacts import Contacts
from .contests.feature import Contests
from .events import SYSTEM_TYPES
from .experiments.feature import Experiments
from .feature import Core, Event, Feature, Handler, hooked
from .goals import Goals
from .league import LeagueFormat
from .log import SYSTEM_SOURCE, Epochs
from .model import SeasonPeriod
from .outbox import Outbox
from .periods import Calendar
from .placements import Placements
from .prizes import Prizes
from .records import Records
from .reward_store import RewardStore
from .roster import Roster
from .rules import parse_rules
from .sales import SaleLifecycle
from .state import State
from .tombolas import Tombolas
from .wallet import Wallets

F = TypeVar("F", bound=Feature)


#: The features of the fold, in the order their hooks are called: a new one
#: (a contest format, say) is its own module and one line here.
FEATURES: tuple[type[Feature], ...] = (
    Roster,
    Experiments,
    Goals,
    Tombolas,
    Prizes,
    LeagueFormat,
    Channels,
    Contests,
    Wallets,
    RewardStore,
    Records,
)


class Scorer:
    def __init__(
        self, state: State | None = None, *, features: Sequence[type[Feature]] = FEATURES
    ) -> None:
        self.state = state if state is not None else State()
        self.outbox = Outbox()
        #: events folded by this scorer: any change to the state moves it, so the
        #: shell can keep what it derived from one state (not part of the state)
        self.folds = 0
        self.epoch = Epochs()
        core = Core(self.state, self.outbox, self.epoch, Placements(self.state))
        self.features = [feature(core) for feature in features]
        self.lifecycle = SaleLifecycle(core, self.features)
        self.contacts = Contacts(core, self.features)
        self._reached = hooked(self.features, "reached")
        self._new_day = hooked(self.features, "new_day")
        #: when the clock's local day ends, in the calendar of the rules then in force
        #: (a cache, rebuilt after a restore)
        self._day_ends = 0.0
        self._day_calendar: Calendar | None = None
        self._handlers: dict[str, Handler] = {
            "sale": self.lifecycle.sale,
            "cancellation": self.lifecycle.cancellation,
            "contact": self.contacts.contact,
            "rules": self._rules,
            "season": self._season,
            "tick": lambda event: None,
            # What a manager did outside the log, kept for the audit only.
            "token_created": lambda event: None,
            "token_revoked": lambda event: None,
            # Read by the shell's notifications (wallboard/notify), not folded.
            "notification_rule": lambda event: None,
        }
        for each in self.features:
            for kind, handler in each.handlers().items():
                if kind in self._handlers:
                    raise ValueError(f"expected one handler for {kind!r} events, got two")
                self._handlers[kind] = handler
        # The built-in features by name, for the views.
        self.goals = self.feature(Goals)
        self.tombolas = self.feature(Tombolas)
        self.prizes = self.feature(Prizes)
        self.league = self.feature(LeagueFormat)
        self.contests = self.feature(Contests)

    def feature(self, kind: type[F]) -> F:
        for each in self.features:
            if isinstance(each, kind):
                return each
        raise KeyError(f"expected a registered {kind.__name__} feature")

    # Folding ---------------------------------------------------------------
    @property
    def offset(self) -> int:
        return self.state.offset

    @property
    def clock(self) -> float:
        return self.state.clock

    def apply(self, event: Event, offset: int | None = None) -> None:
        """Fold one event (in its canonical log form) into the state."""
        kind = event["type"]
        # A clock or a draw from anyone but the service (an older log's manager
        # tick, an import, a hand-written line) takes its place and changes nothing.
        if kind not in SYSTEM_TYPES or event.get("source") == SYSTEM_SOURCE:
            moment = event["ts"] if kind == "tick" else event.get("received")
            if moment is not None:
                now = self.epoch(moment)
                if now > self.state.clock:
                    self.advance(now)
            self._handlers[kind](event)
        self.folds += 1
        if offset is not None:
            self.state.offset = offset

    def advance(self, now: float) -> None:
        """Move the clock to ``now``: confirm, close and settle what is due."""
        state = self.state
        state.clock = now
        self.lifecycle.confirm_due(now)
        for hook in self._reached:
            hook(now)
        calendar = state.timeline.calendar_at(now)
        # A rule set in another time zone moves the end of the day: from the moment
        # it is in force, as a fold restored from a snapshot (no cache) would see it.
        if now >= self._day_ends or calendar is not self._day_calendar:
            day = calendar.day(now)
            self._day_ends = calendar.start(
                (date.fromisoformat(day) + timedelta(days=1)).isoformat()
            )
            self._day_calendar = calendar
            if day != state.clock_day:
                state.clock_day = day
                for hook in self._new_day:
                    hook(day)

    def drain_changes(self) -> list[Change]:
        """What changed since the last drain, for screens: scores, goals, prizes."""
        return self.outbox.drain()

    # Rules and seasons -----------------------------------------------------
    def _rules(self, event: Event) -> None:
        if event.get("hidden", False):
            return  # a trial: the console replays it on a copy (rule_history.py)
        rules = parse_rules(event["rules"], version=event["id"])
        self.state.timeline.add_rules(self.epoch(event["ts"]), rules)

    def _season(self, event: Event) -> None:
        self.state.timeline.seasons[event["season"]] = SeasonPeriod(
            event["season"], event["name"], event["starts"], event["ends"]
        )
