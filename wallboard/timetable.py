"""When things happen in the demo company, on the real clock.

The demo plays its company at the time of day it is started, so this module
says, for any stretch of real time, how busy the company is and what its
managers do then. The history written before the server starts (``history``)
and the player that carries on live (``player.LivePlayer``) both ask it, so the
weeks before the start and the hours after it follow one calendar:

- **Rhythm.** A contact centre open around the clock: busiest from 9 to 18
  local time, a quieter evening and a night shift (``HOURLY``, shares of the
  peak rate), so that the board moves whenever the demo is started. The weeks
  before the season under way are played at a tenth of the rate (``EARLIER``),
  which keeps the start within seconds; the season under way and the live
  play run at the full rate.
- **League.** A matchday a day, its window the whole local day, every day of
  the week: a match is live whenever the demo runs, and its minute is the time
  of day (minute 45 at noon, Berlin time). Seasons of ten matchdays (six clubs,
  a double round robin) follow one another; the one under way at the start
  began ``SEASON_PLAYED`` days before, so its table has results and matches
  still to come, and the one before it has a champion.
- **Tombolas.** One a week, from Monday 08:00 to the next Monday 08:00, and
  one every hour, the first closing eight to nine minutes after the start, so
  that a draw happens while someone watches.
- **Contests.** A weekly site battle and site cup, a daily sales race and two
  daily challenges, launched once where the history begins
  (``demo_contests``).
- **Prizes.** When less than half of a prize's usual stock is left, it is
  restocked to the full amount (``restock``).

Times in and out are aware ``datetime`` objects; days are counted in the demo
rules' time zone. Nothing here reads the clock: the moments come from the caller.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from scoring.log import format_ts

from . import demo_contests
from .simulator import (
    AVERAGE_SALE_POINTS,
    CANCEL_SHARE,
    REAL_TIME_PRIZES,
    SALE_SHARE,
    SITES,
    Company,
)

#: the demo rules' time zone (the rule sets' default)
ZONE = ZoneInfo("Europe/Berlin")
#: the share of the peak rate in each local hour, 0 to 23
HOURLY = (
    *(0.15, 0.12, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6),
    *(0.9, 1.0, 1.0, 1.0, 0.9, 0.95, 1.0, 1.0),
    *(1.0, 0.9, 0.8, 0.6, 0.45, 0.35, 0.25, 0.2),
)
#: the share of the rate played before the season under way at the start
EARLIER = 0.1
#: six clubs play each other twice: ten matchdays, one a day
SEASON_DAYS = 2 * (len(SITES) - 1)
#: matchdays of the season under way that are over when the demo starts
SEASON_PLAYED = 4
GRACE_MINUTES = 30
WEEKLY_PRIZES = ["basket", "champagne", "shirt"]
HOURLY_PRIZES = ["cinema"]
#: the first hourly tombola closes this long after the start's minute began (8 to 9
#: minutes after the start), the next ones an hour apart
FIRST_DRAW = timedelta(minutes=9)
#: a prize is restocked when less than this share of its usual stock is left
RESTOCK_BELOW = 0.5


@dataclass(frozen=True)
class Action:
    """Something a manager does at ``at``: post ``event`` (kind ``event``), or open
    a tombola (kind ``tombola``: ``event`` is the body of ``POST /api/tombolas``,
    without a seed)."""

    at: datetime
    kind: str
    event: dict[str, Any]


@dataclass(frozen=True)
class Timetable:
    """The demo company's calendar around ``start``, the moment the demo starts:
    ``history`` before it is written at once, the rest is played live, at ``peak``
    events a second in the busiest hours."""

    firm: Company
    start: datetime
    peak: float = 0.5
    history: timedelta = timedelta(days=21)

    @property
    def origin(self) -> datetime:
        """Where the history begins (the roster, rules and catalogue are set a day
        before); nothing the calendar holds happens earlier."""
        return self.start - self.history

    @property
    def busy_from(self) -> datetime:
        """Local midnight of the current season's first day: the full rate from here."""
        return local_midnight(self.season_start(self.start.astimezone(ZONE).date()))

    # Rhythm ----------------------------------------------------------------
    def rate(self, moment: datetime) -> float:
        """Events a second at ``moment``."""
        share = HOURLY[moment.astimezone(ZONE).hour]
        return self.peak * share * (1.0 if moment >= self.busy_from else EARLIER)

    def expected(self, begin: datetime, end: datetime) -> float:
        """Events expected in [begin, end), hour by hour."""
        total, moment = 0.0, begin
        while moment < end:
            hour = moment.astimezone(ZONE).replace(minute=0, second=0, microsecond=0)
            until = min(end, (hour + timedelta(hours=1)).astimezone(UTC))
            total += self.rate(moment) * (until - moment).total_seconds()
            moment = until
        return total

    def count(self, begin: datetime, end: datetime, rng: random.Random) -> int:
        """A whole number of events for [begin, end): the expectation, its fraction
        rounded up by chance, so that quiet seconds add up to the right rate."""
        expected = self.expected(begin, end)
        whole = math.floor(expected)
        return whole + (rng.random() < expected - whole)

    # League ----------------------------------------------------------------
    def season_start(self, day: date) -> date:
        """The first matchday of the season that local ``day`` is in."""
        first = self.start.astimezone(ZONE).date() - timedelta(days=SEASON_PLAYED)
        return first + timedelta(days=(day - first).days // SEASON_DAYS * SEASON_DAYS)

    def goal_every(self, first: date) -> float:
        """Points per head per goal in the season from ``first``: a club scores about
        1.4 goals a match at the season's rate, as ``simulator.Plan.goal_every`` aims."""
        day = local_midnight(first)
        sales = self.expected(day, day + timedelta(days=1)) * SALE_SHARE * (1 - CANCEL_SHARE)
        heads = sum(self.firm.heads.values())
        return max(0.1, round(sales * AVERAGE_SALE_POINTS / heads / 1.9, 1))

    def season(self, first: date) -> dict[str, Any]:
        """The ``league_season`` event of the season from local date ``first``."""
        last = first + timedelta(days=SEASON_DAYS - 1)
        return {
            "id": f"launch-cup-{first.isoformat()}",
            "type": "league_season",
            "season": f"cup-{first.isoformat()}",
            "name": f"Sales Cup {first:%d %b} to {last:%d %b}",
            "starts": first.isoformat(),
            "working_days": [1, 2, 3, 4, 5, 6, 7],
            "goal_every": self.goal_every(first),
            "grace_minutes": GRACE_MINUTES,
            "clubs": [
                {"club": site, "name": name, "heads": self.firm.heads[site], "colour": colour}
                for site, name, _, colour in SITES
            ],
        }

    def _league(self, begin: datetime, end: datetime) -> Iterator[Action]:
        """A season is launched at local midnight of its first day (its first window
        opens then); the one before it ends once its last matchday is final."""
        day = begin.astimezone(ZONE).date() - timedelta(days=1)
        while (midnight := local_midnight(day)) < end:
            if self.season_start(day) == day:
                if begin <= midnight and self.origin <= midnight:
                    launch = {**self.season(day), "ts": format_ts(midnight)}
                    yield Action(midnight, "event", launch)
                previous = day - timedelta(days=SEASON_DAYS)
                final = midnight + timedelta(minutes=GRACE_MINUTES + 1)
                if begin <= final < end and self.origin <= local_midnight(previous):
                    yield Action(final, "event", season_end(previous, final))
            day += timedelta(days=1)

    # Tombolas --------------------------------------------------------------
    def _weekly(self, begin: datetime, end: datetime) -> Iterator[Action]:
        local = begin.astimezone(ZONE).date()
        monday = local - timedelta(days=local.weekday())
        while (opens := at_local(monday, time(8))) < end:
            if opens >= max(begin, self.origin):
                year, week, _ = monday.isocalendar()
                closes = at_local(monday + timedelta(days=7), time(8))
                body = {
                    "tombola": f"week-{year}-{week:02d}",
                    "name": f"Tombola of week {week}",
                    "prizes": WEEKLY_PRIZES,
                    "every": 3,
                    "exclude_prize_winners": True,
                    "ts": format_ts(opens),
                    "closes": format_ts(closes),
                }
                yield Action(opens, "tombola", body)
            monday += timedelta(days=7)

    def _hourly(self, begin: datetime, end: datetime) -> Iterator[Action]:
        minute = self.start.replace(second=0, microsecond=0)
        first_opens = minute + FIRST_DRAW - timedelta(hours=1)
        n = max(0, math.ceil((begin - first_opens) / timedelta(hours=1)))
        while (opens := first_opens + n * timedelta(hours=1)) < end:
            closes = (opens + timedelta(hours=1)).astimezone(ZONE)
            body = {
                "tombola": f"hour-{closes:%Y%m%d-%H%M}",
                "name": f"Tombola of the hour, {closes:%H:%M}",
                "prizes": HOURLY_PRIZES,
                "every": 1,
                "ts": format_ts(opens),
                "closes": format_ts(closes),
            }
            yield Action(opens, "tombola", body)
            n += 1

    # Contests --------------------------------------------------------------
    def _contests(self, begin: datetime, end: datetime) -> Iterator[Action]:
        """The contests of ``demo_contests``, launched once where the history begins,
        their first runs in that week; each repeats from there."""
        if not begin <= self.origin < end:
            return
        local = self.origin.astimezone(ZONE).date()
        monday = local - timedelta(days=local.weekday())
        day = self.busy_from
        daily = self.expected(day, day + timedelta(days=1)) * SALE_SHARE
        for event in demo_contests.contests(self.firm, monday, ZONE, daily):
            yield Action(self.origin, "event", {**event, "ts": format_ts(self.origin)})

    # All of it -------------------------------------------------------------
    def actions(self, begin: datetime, end: datetime) -> list[Action]:
        """What the managers do in [begin, end), in order."""
        found = [
            *self._contests(begin, end),
            *self._league(begin, end),
            *self._weekly(begin, end),
            *self._hourly(begin, end),
        ]
        return sorted(found, key=lambda action: action.at)


def local_midnight(day: date) -> datetime:
    return at_local(day, time(0))


def at_local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, ZONE).astimezone(UTC)


def season_end(first: date, at: datetime) -> dict[str, Any]:
    """The ``league_end`` of the season whose first matchday was ``first``."""
    season = f"cup-{first.isoformat()}"
    return {"id": f"end-{season}", "type": "league_end", "season": season, "ts": format_ts(at)}


def restock(prizes: Mapping[str, tuple[int | None, int]], at: datetime) -> list[dict[str, Any]]:
    """``prize`` events for the catalogue's prizes running low. ``prizes`` maps a prize
    to its stock and the awards made of it (the stock counts every award ever): one
    with less than half its usual stock left gets its usual stock again."""
    events = []
    for prize, name, usual, _ in REAL_TIME_PRIZES:
        stock, awarded = prizes.get(prize, (None, 0))
        if stock is not None and stock - awarded < usual * RESTOCK_BELOW:
            events.append(
                {
                    "id": f"restock-{prize}-{at.astimezone(UTC):%Y%m%dT%H%M%S}",
                    "type": "prize",
                    "ts": format_ts(at),
                    "prize": prize,
                    "name": name,
                    "stock": awarded + usual,
                }
            )
    return events
