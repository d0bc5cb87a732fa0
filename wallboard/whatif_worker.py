"""What runs in the what-if's own process: a scorer folding a copy of the log.

The parent (``wallboard/whatif.py``) sends the steps one by one: start from a
snapshot (or from nothing), fold entries of the log, post the draft, fold the
rest, read the figures. The fold is pure Python and holds the interpreter's
lock while it runs, so it runs here rather than in a thread of the server,
whose screens would wait for the lock at every write.
"""

from __future__ import annotations

import gc
from typing import Any

import orjson

from scoring import snapshot
from scoring.contests.views import contest_view
from scoring.feature import Event
from scoring.scorer import Scorer
from scoring.whatif import Figures, Window, figures

from .labels import Labels, contest_names

#: the scorer of the what-if under way (one at a time: the pool has one worker)
_scorer: Scorer | None = None


def begin(base: bytes | None) -> int:
    """Start from ``base`` (a snapshot's JSON) or from an empty state; returns the
    offset it starts from."""
    global _scorer
    # The fold makes no reference cycles; collections would walk the whole state.
    gc.disable()
    _scorer = Scorer() if base is None else snapshot.from_data(orjson.loads(base))
    return _scorer.offset


def _current() -> Scorer:
    if _scorer is None:
        raise RuntimeError("expected begin() before the other steps")
    return _scorer


def fold(first: int, lines: bytes) -> int:
    """Fold stored entries, one a line, the first at offset ``first`` (offsets are
    dense); returns the offset reached."""
    scorer = _current()
    apply, loads = scorer.apply, orjson.loads
    for offset, data in enumerate(lines.split(b"\n"), start=first):
        apply(loads(data), offset)
    scorer.drain_changes()
    scorer.outbox.dirty.clear()
    return scorer.offset


def base() -> bytes:
    """The state as it stands, to start a later what-if from."""
    return orjson.dumps(snapshot.to_data(_current()))


def post(events: list[Event]) -> None:
    """Fold the draft, as the log would hold it had it been posted now."""
    scorer = _current()
    for event in events:
        scorer.apply(event)
    scorer.drain_changes()


def read(window: Window, contests: list[str]) -> tuple[Figures, dict[str, Any]]:
    """The figures of the window, and the standings of ``contests`` (the draft's):
    a contest drafted with a start in the past shows how it would stand now."""
    scorer = _current()
    labels = Labels(scorer)
    standings = {}
    for contest_id in contests:
        found = scorer.contests.book.contests.get(contest_id)
        if found is not None:
            names = contest_names(labels, found)
            standings[contest_id] = contest_view(scorer.state, found, names, ids=True)
    return figures(scorer, window), standings


def end() -> None:
    """Let the copy go (its records form no cycles: counting references frees them)."""
    global _scorer
    _scorer = None
    gc.enable()
