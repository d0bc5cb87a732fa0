"""How a field of the state is stored: each field says it, so a snapshot is
written and read by walking the fields (see ``state.py`` and ``snapshot.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from .model import dump, load


@dataclass(frozen=True, slots=True)
class Codec:
    """How a field goes into JSON-ready data and comes back.

    An ``optional`` field came to the state after states were first stored: a
    snapshot leaves it out while it is empty, so that a state which never used it
    stores, and hashes, as it did before (a log's recorded hash holds)."""

    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]
    optional: bool = False


def _same(value: Any) -> Any:
    return value


#: JSON-ready as it is
PLAIN = Codec(_same, _same)
#: a dataclass whose own stored fields are stored beside its owner's
PART = Codec(_same, _same)
#: not stored: derived again after a restore
CACHE = Codec(_same, _same)
#: a dict of parts (features' slices by type), each stored as a part
SLICES = Codec(_same, _same)


def records(cls: type, *, added: int = 0) -> Codec:
    """A dict of records by key, each stored as the list of its fields.

    The last ``added`` fields came to the record after states were first stored:
    while they hold their defaults they are left out, so that a state which never
    used them stores, and hashes, as it did before (a log's recorded hash holds)."""
    if not added:
        return Codec(
            lambda value: {k: dump(v) for k, v in value.items()},
            lambda data: {k: load(cls, v) for k, v in data.items()},
        )
    defaults = [f.default for f in fields(cls)[-added:]]
    if MISSING in defaults:
        raise ValueError(f"expected the last {added} fields of {cls.__name__} to have defaults")

    def trimmed(record: Any) -> list[Any]:
        values = dump(record)
        kept = len(values)
        while kept > len(values) - added and values[kept - 1] == defaults[kept - len(values) - 1]:
            kept -= 1
        return values[:kept]

    return Codec(
        lambda value: {k: trimmed(v) for k, v in value.items()},
        lambda data: {k: load(cls, v) for k, v in data.items()},
    )


def keyed(cls: type, *, optional: bool = False) -> Codec:
    """A dict of records by their first field, stored as a list of records."""
    return Codec(
        lambda value: [dump(v) for v in value.values()],
        lambda data: {values[0]: load(cls, values) for values in data},
        optional,
    )


def stored(codec: Codec, default: Callable[[], Any] = dict) -> Any:
    """A dataclass field stored by ``codec``; its default is made by ``default``."""
    return field(default_factory=default, metadata={"codec": codec})


def stored_fields(part: Any) -> list[tuple[str, Codec, Any]]:
    """(name, codec, owner) for every stored field of ``part``, parts flattened."""
    found: list[tuple[str, Codec, Any]] = []
    for item in fields(part):
        codec = item.metadata.get("codec", PLAIN)
        if codec is PART:
            found += stored_fields(getattr(part, item.name))
        elif codec is SLICES:
            for piece in getattr(part, item.name).values():
                found += stored_fields(piece)
        elif codec is not CACHE:
            found.append((item.name, codec, part))
    return found
