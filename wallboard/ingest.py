"""``POST /api/events``: check a batch, store it atomically, acknowledge it.

Failure paths, in the order they are checked; each leaves the log unchanged:
401 no, unknown or revoked token; 403 a token whose role may not ingest, an
agent's token posting anything but its own challenges, answers and redemptions,
or a contest event its role may not post (``contest_rights``: an agent's
challenge of someone else, say);
429 the token posted more than its rate (``Retry-After`` says when to retry);
413 a body over 1 MiB; 400 a body that is not JSON (the message says where);
422 any event that breaks the contract (all of them listed, none stored), or a
key given twice in one object (that one named);
409 a ``league_season`` for a season id that exists already, a ``redemption``
for a redemption id that does (a retry of the very event that made it is a
duplicate, as for every event), or a ``contest`` for a contest id that exists
and cannot change as it asks (``scoring.contests.edit``: a started contest
changes only its name and end), or comes twice in the batch;
503 the store unreachable (the append is atomic, so nothing is half-written).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring.events import (
    AGENT_TYPES,
    EVENT_TYPES,
    INTEGRATION_TYPES,
    MANAGER_TYPES,
    InvalidEvent,
    validate,
)
from scoring.log import AGENT_SOURCE, SYSTEM_SOURCE, event_key, format_ts, records
from scoring.reward_store import RewardBook
from scoring.scorer import Scorer
from scoring.validators import describe

from . import contest_rights
from .contest_rights import LAUNCH_TYPES
from .errors import ApiError
from .identity import require_poster
from .ratelimit import RateLimit, retry_after
from .services import Services, services
from .store import Record, StoreUnavailable
from .tokens import MANAGER_SOURCE

MAX_BODY = 1024 * 1024
MAX_EVENTS = 1000
log = logging.getLogger("wallboard.ingest")


async def read_body(request: Request, limit: int = MAX_BODY) -> bytes:
    declared = request.headers.get("content-length")
    # isdigit alone would take "²", which int() then refuses with a 500.
    if declared is not None and declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, f"body too large: {int(declared)} bytes, at most {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, f"body too large: more than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    """A request's JSON body; 400 if it is not JSON, 422 naming a key given twice."""
    value = _loads(body)
    repeated = _repeated_or_400(body)
    if repeated is not None:
        raise ApiError(422, f"{_dotted(repeated)}: {REPEATED}")
    return value


def parse_events(body: bytes) -> Any:
    """``parse_json`` for ``POST /api/events``: a key given twice is reported as its
    event's problem, in the form ``check_batch`` reports the others."""
    value = _loads(body)
    repeated = _repeated_or_400(body)
    if repeated is None:
        return value
    batch = value if isinstance(value, list) else [value]
    index, field = (repeated[0], repeated[1:]) if isinstance(repeated[0], int) else (0, repeated)
    raw = batch[int(index)]
    event_id = raw.get("id") if isinstance(raw, dict) else None
    raise ApiError(
        422,
        f"1 of {len(batch)} events are invalid; none was stored",
        invalid=[
            {
                "index": index,
                "id": event_id if isinstance(event_id, str) and field != ("id",) else None,
                "problems": {_dotted(field): REPEATED},
            }
        ],
    )


def _loads(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"body is not JSON: {exc}", line=exc.lineno, column=exc.colno) from None


REPEATED = "given more than once in one object; send each field once"


class _Repeated(dict[str, Any]):
    """An object in which ``key`` came more than once."""

    key: str = ""


def repeated_key(text: bytes) -> tuple[str | int, ...] | None:
    """Where the first key given twice in one object is (a path into the value), or
    None. ``text`` must be JSON that orjson read.

    orjson, like most parsers, keeps the last of a repeated key without a word: a
    sale holding "revenue" twice would be scored on whichever came last, and two
    systems reading the same request could disagree. The standard library's parser
    shows each object's pairs; it runs as a check only (orjson's value is the one
    used: it is stricter about UTF-8 and numbers) and costs about 0.4 ms for a
    batch of 500 sales. Raises RecursionError on nesting deeper than Python's limit.
    """
    found: list[_Repeated] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        value = dict(items)
        if len(value) == len(items):
            return value
        repeated = _Repeated(value)
        seen: set[str] = set()
        for key, _ in items:
            if key in seen:
                repeated.key = key
                break
            seen.add(key)
        found.append(repeated)
        return repeated

    value = json.loads(text, object_pairs_hook=pairs)
    return _path_to(value, found[0]) if found else None


