"""The league package's errors."""

from __future__ import annotations


class LeagueError(ValueError):
    """A season, fixture or table request that cannot be honoured, and why."""
