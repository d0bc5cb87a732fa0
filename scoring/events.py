"""The event contract: every type the log holds, its fields, and their checks.

One declaration per type drives both the validator used at ingest and the JSON
Schema served at ``/openapi.json``, so the two cannot drift apart.

Validation checks shape only. An event for an agent the roster does not know yet
is valid: CRMs are often ahead of the roster, and the scorer counts such events
once the roster names the agent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from leagues.table import TIEBREAKERS

from .errors import InvalidRules
from .rules import PERIODS, parse_rules

CHANNELS = ("phone", "chat", "email", "social", "shop", "web")
INTEGRATION_TYPES = frozenset({"sale", "cancellation", "contact"})

MAX_ID_LENGTH = 128
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 2000
MAX_REVENUE = Decimal("1000000000")
EARLIEST_TS = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_TS = datetime(2100, 1, 1, tzinfo=UTC)

_CURRENCY = re.compile(r"[A-Z]{3}")
_CENT = Decimal("0.01")
#: amounts and timestamps already in the log's canonical form, below the limits
_CANONICAL_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,8})\.[0-9]{2}")
_CANONICAL_TS = re.compile(r"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
#: What no name, id or text may hold: C0 and C1 control characters other than tab,
#: line feed and carriage return (a NUL or an escape sequence garbles logs, terminals
#: and exports), and the bidi embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069), with which a name reads as something else on a wall screen.
#: Marks (LRM, RLM) and joiners stay: right-to-left names and emoji sequences need them.
_FORBIDDEN_CLASS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(f"[{_FORBIDDEN_CLASS}]")
#: The same rule as JSON Schema says it, and not whitespace only (ECMA-262 syntax).
_TEXT_PATTERN = f"^(?!\\s+$)[^{_FORBIDDEN_CLASS}]*$"
#: A picture screens may show: an https URL or a path on this server (not "//host",
#: which a browser reads as another host, nor "javascript:", "data:" or plain http).
_PICTURE = re.compile(f"(?:https://|/(?![/\\\\]))[^\\s{_FORBIDDEN_CLASS}]*")


def _iri_reference() -> re.Pattern[str]:
    """The part of RFC 3987's IRI-reference grammar a picture address uses: an optional
    ``https://`` authority (no IP literal), a path, a query and a fragment. Letters
    beyond ASCII are the Basic Multilingual Plane's ``ucschar``; "%" only escapes."""
    unreserved = "A-Za-z0-9\\-._~\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    sub_delims = "!$&'()*+,;="
    escape = "%[0-9A-Fa-f]{2}"
    pchar = f"(?:[{unreserved}{sub_delims}:@]|{escape})"
    authority = (
        f"(?:(?:[{unreserved}{sub_delims}:]|{escape})*@)?"
        f"(?:[{unreserved}{sub_delims}]|{escape})*(?::[0-9]*)?"
    )
    return re.compile(
        f"(?:https://{authority})?(?:/{pchar}*)*"
        f"(?:\\?(?:{pchar}|[/?\ue000-\uf8ff])*)?(?:#(?:{pchar}|[/?])*)?"
    )


#: what the picture schema's format (iri-reference) allows, for the forms _PICTURE lets in
_IRI_REFERENCE = _iri_reference()


class InvalidEvent(ValueError):
    """An event broke the contract; ``problems`` maps each field to what was wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in problems.items()))
        self.problems = problems


class _Problem(ValueError):
    pass


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class Kind:
    """A field's type: how to check and normalise a value, and its JSON Schema."""

    check: Callable[[Any], Any]
    schema: Mapping[str, Any]


