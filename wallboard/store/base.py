"""The log interface every storage backend implements.

The log is an append-only sequence of events, each stored as canonical JSON
bytes at an integer offset (1, 2, 3, ...). Events are de-duplicated by a key
(``source:id``), so an integration may retry a request safely. The same store
also keeps the access tokens, hashed, because every web process must see a
token the moment the CLI creates or revokes it.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import NamedTuple


class StoreError(Exception):
    """Base of the storage errors."""


class StoreUnavailable(StoreError):
    """The store cannot be reached; nothing of the current operation was written."""


# Entries and records are named tuples rather than frozen dataclasses: ingest and
# the fold make them by the ten thousand per second, and a tuple is made several
# times faster.
class Entry(NamedTuple):
    """One stored event: its offset in the log and its canonical JSON."""

    offset: int
    data: bytes


class Record(NamedTuple):
    """One event to append: its de-duplication key and its canonical JSON."""

    key: str
    data: bytes


class InboxEntry(NamedTuple):
    """A payload a connector received, as it came (recorded before it is mapped):
    its number in the connector's inbox (1, 2, 3, ...), when, and its bytes."""

    seq: int
    received: str
    content_type: str
    body: bytes


@dataclass(frozen=True)
class TokenRecord:
    id: str
    hash: str
    role: str
    label: str
    created: str
    agent: str | None = None
    source: str | None = None
    revoked: bool = False


@dataclass(frozen=True)
class OutboxEntry:
    """A notification to deliver: made once per (event, rule), kept until delivered
    or given up on. ``holder`` and ``due`` form the lease: a process that claims an
    entry holds it until ``due``; one that dies holding it lets it fall due again."""

    #: the idempotency key, from the log offset of the event and the rule
    key: str
    channel: str
    rule: str
    offset: int
    #: the message, as JSON (``wallboard.notify.messages``)
    message: bytes
    state: str = "pending"
    attempts: int = 0
    due: float = 0.0
    holder: str = ""
    error: str = ""
    created: float = 0.0
    updated: float = 0.0


#: an outbox entry's states
OUTBOX_STATES = ("pending", "delivered", "dead")


