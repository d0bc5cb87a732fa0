"""A mapping: how one received payload becomes zero or more product events.

A mapping is a JSON document::

    {"each": "<expression>",          optional: a list to take item by item
     "filter": "<expression>",        optional: an item counts when it is truthy
     "event": {"<field>": <spec>, ...}}   or "events": [{...}, ...]

Expressions are JMESPath (the ``jmespath`` library, with the functions of
``FUNCTIONS``); nothing is evaluated as code. A field's spec is an expression
(a string), a constant (a number, true or false, or ``{"const": value}``),
``{"expr": ..., "default": ..., "map": {...}}`` or ``{"lookup": "<system>",
"from": <expression>}`` (the agent whom that system knows by the id found, from
the roster's ``external_ids``). A field whose value comes out null, with no
default, is left out.

Everything here is checked when a connector is saved (``compile_mapping``), so
a payload fails only on what the payload holds (``MappingFailed``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jmespath
import jmespath.exceptions
import jmespath.functions
import orjson

from scoring.events import EVENT_TYPES, INTEGRATION_TYPES
from scoring.validators import describe

#: (system, external id) -> agent id, or None
Lookup = Callable[[str, str], str | None]
#: the most events one mapping makes from one item
MAX_TEMPLATES = 10


class MappingInvalid(ValueError):
    """The mapping document itself is wrong; ``where`` names the place in it."""

    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where = where
        self.problem = problem


class MappingFailed(ValueError):
    """A payload could not be mapped; the message says why, for the dead letters."""


def _to_ts(value: Any) -> Any:
    """An epoch (seconds, or milliseconds as HubSpot sends them; a number or a string
    of digits) as an ISO timestamp; any other string as it is."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    seconds = value / 1000 if value > 100_000_000_000 else value
    try:
        moment = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return value  # the event's check says what is wrong with it
    return moment.isoformat().replace("+00:00", "Z")


def _to_bool(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "y", "ja"):
        return True
    if text in ("false", "0", "no", "n", "nein", ""):
        return False
    return value