def text(min_length: int = 1, max_length: int = MAX_NAME_LENGTH) -> Kind:
    """A name, id or free text: no control or bidi-override characters, not blank."""

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise _Problem(f"expected a string, got {_describe(value)}")
        if not min_length <= len(value) <= max_length:
            raise _Problem(f"expected {min_length} to {max_length} characters, got {len(value)}")
        # Most names and ids are printable ASCII, which holds none of the forbidden.
        if not (value.isascii() and value.isprintable()):
            forbidden = _FORBIDDEN.search(value)
            if forbidden is not None:
                raise _Problem(
                    "expected no control or bidi-override characters, "
                    f"got U+{ord(forbidden.group()):04X} at character {forbidden.start() + 1}"
                )
        if value.isspace():
            raise _Problem("expected some text, got only whitespace")
        return value

    return Kind(
        check,
        {
            "type": "string",
            "minLength": min_length,
            "maxLength": max_length,
            "pattern": _TEXT_PATTERN,
        },
    )


def picture() -> Kind:
    """An image's address, which a screen may show: see ``_PICTURE``."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not 1 <= len(value) <= 500:
            raise _Problem(
                f"expected a picture address of 1 to 500 characters, got {_describe(value)}"
            )
        if not (_PICTURE.fullmatch(value) and _IRI_REFERENCE.fullmatch(value)):
            raise _Problem(f"expected an https:// URL or a /path, got {_describe(value)}")
        return value

    return Kind(
        check,
        {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "pattern": f"^{_PICTURE.pattern}$",
            "format": "iri-reference",
        },
    )


def pattern(regex: re.Pattern[str], example: str) -> Kind:
    def check(value: Any) -> str:
        if not isinstance(value, str) or not regex.fullmatch(value):
            raise _Problem(f"expected a value like {example!r}, got {_describe(value)}")
        return value

    return Kind(check, {"type": "string", "pattern": f"^{regex.pattern}$"})


def choice(options: tuple[str, ...]) -> Kind:
    def check(value: Any) -> str:
        if value not in options:
            raise _Problem(f"expected one of {', '.join(options)}, got {_describe(value)}")
        return str(value)

    return Kind(check, {"type": "string", "enum": list(options)})


def boolean() -> Kind:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise _Problem(f"expected true or false, got {_describe(value)}")
        return value

    return Kind(check, {"type": "boolean"})


def integer(minimum: int, maximum: int) -> Kind:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Problem(f"expected a whole number, got {_describe(value)}")
        if not minimum <= value <= maximum:
            raise _Problem(f"expected {minimum} to {maximum}, got {value}")
        return value

    return Kind(check, {"type": "integer", "minimum": minimum, "maximum": maximum})


def number(minimum: float, maximum: float) -> Kind:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _Problem(f"expected a number, got {_describe(value)}")
        if not minimum <= value <= maximum:
            raise _Problem(f"expected {minimum:g} to {maximum:g}, got {value}")
        return value

    return Kind(check, {"type": "number", "minimum": minimum, "maximum": maximum})


def money() -> Kind:
    """A non-negative amount with at most two decimal places, stored as a string.

    Numbers and strings are both accepted ("49.90" or 49.9); the log keeps the
    canonical string so that replays never meet a float rounding error.
    """

    def check(value: Any) -> str:
        # Most integrations already send the canonical string ("49.90"): keep it as is.
        if type(value) is str and _CANONICAL_AMOUNT.fullmatch(value):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise _Problem(f"expected a decimal amount, got {_describe(value)}")
        try:
            amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            raise _Problem(f"expected a decimal amount, got {_describe(value)}") from None
        if not amount.is_finite():
            raise _Problem(f"expected a finite amount, got {_describe(value)}")
        if amount < 0:
            raise _Problem(f"expected an amount >= 0, got {value}")
        if amount > MAX_REVENUE:
            raise _Problem(f"expected an amount <= {MAX_REVENUE}, got {value}")
        cents = amount.quantize(_CENT)
        if amount != cents:
            raise _Problem(f"expected at most 2 decimal places, got {value}")
        return str(cents)

    return Kind(
        check,
        {
            "oneOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^\s*\d+(\.\d{1,2})?\s*$"},
            ],
            "description": "EUR unless `currency` says otherwise; at most 2 decimals",
        },
    )


def timestamp() -> Kind:
    """ISO 8601 with a UTC offset, normalised to UTC (``...Z``) in the log."""

    def check(value: Any) -> str:
        # Already in the log's form (UTC, whole seconds, 20xx): only the calendar to check.
        if type(value) is str and _CANONICAL_TS.fullmatch(value):
            try:
                datetime.fromisoformat(value)
            except ValueError:
                pass  # "2026-02-30T..." and the like: the full check says what is wrong
            else:
                return value
        if not isinstance(value, str) or len(value) > 40:
            raise _Problem(f"expected an ISO 8601 timestamp, got {_describe(value)}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise _Problem(f"expected an ISO 8601 timestamp, got {_describe(value)}") from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise _Problem(f"expected a UTC offset such as 'Z' or '+01:00', got {value!r}")
        if not EARLIEST_TS <= moment < LATEST_TS:
            raise _Problem(f"expected a time between 2000 and 2099, got {value!r}")
        return format_ts(moment)

    return Kind(check, {"type": "string", "format": "date-time"})


def format_ts(moment: datetime) -> str:
    """The log's one timestamp form: UTC, ``Z``, microseconds only when present."""
    moment = moment.astimezone(UTC)
    if moment.year >= 1000:
        # isoformat is strftime's text here, at a fraction of the cost (strftime
        # would not pad years before 1000).
        return moment.replace(tzinfo=None).isoformat() + "Z"
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(spec)


