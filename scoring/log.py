"""The log's contract: an event's key, the timestamp form, the canonical record.

Everything that writes the log (ingest, a backup's import, the engine's own
ticks and draws) and everything that reads it (the fold, tests) goes through
here, so there is one answer to "what does a stored event look like":

- its key is ``source:id``: a source's ids are unique, and the log keeps the
  first event of each key (a retry or an import run twice stores nothing new);
- times are UTC with ``Z``, whole seconds unless the moment has microseconds;
- the record is the validated event plus ``source``, ``received`` (when the
  log took it) and, for a manager's action, ``by``, as JSON with sorted keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

#: the source of the events the service writes itself (clock ticks, draws)
SYSTEM_SOURCE = "wallboard"
#: the source of what an agent posts from their widget (a challenge, a redemption)
AGENT_SOURCE = "agent"

Event = dict[str, Any]


def event_key(source: str, event_id: str) -> str:
    return f"{source}:{event_id}"


def format_ts(moment: datetime) -> str:
    """The log's one timestamp form: UTC, ``Z``, microseconds only when present."""
    moment = moment.astimezone(UTC)
    if moment.year >= 1000:
        # isoformat is strftime's text here, at a fraction of the cost (strftime
        # would not pad years before 1000).
        return moment.replace(tzinfo=None).isoformat() + "Z"
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(spec)


def epoch_ts(epoch: float) -> str:
    """An epoch in the log's timestamp form."""
    return format_ts(datetime.fromtimestamp(epoch, UTC))


class Epochs:
    """Log timestamps to epoch seconds, remembering the last one (a batch shares
    one ``received`` stamp, and a live event's ``ts`` is often its ``received``)."""

    def __init__(self) -> None:
        self._last: tuple[str, float] = ("", 0.0)

    def __call__(self, text: str) -> float:
        last = self._last
        if text == last[0]:
            return last[1]
        value = datetime.fromisoformat(text).timestamp()
        self._last = (text, value)
        return value


def stamp(events: Iterable[Event], source: str, received: str, by: str | None = None) -> None:
    """Give validated events their place in the log: the source, the arrival time
    and, for a manager's action, who did it (the audit log is the log itself)."""
    marks = {"source": source, "received": received}
    if by is not None:
        marks["by"] = by
    for event in events:
        event.update(marks)


#: Put between the events of one ``orjson.dumps`` call: JSON text never holds a
#: raw NUL (strings escape it), so the output splits back into one per event.
_SEPARATOR = orjson.Fragment(b"\x00")


def encode(events: list[Event]) -> list[bytes]:
    """Each stamped event as canonical JSON (sorted keys), serialised in one call.

    One ``orjson.dumps`` per event allocates a buffer per event, and with a
    batch of them alive that costs several times the encoding itself."""
    if not events:
        return []
    items: list[Any] = []
    for event in events:
        items += (event, _SEPARATOR)
    text = orjson.dumps(items, option=orjson.OPT_SORT_KEYS)
    return text[1:-3].split(b",\x00,")  # '[' e1 ',\0,' e2 ... ',\0]'


def records(
    events: list[Event], source: str, received: str, by: str | None = None
) -> list[tuple[str, bytes]]:
    """Validated events as the log stores them: (key, canonical JSON) each."""
    stamp(events, source, received, by)
    return [
        (event_key(source, event["id"]), data)
        for event, data in zip(events, encode(events), strict=True)
    ]


def system_record(event: Event) -> tuple[str, bytes]:
    """An event the service writes itself; it is received when it happens."""
    return records([dict(event)], SYSTEM_SOURCE, event["ts"])[0]
