"""Recurring contests: a run per day, week or month, each archived with its result.

Run ``n`` (from 0) is the first run moved ``n`` days, weeks or months on in the
rule set's time zone, its windows with it, so a daily contest from 09:00 to 17:00
stays 09:00 to 17:00 across a change to summer time, and a monthly one from the
31st runs from the last day of a shorter month. A run begins when the clock
passes the end of the one before (sales made after that end count in it even
while the run before waits for its grace period); a ``contest_end`` stops the
repeats.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .model import Contest


def shifted(epoch: float, zone: ZoneInfo, repeat: str | None, runs: int) -> float:
    """``epoch`` moved ``runs`` repeats on, at the same local time of day."""
    if not runs or repeat is None:
        return epoch
    local = datetime.fromtimestamp(epoch, zone)
    if repeat == "daily":
        moved = local.replace(tzinfo=None) + timedelta(days=runs)
    elif repeat == "weekly":
        moved = local.replace(tzinfo=None) + timedelta(weeks=runs)
    else:
        months = local.month - 1 + runs
        year, month = local.year + months // 12, months % 12 + 1
        day = min(local.day, calendar.monthrange(year, month)[1])
        moved = local.replace(tzinfo=None, year=year, month=month, day=day)
    return moved.replace(tzinfo=zone).timestamp()


def run_span(contest: Contest, zone: ZoneInfo, number: int) -> tuple[float, float]:
    """[starts, ends) of run ``number`` (from 1)."""
    return (
        shifted(contest.starts, zone, contest.repeat, number - 1),
        shifted(contest.ends, zone, contest.repeat, number - 1),
    )


def next_due(contest: Contest) -> float | None:
    """When the next run begins: the end of the latest one, unless it is the last."""
    if contest.repeat is None or contest.ended is not None or not contest.runs:
        return None
    return contest.runs[-1].ends
