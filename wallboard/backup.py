"""Export the log as JSON Lines and import it back, into any backend; and a full
backup, which holds what sits beside the log too.

An export is the log itself, one event per line in offset order. Importing
it is idempotent (events are de-duplicated by source and id), so an
interrupted import can simply be run again.

A full backup (``wallboard backup export``) starts with a header line, then the
tokens (their hashes: the tokens themselves are never stored anywhere), then the
metadata beside the log (manager accounts with their password hashes, sign-outs,
the session secret, the seeds of open tombolas), then the connectors (their
mappings and secrets; not the payloads they received), then the log as in an export.
Without these a restored store would refuse every screen, integration and manager,
and could not draw its open tombolas. Snapshots are left out: the log rebuilds them.
"""

from __future__ import annotations

import base64
import dataclasses
import itertools
from collections.abc import AsyncIterator, Iterable
from typing import Any

import orjson

from scoring.events import SYSTEM_TYPES, InvalidEvent, validate
from scoring.log import SYSTEM_SOURCE, records
from scoring.validators import MAX_ID_LENGTH, Problem, text, timestamp

from .ingest import repeated_key
from .store import EventLog, Record, TokenRecord

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
    source, received, by = _marks(number, event)
    try:
        clean = validate(event, imported=True)
    except InvalidEvent as invalid:
        raise LogImportError(f"line {number}: {invalid}") from None
    if clean["type"] in SYSTEM_TYPES and source != SYSTEM_SOURCE:
        # The fold would ignore it; refusing says why the import is not what it looks like.
        raise LogImportError(
            f"line {number}: {clean['type']} is written by the service only "
            f"(source {SYSTEM_SOURCE!r}), got source {source[:40]!r}"
        )
    [(key, data)] = records([clean], source, received, by)
    return Record(key, data)


#: what the log adds to an event, checked as the fold will read it: a ``received``
#: it cannot parse would stop the engine at that line
_MARKS = {"source": text(1, MAX_ID_LENGTH), "received": timestamp(), "by": text()}


def _marks(number: int, event: dict[str, Any]) -> tuple[str, str, str | None]:
    """Take ``source``, ``received`` and ``by`` off an exported line, checked."""
    marks = {name: event.pop(name, None) for name in _MARKS}
    if marks["source"] is None or marks["received"] is None:
        raise LogImportError(f"line {number}: expected 'source' and 'received' as in an export")
    for name, kind in _MARKS.items():
        if marks[name] is not None:
            try:
                marks[name] = kind.check(marks[name])
            except Problem as problem:
                raise LogImportError(f"line {number}: {name}: {problem}") from None
    return marks["source"], marks["received"], marks["by"]


async def import_lines(store: EventLog, lines: Iterable[bytes], start: int = 0) -> tuple[int, int]:
    """Append every line (the first is line ``start + 1`` of its file); returns
    (stored, duplicates)."""
    stored = duplicates = 0
    batch: list[Record] = []

    async def flush() -> None:
        nonlocal stored, duplicates
        flags = await store.append(batch)
        stored += sum(flags)
        duplicates += len(flags) - sum(flags)
        batch.clear()

    for number, line in enumerate(lines, start=start + 1):
        if line.strip():
            batch.append(parse_line(number, line))
        if len(batch) >= BATCH:
            await flush()
    if batch:
        await flush()
    return stored, duplicates


#: the first line of a full backup
HEADER = {"backup": "wallboard", "version": 1}
#: metadata a backup leaves out, by name: the engine rebuilds it from the log
REBUILT = frozenset({"snapshot"})


async def export_backup(store: EventLog) -> AsyncIterator[bytes]:
    """A full backup: the header, tokens, metadata, then the log."""
    yield orjson.dumps(HEADER) + b"\n"
    for token in await store.list_tokens():
        yield orjson.dumps({"backup": "token", **dataclasses.asdict(token)}) + b"\n"
    for name in await store.meta_names():
        value = await store.get_meta(name)
        if name in REBUILT or value is None:
            continue
        encoded = base64.b64encode(value).decode()
        yield orjson.dumps({"backup": "meta", "name": name, "value": encoded}) + b"\n"
    for name in await store.connector_names():
        value = await store.get_connector(name)
        if value is not None:
            encoded = base64.b64encode(value).decode()
            yield orjson.dumps({"backup": "connector", "name": name, "value": encoded}) + b"\n"
    async for line in export_lines(store):
        yield line


async def import_backup(store: EventLog, lines: Iterable[bytes]) -> dict[str, int]:
    """Restore a full backup (or a plain log export) into ``store``. Tokens already
    there are kept (a revocation in the backup still applies); the backup's metadata
    replaces what the store holds under the same names. Run again, it adds nothing."""
    counts = {"tokens": 0, "meta": 0, "connectors": 0}
    rest = iter(lines)
    number, first_event = 0, None
    # The entries beside the log come first; the log streams on from the first event.
    for number, line in enumerate(rest, start=1):
        if not line.startswith(b'{"backup"'):
            first_event = line
            break
        restored = await _restore_entry(store, number, line)
        if restored in counts:
            counts[restored] += 1
    events = [] if first_event is None else itertools.chain([first_event], rest)
    stored, duplicates = await import_lines(store, events, start=number - 1)
    return {**counts, "stored": stored, "duplicates": duplicates}


async def _restore_entry(store: EventLog, number: int, line: bytes) -> str:
    """Apply one line from before the log; says which count it adds to."""
    try:
        entry: dict[str, Any] = orjson.loads(line)
        kind = entry.pop("backup")
        if kind == "wallboard":
            if entry.get("version") != HEADER["version"]:
                raise LogImportError(f"line {number}: expected backup version 1, got {entry}")
            return "header"
        if kind == "token":
            await _restore_token(store, TokenRecord(**entry))
            return "tokens"
        if kind == "meta":
            await store.put_meta(str(entry["name"]), base64.b64decode(entry["value"]))
            return "meta"
        if kind == "connector":
            await store.put_connector(str(entry["name"]), base64.b64decode(entry["value"]))
            return "connectors"
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise LogImportError(f"line {number}: not a backup entry: {exc}") from None
    raise LogImportError(f"line {number}: expected a token, meta or connector entry, got {kind!r}")


async def _restore_token(store: EventLog, token: TokenRecord) -> None:
    existing = await store.find_token(token.hash)
    if existing is None:
        await store.add_token(token)
    elif token.revoked and not existing.revoked:
        await store.revoke_token(token.id)