class _Functions(jmespath.functions.Functions):
    """JMESPath's functions, and three a payload from outside needs."""

    @jmespath.functions.signature({"types": []})
    def _func_to_ts(self, value: Any) -> Any:
        return _to_ts(value)

    @jmespath.functions.signature({"types": []})
    def _func_to_bool(self, value: Any) -> Any:
        return _to_bool(value)

    @jmespath.functions.signature({"types": []})
    def _func_from_json(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return None


FUNCTIONS = ("to_ts", "to_bool", "from_json")
_OPTIONS = jmespath.Options(custom_functions=_Functions())


def _compile(expression: Any, where: str) -> jmespath.parser.ParsedResult:
    if not isinstance(expression, str) or not 1 <= len(expression) <= 2000:
        raise MappingInvalid(
            where, f"expected a JMESPath expression (a string), got {describe(expression)}"
        )
    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise MappingInvalid(where, f"not a JMESPath expression: {exc}") from None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    source: str  # the spec as written, for the reasons
    expression: jmespath.parser.ParsedResult | None = None
    constant: Any = None
    default: Any = None
    choices: Mapping[str, Any] | None = None
    lookup: str | None = None

    def value(self, item: Any, lookup: Lookup) -> Any:
        if self.expression is None:
            return self.constant
        try:
            found = self.expression.search(item, _OPTIONS)
        except jmespath.exceptions.JMESPathError as exc:
            raise MappingFailed(f"{self.name}: `{self.source}` failed: {exc}") from None
        if self.choices is not None and found is not None:
            found = self.choices.get(str(found), self.default)
        if self.lookup is not None and found is not None:
            agent = lookup(self.lookup, str(found))
            if agent is None and self.default is None:
                raise MappingFailed(
                    f"{self.name}: no agent has {self.lookup} id {describe(str(found))} "
                    f"(the roster's external_ids)"
                )
            found = agent
        return self.default if found is None else found


_SPEC_KEYS = frozenset({"expr", "default", "map", "lookup", "from", "const"})


def _field(name: str, spec: Any, where: str) -> FieldSpec:
    if isinstance(spec, str):
        return FieldSpec(name, spec, expression=_compile(spec, where))
    if isinstance(spec, bool | int | float):
        return FieldSpec(name, orjson.dumps(spec).decode(), constant=spec)
    if not isinstance(spec, dict):
        raise MappingInvalid(
            where, f"expected an expression, a constant or an object, got {describe(spec)}"
        )
    unknown = sorted(set(spec) - _SPEC_KEYS)
    if unknown:
        raise MappingInvalid(
            where, f"unknown key {unknown[0]!r}; expected {', '.join(sorted(_SPEC_KEYS))}"
        )
    if "const" in spec:
        if len(spec) != 1:
            raise MappingInvalid(where, "a constant takes no other key")
        return FieldSpec(name, orjson.dumps(spec["const"]).decode(), constant=spec["const"])
    if "lookup" in spec:
        system = spec["lookup"]
        if not isinstance(system, str) or not system or "expr" in spec:
            raise MappingInvalid(where, 'expected {"lookup": "<system>", "from": "<expression>"}')
        source = spec.get("from")
        return FieldSpec(
            name,
            str(source),
            expression=_compile(source, f"{where}.from"),
            default=spec.get("default"),
            lookup=system,
        )
    if "expr" not in spec:
        raise MappingInvalid(where, 'expected "expr", "const" or "lookup"')
    choices = spec.get("map")
    if choices is not None and not isinstance(choices, dict):
        raise MappingInvalid(
            f"{where}.map", f"expected an object of values, got {describe(choices)}"
        )
    return FieldSpec(
        name,
        spec["expr"],
        expression=_compile(spec["expr"], f"{where}.expr"),
        default=spec.get("default"),
        choices=choices,
    )


def _template(raw: Any, where: str) -> tuple[FieldSpec, ...]:
    if not isinstance(raw, dict) or not raw:
        raise MappingInvalid(
            where, f"expected an object of the event's fields, got {describe(raw)}"
        )
    for required in ("type", "id"):
        if required not in raw:
            raise MappingInvalid(where, f"expected a {required!r} field")
    kind = raw["type"]
    constant = kind.get("const") if isinstance(kind, dict) else None
    if constant is not None and (
        not isinstance(constant, str) or constant not in INTEGRATION_TYPES
    ):
        raise MappingInvalid(
            f"{where}.type",
            f"expected one of {', '.join(sorted(INTEGRATION_TYPES))}, got {describe(constant)}",
        )
    if isinstance(constant, str):
        known = EVENT_TYPES[constant].known
        extra = sorted(set(raw) - known)
        if extra:
            raise MappingInvalid(f"{where}.{extra[0]}", f"a {constant} event has no such field")
    return tuple(_field(str(name), spec, f"{where}.{name}") for name, spec in raw.items())


@dataclass(frozen=True)
class CompiledMapping:
    """A checked mapping, ready to apply."""

    each: jmespath.parser.ParsedResult | None
    filter: jmespath.parser.ParsedResult | None
    filter_source: str
    templates: tuple[tuple[FieldSpec, ...], ...]

    def items(self, payload: Any) -> list[Any]:
        if self.each is None:
            return [payload]
        try:
            found = self.each.search(payload, _OPTIONS)
        except jmespath.exceptions.JMESPathError as exc:
            raise MappingFailed(f"each: {exc}") from None
        if found is None:
            return []
        return found if isinstance(found, list) else [found]

    def counts(self, item: Any) -> bool:
        if self.filter is None:
            return True
        try:
            return bool(_truthy(self.filter.search(item, _OPTIONS)))
        except jmespath.exceptions.JMESPathError as exc:
            raise MappingFailed(f"filter: {exc}") from None

    def events(self, payload: Any, lookup: Lookup) -> list[dict[str, Any]]:
        """The events ``payload`` makes; MappingFailed naming the item and field."""
        events = []
        for index, item in enumerate(self.items(payload)):
            try:
                if not self.counts(item):
                    continue
                for template in self.templates:
                    event = {}
                    for spec in template:
                        value = spec.value(item, lookup)
                        if value is not None:
                            event[spec.name] = value
                    events.append(event)
            except MappingFailed as failed:
                raise MappingFailed(f"item {index}: {failed}") from None
        return events


def _truthy(value: Any) -> bool:
    """JMESPath's truth: false, null and empty strings, lists and objects are false;
    every number, 0 included, is true."""
    if value is None or value is False:
        return False
    if isinstance(value, str | list | dict):
        return len(value) > 0
    return True


def compile_mapping(document: Any) -> CompiledMapping:
    if not isinstance(document, dict):
        raise MappingInvalid("mapping", f"expected an object, got {describe(document)}")
    unknown = sorted(set(document) - {"each", "filter", "event", "events"})
    if unknown:
        raise MappingInvalid(
            f"mapping.{unknown[0]}", "unknown key; expected each, filter, event or events"
        )
    if ("event" in document) == ("events" in document):
        raise MappingInvalid("mapping", 'expected "event" (one) or "events" (a list), not both')
    raw = [document["event"]] if "event" in document else document["events"]
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_TEMPLATES:
        raise MappingInvalid("mapping.events", f"expected a list of 1 to {MAX_TEMPLATES} events")
    key = "event" if "event" in document else "events"
    templates = tuple(
        _template(t, f"mapping.{key}" if key == "event" else f"mapping.events.{n}")
        for n, t in enumerate(raw)
    )
    each = _compile(document["each"], "mapping.each") if "each" in document else None
    found = document.get("filter")
    return CompiledMapping(
        each=each,
        filter=_compile(found, "mapping.filter") if found is not None else None,
        filter_source=found or "",
        templates=templates,
    )
