"""The ``notification_rule`` events of the log, read once and then followed.

A rule's later event replaces it; each version holds from its own offset on, so
the changes of an event are told by the rules as they stood before it, whichever
process derives them and however often (after a restart, the same answer).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import orjson

from ..store import EventLog

BATCH = 5000
#: how the type reads in the log's canonical JSON (sorted keys, no spaces)
MARK = b'"type":"notification_rule"'


@dataclass(frozen=True)
class NotificationRule:
    rule: str
    on: tuple[str, ...]
    channel: str
    language: str
    enabled: bool
    #: the log offset of the event that set it
    offset: int
    #: who set it (the manager's label), for the console
    by: str | None = None


@dataclass
class RuleBook:
    #: the log has been read up to this offset
    read_to: int = 0
    #: each rule's versions, in log order
    versions: dict[str, list[NotificationRule]] = field(default_factory=dict)
    _reading: asyncio.Lock = field(default_factory=asyncio.Lock)

    def add(self, offset: int, event: dict[str, object]) -> None:
        rule = NotificationRule(
            rule=str(event["rule"]),
            on=tuple(str(kind) for kind in event["on"]),  # type: ignore[attr-defined]
            channel=str(event["channel"]),
            language=str(event.get("language", "en")),
            enabled=bool(event.get("enabled", True)),
            offset=offset,
            by=None if event.get("by") is None else str(event.get("by")),
        )
        self.versions.setdefault(rule.rule, []).append(rule)

    async def follow(self, store: EventLog, offset: int) -> None:
        """Read the log's rules up to ``offset``."""
        async with self._reading:
            while self.read_to < offset:
                entries = await store.read(self.read_to, min(BATCH, offset - self.read_to))
                if not entries:
                    break
                for entry in entries:
                    if MARK in entry.data:
                        event = orjson.loads(entry.data)
                        if event.get("type") == "notification_rule":
                            self.add(entry.offset, event)
                self.read_to = entries[-1].offset
                await asyncio.sleep(0)  # a long log: let screens have the loop between

    def at(self, offset: int) -> list[NotificationRule]:
        """The enabled rules in force for the event at ``offset`` (set before it)."""
        found = []
        for versions in self.versions.values():
            before = [rule for rule in versions if rule.offset < offset]
            if before and before[-1].enabled:
                found.append(before[-1])
        return sorted(found, key=lambda rule: rule.rule)

    def current(self) -> list[NotificationRule]:
        """Every rule as it stands now, disabled ones too."""
        return sorted((v[-1] for v in self.versions.values()), key=lambda rule: rule.rule)
