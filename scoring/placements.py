"""Where an agent works on a local day: (team, site), as the roster says.

Every sale asks (the league's club, a contest's team or site), so the answer is
kept per agent, one for the league and the contests alike; the roster gives an
agent a new history list whenever it moves them, which tells a kept answer is
stale; it tells the placements too (``moved``), and they tell whoever keeps
answers of their own (``watch``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .state import State


class Placements:
    __slots__ = ("_kept", "_state", "_watchers")

    def __init__(self, state: State) -> None:
        self._state = state
        self._kept: dict[str, tuple[str, Any, tuple[str, str] | None]] = {}
        self._watchers: list[Callable[[], None]] = []

    def watch(self, moved: Callable[[], None]) -> None:
        """Call ``moved`` whenever the roster moves an agent."""
        self._watchers.append(moved)

    def moved(self, agent: str) -> None:
        """The roster gave ``agent`` a new history."""
        self._kept.pop(agent, None)
        for watcher in self._watchers:
            watcher()

    def of(self, agent: str, day: str) -> tuple[str, str] | None:
        """(team, site) of ``agent`` on ``day``; None while the roster lacks them."""
        record = self._state.agents.get(agent)
        history = record.history if record is not None else None
        kept = self._kept.get(agent)
        if kept is not None and kept[0] == day and kept[1] is history:
            return kept[2]
        placed = record.placement(day) if record is not None and history else None
        self._kept[agent] = (day, history, placed)
        return placed
