"""Query parameters the console's lists share: a count, a cursor, a time window.

Each refusal is a 422 that names the parameter, what it expects and what came.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from starlette.requests import Request

from scoring.scorer import Scorer

from .errors import ApiError

_SPACED_OFFSET = re.compile(r"([T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")
#: the largest offset or count a parameter may name (JSON's safe integers)
MOST = 2**53


def one(request: Request, name: str) -> str | None:
    """The one value of parameter ``name``; None when it is absent."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ApiError(422, f"expected {name} once, got it {len(values)} times")
    return values[0] if values else None


def number(
    request: Request, name: str, default: int | None, lowest: int, highest: int
) -> int | None:
    """A whole number from ``lowest`` to ``highest``, or ``default`` when not given."""
    text = one(request, name)
    if text is None:
        return default
    # isdigit() alone lets "²" through, and int() refuses 4,300 digits and more
    if not (text.isascii() and text.isdigit() and len(text) <= 16) or not (
        lowest <= int(text) <= highest
    ):
        raise ApiError(
            422, f"expected {name} to be a whole number {lowest} to {highest}, got {text!r:.40}"
        )
    return int(text)


def words(request: Request, name: str, allowed: frozenset[str]) -> frozenset[str] | None:
    """A comma-separated choice among ``allowed`` (``type=rules,prize``); None when not given."""
    text = one(request, name)
    if not text:
        return None
    chosen = frozenset(word.strip() for word in text.split(","))
    unknown = sorted(chosen - allowed)
    if unknown:
        raise ApiError(
            422,
            f"expected {name} among {', '.join(sorted(allowed))} (comma-separated), "
            f"got {unknown[0]!r:.40}",
        )
    return chosen


def window(request: Request, scorer: Scorer) -> tuple[float | None, float | None]:
    """``since`` and ``until`` as epochs: each a local date (``2026-11-02``: from the
    start of that day for ``since``, to its end for ``until``) or a time with its
    offset (``2026-11-02T09:00:00+01:00``: at or after, before). None when not given."""
    since = _moment(request, "since", scorer, end=False)
    until = _moment(request, "until", scorer, end=True)
    if since is not None and until is not None and until <= since:
        raise ApiError(422, "expected until to be later than since")
    return since, until


def local_day_start(scorer: Scorer, day: date) -> float:
    """The epoch at which local ``day`` begins, in the time zone in force now."""
    return scorer.state.timeline.calendar_at(scorer.clock).start(day.isoformat())


def _moment(request: Request, name: str, scorer: Scorer, *, end: bool) -> float | None:
    text = one(request, name)
    if not text:
        return None
    expected = (
        f"expected {name} as a date (2026-11-02) or a time with its offset "
        f"(2026-11-02T09:00:00+01:00), got {text!r:.40}"
    )
    if len(text) == 10:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ApiError(422, expected) from None
        if not 2000 <= day.year <= 2099:
            raise ApiError(422, expected)
        return local_day_start(scorer, day + timedelta(days=1) if end else day)
    # An offset's "+" sent unencoded in an address arrives as a space.
    text = _SPACED_OFFSET.sub(r"\1+\2", text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(422, expected) from None
    if moment.tzinfo is None or not 2000 <= moment.year <= 2099:
        raise ApiError(422, expected)
    return moment.timestamp()
