"""The console's notification endpoints (manager only).

Channels are stored apart from the log and never answered with their secrets;
a rule is a ``notification_rule`` event in the log, like every other change a
manager makes to what the product does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring.changes import NOTIFIABLE
from scoring.log import format_ts

from ..errors import ApiError
from ..identity import require
from ..ingest import check_batch, parse_json, read_body, to_records
from ..services import services
from ..store import OutboxEntry
from ..tokens import MANAGER_SOURCE
from .channels import ChannelProblem, parse_channel
from .messages import Message, test_message
from .sending import SendFailed
from .service import Notifications

MANAGER = frozenset({"manager"})
#: entries the console lists per state
LISTED = 100


def notifications(request: Request) -> Notifications:
    found = services(request).notifications
    if found is None:
        raise ApiError(503, "notifications are not running in this process")
    return found


def entry_view(entry: OutboxEntry) -> dict[str, Any]:
    message = Message.decode(entry.message)
    return {
        "key": entry.key,
        "channel": entry.channel,
        "rule": entry.rule,
        "offset": entry.offset,
        "kind": message.kind,
        "title": message.title,
        "text": message.text,
        "state": entry.state,
        "attempts": entry.attempts,
        "error": entry.error,
        "due": _stamp(entry.due) if entry.state == "pending" else None,
        "updated": _stamp(entry.updated),
    }


def _stamp(moment: float) -> str:
    return format_ts(datetime.fromtimestamp(moment, UTC))


async def overview(request: Request) -> JSONResponse:
    """Rules, channels (without secrets, with how their deliveries stand), outbox counts."""
    await require(request, MANAGER)
    notify = notifications(request)
    store = services(request).store
    await notify.deriver.book.follow(store, await store.last_offset())
    pending = await store.outbox_list("pending", LISTED)
    dead = await store.outbox_list("dead", LISTED)
    channels = []
    for channel in (await notify.channels()).values():
        shown = channel.public()
        failing = [e for e in pending if e.channel == channel.id and e.error]
        shown["pending"] = sum(1 for e in pending if e.channel == channel.id)
        shown["dead"] = sum(1 for e in dead if e.channel == channel.id)
        shown["last_error"] = failing[0].error if failing else ""
        channels.append(shown)
    rules = [
        {
            "rule": r.rule,
            "on": list(r.on),
            "channel": r.channel,
            "language": r.language,
            "enabled": r.enabled,
            "by": r.by,
        }
        for r in notify.deriver.book.current()
    ]
    return JSONResponse(
        {
            "kinds": list(NOTIFIABLE),
            "rules": rules,
            "channels": channels,
            "outbox": await store.outbox_counts(),
            "pending": [entry_view(e) for e in pending],
            "delivered": [entry_view(e) for e in await store.outbox_list("delivered", 20)],
        }
    )


async def save_channel(request: Request) -> JSONResponse:
    """Create or replace a channel; a secret left out is kept from the channel it
    replaces. A new webhook's signing key, if made here, is answered once."""
    await require(request, MANAGER)
    body = parse_json(await read_body(request))
    notify = notifications(request)
    existing = (
        (await notify.channels()).get(str(body.get("id"))) if isinstance(body, dict) else None
    )
    try:
        channel, made = parse_channel(body, existing)
    except ChannelProblem as problem:
        raise ApiError(422, str(problem), problems=problem.problems) from None
    await services(request).store.put_channel(channel.id, channel.encode())
    answer: dict[str, Any] = {"channel": channel.public()}
    if made is not None:
        answer["secret"] = made
    return JSONResponse(answer, status_code=200 if existing else 201)


async def test_channel(request: Request) -> JSONResponse:
    """Send a test message to a channel now, outside the outbox: 200, or 502 with
    what the receiver did."""
    await require(request, MANAGER)
    notify = notifications(request)
    channel_id = request.path_params["channel"]
    channel = (await notify.channels()).get(channel_id)
    if channel is None:
        raise ApiError(404, f"no channel {channel_id!r}")
    language = request.query_params.get("lang", "en")
    message = test_message("de" if language == "de" else "en")
    try:
        await notify.sender.send(channel, message, f"test-{int(datetime.now(UTC).timestamp())}", "")
    except SendFailed as failed:
        raise ApiError(502, f"the channel did not take the test message: {failed}") from None
    return JSONResponse({"sent": True})


async def delete_channel(request: Request) -> JSONResponse:
    """Remove a channel and its secrets; what is still due for it becomes a dead letter."""
    await require(request, MANAGER)
    channel_id = request.path_params["channel"]
    if not await services(request).store.delete_channel(channel_id):
        raise ApiError(404, f"no channel {channel_id!r}")
    return JSONResponse({"channel": channel_id, "deleted": True})


async def save_rule(request: Request) -> JSONResponse:
    """A ``notification_rule`` event, for a channel that exists."""
    manager = await require(request, MANAGER)
    body = parse_json(await read_body(request))
    if not isinstance(body, dict):
        raise ApiError(422, "expected a JSON object")
    now = format_ts(datetime.now(UTC))
    event = {"ts": now, **body, "type": "notification_rule"}
    event.setdefault("id", f"notification-rule-{body.get('rule', '')}-{now}")
    [clean] = check_batch(event, None)
    if clean["channel"] not in await notifications(request).channels():
        raise ApiError(422, f"no channel {clean['channel']!r}", problems={"channel": "unknown"})
    store = services(request).store
    [stored] = await store.append(to_records([clean], MANAGER_SOURCE, now, manager.label))
    if not stored:
        raise ApiError(409, f"an event with id {clean['id']!r} exists already")
    return JSONResponse({"rule": clean["rule"]}, status_code=201)


async def dead_letters(request: Request) -> JSONResponse:
    await require(request, MANAGER)
    dead = await services(request).store.outbox_list("dead", LISTED)
    return JSONResponse({"dead_letters": [entry_view(e) for e in dead]})


async def retry_dead_letter(request: Request) -> JSONResponse:
    """A dead letter pending again, due now, its attempts counted afresh."""
    await require(request, MANAGER)
    key = request.path_params["key"]
    notify = notifications(request)
    if not await services(request).store.outbox_revive(key, notify.deliverer.clock()):
        raise ApiError(404, f"no dead letter {key!r}")
    notify.deliverer.wake.set()
    return JSONResponse({"key": key, "state": "pending"})
