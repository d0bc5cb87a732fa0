"""Manager accounts and sessions.

Passwords are hashed with scrypt (n=2**14, r=8, p=1, a 16-byte salt) and kept
beside the log (``manager:<name>``), never in it. A session is a signed cookie
(HMAC-SHA256 with a secret made on first use): HttpOnly, SameSite=Lax, Secure
behind TLS, valid for 12 hours or until the manager signs out or gets a new
password, which ends all their sessions. It carries a CSRF token that every state-
changing request made with the session must echo, in the ``X-CSRF-Token``
header or a form's ``csrf`` field. Whether a request comes from a signed-in
manager is decided in :mod:`wallboard.identity`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from typing import Any

import orjson
from starlette.requests import HTTPConnection
from starlette.responses import Response

from .services import services
from .store import EventLog

COOKIE = "wallboard_session"
LIFETIME = 12 * 3600
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str, salt: bytes | None = None) -> dict[str, Any]:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return {"salt": salt.hex(), "hash": digest.hex(), **SCRYPT}


async def add_manager(store: EventLog, name: str, password: str) -> None:
    """Add a manager, or set a new password (which signs out their sessions)."""
    if not name or len(name) > 64 or not name.isprintable():
        raise ValueError(f"expected a manager name of 1 to 64 printable characters, got {name!r}")
    if len(password) < 10:
        raise ValueError("expected a password of at least 10 characters")
    await store.put_meta(f"manager:{name}", orjson.dumps(hash_password(password)))
    await end_sessions(store, name)


async def end_sessions(store: EventLog, name: str) -> None:
    """Sign ``name`` out everywhere: sessions started before now stop working."""
    await store.put_meta(f"signed-out:{name}", str(time.time()).encode())


async def check_password(store: EventLog, name: str, password: str) -> bool:
    raw = await store.get_meta(f"manager:{name}") if name else None
    # Hash even for an unknown name, so timing does not tell which names exist.
    saved = orjson.loads(raw) if raw else {"salt": "00" * 16, "hash": ""}
    attempt = hash_password(password, bytes.fromhex(saved["salt"]))["hash"]
    return raw is not None and hmac.compare_digest(attempt, saved["hash"])


async def _secret(store: EventLog) -> bytes:
    secret = await store.get_meta("session-secret")
    if secret is None:
        secret = secrets.token_bytes(32)
        await store.put_meta("session-secret", secret)
    return secret


def _sign(secret: bytes, payload: bytes) -> str:
    return hmac.new(secret, payload, hashlib.sha256).hexdigest()


async def start_session(store: EventLog, response: Response, name: str, secure: bool) -> str:
    csrf = secrets.token_urlsafe(24)
    payload = orjson.dumps(
        {"u": name, "iat": time.time(), "exp": int(time.time()) + LIFETIME, "csrf": csrf}
    )
    value = base64.urlsafe_b64encode(payload).decode() + "." + _sign(await _secret(store), payload)
    response.set_cookie(
        COOKIE, value, max_age=LIFETIME, httponly=True, samesite="lax", secure=secure
    )
    return csrf


async def read_session(connection: HTTPConnection) -> dict[str, Any] | None:
    value = connection.cookies.get(COOKIE)
    if not value or "." not in value or len(value) > 1000:
        return None
    encoded, signature = value.rsplit(".", 1)
    try:
        payload = base64.urlsafe_b64decode(encoded.encode())
    except ValueError:
        return None
    store = services(connection).store
    secret = await _secret(store)
    if not hmac.compare_digest(_sign(secret, payload), signature):
        return None
    session: dict[str, Any] = orjson.loads(payload)
    if session.get("exp", 0) < time.time():
        return None
    signed_out = await store.get_meta(f"signed-out:{session['u']}")
    if signed_out is not None and session.get("iat", 0) <= float(signed_out):
        return None
    return session