class EventLog(abc.ABC):
    """Append with de-duplication, read from an offset, follow new entries."""

    url: str
    #: How long ``wait`` sleeps before looking again when it cannot be woken by
    #: a writer in another process.
    poll_interval = 0.2

    async def __aenter__(self) -> EventLog:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Connect; a backend with nothing to connect leaves this alone."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Disconnect."""

    async def append(self, records: Sequence[Record]) -> list[bool]:
        """Store ``records`` atomically: all of them or, on an error, none.

        Returns, per record, whether it was stored (False: a duplicate of an
        event already in the log or earlier in the same batch).
        """
        seen: set[str] = set()
        unique: list[Record] = []
        first: list[bool] = []
        for record in records:
            is_first = record.key not in seen
            first.append(is_first)
            if is_first:
                seen.add(record.key)
                unique.append(record)
        stored = iter(await self._append_unique(unique) if unique else [])
        return [next(stored) if is_first else False for is_first in first]

    @abc.abstractmethod
    async def _append_unique(self, records: Sequence[Record]) -> list[bool]:
        """Append records whose keys are distinct; False for keys already logged."""

    @abc.abstractmethod
    async def logged(self, keys: Sequence[str]) -> list[bool]:
        """Per key, whether an event with it is in the log: a request can tell a
        retry of what it stored before from something new, before appending."""

    @abc.abstractmethod
    async def read(self, after: int = 0, limit: int = 1000) -> list[Entry]:
        """Up to ``limit`` entries with an offset greater than ``after``, in order."""

    @abc.abstractmethod
    async def last_offset(self) -> int:
        """The offset of the newest entry, 0 for an empty log."""

    @abc.abstractmethod
    async def wait(self, after: int, timeout: float) -> None:
        """Return when an entry after ``after`` may exist, or after ``timeout``."""

    async def follow(self, after: int = 0, limit: int = 1000) -> AsyncIterator[list[Entry]]:
        """Yield batches of new entries forever, starting after ``after``."""
        while True:
            batch = await self.read(after, limit)
            if batch:
                after = batch[-1].offset
                yield batch
            else:
                await self.wait(after, timeout=5.0)

    async def stats(self) -> dict[str, int]:
        # Offsets are dense (1..n with no gaps), so the last one is the count.
        last = await self.last_offset()
        return {"events": last, "last_offset": last}

    @abc.abstractmethod
    async def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""

    # Metadata: snapshots and secrets, kept beside the log, not in it --------
    @abc.abstractmethod
    async def get_meta(self, name: str) -> bytes | None: ...

    @abc.abstractmethod
    async def put_meta(self, name: str, value: bytes) -> None: ...

    @abc.abstractmethod
    async def meta_names(self) -> list[str]:
        """The name of every metadata entry, sorted (for a full backup)."""

    # Tokens ----------------------------------------------------------------
    @abc.abstractmethod
    async def add_token(self, token: TokenRecord) -> None: ...

    @abc.abstractmethod
    async def find_token(self, token_hash: str) -> TokenRecord | None: ...

    @abc.abstractmethod
    async def list_tokens(self) -> list[TokenRecord]: ...

    @abc.abstractmethod
    async def revoke_token(self, token_id: str) -> bool:
        """Mark the token revoked; False if no token has that id."""

    # Connectors: their settings and secrets, what they received, what failed.
    # Kept beside the log, never in it: the log is exported and shared. ------
    @abc.abstractmethod
    async def put_connector(self, name: str, data: bytes) -> None:
        """Create or replace the connector ``name`` (its JSON); its inbox stays."""

    @abc.abstractmethod
    async def get_connector(self, name: str) -> bytes | None: ...

    @abc.abstractmethod
    async def connector_names(self) -> list[str]:
        """Every connector's name, sorted."""

    @abc.abstractmethod
    async def record_payload(
        self, connector: str, received: str, content_type: str, body: bytes
    ) -> int:
        """Store a received payload durably; its number in the connector's inbox."""

    @abc.abstractmethod
    async def payloads(self, connector: str, after: int = 0, limit: int = 100) -> list[InboxEntry]:
        """Up to ``limit`` payloads numbered above ``after``, oldest first."""

    @abc.abstractmethod
    async def payload_count(self, connector: str) -> int: ...

    async def latest_payloads(self, connector: str, limit: int) -> list[InboxEntry]:
        """The last ``limit`` payloads received, oldest first (numbers are dense)."""
        count = await self.payload_count(connector)
        return await self.payloads(connector, max(0, count - limit), limit)

    @abc.abstractmethod
    async def set_dead_letter(self, connector: str, seq: int, reason: str | None) -> None:
        """Mark payload ``seq`` as failed with ``reason``; None clears it."""

    @abc.abstractmethod
    async def dead_letters(self, connector: str) -> dict[int, str]:
        """The failed payloads' numbers and reasons, by number."""

    # Notifications: channels (with their secrets) and the outbox -----------
    @abc.abstractmethod
    async def put_channel(self, channel_id: str, data: bytes) -> None:
        """Create or replace a notification channel (JSON, secrets included)."""

    @abc.abstractmethod
    async def get_channels(self) -> dict[str, bytes]:
        """Every channel by id."""

    @abc.abstractmethod
    async def delete_channel(self, channel_id: str) -> bool: ...

    @abc.abstractmethod
    async def outbox_add(self, entries: Sequence[OutboxEntry]) -> list[bool]:
        """Store the entries whose keys are new; per entry, whether it was."""

    @abc.abstractmethod
    async def outbox_claim(
        self, now: float, lease: float, holder: str, limit: int, skip: Sequence[str] = ()
    ) -> list[OutboxEntry]:
        """Atomically lease up to ``limit`` pending entries due by ``now``, oldest
        due first, leaving out those of the channels in ``skip``: each is held by
        ``holder`` until ``now + lease``, so no other process claims it meanwhile."""

    @abc.abstractmethod
    async def outbox_settle(self, entry: OutboxEntry) -> bool:
        """Write ``entry``'s state, attempts, due time and error if its holder still
        holds it (the lease not taken over); the stored entry is let go."""

    @abc.abstractmethod
    async def outbox_revive(self, key: str, now: float) -> bool:
        """A dead entry pending again, due ``now``, its attempts counted afresh."""

    @abc.abstractmethod
    async def outbox_list(self, state: str, limit: int) -> list[OutboxEntry]:
        """Entries in ``state``, the most recently updated first."""

    @abc.abstractmethod
    async def outbox_counts(self) -> dict[str, int]:
        """How many entries are in each of ``OUTBOX_STATES``."""


class LocalWakeup:
    """Wakes waiters in this process when the log grows; others poll."""

    def __init__(self) -> None:
        self._changed: asyncio.Event | None = None

    def notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    async def wait(self, timeout: float) -> None:
        if self._changed is None:
            self._changed = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)
