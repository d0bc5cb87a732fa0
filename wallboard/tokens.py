"""Access tokens: 256 random bits, shown once, stored only as a SHA-256 hash.

A SHA-256 of 256 random bits cannot be reversed or guessed, so a plain hash is
enough here (passwords, which people choose, get scrypt instead). Which token a
caller presents, and whether it is live, is :mod:`wallboard.identity`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from scoring.events import validate
from scoring.log import format_ts, records

from .store import EventLog, Record, TokenRecord

#: every role a token can have; who may do what with each is in wallboard.identity
ROLES = ("ingest", "display", "agent", "manager")
DEFAULT_SOURCE = "default"
#: Events written by managers through the API carry this source.
MANAGER_SOURCE = "manage"
#: Events agents write for themselves (their profile, goal, redemptions) carry this one.
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


class TokenError(ValueError):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(
    role: str,
    *,
    label: str = "",
    agent: str | None = None,
    source: str | None = None,
    now: datetime | None = None,
) -> tuple[str, TokenRecord]:
    """A fresh token and the record to store; the token itself is never stored."""
    if role not in ROLES:
        raise TokenError(f"expected role {', '.join(ROLES)}, got {role!r}")
    if role == "agent" and not agent:
        raise TokenError("an agent token needs --agent ID")
    if role != "agent" and agent:
        raise TokenError(f"--agent only applies to agent tokens, not {role}")
    if role == "ingest":
        source = source or DEFAULT_SOURCE
        if not _SOURCE.fullmatch(source):
            raise TokenError(f"expected a source like 'crm' or 'acd-1', got {source!r}")
    elif source:
        raise TokenError(f"--source only applies to ingest tokens, not {role}")
    token = f"wb_{role}_{secrets.token_urlsafe(32)}"
    token_hash = hash_token(token)
    record = TokenRecord(
        id=token_hash[:12],
        hash=token_hash,
        role=role,
        label=label,
        agent=agent,
        source=source,
        created=format_ts(now or datetime.now(UTC)),
    )
    return token, record


def created_event(record: TokenRecord) -> dict[str, Any]:
    """What the log keeps of a token made: whose and what for, never the token or its
    hash (the id is the hash's first 12 hex digits, as ``token list`` shows it)."""
    event: dict[str, Any] = {
        "id": f"token-created-{record.id}",
        "type": "token_created",
        "ts": record.created,
        "token": record.id,
        "role": record.role,
    }
    for name in ("label", "agent", "source"):
        value = getattr(record, name)
        if value:
            event[name] = value
    return event


def revoked_event(token_id: str, now: datetime | None = None) -> dict[str, Any]:
    moment = format_ts(now or datetime.now(UTC))
    return {
        "id": f"token-revoked-{token_id}",
        "type": "token_revoked",
        "ts": moment,
        "token": token_id,
    }


def audit_record(event: dict[str, Any], by: str) -> Record:
    """A token's event as a manager's action in the log (the audit log), checked
    first: a label the log would refuse raises ``InvalidEvent`` before anything is
    stored."""
    [(key, data)] = records([validate(event)], MANAGER_SOURCE, event["ts"], by)
    return Record(key, data)


async def add_audited(store: EventLog, record: TokenRecord, by: str) -> None:
    """Store a new token, its record in the audit log first: a token never exists
    without the log saying who made it."""
    await store.append([audit_record(created_event(record), by)])
    await store.add_token(record)


async def revoke_audited(store: EventLog, token_id: str, by: str) -> bool:
    """Revoke a token, then log who did; False if no token has that id. Revoking
    comes first: a store that fails after it leaves the token revoked, and a retry
    (revoking is idempotent) writes the record."""
    if not await store.revoke_token(token_id):
        return False
    await store.append([audit_record(revoked_event(token_id), by)])
    return True
