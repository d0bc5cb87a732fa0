"""A connector as the store keeps it, and the body that creates or replaces one.

The store keeps each connector as JSON beside the log, never in it (the log is
exported and shared; a connector holds a secret): ``put_connector``.
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import asdict, dataclass
from typing import Any

import orjson

from scoring.log import AGENT_SOURCE, SYSTEM_SOURCE
from scoring.validators import describe

from ..errors import ApiError
from ..store import EventLog
from ..tokens import MANAGER_SOURCE
from .mapping import CompiledMapping, MappingInvalid, compile_mapping
from .presets import PRESETS, SYSTEM_ISSUED

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
#: sources the product writes itself: a connector may not pose as one
RESERVED = frozenset({SYSTEM_SOURCE, AGENT_SOURCE, MANAGER_SOURCE})
_KEYS = frozenset({"connector", "preset", "mapping", "secret", "organization_id"})


@dataclass(frozen=True)
class Connector:
    name: str
    #: the preset it was made from, or None for a custom mapping
    preset: str | None
    #: how requests prove they are the system's (``signatures``)
    scheme: str
    mapping: dict[str, Any]
    secret: str
    created: str
    by: str
    #: Salesforce: the organization whose outbound messages are taken (optional)
    organization_id: str | None = None

    def compiled(self) -> CompiledMapping:
        return _compiled(orjson.dumps(self.mapping, option=orjson.OPT_SORT_KEYS))

    def dump(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def load(cls, data: bytes) -> Connector:
        return cls(**orjson.loads(data))

    def public(self) -> dict[str, Any]:
        """What the API shows of it: everything but the secret."""
        shown = asdict(self)
        del shown["secret"]
        shown["connector"] = shown.pop("name")
        shown["hook"] = f"/hooks/{self.name}"
        return shown


@functools.lru_cache(maxsize=64)
def _compiled(mapping: bytes) -> CompiledMapping:
    """Compiled once per process for each mapping in use, not once per request."""
    return compile_mapping(orjson.loads(mapping))


async def find(store: EventLog, name: str) -> Connector:
    raw = await store.get_connector(name) if NAME.fullmatch(name) else None
    if raw is None:
        raise ApiError(404, f"no connector named {describe(name)}; GET /api/connectors lists them")
    return Connector.load(raw)


def _name(body: dict[str, Any]) -> str:
    name = body.get("connector")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ApiError(
            422,
            "connector: expected a name like 'crm' (a-z, 0-9, - and _, at most 32), "
            f"got {describe(name)}",
        )
    if name in RESERVED:
        raise ApiError(422, f"connector: {name!r} is the product's own source; pick another name")
    return name


def _checked_mapping(document: Any) -> dict[str, Any]:
    try:
        compile_mapping(document)
    except MappingInvalid as invalid:
        raise ApiError(422, f"{invalid.where}: {invalid.problem}", field=invalid.where) from None
    checked: dict[str, Any] = document
    return checked


def build(
    body: Any, existing: Connector | None, received: str, by: str
) -> tuple[Connector, str | None]:
    """The connector a ``POST /api/connectors`` body makes, and the secret to
    answer once when the product made it (None otherwise); 422 naming what is wrong."""
    if not isinstance(body, dict):
        raise ApiError(422, f"expected a JSON object, got {describe(body)}")
    unknown = sorted(set(body) - _KEYS)
    if unknown:
        raise ApiError(
            422, f"{unknown[0][:64]}: unknown field; expected {', '.join(sorted(_KEYS))}"
        )
    name = _name(body)
    for key in sorted(_KEYS & set(body)):
        if body[key] is None:
            raise ApiError(422, f"{key}: expected a value, got null; leave the field out instead")
    # Posted again with a mapping alone, a preset's connector keeps its signature scheme.
    kept = existing.preset if existing is not None and "mapping" in body else None
    preset_name = body.get("preset", kept)
    if preset_name is None and "mapping" not in body:
        raise ApiError(422, f"expected a preset ({', '.join(PRESETS)}) or a mapping")
    if preset_name is not None and (not isinstance(preset_name, str) or preset_name not in PRESETS):
        raise ApiError(
            422, f"preset: expected one of {', '.join(PRESETS)}, got {describe(preset_name)}"
        )
    preset = PRESETS[preset_name] if isinstance(preset_name, str) else None
    scheme = preset.scheme if preset is not None else "custom"
    mapping = _checked_mapping(body["mapping"]) if "mapping" in body else dict(preset.mapping)  # type: ignore[union-attr]
    secret, generated = _secret(body.get("secret"), scheme, existing)
    organization = _organization(body.get("organization_id"), scheme)
    connector = Connector(
        name=name,
        preset=preset_name,
        scheme=scheme,
        mapping=mapping,
        secret=secret,
        created=existing.created if existing is not None else received,
        by=by,
        organization_id=organization,
    )
    return connector, secret if generated else None


def _secret(sent: Any, scheme: str, existing: Connector | None) -> tuple[str, bool]:
    """(the secret, whether the product made it now)."""
    kept = existing.secret if existing is not None and existing.scheme == scheme else None
    if scheme in SYSTEM_ISSUED:
        if sent is None:
            if kept is None:
                raise ApiError(422, f"secret: required: the signing secret {scheme} issued")
            return kept, False
        if not isinstance(sent, str) or not 8 <= len(sent) <= 500 or not sent.isprintable():
            raise ApiError(
                422, "secret: expected the system's secret, 8 to 500 printable characters"
            )
        return sent, False
    if sent is not None:
        raise ApiError(
            422,
            "secret: this connector's secret is made by the server and answered once; leave it out",
        )
    if kept is not None:
        return kept, False
    return secrets.token_urlsafe(32), True


_ORGANIZATION = re.compile(r"[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?")


def _organization(sent: Any, scheme: str) -> str | None:
    if sent is None:
        return None
    if scheme != "salesforce" or not isinstance(sent, str) or not _ORGANIZATION.fullmatch(sent):
        raise ApiError(
            422,
            "organization_id: expected a Salesforce organization id (15 or 18 letters and "
            "digits), on a salesforce connector only",
        )
    return sent
