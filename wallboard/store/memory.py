"""``memory://``: the log in a Python list, for tests and throwaway runs."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .base import Entry, EventLog, LocalWakeup, Record, TokenRecord


class MemoryLog(EventLog):
    def __init__(self, url: str = "memory://") -> None:
        self.url = url
        self._entries: list[Entry] = []
        self._offsets: dict[str, int] = {}
        self._tokens: dict[str, TokenRecord] = {}
        self._meta: dict[str, bytes] = {}
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
