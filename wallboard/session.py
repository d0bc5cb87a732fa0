"""Manager accounts and sessions.

Passwords are hashed with scrypt (n=2**14, r=8, p=1, a 16-byte salt) and kept
beside the log (``manager:<name>``), never in it. A session is a signed cookie
(HMAC-SHA256 with a secret made on first use): HttpOnly, SameSite=Lax, Secure
behind TLS, valid for 12 hours or until the manager signs out or gets a new
password, which ends all their sessions (and closes their console's socket:
:mod:`wallboard.revocations`). It carries a CSRF token that every state-
changing request made with the session must echo, in the ``X-CSRF-Token``
header or a form's ``csrf`` field. Whether a request comes from a signed-in
manager is decided in :mod:`wallboard.identity`; how often one may try to sign
in, in :mod:`wallboard.signin`.

A hash takes some 80 ms of a core, so it never runs on the event loop: it runs
in one of ``HASHING_THREADS`` threads (scrypt lets go of the GIL), and attempts
beyond those wait their turn without holding up a screen.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import os
import secrets
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
from starlette.requests import HTTPConnection
from starlette.responses import Response

from .services import services
from .store import EventLog

COOKIE = "wallboard_session"
LIFETIME = 12 * 3600
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
#: the identity of a request or socket that came with a session, not a token
SESSION_ID = "session"
#: Two hashes at once at most, whatever the cores: a flood of sign-ins (already
#: limited by wallboard.signin) then leaves the rest of the machine to the screens.
HASHING_THREADS = 2
#: how much lower a hashing thread's priority is than the event loop's (Linux nice)
HASHING_NICENESS = 10


def _lower_priority() -> None:
    # On a core shared with the event loop a hash would take its turn as often as
    # the loop does; niced, it takes the time the screens leave over. On Linux a
    # thread's id names that thread alone to setpriority.
    if sys.platform == "linux":
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


_hashing = ThreadPoolExecutor(
    HASHING_THREADS, thread_name_prefix="password-hash", initializer=_lower_priority
)
#: what an unknown name's attempt is hashed against, so that it costs as much
_UNKNOWN = {"salt": "00" * 16, "hash": "00" * 32}


def hash_password(password: str, salt: bytes | None = None) -> dict[str, Any]:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(_utf8(password), salt=salt, dklen=32, **SCRYPT)
    return {"salt": salt.hex(), "hash": digest.hex(), **SCRYPT}


async def hash_off_loop(password: str, salt: bytes | None = None) -> dict[str, Any]:
    """``hash_password`` in a hashing thread, so that the event loop goes on serving."""
    return await asyncio.get_running_loop().run_in_executor(_hashing, hash_password, password, salt)


def _utf8(text: str) -> bytes:
    # A form or header may hold any character; a lone surrogate must not raise.
    return text.encode("utf-8", "surrogatepass")


def same_secret(sent: str, expected: str) -> bool:
    """Constant-time equality of a secret a client sent and the one expected, for any
    text: ``hmac.compare_digest`` refuses a str that is not ASCII, so compare bytes."""
    return hmac.compare_digest(_utf8(sent), _utf8(expected))


async def add_manager(store: EventLog, name: str, password: str) -> None:
    """Add a manager, or set a new password (which signs out their sessions)."""
    if not name or len(name) > 64 or not name.isprintable():
        raise ValueError(f"expected a manager name of 1 to 64 printable characters, got {name!r}")
    if len(password) < 10:
        raise ValueError("expected a password of at least 10 characters")
    await store.put_meta(f"manager:{name}", orjson.dumps(await hash_off_loop(password)))
    await end_sessions(store, name)


async def end_sessions(store: EventLog, name: str) -> None:
    """Sign ``name`` out everywhere: sessions started before now stop working."""
    await store.put_meta(f"signed-out:{name}", str(time.time()).encode())


async def check_password(store: EventLog, name: str, password: str) -> bool:
    raw = await store.get_meta(f"manager:{name}") if name else None
    # Hash even for an unknown name, so that neither the time an answer takes nor
    # the load it makes tells which names exist.
    saved = orjson.loads(raw) if raw else _UNKNOWN
    attempt = await hash_off_loop(password, bytes.fromhex(saved["salt"]))
    return raw is not None and same_secret(attempt["hash"], saved["hash"])


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
    """The session of ``connection``'s cookie, or None if it has none that is live."""
    return await live_session(services(connection).store, connection.cookies.get(COOKIE))


async def live_session(
    store: EventLog, value: str | None, now: float | None = None
) -> dict[str, Any] | None:
    """The session a cookie ``value`` holds, if it is signed by us, not expired at
    ``now``, and not ended by a sign-out or a new password since it began; else None."""
    if not value or "." not in value or len(value) > 1000:
        return None
    encoded, signature = value.rsplit(".", 1)
    try:
        payload = base64.urlsafe_b64decode(_utf8(encoded))
    except ValueError:
        return None
    secret = await _secret(store)
    if not same_secret(signature, _sign(secret, payload)):
        return None
    session: dict[str, Any] = orjson.loads(payload)
    if session.get("exp", 0) < (time.time() if now is None else now):
        return None
    signed_out = await store.get_meta(f"signed-out:{session['u']}")
    if signed_out is not None and session.get("iat", 0) <= float(signed_out):
        return None
    return session
