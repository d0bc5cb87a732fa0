"""Where the fold puts what changed: the changes screens celebrate, and the
agents whose figures moved (their pages need drawing again).

Not part of the state: the shell drains both after each batch it folds.
"""

from __future__ import annotations

from collections.abc import Callable

from .changes import Change


class Outbox:
    __slots__ = ("changes", "dirty", "emit")

    def __init__(self) -> None:
        self.changes: list[Change] = []
        self.dirty: set[str] = set()
        #: tell screens of a change (the list's own append: a sale emits one)
        self.emit: Callable[[Change], None] = self.changes.append

    def drain(self) -> list[Change]:
        changes, self.changes = self.changes, []
        self.emit = self.changes.append
        return changes
