"""Validators of the values an event's fields hold (each a ``Kind``): how each is
checked, put in the log's canonical form, and described in JSON Schema.

A check returns the canonical value or raises ``Problem`` saying what was
wrong; ``scoring.events`` gathers the problems of a whole event.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .errors import InvalidRules
from .log import format_ts
from .rules import SECTIONS, parse_rules

MAX_ID_LENGTH = 128
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 2000
MAX_REVENUE = Decimal("1000000000")
EARLIEST_TS = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_TS = datetime(2100, 1, 1, tzinfo=UTC)

CURRENCY = re.compile(r"[A-Z]{3}")
_CENT = Decimal("0.01")
#: amounts and timestamps already in the log's canonical form, below the limits
_CANONICAL_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,8})\.[0-9]{2}")
#: any amount a string may hold: ASCII digits only (``\d`` would take any script's),
#: short enough that Decimal never reads a megabyte of zeros
_AMOUNT = re.compile(r"[0-9]{1,20}(?:\.[0-9]{1,20})?")
_CANONICAL_TS = re.compile(r"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
#: What no name, id or text may hold: C0 and C1 control characters other than tab,
#: line feed and carriage return (a NUL or an escape sequence garbles logs, terminals
#: and exports), and the bidi embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069), with which a name reads as something else on a wall screen.
#: Marks (LRM, RLM) and joiners stay: right-to-left names and emoji sequences need them.
_FORBIDDEN_CLASS = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069"
_FORBIDDEN = re.compile(f"[{_FORBIDDEN_CLASS}]")
#: Characters that draw nothing: spaces, controls, format characters (zero-width
#: space, joiners, marks, the BOM), and combining marks with nothing to sit on. A
#: name of these only would show blank on a board.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me"})
#: Letters and symbols that draw nothing all the same (the Hangul fillers, the
#: blank Braille pattern, the Khmer inherent vowels): the usual "blank name" tricks.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0")
#: The same rule as JSON Schema says it (ECMA-262 syntax): no forbidden character,
#: and not only whitespace or the common invisible characters (the check is wider).
_BLANK_CLASS = (
    r"\s\u00ad\u0300-\u036f\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064"
    r"\u20d0-\u20f0\u2800\u3164\ufeff\uffa0"
)
_TEXT_PATTERN = f"^(?![{_BLANK_CLASS}]+$)[^{_FORBIDDEN_CLASS}]*$"
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


class Problem(ValueError):
    """What is wrong with one value, in words its sender can act on."""


def describe(value: Any) -> str:
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
            raise Problem(f"expected a string, got {describe(value)}")
        if not min_length <= len(value) <= max_length:
            raise Problem(f"expected {min_length} to {max_length} characters, got {len(value)}")
        # Most names and ids are printable ASCII, which holds none of the forbidden.
        if not (value.isascii() and value.isprintable()):
            forbidden = _FORBIDDEN.search(value)
            if forbidden is not None:
                raise Problem(
                    "expected no control or bidi-override characters, "
                    f"got U+{ord(forbidden.group()):04X} at character {forbidden.start() + 1}"
                )
        if value.isspace():
            raise Problem("expected some text, got only whitespace")
        if value and not value.isascii() and not any(map(_visible, value)):
            raise Problem(
                "expected some visible text, got only invisible characters "
                f"such as U+{ord(value[0]):04X}"
            )
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


def _visible(character: str) -> bool:
    return (
        unicodedata.category(character) not in _INVISIBLE_CATEGORIES
        and character not in _BLANK_GLYPHS
    )


def picture() -> Kind:
    """An image's address, which a screen may show: see ``_PICTURE``."""

    def check(value: Any) -> str:
        if not isinstance(value, str) or not 1 <= len(value) <= 500:
            raise Problem(
                f"expected a picture address of 1 to 500 characters, got {describe(value)}"
            )
        if not (_PICTURE.fullmatch(value) and _IRI_REFERENCE.fullmatch(value)):
            raise Problem(f"expected an https:// URL or a /path, got {describe(value)}")
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
            raise Problem(f"expected a value like {example!r}, got {describe(value)}")
        return value

    return Kind(check, {"type": "string", "pattern": f"^{regex.pattern}$"})


def choice(options: tuple[str, ...]) -> Kind:
    def check(value: Any) -> str:
        if value not in options:
            raise Problem(f"expected one of {', '.join(options)}, got {describe(value)}")
        return str(value)

    return Kind(check, {"type": "string", "enum": list(options)})


def boolean() -> Kind:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise Problem(f"expected true or false, got {describe(value)}")
        return value

    return Kind(check, {"type": "boolean"})