def _path_to(value: Any, target: _Repeated) -> tuple[str | int, ...]:
    """The path of ``target`` (and its repeated key) in ``value``: only on a refusal."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if node is target:
            return (*path, target.key)
        if isinstance(node, dict):
            stack.extend((child, (*path, key)) for key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((child, (*path, n)) for n, child in reversed(list(enumerate(node))))
    return (target.key,)


def _repeated_or_400(body: bytes) -> tuple[str | int, ...] | None:
    try:
        return repeated_key(body)
    except RecursionError:
        raise ApiError(400, "body nests objects and arrays too deeply") from None


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(step)[:64] for step in path)


def check_batch(
    payload: Any, allowed: frozenset[str] | None, received: datetime | None = None
) -> list[dict[str, Any]]:
    """Validate one event or an array of them; raise 422 listing every bad one.

    With ``received``, a sale, cancellation or contact must also have happened
    by then (``MAX_AHEAD`` allowed for clocks that drift)."""
    events = payload if isinstance(payload, list) else [payload]
    if not 1 <= len(events) <= MAX_EVENTS:
        raise ApiError(422, f"expected 1 to {MAX_EVENTS} events, got {len(events)}")
    clean: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    latest = latest_happened(received) if received else "~"  # "~" sorts after any ts
    for index, raw in enumerate(events):
        try:
            event = validate(raw, allowed=allowed)
            if event["ts"] > latest and event["type"] in INTEGRATION_TYPES:
                raise InvalidEvent(
                    {
                        "ts": f"expected a time at most {MAX_AHEAD.seconds // 60} minutes after "
                        f"the server's clock ({latest}), got {event['ts']}: check the sender's "
                        "clock and time zone"
                    }
                )
            clean.append(event)
        except InvalidEvent as invalid:
            # An id that is itself invalid (100 KB, control characters) is not echoed.
            event_id = raw.get("id") if isinstance(raw, dict) else None
            problems.append(
                {
                    "index": index,
                    "id": event_id
                    if isinstance(event_id, str) and "id" not in invalid.problems
                    else None,
                    "problems": invalid.problems,
                }
            )
    if problems:
        raise ApiError(
            422,
            f"{len(problems)} of {len(events)} events are invalid; none was stored",
            invalid=problems,
        )
    return clean


#: How far ahead of the server's clock a sale, cancellation or contact may be
#: stamped: senders' clocks drift a little; an hour ahead is a wrong time zone.
MAX_AHEAD = timedelta(minutes=5)


def latest_happened(received: datetime) -> str:
    """The latest ``ts`` accepted for something that happened, in the log's form.

    Whole seconds, so that canonical timestamps compare as strings (off by less
    than a second at the edge)."""
    return format_ts(received.replace(microsecond=0) + MAX_AHEAD)


def to_records(
    events: list[dict[str, Any]], source: str, received: str, by: str | None = None
) -> list[Record]:
    """Validated events as the log stores them (``scoring.log.records``)."""
    return [Record(key, data) for key, data in records(events, source, received, by)]


def simulated_records(
    events: list[dict[str, Any]], source: str, received: str, by: str | None
) -> list[Record]:
    """A simulator's batch: its ticks are the service's clock (``simulated_clock``),
    so the service writes them as its own, with who sent them; the rest as posted."""
    return [
        to_records([event], SYSTEM_SOURCE if event["type"] == "tick" else source, received, by)[0]
        for event in events
    ]


async def post_events(request: Request) -> JSONResponse:
    metrics = services(request).metrics
    try:
        response, accepted, duplicates = await _post_events(request)
    except ApiError as error:
        metrics.reject(error.status)
        raise
    except StoreUnavailable:
        metrics.reject(503)
        raise
    metrics.events_ingested += accepted
    metrics.duplicates += duplicates
    return response


async def _post_events(request: Request) -> tuple[JSONResponse, int, int]:
    app = services(request)
    token = await require_poster(request)
    if token.role == "ingest":
        allowed, source = INTEGRATION_TYPES | LAUNCH_TYPES, token.source or "default"
    elif token.role == "agent":
        allowed, source = AGENT_TYPES, AGENT_SOURCE
    elif app.settings.simulated_clock:
        allowed, source = MANAGER_TYPES | {"tick"}, MANAGER_SOURCE
    else:
        allowed, source = MANAGER_TYPES, MANAGER_SOURCE

    limit, key = app.rate_limit, f"{token.id}:{token.label}"
    _within(limit, limit.take(key, 1))  # a request costs at least one event
    payload = parse_events(await read_body(request))
    if token.role == "agent":
        refuse_for_others(payload, token.agent or "")
    now = app.clock()
    # What an integration reports has happened; a manager may date events ahead
    # (a scheduled change, a simulation such as the demo's).
    events = check_batch(payload, allowed, now if token.role == "ingest" else None)
    _within(limit, limit.take(key, len(events) - 1))
    received = format_ts(now)
    by = token.label if token.role == "manager" else None
    contest_rights.check(app.engine.scorer, token, source, events)
    await refuse_second_launches(app, events, source)
    await contest_rights.refuse_second_launches(app, events, source, token, now)
    contest_rights.refuse_unbacked_challenges(app.engine.scorer, token, events)
    refuse_grants_to_strangers(app.engine.scorer, events)
    if "tick" in allowed and any(event["type"] == "tick" for event in events):
        records = simulated_records(events, source, received, by)
    else:
        records = to_records(events, source, received, by)
    stored = await app.store.append(records)

    duplicates = [event["id"] for event, is_new in zip(events, stored, strict=True) if not is_new]
    accepted = len(events) - len(duplicates)
    if accepted and log.isEnabledFor(logging.INFO):
        log_stored(events, stored, source, len(duplicates))
    body = {"accepted": accepted, "duplicates": len(duplicates), "duplicate_ids": duplicates}
    return JSONResponse(body, status_code=202), accepted, len(duplicates)


#: the event types that make something under an id of their own, once: a second
#: one for the same id is refused (409), and the fold would keep the first anyway
MADE_ONCE = {"league_season": "season", "redemption": "redemption"}


def _made(app: Services, kind: str) -> Collection[str]:
    """The ids of what ``kind`` made, as the fold holds them so far."""
    scorer = app.engine.scorer
    if kind == "league_season":
        return scorer.league.league.seasons
    return scorer.state.slice(RewardBook).redemptions


async def refuse_second_launches(app: Services, events: list[dict[str, Any]], source: str) -> None:
    """409 for a ``league_season`` whose season id is taken, or a ``redemption``
    whose redemption id is, by one the fold holds or by another in the batch; none
    is stored.

    A retry of the event that made it (its key already in the log) is let through,
    to be acknowledged as a duplicate like any retry. The fold keeps the first
    whatever comes (``scoring.league``, ``scoring.reward_store``): this check is what
    tells the sender, against the state folded so far."""
    launches = [(n, event) for n, event in enumerate(events) if event["type"] in MADE_ONCE]
    if not launches:
        return
    keys = [event_key(source, event["id"]) for _, event in launches]
    retried = await app.store.logged(keys)
    launched: dict[tuple[str, str], str] = {}
    for (index, event), key, retry in zip(launches, keys, retried, strict=True):
        if retry:
            continue  # acknowledged below as a duplicate
        field = MADE_ONCE[event["type"]]
        made = event[field]
        if made in _made(app, event["type"]):
            raise _taken(index, event, f"{field} {made!r} exists already")
        if launched.setdefault((field, made), key) != key:
            raise _taken(index, event, f"{field} {made!r} is made twice in this batch")


def refuse_grants_to_strangers(scorer: Scorer, events: list[dict[str, Any]]) -> None:
    """422 for coins granted (or taken back) from an agent the roster does not name:
    a typo would open a wallet nobody holds."""
    named: set[str] = set()  # by the batch itself, before the grant
    for index, event in enumerate(events):
        if event["type"] == "agent":
            named.add(event["agent"])
        if event["type"] != "coins" or event["agent"] in named:
            continue
        if event["agent"] not in scorer.state.agents:
            raise ApiError(
                422,
                f"no agent {event['agent']!r} in the roster: coins go to an agent it names "
                "(by id); nothing was stored",
                agent=event["agent"],
                index=index,
                id=event["id"],
            )


def _taken(index: int, event: dict[str, Any], problem: str) -> ApiError:
    field = MADE_ONCE[event["type"]]
    again = "Launch a new season" if field == "season" else "Redeem"
    return ApiError(
        409,
        f"{problem}; nothing was stored. {again} under another id",
        **{field: event[field]},
        index=index,
        id=event["id"],
    )


def refuse_for_others(payload: Any, agent: str) -> None:
    """403 for an agent's token posting what is not its own agent's to post: a type
    but ``AGENT_TYPES``, or for another agent. What is not an event at all is left to
    the contract's check (422)."""
    events = payload if isinstance(payload, list) else [payload]
    for index, raw in enumerate(events):
        if not isinstance(raw, dict):
            continue
        kind, whose = raw.get("type"), raw.get("agent")
        if isinstance(kind, str) and kind in EVENT_TYPES and kind not in AGENT_TYPES:
            raise ApiError(
                403,
                "an agent token posts only its own challenges (contest, challenge_answer, "
                f"contest_end) and redemptions; event {index} is a {kind!r} event; "
                "nothing was stored",
                index=index,
            )
        if whose is not None and whose != agent:
            raise ApiError(
                403,
                f"an agent token posts for its own agent ({agent!r}) only; event {index} "
                f"is for {describe(whose)}; nothing was stored",
                index=index,
            )


def _within(limit: RateLimit, wait: float) -> None:
    if wait:
        raise ApiError(
            429,
            f"this token posts more than {limit.rate:g} events a second; nothing was "
            f"stored, retry in {retry_after(wait)} s",
            headers={"Retry-After": retry_after(wait)},
        )


def log_stored(
    events: list[dict[str, Any]], stored: list[bool], source: str, duplicates: int
) -> None:
    """One line per request: what it stored, by type, and its first and last id.

    A line per event would cost more than storing it; the log itself is the record
    of every event."""
    new = [event for event, is_new in zip(events, stored, strict=True) if is_new]
    types = Counter(event["type"] for event in new)
    ids = new[0]["id"] if len(new) == 1 else f"{new[0]['id']} to {new[-1]['id']}"
    log.info(
        "stored %d from %s (%s), ids %s; %d duplicates",
        len(new),
        source,
        ", ".join(f"{name} {count}" for name, count in sorted(types.items())),
        ids,
        duplicates,
        extra={
            "source": source,
            "stored": len(new),
            "event_types": dict(types),
            "first_id": new[0]["id"],
            "last_id": new[-1]["id"],
            "duplicates": duplicates,
        },
    )
