"""``sqlite:///path/file.db``: the embedded default, in WAL mode.

A 2xx from the API means the batch is on disk: ``synchronous=FULL`` makes each
commit durable across a power cut, not only across a crash of the process.
Several processes may share the file (the CLI, a scorer): SQLite's own locking
serialises their writes.

One connection writes, in a worker thread, since a commit waits for the disk.
Appends that arrive while a commit is under way go together into the next
transaction (a group commit: one flush to disk for many requests), and a
transaction is a handful of statements whatever its size: each statement hands
the GIL to the worker thread and back, which costs up to the interpreter's
switch interval (5 ms) while the event loop is busy.

Another connection reads, on the event loop's thread: in WAL mode a read never
waits for a writer, and reading thousands of rows in a worker thread would pay
that hand-over for every row.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import orjson

from .base import (
    OUTBOX_STATES,
    Entry,
    EventLog,
    InboxEntry,
    LocalWakeup,
    OutboxEntry,
    Record,
    StoreUnavailable,
    TokenRecord,
)

T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    label TEXT NOT NULL,
    created TEXT NOT NULL,
    agent TEXT,
    source TEXT,
    revoked INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS connectors (
    name TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS inbox (
    connector TEXT NOT NULL,
    seq INTEGER NOT NULL,
    received TEXT NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (connector, seq)
);
CREATE TABLE IF NOT EXISTS dead_letters (
    connector TEXT NOT NULL,
    seq INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (connector, seq)
);
CREATE TABLE IF NOT EXISTS notify_channels (
    id TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS notify_outbox (
    key TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    rule TEXT NOT NULL,
    offset INTEGER NOT NULL,
    message BLOB NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    due REAL NOT NULL,
    holder TEXT NOT NULL,
    error TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS notify_outbox_due ON notify_outbox (state, due);
"""
_TOKEN_COLUMNS = "id, hash, role, label, created, agent, source, revoked"

# A transaction's records go to SQLite as one JSON text, so that one statement
# looks all of them up, and one stores them.
#: which keys of a JSON array of keys the log holds already
_LOGGED = "SELECT key FROM events WHERE key IN (SELECT value FROM json_each(?))"
#: a JSON array of [key, data] pairs, appended in array order
_INSERT = """
INSERT INTO events (key, data)
SELECT json_extract(value, '$[0]'), CAST(json_extract(value, '$[1]') AS BLOB)
FROM json_each(?) ORDER BY json_each.key
"""


def path_from_url(url: str) -> Path:
    if not url.startswith("sqlite:///"):
        raise ValueError(f"expected sqlite:///path/file.db, got {url!r}")
    return Path(url.removeprefix("sqlite:///"))


