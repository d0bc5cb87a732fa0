"""Export the log as JSON Lines and import it back, into any backend.

An export is the log itself, one event per line in offset order. Importing
it is idempotent (events are de-duplicated by source and id), so an
interrupted import can simply be run again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable

import orjson

from scoring.events import SYSTEM_TYPES, InvalidEvent, validate
from scoring.log import SYSTEM_SOURCE, records

from .ingest import repeated_key
from .store import EventLog, Record

BATCH = 1000


class LogImportError(ValueError):
    """A line of an import is not an event; nothing from its batch on was stored."""


async def export_lines(store: EventLog) -> AsyncIterator[bytes]:
    after, last = 0, await store.last_offset()
    while after < last:
        batch = await store.read(after, BATCH)
        if not batch:
            break
        for entry in batch:
            yield entry.data + b"\n"
        after = batch[-1].offset


def parse_line(number: int, line: bytes) -> Record:
    try:
        event = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise LogImportError(f"line {number}: not JSON: {exc}") from None
    if not isinstance(event, dict):
        raise LogImportError(f"line {number}: expected a JSON object")
    try:
        repeated = repeated_key(line)
    except RecursionError:
        raise LogImportError(f"line {number}: nested too deeply") from None
    if repeated is not None:
        where = ".".join(str(step)[:64] for step in repeated)
        raise LogImportError(f"line {number}: {where} is given more than once in one object")
    source, received = event.pop("source", None), event.pop("received", None)
    by = event.pop("by", None)
    if not isinstance(source, str) or not isinstance(received, str):
        raise LogImportError(f"line {number}: expected 'source' and 'received' as in an export")
    try:
        clean = validate(event)
    except InvalidEvent as invalid:
        raise LogImportError(f"line {number}: {invalid}") from None
    if clean["type"] in SYSTEM_TYPES and source != SYSTEM_SOURCE:
        # The fold would ignore it; refusing says why the import is not what it looks like.
        raise LogImportError(
            f"line {number}: {clean['type']} is written by the service only "
            f"(source {SYSTEM_SOURCE!r}), got source {source[:40]!r}"
        )
    [(key, data)] = records([clean], source, received, by if isinstance(by, str) else None)
    return Record(key, data)


async def import_lines(store: EventLog, lines: Iterable[bytes]) -> tuple[int, int]:
    """Append every line; returns (stored, duplicates)."""
    stored = duplicates = 0
    batch: list[Record] = []

    async def flush() -> None:
        nonlocal stored, duplicates
        flags = await store.append(batch)
        stored += sum(flags)
        duplicates += len(flags) - sum(flags)
        batch.clear()

    for number, line in enumerate(lines, start=1):
        if line.strip():
            batch.append(parse_line(number, line))
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    return stored, duplicates