def parse_ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def nps_or_flag() -> Kind:
    def check(value: Any) -> bool | int:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and 0 <= value <= 10:
            return value
        raise _Problem(f"expected true, false or an NPS answer 0 to 10, got {_describe(value)}")

    return Kind(
        check,
        {"oneOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0, "maximum": 10}]},
    )


def day() -> Kind:
    def check(value: Any) -> str:
        if isinstance(value, str) and len(value) == 10:
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        raise _Problem(f"expected a date like '2026-11-23', got {_describe(value)}")

    return Kind(check, {"type": "string", "format": "date"})


def names(max_items: int = 100, min_items: int = 1) -> Kind:
    item = text(1, MAX_ID_LENGTH)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list) or not min_items <= len(value) <= max_items:
            raise _Problem(
                f"expected a list of {min_items} to {max_items} ids, got {_describe(value)}"
            )
        checked = []
        for index, v in enumerate(value):
            try:
                checked.append(item.check(v))
            except _Problem as problem:
                raise _Problem(f"item {index}: {problem}") from None
        return checked

    return Kind(
        check,
        {"type": "array", "items": dict(item.schema), "minItems": min_items, "maxItems": max_items},
    )


def stock() -> Kind:
    count = integer(0, 1_000_000)

    def check(value: Any) -> int:
        return int(count.check(value))

    return Kind(check, {**count.schema, "description": "omit for unlimited stock"})


def rule_set() -> Kind:
    # Group names are shown to agents (why a sale earned what it did): checked as names
    # here, at the door, and not in parse_rules, which replays rule sets already stored.
    group_name = text(1, MAX_ID_LENGTH)

    def check(value: Any) -> dict[str, Any]:
        try:
            rules = parse_rules(value)
        except InvalidRules as invalid:
            raise _Problem("; ".join(f"{k}: {v}" for k, v in invalid.problems.items())) from None
        for product, group in rules.groups.items():
            try:
                group_name.check(group)
            except _Problem as problem:
                raise _Problem(f"sale.groups.{product[:64]}: {problem}") from None
        return dict(value)

    return Kind(check, {"type": "object", "description": "a rule set; see the README"})


def hex_digest(length: int) -> Kind:
    return pattern(re.compile(f"[0-9a-f]{{{length}}}"), "0" * length)


