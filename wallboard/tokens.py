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

from scoring.log import format_ts

from .store import TokenRecord

#: every role a token can have; who may do what with each is in wallboard.identity
ROLES = ("ingest", "display", "agent", "manager")
DEFAULT_SOURCE = "default"
#: Events written by managers through the API carry this source.
MANAGER_SOURCE = "manage"
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