class SQLiteLog(EventLog):
    def __init__(self, url: str) -> None:
        self.url = url
        self.path = path_from_url(url)
        self._writer: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()
        self._wakeup = LocalWakeup()
        #: appends waiting for the next transaction, and the task committing them
        self._pending: list[tuple[Sequence[Record], asyncio.Future[list[bool]]]] = []
        #: connectors' payloads waiting for it too (each webhook's first write, so
        #: that it shares a transaction, and its sync to disk, with other writes)
        self._payloads: list[tuple[Payload, asyncio.Future[int]]] = []
        self._committing: asyncio.Task[None] | None = None

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=10.0
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    async def open(self) -> None:
        def connect() -> None:
            if self.path.parent != Path():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = self._connect()
            self._writer.executescript(SCHEMA)
            self._reader = self._connect()

        await self._run(connect)

    async def close(self) -> None:
        if self._committing is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.shield(self._committing)
        for connection in (self._writer, self._reader):
            if connection is not None:
                connection.close()
        self._writer = self._reader = None

    async def _run(self, function: Callable[[], T]) -> T:
        try:
            return await asyncio.to_thread(function)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite store {self.path}: {exc}") from exc

    def _write(self, function: Callable[[sqlite3.Connection], T]) -> Callable[[], T]:
        def run() -> T:
            if self._writer is None:
                raise sqlite3.ProgrammingError("store is not open")
            with self._write_lock:
                self._writer.execute("BEGIN IMMEDIATE")
                try:
                    result = function(self._writer)
                except BaseException:
                    self._writer.execute("ROLLBACK")
                    raise
                self._writer.execute("COMMIT")
                return result

        return run

    def _read(self, function: Callable[[sqlite3.Connection], T]) -> T:
        if self._reader is None:
            raise StoreUnavailable(f"sqlite store {self.path}: not open")
        try:
            with self._read_lock:
                return function(self._reader)
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"sqlite store {self.path}: {exc}") from exc

    async def _append_unique(self, records: Sequence[Record]) -> list[bool]:
        future: asyncio.Future[list[bool]] = asyncio.get_running_loop().create_future()
        self._pending.append((records, future))
        self._commit_soon()
        return await future

    def _commit_soon(self) -> None:
        if self._committing is None:
            self._committing = asyncio.create_task(self._commit_pending())

    async def _commit_pending(self) -> None:
        """Commit the waiting appends and payloads, each time all of them in one
        transaction."""
        try:
            while self._pending or self._payloads:
                waiting, self._pending = self._pending, []
                payloads, self._payloads = self._payloads, []
                write = functools.partial(
                    _insert_all,
                    payloads=[payload for payload, _ in payloads],
                    batches=[records for records, _ in waiting],
                )
                futures = [future for _, future in waiting] + [f for _, f in payloads]
                try:
                    seqs, stored = await self._run(self._write(write))
                except BaseException as exc:
                    # Rolled back (or, cancelled at shutdown, in doubt): nothing of the
                    # transaction is acknowledged.
                    for future in futures:
                        if not future.done():
                            future.set_exception(_failure(exc))
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for (_, done), flags in zip(waiting, stored, strict=True):
                    if not done.done():
                        done.set_result(flags)
                for (_, recorded), seq in zip(payloads, seqs, strict=True):
                    if not recorded.done():
                        recorded.set_result(seq)
                if waiting:
                    self._wakeup.notify()
        finally:
            self._committing = None
            closing = StoreUnavailable(f"sqlite store {self.path}: closing")
            for future in [f for _, f in self._pending] + [f for _, f in self._payloads]:
                if not future.done():
                    future.set_exception(closing)
            self._pending.clear()
            self._payloads.clear()

    async def logged(self, keys: Sequence[str]) -> list[bool]:
        def select(connection: sqlite3.Connection) -> set[str]:
            found = connection.execute(_LOGGED, (orjson.dumps(list(keys)).decode(),))
            return {key for (key,) in found}

        found = self._read(select)
        return [key in found for key in keys]

    async def read(self, after: int = 0, limit: int = 1000) -> list[Entry]:
        def select(connection: sqlite3.Connection) -> list[Entry]:
            rows = connection.execute(
                "SELECT seq, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit)
            )
            return list(map(Entry._make, rows))

        return self._read(select)

    async def last_offset(self) -> int:
        def select(connection: sqlite3.Connection) -> int:
            row = connection.execute("SELECT max(seq) FROM events").fetchone()
            return int(row[0] or 0)

        return self._read(select)

    async def wait(self, after: int, timeout: float) -> None:
        # Writers in other processes cannot wake us: poll.
        if await self.last_offset() <= after:
            await self._wakeup.wait(min(timeout, self.poll_interval))

    async def ping(self) -> None:
        self._read(lambda c: c.execute("SELECT 1").fetchone())

    async def get_meta(self, name: str) -> bytes | None:
        def select(connection: sqlite3.Connection) -> bytes | None:
            row = connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
            return bytes(row[0]) if row else None

        return self._read(select)

    async def put_meta(self, name: str, value: bytes) -> None:
        # The value is written through a blob handle, not bound to the statement: a
        # cached statement keeps its last bound values, and a snapshot is megabytes
        # that the process would hold until the next one.
        def upsert(connection: sqlite3.Connection) -> None:
            (rowid,) = connection.execute(
                "INSERT INTO meta (name, value) VALUES (?, zeroblob(?)) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value RETURNING rowid",
                (name, len(value)),
            ).fetchone()
            with connection.blobopen("meta", "value", rowid) as blob:
                blob.write(value)

        await self._run(self._write(upsert))

    async def meta_names(self) -> list[str]:
        def select(connection: sqlite3.Connection) -> list[str]:
            rows = connection.execute("SELECT name FROM meta ORDER BY name").fetchall()
            return [str(row[0]) for row in rows]

        return self._read(select)

    async def add_token(self, token: TokenRecord) -> None:
        def insert(connection: sqlite3.Connection) -> None:
            connection.execute(
                f"INSERT INTO tokens ({_TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    token.id,
                    token.hash,
                    token.role,
                    token.label,
                    token.created,
                    token.agent,
                    token.source,
                    int(token.revoked),
                ),
            )

        await self._run(self._write(insert))

    async def find_token(self, token_hash: str) -> TokenRecord | None:
        def select(connection: sqlite3.Connection) -> TokenRecord | None:
            row = connection.execute(
                f"SELECT {_TOKEN_COLUMNS} FROM tokens WHERE hash = ?", (token_hash,)
            ).fetchone()
            return _token(row) if row else None

        return self._read(select)

    async def list_tokens(self) -> list[TokenRecord]:
        def select(connection: sqlite3.Connection) -> list[TokenRecord]:
            rows = connection.execute(
                f"SELECT {_TOKEN_COLUMNS} FROM tokens ORDER BY created, id"
            ).fetchall()
            return [_token(row) for row in rows]

        return self._read(select)

    async def revoke_token(self, token_id: str) -> bool:
        def update(connection: sqlite3.Connection) -> bool:
            cursor = connection.execute("UPDATE tokens SET revoked = 1 WHERE id = ?", (token_id,))
            return cursor.rowcount == 1

        return await self._run(self._write(update))

    async def put_connector(self, name: str, data: bytes) -> None:
        def upsert(connection: sqlite3.Connection) -> None:
            connection.execute(
                "INSERT INTO connectors (name, data) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET data = excluded.data",
                (name, data),
            )

        await self._run(self._write(upsert))

    async def get_connector(self, name: str) -> bytes | None:
        def select(connection: sqlite3.Connection) -> bytes | None:
            row = connection.execute(
                "SELECT data FROM connectors WHERE name = ?", (name,)
            ).fetchone()
            return bytes(row[0]) if row else None

        return self._read(select)

    async def connector_names(self) -> list[str]:
        def select(connection: sqlite3.Connection) -> list[str]:
            rows = connection.execute("SELECT name FROM connectors ORDER BY name").fetchall()
            return [str(row[0]) for row in rows]

        return self._read(select)

    async def record_payload(
        self, connector: str, received: str, content_type: str, body: bytes
    ) -> int:
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._payloads.append(((connector, received, content_type, body), future))
        self._commit_soon()
        return await future

    async def payloads(self, connector: str, after: int = 0, limit: int = 100) -> list[InboxEntry]:
        def select(connection: sqlite3.Connection) -> list[InboxEntry]:
            rows = connection.execute(
                "SELECT seq, received, content_type, body FROM inbox "
                "WHERE connector = ? AND seq > ? ORDER BY seq LIMIT ?",
                (connector, after, limit),
            )
            return [InboxEntry(int(a), str(b), str(c), bytes(d)) for a, b, c, d in rows]

        return self._read(select)

    async def payload_count(self, connector: str) -> int:
        def select(connection: sqlite3.Connection) -> int:
            row = connection.execute(
                "SELECT max(seq) FROM inbox WHERE connector = ?", (connector,)
            ).fetchone()
            return int(row[0] or 0)

        return self._read(select)

    async def set_dead_letter(self, connector: str, seq: int, reason: str | None) -> None:
        def write(connection: sqlite3.Connection) -> None:
            if reason is None:
                connection.execute(
                    "DELETE FROM dead_letters WHERE connector = ? AND seq = ?", (connector, seq)
                )
            else:
                connection.execute(
                    "INSERT INTO dead_letters (connector, seq, reason) VALUES (?, ?, ?) "
                    "ON CONFLICT (connector, seq) DO UPDATE SET reason = excluded.reason",
                    (connector, seq, reason),
                )

        await self._run(self._write(write))

    async def dead_letters(self, connector: str) -> dict[int, str]:
        def select(connection: sqlite3.Connection) -> dict[int, str]:
            rows = connection.execute(
                "SELECT seq, reason FROM dead_letters WHERE connector = ? ORDER BY seq",
                (connector,),
            )
            return {int(seq): str(reason) for seq, reason in rows}

        return self._read(select)

    # Notifications ---------------------------------------------------------
    async def put_channel(self, channel_id: str, data: bytes) -> None:
        def upsert(connection: sqlite3.Connection) -> None:
            connection.execute(
                "INSERT INTO notify_channels (id, data) VALUES (?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                (channel_id, data),
            )

        await self._run(self._write(upsert))

    async def get_channels(self) -> dict[str, bytes]:
        def select(connection: sqlite3.Connection) -> dict[str, bytes]:
            rows = connection.execute("SELECT id, data FROM notify_channels ORDER BY id")
            return {str(key): bytes(data) for key, data in rows}

        return self._read(select)

    async def delete_channel(self, channel_id: str) -> bool:
        def delete(connection: sqlite3.Connection) -> bool:
            cursor = connection.execute("DELETE FROM notify_channels WHERE id = ?", (channel_id,))
            return cursor.rowcount == 1

        return await self._run(self._write(delete))

    async def outbox_add(self, entries: Sequence[OutboxEntry]) -> list[bool]:
        def insert(connection: sqlite3.Connection) -> list[bool]:
            added = []
            for entry in entries:
                cursor = connection.execute(
                    f"INSERT OR IGNORE INTO notify_outbox ({_OUTBOX_COLUMNS}) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    _outbox_row(entry),
                )
                added.append(cursor.rowcount == 1)
            return added

        return await self._run(self._write(insert))

    async def outbox_claim(
        self, now: float, lease: float, holder: str, limit: int, skip: Sequence[str] = ()
    ) -> list[OutboxEntry]:
        def claim(connection: sqlite3.Connection) -> list[OutboxEntry]:
            rows = connection.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM notify_outbox WHERE state = 'pending' "
                "AND due <= ? AND channel NOT IN (SELECT value FROM json_each(?)) "
                "ORDER BY due, key LIMIT ?",
                (now, orjson.dumps(list(skip)).decode(), limit),
            ).fetchall()
            held = [
                dataclasses.replace(_outbox_entry(r), holder=holder, due=now + lease, updated=now)
                for r in rows
            ]
            connection.executemany(
                "UPDATE notify_outbox SET holder = ?, due = ?, updated = ? WHERE key = ?",
                [(e.holder, e.due, e.updated, e.key) for e in held],
            )
            return held

        return await self._run(self._write(claim))

    async def outbox_settle(self, entry: OutboxEntry) -> bool:
        def update(connection: sqlite3.Connection) -> bool:
            cursor = connection.execute(
                "UPDATE notify_outbox SET state = ?, attempts = ?, due = ?, holder = '', "
                "error = ?, updated = ? WHERE key = ? AND state = 'pending' AND holder = ?",
                (
                    entry.state,
                    entry.attempts,
                    entry.due,
                    entry.error,
                    entry.updated,
                    entry.key,
                    entry.holder,
                ),
            )
            return cursor.rowcount == 1

        return await self._run(self._write(update))

    async def outbox_revive(self, key: str, now: float) -> bool:
        def update(connection: sqlite3.Connection) -> bool:
            cursor = connection.execute(
                "UPDATE notify_outbox SET state = 'pending', attempts = 0, due = ?, "
                "holder = '', updated = ? WHERE key = ? AND state = 'dead'",
                (now, now, key),
            )
            return cursor.rowcount == 1

        return await self._run(self._write(update))

    async def outbox_list(self, state: str, limit: int) -> list[OutboxEntry]:
        def select(connection: sqlite3.Connection) -> list[OutboxEntry]:
            rows = connection.execute(
                f"SELECT {_OUTBOX_COLUMNS} FROM notify_outbox WHERE state = ? "
                "ORDER BY updated DESC, key LIMIT ?",
                (state, limit),
            )
            return [_outbox_entry(row) for row in rows]

        return self._read(select)

    async def outbox_counts(self) -> dict[str, int]:
        def select(connection: sqlite3.Connection) -> dict[str, int]:
            rows = connection.execute("SELECT state, count(*) FROM notify_outbox GROUP BY state")
            return {**dict.fromkeys(OUTBOX_STATES, 0), **{str(s): int(n) for s, n in rows}}

        return self._read(select)


