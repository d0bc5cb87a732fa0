"""``memory://``: the log in a Python list, for tests and throwaway runs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .base import (
    OUTBOX_STATES,
    Entry,
    EventLog,
    InboxEntry,
    LocalWakeup,
    OutboxEntry,
    Record,
    TokenRecord,
)


class MemoryLog(EventLog):
    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._entries: list[Entry] = []
        self._offsets: dict[str, int] = {}
        self._tokens: dict[str, TokenRecord] = {}
        self._meta: dict[str, bytes] = {}
        self._connectors: dict[str, bytes] = {}
        self._inboxes: dict[str, list[InboxEntry]] = {}
        self._dead_letters: dict[str, dict[int, str]] = {}
        self._channels: dict[str, bytes] = {}
        self._outbox: dict[str, OutboxEntry] = {}
        self._wakeup = LocalWakeup()

    async def _append_unique(self, records: Sequence[Record]) -> list[bool]:
        stored = []
        for record in records:
            is_new = record.key not in self._offsets
            if is_new:
                offset = len(self._entries) + 1
                self._entries.append(Entry(offset, record.data))
                self._offsets[record.key] = offset
            stored.append(is_new)
        self._wakeup.notify()
        return stored

    async def logged(self, keys: Sequence[str]) -> list[bool]:
        return [key in self._offsets for key in keys]

    async def read(self, after: int = 0, limit: int = 1000) -> list[Entry]:
        return self._entries[after : after + limit]

    async def last_offset(self) -> int:
        return len(self._entries)

    async def wait(self, after: int, timeout: float) -> None:
        if len(self._entries) <= after:
            await self._wakeup.wait(timeout)

    async def ping(self) -> None:
        return None

    async def get_meta(self, name: str) -> bytes | None:
        return self._meta.get(name)

    async def put_meta(self, name: str, value: bytes) -> None:
        self._meta[name] = value

    async def meta_names(self) -> list[str]:
        return sorted(self._meta)

    async def add_token(self, token: TokenRecord) -> None:
        self._tokens[token.hash] = token

    async def find_token(self, token_hash: str) -> TokenRecord | None:
        return self._tokens.get(token_hash)

    async def list_tokens(self) -> list[TokenRecord]:
        return sorted(self._tokens.values(), key=lambda t: (t.created, t.id))

    async def revoke_token(self, token_id: str) -> bool:
        for token_hash, token in self._tokens.items():
            if token.id == token_id:
                self._tokens[token_hash] = dataclasses.replace(token, revoked=True)
                return True
        return False

    async def put_connector(self, name: str, data: bytes) -> None:
        self._connectors[name] = data

    async def get_connector(self, name: str) -> bytes | None:
        return self._connectors.get(name)

    async def connector_names(self) -> list[str]:
        return sorted(self._connectors)

    async def record_payload(
        self, connector: str, received: str, content_type: str, body: bytes
    ) -> int:
        inbox = self._inboxes.setdefault(connector, [])
        inbox.append(InboxEntry(len(inbox) + 1, received, content_type, body))
        return len(inbox)

    async def payloads(self, connector: str, after: int = 0, limit: int = 100) -> list[InboxEntry]:
        return self._inboxes.get(connector, [])[after : after + limit]

    async def payload_count(self, connector: str) -> int:
        return len(self._inboxes.get(connector, []))

    async def set_dead_letter(self, connector: str, seq: int, reason: str | None) -> None:
        letters = self._dead_letters.setdefault(connector, {})
        if reason is None:
            letters.pop(seq, None)
        else:
            letters[seq] = reason

    async def dead_letters(self, connector: str) -> dict[int, str]:
        return dict(sorted(self._dead_letters.get(connector, {}).items()))

    # Notifications ---------------------------------------------------------
    async def put_channel(self, channel_id: str, data: bytes) -> None:
        self._channels[channel_id] = data

    async def get_channels(self) -> dict[str, bytes]:
        return dict(self._channels)

    async def delete_channel(self, channel_id: str) -> bool:
        return self._channels.pop(channel_id, None) is not None

    async def outbox_add(self, entries: Sequence[OutboxEntry]) -> list[bool]:
        added = []
        for entry in entries:
            is_new = entry.key not in self._outbox
            if is_new:
                self._outbox[entry.key] = entry
            added.append(is_new)
        return added

    async def outbox_claim(
        self, now: float, lease: float, holder: str, limit: int, skip: Sequence[str] = ()
    ) -> list[OutboxEntry]:
        due = sorted(
            (e for e in self._outbox.values() if e.state == "pending" and e.due <= now),
            key=lambda e: (e.due, e.key),
        )
        claimed: list[OutboxEntry] = []
        for entry in due:
            if entry.channel in skip:
                continue
            if len(claimed) == limit:
                break
            held = dataclasses.replace(entry, holder=holder, due=now + lease, updated=now)
            self._outbox[entry.key] = held
            claimed.append(held)
        return claimed

    async def outbox_settle(self, entry: OutboxEntry) -> bool:
        stored = self._outbox.get(entry.key)
        if stored is None or stored.state != "pending" or stored.holder != entry.holder:
            return False
        self._outbox[entry.key] = dataclasses.replace(entry, holder="")
        return True

    async def outbox_revive(self, key: str, now: float) -> bool:
        stored = self._outbox.get(key)
        if stored is None or stored.state != "dead":
            return False
        self._outbox[key] = dataclasses.replace(
            stored, state="pending", attempts=0, due=now, holder="", updated=now
        )
        return True

    async def outbox_list(self, state: str, limit: int) -> list[OutboxEntry]:
        listed = [e for e in self._outbox.values() if e.state == state]
        return sorted(listed, key=lambda e: (-e.updated, e.key))[:limit]

    async def outbox_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTBOX_STATES, 0)
        for entry in self._outbox.values():
            counts[entry.state] += 1
        return counts
