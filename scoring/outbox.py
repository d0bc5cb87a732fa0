"""Where the fold puts what changed: the changes screens celebrate, and the
agents whose figures moved (their pages need drawing again).

Not part of the state: the shell drains both after each batch it folds.
"""

from __future__ import annotations

from .changes import Change


class Outbox:
    __slots__ = ("changes", "dirty")

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.dirty: set[str] = set()

    def emit(self, change: Change) -> None:
        self.changes.append(change)

    def touch(self, agent: str) -> None:
        self.dirty.add(agent)

    def drain(self) -> list[Change]:
        changes, self.changes = self.changes, []
        return changes