_OUTBOX_COLUMNS = (
    "key, channel, rule, offset, message, state, attempts, due, holder, error, created, updated"
)


def _outbox_row(entry: OutboxEntry) -> tuple[object, ...]:
    return tuple(getattr(entry, name.strip()) for name in _OUTBOX_COLUMNS.split(","))


def _outbox_entry(row: tuple[object, ...]) -> OutboxEntry:
    key, channel, rule, offset, message, state, attempts, due, holder, error, created, updated = row
    return OutboxEntry(
        key=str(key),
        channel=str(channel),
        rule=str(rule),
        offset=int(str(offset)),
        message=bytes(message),  # type: ignore[call-overload]
        state=str(state),
        attempts=int(str(attempts)),
        due=float(str(due)),
        holder=str(holder),
        error=str(error),
        created=float(str(created)),
        updated=float(str(updated)),
    )


#: a connector's payload as received: (connector, received, content type, body)
Payload = tuple[str, str, str, bytes]


def _insert_all(
    connection: sqlite3.Connection, payloads: list[Payload], batches: list[Sequence[Record]]
) -> tuple[list[int], list[list[bool]]]:
    """The payloads recorded (their numbers in their connectors' inboxes), then the
    batches appended (``_insert``)."""
    seqs = [_record_payload(connection, *payload) for payload in payloads]
    return seqs, _insert(connection, batches) if batches else []