def clubs() -> Kind:
    club_fields = {
        "club": text(1, MAX_ID_LENGTH),
        "name": text(),
        "short_name": text(1, 12),
        "colour": pattern(_COLOUR, "#1f77b4"),
        "heads": integer(1, 100_000),
    }
    required = ("club", "name", "heads")

    def check(value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not 2 <= len(value) <= 64:
            raise _Problem(f"expected a list of 2 to 64 clubs, got {_describe(value)}")
        result = []
        for index, club in enumerate(value):
            if not isinstance(club, dict):
                raise _Problem(f"club {index}: expected an object")
            for name in required:
                if name not in club:
                    raise _Problem(f"club {index}: {name} is required")
            for name in club:
                if name not in club_fields:
                    raise _Problem(f"club {index}: unknown field {str(name)[:64]!r}")
            checked = {}
            for name, v in club.items():
                try:
                    checked[name] = club_fields[name].check(v)
                except _Problem as problem:
                    raise _Problem(f"club {index} {name}: {problem}") from None
            result.append(checked)
        if len({c["club"] for c in result}) != len(result):
            raise _Problem("expected distinct club ids")
        return result

    schema = {
        "type": "object",
        "properties": {name: dict(kind.schema) for name, kind in club_fields.items()},
        "required": list(required),
        "additionalProperties": False,
    }
    return Kind(check, {"type": "array", "items": schema, "minItems": 2, "maxItems": 64})


def listing(item: Kind, max_items: int) -> Kind:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list) or len(value) > max_items:
            raise _Problem(f"expected a list of at most {max_items}, got {_describe(value)}")
        return [item.check(v) for v in value]

    return Kind(check, {"type": "array", "items": dict(item.schema), "maxItems": max_items})


