"""The rule sets a log published, in the order they took effect, and what each changed.

A ``rules`` event replaces the whole set from its ``ts`` on (``timeline.py``);
this module lays the published sets out as a manager reads them: the one in
force at the log's clock, and every version, newest first, each with the
changes from the version before it (``sale.products.mobile.base: 20 -> 30``).
Versions are ordered as the timeline orders them: by when they take effect,
then in log order, so the one "in force" here is the one the fold scores by.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .rules import DEFAULT_RULES, SECTIONS, as_json, parse_rules


@dataclass(frozen=True, slots=True)
class Published:
    """A ``rules`` event as the log holds it."""

    version: str
    #: the event's ``ts``, and the epoch the fold reads from it
    effective_from: str
    since: float
    received: str
    by: str | None
    rules: Mapping[str, Any]
    #: a trial: in the history, never in force
    hidden: bool = False

    def view(self) -> dict[str, Any]:
        """As the API shows it: the rule set with every section, those an older log's
        event left out (the defaults held for them) written in, so that a manager
        may start the next version from it."""
        missing = {name: DEFAULT_RULES[name] for name in SECTIONS if name not in self.rules}
        return {
            "version": self.version,
            "effective_from": self.effective_from,
            "received": self.received,
            "by": self.by,
            "rules": {**missing, **self.rules},
            "hidden": self.hidden,
        }

    def meaning(self) -> dict[str, Any]:
        """Every rule the set makes, defaults written out: what two versions compare by."""
        return as_json(parse_rules(self.rules, self.version))


#: before any rules event: the defaults, in force since always
DEFAULT_VIEW: dict[str, Any] = {
    "version": "default",
    "effective_from": None,
    "received": None,
    "by": None,
    "rules": DEFAULT_RULES,
    "hidden": False,
}


def changes(before: Any, after: Any, path: str = "") -> list[dict[str, Any]]:
    """What differs between two rule sets, one leaf each, as ``{"path", "from",
    "to"}``: paths in dot form, a key added or removed with null on its missing
    side, lists (quality bands) compared whole."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        found: list[dict[str, Any]] = []
        for key in sorted(set(before) | set(after), key=str):
            where = f"{path}.{key}" if path else str(key)
            found += changes(before.get(key), after.get(key), where)
        return found
    if _same(before, after):
        return []
    return [{"path": path, "from": before, "to": after}]


def _same(before: Any, after: Any) -> bool:
    # 1 and 1.0 are the same rule; True and 1 are not the same JSON.
    if isinstance(before, bool) or isinstance(after, bool):
        return type(before) is type(after) and before == after
    return bool(before == after)


def in_order(published: Iterable[Published]) -> list[Published]:
    """Oldest first, as the timeline holds them: by ``since``, ties in log order."""
    return sorted(published, key=lambda each: each.since)


def history(published: Iterable[Published], clock: float) -> dict[str, Any]:
    """``{"in_force": ..., "history": [...]}`` at the log's ``clock``: history newest
    first, each version with its ``changes`` from the one before (the defaults
    before the first), and whether it is still ``scheduled``.

    A trial (``hidden``) is listed where it would have taken effect, with its
    changes from the version in force then; the next version's changes are counted
    from that version, not from the trial, which was never in force."""
    ordered = in_order(published)
    in_force: dict[str, Any] = DEFAULT_VIEW
    rows: list[dict[str, Any]] = []
    previous: Mapping[str, Any] = DEFAULT_RULES
    for each in ordered:
        scheduled = each.since > clock
        meaning = each.meaning()
        row = {**each.view(), "scheduled": scheduled, "changes": changes(previous, meaning)}
        rows.append(row)
        if each.hidden:
            continue
        if not scheduled:
            in_force = each.view()
        previous = meaning
    rows.reverse()
    rows.append({**DEFAULT_VIEW, "scheduled": False, "changes": []})
    return {"in_force": in_force, "history": rows}