def _record_payload(
    connection: sqlite3.Connection, connector: str, received: str, content_type: str, body: bytes
) -> int:
    (seq,) = connection.execute(
        "INSERT INTO inbox (connector, seq, received, content_type, body) "
        "SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ? FROM inbox WHERE connector = ? "
        "RETURNING seq",
        (connector, received, content_type, body, connector),
    ).fetchone()
    return int(seq)


def _insert(connection: sqlite3.Connection, batches: list[Sequence[Record]]) -> list[list[bool]]:
    """Append the batches' new records in order; per batch, which records were new.

    Inside the write transaction no other writer can add a key between the
    look-up and the insert. A key in two batches of one transaction is stored
    with the first."""
    keys = orjson.dumps([record.key for batch in batches for record in batch]).decode()
    logged = {key for (key,) in connection.execute(_LOGGED, (keys,))}
    new: list[tuple[str, str]] = []
    stored = []
    for batch in batches:
        flags = []
        for key, data in batch:
            is_new = key not in logged
            if is_new:
                logged.add(key)
                new.append((key, data.decode()))  # canonical JSON: UTF-8 text
            flags.append(is_new)
        stored.append(flags)
    if new:
        connection.execute(_INSERT, (orjson.dumps(new).decode(),))
    return stored


def _failure(exc: BaseException) -> BaseException:
    """The error each append of a failed transaction raises."""
    if isinstance(exc, StoreUnavailable):
        return StoreUnavailable(str(exc))
    if isinstance(exc, asyncio.CancelledError):
        return StoreUnavailable("sqlite store: closed while committing")
    return exc


def _token(row: tuple[object, ...]) -> TokenRecord:
    token_id, token_hash, role, label, created, agent, source, revoked = row
    return TokenRecord(
        id=str(token_id),
        hash=str(token_hash),
        role=str(role),
        label=str(label),
        created=str(created),
        agent=agent if agent is None else str(agent),
        source=source if source is None else str(source),
        revoked=bool(revoked),
    )