def triple() -> Kind:
    def check(value: Any) -> list[int]:
        if (
            not isinstance(value, list)
            or len(value) != 3
            or not all(type(v) is int and 0 <= v <= 100 for v in value)
        ):
            raise _Problem(f"expected [win, draw, loss] points, got {_describe(value)}")
        return value

    return Kind(
        check, {"type": "array", "items": {"type": "integer"}, "minItems": 3, "maxItems": 3}
    )


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    fields: tuple[Field, ...]
    #: optional fields of which an event must carry at least one
    one_of: tuple[str, ...] = ()
    integration: bool = field(init=False)
    #: every field an event of this type may carry, ``type`` included
    known: frozenset[str] = field(init=False, repr=False)
    #: (name, check, required) of ``id``, ``ts`` and the fields, in order
    checks: tuple[tuple[str, Callable[[Any], Any], bool], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        specs = (_ID, _TS, *self.fields)
        object.__setattr__(self, "integration", self.name in INTEGRATION_TYPES)
        object.__setattr__(self, "known", frozenset({"type", *(f.name for f in specs)}))
        checks = tuple((f.name, f.kind.check, f.required) for f in specs)
        object.__setattr__(self, "checks", checks)


_ID = Field("id", text(1, MAX_ID_LENGTH), description="client-chosen, unique per source")
_TS = Field("ts", timestamp(), description="when it happened, ISO 8601 with a UTC offset")

EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType(
            "sale",
            "An agent sold something.",
            (
                Field("agent", text(1, MAX_ID_LENGTH), description="the agent's id in the CRM"),
                Field("product", text(1, MAX_ID_LENGTH)),
                Field("revenue", money()),
                Field("currency", pattern(_CURRENCY, "EUR"), required=False),
                Field("channel", choice(CHANNELS)),
                Field("quantity", integer(1, 1_000_000), required=False),
                Field("customer", text(1, MAX_ID_LENGTH), required=False),
            ),
        ),
        EventType(
            "cancellation",
            "A sale was cancelled (storniert).",
            (
                Field("sale", text(1, MAX_ID_LENGTH), description="the id of the cancelled sale"),
                Field("reason", text(0, MAX_TEXT_LENGTH), required=False),
            ),
        ),
        EventType(
            "contact",
            "An agent handled a service contact.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("channel", choice(CHANNELS)),
                Field("duration_s", number(0, 86_400), required=False),
                Field("resolved", boolean(), description="resolved at first contact"),
                Field("quality", number(0, 100)),
                Field("referral", nps_or_flag(), description="would recommend, or NPS 0-10"),
            ),
        ),
        EventType(
            "site",
            "A contact-center location was added or changed (manager).",
            (
                Field("site", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("short_name", text(1, 12), required=False),
                Field("colour", pattern(_COLOUR, "#1f77b4"), required=False),
            ),
        ),
        EventType(
            "team",
            "A team was added or changed (manager).",
            (
                Field("team", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("site", text(1, MAX_ID_LENGTH)),
            ),
        ),
        EventType(
            "agent",
            "An agent joined, moved or changed (manager); effective from `ts`.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("team", text(1, MAX_ID_LENGTH)),
                Field("site", text(1, MAX_ID_LENGTH)),
                Field("public_name", text(1, 40), required=False),
                Field("opt_out", boolean(), required=False),
                Field("active", boolean(), required=False),
            ),
        ),
        EventType(
            "league_season",
            "A league season between clubs (sites): fixtures follow from it. Give `starts` "
            "(matchdays of `matchday_days` working days) or explicit `windows`.",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("clubs", clubs()),
                Field("starts", day(), required=False),
                Field("windows", listing(listing(timestamp(), 2), 200), required=False),
                Field("matchday_days", integer(1, 60), required=False),
                Field("working_days", listing(integer(1, 7), 7), required=False),
                Field("holidays", listing(day(), 366), required=False),
                Field("double", boolean(), required=False),
                Field("points", triple(), required=False),
                Field("tiebreakers", listing(choice(TIEBREAKERS), 9), required=False),
                Field("goal_every", number(0.0001, 1e9)),
                Field("grace_minutes", integer(0, 1440), required=False),
            ),
            one_of=("starts", "windows"),
        ),
        EventType(
            "league_heads",
            "A club's head count changed; goals per head use it from now on.",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("club", text(1, MAX_ID_LENGTH)),
                Field("heads", integer(1, 100_000)),
            ),
        ),
        EventType(
            "forfeit",
            "A club forfeits a match (site closed or unstaffed): it ends 0:3 against it.",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("match", text(1, 3 * MAX_ID_LENGTH)),
                Field("club", text(1, MAX_ID_LENGTH)),
            ),
        ),
        EventType(
            "league_end",
            "A season ends: the table's leader is champion and the season is archived.",
            (Field("season", text(1, MAX_ID_LENGTH)),),
        ),
        EventType(
            "profile",
            "An agent's own choices: a public name (empty: initials) and opting out of "
            "public boards.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("public_name", text(0, 40), required=False),
                Field("opt_out", boolean(), required=False),
            ),
        ),
        EventType("tick", "The clock moved to `ts` (written by the service or a simulator).", ()),
        EventType(
            "rules",
            "A new rule set, in force for events from `ts` on; its `id` names the version.",
            (Field("rules", rule_set()),),
        ),
        EventType(
            "season",
            "A scoring season: the `season` period runs from `starts` to `ends` (local days).",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("starts", day()),
                Field("ends", day()),
            ),
        ),
        EventType(
            "goal",
            "An agent's personal goal: what they save their commission for.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("title", text(1, 80)),
                Field("price", money()),
                Field("picture", picture(), required=False),
            ),
        ),
        EventType(
            "prize",
            "A prize in the catalog, added or restocked.",
            (
                Field("prize", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("stock", stock(), required=False),
                Field("picture", picture(), required=False),
            ),
        ),
        EventType(
            "prize_rule",
            "When a prize is won: `instant` (min_revenue), `threshold` (points in a period) "
            "or `rank` (top of a period).",
            (
                Field("rule", text(1, MAX_ID_LENGTH)),
                Field("kind", choice(("instant", "threshold", "rank"))),
                Field("prize", text(1, MAX_ID_LENGTH)),
                Field("min_revenue", money(), required=False),
                Field("points", number(0, 1e9), required=False),
                Field("period", choice(PERIODS), required=False),
                Field("top", integer(1, 1000), required=False),
                Field("active", boolean(), required=False),
            ),
        ),
        EventType(
            "handover",
            "A manager handed an award over.",
            (Field("award", text(1, 3 * MAX_ID_LENGTH)),),
        ),
        EventType(
            "tombola_open",
            "A tombola opened; `seed_hash` is the SHA-256 of its secret seed.",
            (
                Field("tombola", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("prizes", names()),
                Field("closes", timestamp()),
                Field("every", integer(1, 1000), required=False),
                Field("count_pending", boolean(), required=False),
                Field("exclude_prize_winners", boolean(), required=False),
                Field("products", names(1000), required=False),
                Field("seed_hash", hex_digest(64)),
            ),
        ),
        EventType(
            "tombola_draw",
            "A tombola was drawn: the revealed seed, the ledger's hash and the winners.",
            (
                Field("tombola", text(1, MAX_ID_LENGTH)),
                Field("seed", hex_digest(64)),
                Field("ledger_hash", hex_digest(64)),
                Field("winners", names(1000, min_items=0)),
            ),
        ),
    )
}

