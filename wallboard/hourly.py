"""Today's sales per site and local hour, for the board's chart, kept up to date.

Every board frame draws the chart, and by the afternoon a busy floor has made
tens of thousands of sales: counting them again for each frame took most of a
frame's time. So each scorer gets a tally per agent and hour that reads only
the sales that arrived since the last frame (the scorer keeps its sales in
arrival order and never drops one). A sale revoked later is noticed through its
agent's day, whose ``revoked`` count moves, and that agent alone is counted
again. A new day, a new time zone or a restored state starts the tally over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, tzinfo
from itertools import islice
from weakref import WeakKeyDictionary

from scoring import views
from scoring.model import REVOKED, Sale
from scoring.scorer import Scorer

#: on a fresh tally, how many sales of other days to pass over going back before
#: stopping (the log is roughly in time order)
LOOK_BACK = 500


class _Agent:
    __slots__ = ("hours", "revoked", "sales")

    def __init__(self) -> None:
        self.sales: list[tuple[Sale, int]] = []
        self.hours = [0] * 24
        self.revoked = 0

    def recount(self) -> None:
        self.hours = [0] * 24
        for sale, hour in self.sales:
            if sale.state != REVOKED:
                self.hours[hour] += 1


class Tally:
    """Today's sales of one scorer by agent and local hour."""

    def __init__(self) -> None:
        self.key: tuple[str, tzinfo] | None = None
        #: the scorer's sales as last read (a restored state brings a new dict)
        self.source: dict[str, Sale] | None = None
        self.seen = 0
        #: the scorer's ``folds`` when the tally last caught up: every board drawn
        #: from one state reads the sales once
        self.folds = -1
        self.agents: dict[str, _Agent] = {}

    def counts(self, scorer: Scorer, site: str | None) -> dict[str, list[int]]:
        today = views.today(scorer)
        if scorer.folds != self.folds or scorer.state.sales is not self.source:
            self._catch_up(scorer, today, scorer.state.timeline.calendar_at(scorer.clock).zone)
            self.folds = scorer.folds
        counts: dict[str, list[int]] = {}
        for agent_id, tally in self.agents.items():
            agent = scorer.state.agents.get(agent_id)
            club = agent.placement(today)[1] if agent else None
            if club is None or (site is not None and club != site):
                continue
            hours = counts.get(club)
            if hours is None:
                counts[club] = list(tally.hours)
            else:
                counts[club] = [a + b for a, b in zip(hours, tally.hours, strict=True)]
        return {club: hours for club, hours in counts.items() if any(hours)}

    def _catch_up(self, scorer: Scorer, today: str, zone: tzinfo) -> None:
        sales = scorer.state.sales
        fresh: Iterable[Sale]
        if (today, zone) != self.key or sales is not self.source or len(sales) < self.seen:
            self.key, self.source, self.agents = (today, zone), sales, {}
            fresh = _today_going_back(sales, today)
        else:
            fresh = islice(reversed(sales.values()), len(sales) - self.seen)
        hour = _hour_of(today, zone)
        for sale in fresh:
            if sale.day != today:
                continue
            tally = self.agents.get(sale.agent)
            if tally is None:
                tally = self.agents[sale.agent] = _Agent()
            at = hour(sale.ts)
            tally.sales.append((sale, at))
            if sale.state != REVOKED:
                tally.hours[at] += 1
        self.seen = len(sales)
        for agent_id, tally in self.agents.items():
            bucket = scorer.state.buckets.get(agent_id, {}).get(today)
            revoked = bucket.revoked if bucket is not None else 0
            if revoked != tally.revoked:
                tally.recount()
                tally.revoked = revoked


def _today_going_back(sales: dict[str, Sale], today: str) -> list[Sale]:
    found, older = [], 0
    for sale in reversed(sales.values()):
        if sale.day == today:
            found.append(sale)
        else:
            older += 1
            if older > LOOK_BACK:
                break
    return found


def _hour_of(today: str, zone: tzinfo) -> Callable[[float], int]:
    """The local hour of an epoch second on ``today``: by arithmetic on the day's UTC
    offset, and through datetime only on a day the clocks change."""
    noon = datetime.fromisoformat(f"{today}T12:00:00").replace(tzinfo=zone)
    morning, night = noon.replace(hour=0).utcoffset(), noon.replace(hour=23).utcoffset()
    if morning is not None and morning == night:
        shift = morning.total_seconds()
        return lambda ts: int((ts + shift) // 3600 % 24)
    return lambda ts: datetime.fromtimestamp(ts, zone).hour


_tallies: WeakKeyDictionary[Scorer, Tally] = WeakKeyDictionary()


def sales_by_hour(scorer: Scorer, site: str | None) -> dict[str, list[int]]:
    """Today's sales that stand, per site (or one site) and local hour."""
    tally = _tallies.get(scorer)
    if tally is None:
        tally = _tallies[scorer] = Tally()
    return tally.counts(scorer, site)
