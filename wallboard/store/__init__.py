"""Storage backends for the event log, chosen by URL.

``memory://``, ``sqlite:///path/file.db`` and ``redis://host:port/db``; each
driver is imported only when its URL is used.
"""

from __future__ import annotations

from .base import (
    OUTBOX_STATES,
    Entry,
    EventLog,
    InboxEntry,
    OutboxEntry,
    Record,
    StoreError,
    StoreUnavailable,
    TokenRecord,
)

__all__ = [
    "OUTBOX_STATES",
    "Entry",
    "EventLog",
    "InboxEntry",
    "OutboxEntry",
    "Record",
    "StoreError",
    "StoreUnavailable",
    "TokenRecord",
    "open_store",
]


def open_store(url: str) -> EventLog:
    """The backend for ``url``, not yet opened (use it as ``async with``)."""
    if url.startswith("memory://"):
        from .memory import MemoryLog

        return MemoryLog(url)
    if url.startswith("sqlite:///"):
        from .sqlite import SQLiteLog

        return SQLiteLog(url)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis import RedisLog

        return RedisLog(url)
    raise ValueError(
        f"expected a store URL starting with memory://, sqlite:/// or redis://, got {url!r}"
    )
