"""Round-robin fixtures by the circle method, with alternating home rights.

With ``n`` clubs (a bye added when ``n`` is odd), one club stays fixed and the
others rotate around it, one step per matchday, so every pair meets exactly
once in ``n - 1`` matchdays. Home rights follow de Werra's canonical
orientation: the fixed club alternates home and away, and every other pair
takes its orientation from the parity of its distance on the circle. That
gives the known minimum of ``n - 2`` breaks (two home or two away matches in
a row) per half for an even ``n``, and none at all for an odd ``n``, where each
club instead sits out one matchday per half.

A double round robin plays the first half again with home and away swapped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .errors import LeagueError


def round_robin(clubs: Sequence[str], *, double: bool = True) -> list[list[tuple[str, str]]]:
    """One list of (home, away) pairs per matchday; a club missing from one has a bye."""
    names = list(clubs)
    if len(names) < 2:
        raise LeagueError(f"expected at least 2 clubs, got {len(names)}")
    if len(set(names)) != len(names):
        raise LeagueError("expected distinct clubs, got a club twice")
    odd = len(names) % 2 == 1
    # Index n - 1 is the fixed club: the bye when n is odd.
    n = len(names) + odd
    circle = n - 1

    def name(index: int) -> str | None:
        return None if odd and index == n - 1 else names[index]

    first_half: list[list[tuple[str, str]]] = []
    for day in range(circle):
        pairs: list[tuple[int, int]] = []
        fixed = (day, n - 1) if day % 2 == 0 else (n - 1, day)
        pairs.append(fixed)
        for k in range(1, n // 2):
            a, b = (day + k) % circle, (day - k) % circle
            pairs.append((a, b) if k % 2 == 0 else (b, a))
        matchday = []
        for home, away in pairs:
            home_name, away_name = name(home), name(away)
            if home_name is not None and away_name is not None:
                matchday.append((home_name, away_name))
        first_half.append(matchday)
    if not double:
        return first_half
    return first_half + [[(away, home) for home, away in day] for day in first_half]


def breaks(schedule: Sequence[Sequence[tuple[str, str]]]) -> dict[str, int]:
    """Per club, how often it plays home twice or away twice in a row (byes skipped)."""
    venues: dict[str, list[str]] = {}
    for matchday in schedule:
        for home, away in matchday:
            venues.setdefault(home, []).append("H")
            venues.setdefault(away, []).append("A")
    return {
        club: sum(1 for a, b in itertools.pairwise(seq) if a == b) for club, seq in venues.items()
    }
