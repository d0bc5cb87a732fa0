"""Days, weeks and months in a time zone, as string keys.

Keys: a day is ``2026-11-23``, a week ``2026-W48`` (ISO weeks, Monday first), a
month ``2026-11``. Converting a timestamp to a local day is on the hot path of
the fold, so it is cached per quarter hour (every UTC offset in use is a
multiple of 15 minutes).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

QUARTER_HOUR = 900


class Calendar:
    def __init__(self, timezone: str) -> None:
        self.timezone = timezone
        self.zone = ZoneInfo(timezone)
        self._days: dict[int, str] = {}

    def day(self, epoch: float) -> str:
        slot = int(epoch // QUARTER_HOUR)
        key = self._days.get(slot)
        if key is None:
            if len(self._days) > 200_000:
                self._days.clear()
            moment = datetime.fromtimestamp(slot * QUARTER_HOUR, self.zone)
            key = self._days[slot] = moment.date().isoformat()
        return key

    def start(self, day: str) -> float:
        """Epoch of local midnight at the start of ``day``."""
        local = datetime.combine(date.fromisoformat(day), datetime.min.time(), self.zone)
        return local.astimezone(UTC).timestamp()

    def bounds(self, kind: str, key: str) -> tuple[float, float]:
        """[start, end) of a period key, as epochs."""
        first, after = period_days(kind, key)
        return self.start(first.isoformat()), self.start(after.isoformat())


def period_of(kind: str, day: str) -> str:
    """The key of the ``day``/``week``/``month`` holding local ``day``."""
    if kind == "day":
        return day
    if kind == "week":
        return week_of(day)
    if kind == "month":
        return day[:7]
    raise ValueError(f"expected day, week or month, got {kind!r}")


@lru_cache(maxsize=4096)
def week_of(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def period_days(kind: str, key: str) -> tuple[date, date]:
    """The first day of a period and the first day after it."""
    if kind == "day":
        first = date.fromisoformat(key)
        return first, first + timedelta(days=1)
    if kind == "week":
        iso_year, iso_week = key.split("-W")
        first = date.fromisocalendar(int(iso_year), int(iso_week), 1)
        return first, first + timedelta(days=7)
    if kind == "month":
        year, month = int(key[:4]), int(key[5:7])
        first = date(year, month, 1)
        after = date(year + month // 12, month % 12 + 1, 1)
        return first, after
    raise ValueError(f"expected day, week or month, got {kind!r}")


def days_between(first: date, after: date) -> list[str]:
    return [(first + timedelta(days=n)).isoformat() for n in range((after - first).days)]