ENVELOPE = frozenset({"id", "type", "ts", "source", "received"})
_ENVELOPE_CHECKS = tuple((f.name, f.kind.check, f.required) for f in (_ID, _TS))


def validate(raw: Any, *, allowed: frozenset[str] | None = None) -> dict[str, Any]:
    """Check one event against the contract and return its canonical form.

    Unknown fields are refused rather than dropped, so a typo in an integration
    ("revenu") is caught on the first request instead of silently scoring zero.
    """
    if not isinstance(raw, dict):
        raise InvalidEvent({"event": f"expected a JSON object, got {_describe(raw)}"})
    problems: dict[str, str] = {}
    type_name = raw.get("type")
    event_type = EVENT_TYPES.get(type_name) if isinstance(type_name, str) else None
    if event_type is None:
        known = ", ".join(sorted(allowed if allowed is not None else EVENT_TYPES))
        problems["type"] = f"expected one of {known}, got {_describe(type_name)}"
    elif allowed is not None and type_name not in allowed:
        problems["type"] = f"{type_name!r} events are written by managers, not integrations"

    clean: dict[str, Any] = {}
    for name, check, required in event_type.checks if event_type else _ENVELOPE_CHECKS:
        value = raw.get(name)
        if value is None:
            if required:
                problems[name] = "required"
            continue
        try:
            clean[name] = check(value)
        except _Problem as problem:
            problems[name] = str(problem)
    if event_type is not None and event_type.one_of:
        first, *others = event_type.one_of
        if all(raw.get(name) is None for name in event_type.one_of):
            problems[first] = f"required unless {' or '.join(others)} is given"
    if event_type is not None and not raw.keys() <= event_type.known:
        for name in raw:
            if name not in event_type.known:
                problems[str(name)[:64]] = "unknown field"
    if problems:
        raise InvalidEvent(problems)
    clean["type"] = type_name
    return clean


def json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12 subset, as OpenAPI 3.1 uses) of every event type."""
    schemas: dict[str, Any] = {}
    for event_type in EVENT_TYPES.values():
        properties: dict[str, Any] = {"type": {"const": event_type.name}}
        required = ["type"]
        for spec in (_ID, _TS, *event_type.fields):
            properties[spec.name] = dict(spec.kind.schema)
            if spec.description:
                properties[spec.name]["description"] = spec.description
            if spec.required:
                required.append(spec.name)
        schemas[event_type.name] = {
            "type": "object",
            "description": event_type.description,
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if event_type.one_of:
            schemas[event_type.name]["anyOf"] = [{"required": [n]} for n in event_type.one_of]
    return schemas