def integer(minimum: int, maximum: int) -> Kind:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Problem(f"expected a whole number, got {describe(value)}")
        if not minimum <= value <= maximum:
            raise Problem(f"expected {minimum} to {maximum}, got {value}")
        return value

    return Kind(check, {"type": "integer", "minimum": minimum, "maximum": maximum})


def coin_amount(limit: int) -> Kind:
    """Coins given (> 0) or taken back (< 0): a whole number, not 0."""
    whole = integer(-limit, limit)

    def check(value: Any) -> int:
        amount = int(whole.check(value))
        if amount == 0:
            raise Problem("expected coins to give (> 0) or take back (< 0), got 0")
        return amount

    return Kind(check, {**whole.schema, "not": {"const": 0}})


def number(minimum: float, maximum: float) -> Kind:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Problem(f"expected a number, got {describe(value)}")
        if not minimum <= value <= maximum:
            raise Problem(f"expected {minimum:g} to {maximum:g}, got {value}")
        # -0.0 (what rounding a tiny negative gives) is stored as 0.0, not "-0.0".
        return value + 0 if value == 0 else value

    return Kind(check, {"type": "number", "minimum": minimum, "maximum": maximum})


def money() -> Kind:
    """A non-negative amount with at most two decimal places, stored as a string.

    Numbers and strings are both accepted ("49.90" or 49.9); the log keeps the
    canonical string so that replays never meet a float rounding error. A string
    is ASCII digits with an optional point and one or two decimals, nothing else:
    Python's Decimal would also read "1_000", " 5 " and other scripts' digits,
    which no integration means to send. A minus sign is refused even on zero
    ("-0", -0.0): it is a refund or a sign error, not a sale worth nothing.
    """

    def check(value: Any) -> str:
        # Most integrations already send the canonical string ("49.90"): keep it as is.
        if type(value) is str and _CANONICAL_AMOUNT.fullmatch(value):
            return value
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise Problem(f"expected a decimal amount, got {describe(value)}")
        if isinstance(value, str):
            if value.startswith("-"):
                raise Problem(f"expected an amount >= 0, got {value[:40]}")
            if not _AMOUNT.fullmatch(value):
                raise Problem(
                    "expected a decimal amount in digits 0-9 with an optional '.', "
                    f"like '49.90', got {describe(value)}"
                )
            amount = Decimal(value)
        elif isinstance(value, float) and math.copysign(1.0, value) < 0:
            raise Problem(f"expected an amount >= 0, got {value}")
        else:
            amount = Decimal(repr(value) if isinstance(value, float) else value)
        if not amount.is_finite():
            raise Problem(f"expected a finite amount, got {describe(value)}")
        if amount < 0:
            raise Problem(f"expected an amount >= 0, got {value}")
        if amount > MAX_REVENUE:
            raise Problem(f"expected an amount <= {MAX_REVENUE}, got {value}")
        cents = amount.quantize(_CENT)
        if amount != cents:
            raise Problem(f"expected at most 2 decimal places, got {value}")
        return str(cents)

    return Kind(
        check,
        {
            "oneOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"},
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
            raise Problem(f"expected an ISO 8601 timestamp, got {describe(value)}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise Problem(f"expected an ISO 8601 timestamp, got {describe(value)}") from None
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise Problem(f"expected a UTC offset such as 'Z' or '+01:00', got {value!r}")
        if not EARLIEST_TS <= moment < LATEST_TS:
            raise Problem(f"expected a time between 2000 and 2099, got {value!r}")
        return format_ts(moment)

    return Kind(check, {"type": "string", "format": "date-time"})


def nps_or_flag() -> Kind:
    def check(value: Any) -> bool | int:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and 0 <= value <= 10:
            return value
        raise Problem(f"expected true, false or an NPS answer 0 to 10, got {describe(value)}")

    return Kind(
        check,
        {"oneOf": [{"type": "boolean"}, {"type": "integer", "minimum": 0, "maximum": 10}]},
    )


def day() -> Kind:
    def check(value: Any) -> str:
        # Only YYYY-MM-DD: fromisoformat also reads week dates ("2026-W48-1").
        if isinstance(value, str) and _DAY.fullmatch(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                # The days timestamps may fall on (a day's first hour, in any zone, is a
                # moment the log can hold).
                if not EARLIEST_TS.date() < parsed < LATEST_TS.date():
                    raise Problem(
                        f"expected a date after 2000-01-01 and before 2100-01-01, got {value!r}"
                    )
                return parsed.isoformat()
        raise Problem(f"expected a date like '2026-11-23', got {describe(value)}")

    return Kind(check, {"type": "string", "format": "date"})


def names(max_items: int = 100, min_items: int = 1) -> Kind:
    item = text(1, MAX_ID_LENGTH)

    def check(value: Any) -> list[str]:
        if not isinstance(value, list) or not min_items <= len(value) <= max_items:
            raise Problem(
                f"expected a list of {min_items} to {max_items} ids, got {describe(value)}"
            )
        checked = []
        for index, v in enumerate(value):
            try:
                checked.append(item.check(v))
            except Problem as problem:
                raise Problem(f"item {index}: {problem}") from None
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
            raise Problem("; ".join(f"{k}: {v}" for k, v in invalid.problems.items())) from None
        for product, group in rules.groups.items():
            try:
                group_name.check(group)
            except Problem as problem:
                raise Problem(f"sale.groups.{product[:64]}: {problem}") from None
        for period, gate in value.get("gates", {}).items():
            # parse_rules takes any number and would count 2.5 sales as 2.
            min_sales = gate.get("min_sales")
            if isinstance(min_sales, float) and not min_sales.is_integer():
                raise Problem(f"gates.{period}.min_sales: expected a whole number, got {min_sales}")
        return dict(value)

    schema = {
        "type": "object",
        "description": "a whole rule set (see the README); a rules event replaces the whole "
        "rule set, so start from GET /api/rules",
        "required": list(SECTIONS),
    }
    return Kind(check, schema)


def hex_digest(length: int) -> Kind:
    return pattern(re.compile(f"[0-9a-f]{{{length}}}"), "0" * length)


def clubs() -> Kind:
    club_fields = {
        "club": text(1, MAX_ID_LENGTH),
        "name": text(),
        "short_name": text(1, 12),
        "colour": pattern(COLOUR, "#1f77b4"),
        "heads": integer(1, 100_000),
    }
    required = ("club", "name", "heads")

    def check(value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not 2 <= len(value) <= 64:
            raise Problem(f"expected a list of 2 to 64 clubs, got {describe(value)}")
        result = []
        for index, club in enumerate(value):
            if not isinstance(club, dict):
                raise Problem(f"club {index}: expected an object")
            for name in required:
                if name not in club:
                    raise Problem(f"club {index}: {name} is required")
            for name in club:
                if name not in club_fields:
                    raise Problem(f"club {index}: unknown field {str(name)[:64]!r}")
            checked = {}
            for name, v in club.items():
                try:
                    checked[name] = club_fields[name].check(v)
                except Problem as problem:
                    raise Problem(f"club {index} {name}: {problem}") from None
            result.append(checked)
        if len({c["club"] for c in result}) != len(result):
            raise Problem("expected distinct club ids")
        return result

    schema = {
        "type": "object",
        "properties": {name: dict(kind.schema) for name, kind in club_fields.items()},
        "required": list(required),
        "additionalProperties": False,
    }
    return Kind(check, {"type": "array", "items": schema, "minItems": 2, "maxItems": 64})


def listing(item: Kind, max_items: int, *, min_items: int = 0) -> Kind:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list) or not min_items <= len(value) <= max_items:
            least = f"{min_items} to " if min_items else "at most "
            raise Problem(f"expected a list of {least}{max_items}, got {describe(value)}")
        return [item.check(v) for v in value]

    schema = {"type": "array", "items": dict(item.schema), "maxItems": max_items}
    if min_items:
        schema["minItems"] = min_items
    return Kind(check, schema)


def triple() -> Kind:
    def check(value: Any) -> list[int]:
        if (
            not isinstance(value, list)
            or len(value) != 3
            or not all(type(v) is int and 0 <= v <= 100 for v in value)
        ):
            raise Problem(f"expected [win, draw, loss] points, got {describe(value)}")
        return value

    return Kind(
        check, {"type": "array", "items": {"type": "integer"}, "minItems": 3, "maxItems": 3}
    )


#: a system's name in ``external_ids``: a short lowercase word
_SYSTEM = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


def external_ids(max_items: int = 20) -> Kind:
    """An agent's ids in other systems: ``{"hubspot": "512"}``, a short word naming
    the system to a short text, at most ``max_items`` of them."""
    id_kind = text(1, MAX_ID_LENGTH)

    def check(value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or len(value) > max_items:
            raise Problem(
                f"expected an object of at most {max_items} system names to ids, "
                f"got {describe(value)}"
            )
        checked = {}
        for system, found in value.items():
            if not _SYSTEM.fullmatch(system):
                raise Problem(
                    f"expected a system name like 'hubspot' (a-z, 0-9, - and _, at most 32), "
                    f"got {describe(system)}"
                )
            try:
                checked[system] = id_kind.check(found)
            except Problem as problem:
                raise Problem(f"{system}: {problem}") from None
        return checked

    return Kind(
        check,
        {
            "type": "object",
            "maxProperties": max_items,
            "propertyNames": {"pattern": f"^{_SYSTEM.pattern}$"},
            "additionalProperties": dict(id_kind.schema),
        },
    )
