"""What ``goal_every`` past sales suggest for a new season: offered, never taken.

The manager sets ``goal_every``; a preview puts beside it the figure that the
last windows shaped like the season's matchdays would have turned into about
``TARGET`` goals a match, rounded to a figure a person would choose, and says
how it came: how many windows, how many goals a match at the suggestion and at
the manager's own figure. Where the points come from is the shell's business
(it reads the scorer's state); this module only shapes windows and weighs them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .season import calibrate_goal_every

#: past windows a suggestion looks at
WINDOWS = 10
#: goals a match a suggestion aims at: a football score, not a cricket one
TARGET = 2.75
DAY = 86400.0


def goals_per_match(samples: Sequence[float], goal_every: float) -> float:
    """Goals a match that ``goal_every`` gives, on average, over ``samples`` (one
    club's points per head in one window each; a match has two clubs)."""
    if not samples:
        return 0.0
    return 2 * sum(math.floor(p / goal_every + 1e-9) for p in samples) / len(samples)


def matchday_windows_before(
    before: str,
    timezone: str,
    count: int = WINDOWS,
    *,
    days: int = 1,
    working_days: Sequence[int] = (1, 2, 3, 4, 5),
    holidays: Sequence[str] = (),
) -> list[tuple[float, float]]:
    """The ``count`` windows of ``days`` working days each that ended by local
    midnight at the start of ``before``, oldest first: the season's matchdays, in
    the past."""
    zone = ZoneInfo(timezone)
    skip = set(holidays)

    def midnight(day: date) -> float:
        return datetime.combine(day, datetime.min.time(), zone).timestamp()

    windows: list[tuple[float, float]] = []
    block: list[date] = []
    day = date.fromisoformat(before)
    for _ in range(3660):
        day -= timedelta(days=1)
        if day.isoweekday() not in working_days or day.isoformat() in skip:
            continue
        block.append(day)
        if len(block) == days:
            windows.append((midnight(block[-1]), midnight(block[0] + timedelta(days=1))))
            block = []
            if len(windows) == count:
                break
    return windows[::-1]


def windows_before(until: float, length: float, count: int = WINDOWS) -> list[tuple[float, float]]:
    """``count`` windows of ``length`` seconds, back to back, ending at ``until``."""
    return [(until - n * length, until - (n - 1) * length) for n in range(count, 0, -1)]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A ``goal_every`` offered, with how it came."""

    #: the figure offered (None: no sales to go by)
    value: float | None
    #: the figure the calibration found, before rounding
    exact: float | None
    #: goals a match the past windows would have had at ``value``
    goals_per_match: float | None
    #: windows with sales that were weighed
    windows: int
    #: windows looked at, with sales or not
    looked_at: int
    #: goals a match aimed at
    target: float
    #: the manager's own figure, and the goals a match it would have given
    goal_every: float | None
    goals_per_match_as_sent: float | None
    reason: str

    def as_data(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "reason": self.reason,
            "goals_per_match": self.goals_per_match,
            "target": self.target,
            "windows": self.windows,
            "windows_looked_at": self.looked_at,
            "exact": self.exact,
            "goals_per_match_as_sent": self.goals_per_match_as_sent,
        }


def suggest(
    windows: Sequence[Mapping[str, float]],
    goal_every: float | None = None,
    *,
    target: float = TARGET,
) -> Suggestion:
    """The suggestion from ``windows``: per past window, each club's points per head.

    A window in which no club sold is left out (a weekend, days before the
    company sold through the product): it says nothing about how they sell."""
    sold = [window for window in windows if any(p > 0 for p in window.values())]
    samples = [points for window in sold for points in window.values()]
    as_sent = _round(goals_per_match(samples, goal_every)) if sold and goal_every else None
    if not sold:
        return Suggestion(
            None,
            None,
            None,
            0,
            len(windows),
            target,
            goal_every,
            None,
            f"no sales in the past {len(windows)} windows to calibrate from",
        )
    exact = calibrate_goal_every(samples, target=target)
    value = sensible(exact, samples, target)
    goals = _round(goals_per_match(samples, value))
    plural = "window" if len(sold) == 1 else "windows"
    reason = f"past {len(sold)} {plural}: {goals:g} goals per match at {value:g} (aim {target:g})"
    if goal_every is not None and as_sent is not None and goal_every != value:
        reason += f"; {as_sent:g} at {goal_every:g} as sent"
    return Suggestion(
        value, exact, goals, len(sold), len(windows), target, goal_every, as_sent, reason
    )


def sensible(exact: float, samples: Sequence[float], target: float = TARGET) -> float:
    """``exact`` to two significant figures, on whichever side gives nearer
    ``target`` goals a match over ``samples`` (the larger figure on a tie)."""
    step = 10.0 ** (math.floor(math.log10(exact)) - 1)
    candidates = {
        _clean(math.floor(exact / step) * step),
        _clean(math.ceil(exact / step) * step),
    }
    candidates.discard(0.0)
    return min(
        candidates, key=lambda c: (abs(goals_per_match(samples, c) - target), -c), default=exact
    )


def _clean(value: float) -> float:
    """A rounded figure without float dust (0.30000000000000004 is 0.3); whole
    figures as ints, so that they read as 180 rather than 180.0."""
    rounded = round(value, 10)
    return int(rounded) if rounded == int(rounded) else rounded


def _round(value: float) -> float:
    return round(value, 2)
