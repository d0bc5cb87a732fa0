"""From a recorded payload to events in the log: the one path that both a webhook
and a replay take.

The events go through ingest's own checks (``check_batch``) and are stored as
ingest stores them (``to_records``), with the connector's name as their source.
Their ids come from the payload, so a payload mapped twice (a retried webhook, a
replay) stores nothing new. A payload that fails, or makes no event, becomes a
dead letter with the reason; one that maps clears its dead letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.events import INTEGRATION_TYPES
from scoring.log import format_ts
from scoring.roster import ExternalIdBook, agent_for

from ..errors import ApiError
from ..ingest import check_batch, to_records
from ..services import Services
from ..store import InboxEntry
from . import payloads
from .mapping import CompiledMapping, Lookup, MappingFailed
from .model import Connector


@dataclass(frozen=True)
class Outcome:
    accepted: int = 0
    duplicates: int = 0
    #: why the payload is a dead letter, or None
    failed: str | None = None


def lookup(app: Services) -> Lookup:
    book = app.engine.scorer.state.slice(ExternalIdBook)
    return lambda system, external_id: agent_for(book, system, external_id)


def events_of(
    mapping: CompiledMapping, entry: InboxEntry, app: Services, document: Any = None
) -> list[dict[str, Any]]:
    """The checked events ``entry`` makes (its body read as ``document``, when the
    caller has read it already); MappingFailed saying why it makes none."""
    if document is None:
        try:
            document = payloads.parse(entry.content_type, entry.body)
        except ApiError as error:
            raise MappingFailed(error.message) from None
    events = mapping.events(document, lookup(app))
    if not events:
        said = f" (the filter `{mapping.filter_source}`)" if mapping.filter_source else ""
        raise MappingFailed(f"matched nothing: no item of the payload counts{said}")
    try:
        return check_batch(events, INTEGRATION_TYPES, app.clock())
    except ApiError as error:
        raise MappingFailed(_invalid(error)) from None


def _invalid(error: ApiError) -> str:
    problems = error.details.get("invalid")
    if not problems:
        return error.message
    said = []
    for bad in problems:
        fields = "; ".join(f"{name}: {problem}" for name, problem in bad["problems"].items())
        said.append(f"event {bad['index']} ({bad['id'] or 'no id'}): {fields}")
    return "invalid event: " + " | ".join(said)


async def deliver(
    app: Services,
    connector: Connector,
    mapping: CompiledMapping,
    entry: InboxEntry,
    was_dead: bool = False,
    document: Any = None,
) -> Outcome:
    """Map ``entry`` and store its events (or its dead letter)."""
    try:
        events = events_of(mapping, entry, app, document)
    except MappingFailed as failed:
        reason = str(failed)[:2000]
        await app.store.set_dead_letter(connector.name, entry.seq, reason)
        return Outcome(failed=reason)
    stored = await app.store.append(to_records(events, connector.name, format_ts(app.clock())))
    if was_dead:
        await app.store.set_dead_letter(connector.name, entry.seq, None)
    accepted = sum(stored)
    app.metrics.events_ingested += accepted
    app.metrics.duplicates += len(stored) - accepted
    return Outcome(accepted, len(stored) - accepted)
