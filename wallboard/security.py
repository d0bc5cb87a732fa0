"""Headers and checks every HTTP response and request goes through.

- A strict Content-Security-Policy on every response: scripts only from this
  server (no inline script, no eval). Styles may be inline because plotly.js
  adds its stylesheet at run time; a style cannot run code.
- A browser request that changes something (any method but GET, HEAD, OPTIONS)
  or opens a websocket must come from a page of this server: its ``Origin``, when
  it sends one, must name this host. That keeps other sites from riding on a
  screen's cookie or a manager's session, on top of the console's CSRF token
  and SameSite=Lax cookies. Integrations send no ``Origin`` and are not affected.
"""

from __future__ import annotations

from collections.abc import Collection
from contextvars import ContextVar

import orjson
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'; object-src 'none'"
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


#: The allowed origins of the app serving the current request or websocket, set by
#: ``SecurityHeaders``: the websocket endpoint checks the Origin too, and gets only
#: the headers.
_ALLOWED: ContextVar[Collection[str]] = ContextVar("allowed_origins", default=())


def same_origin(headers: Headers, allowed: Collection[str] | None = None) -> bool:
    """True unless the request names an ``Origin`` other than the host it was sent
    to and not among ``allowed`` (by default, the app's WALLBOARD_ALLOWED_ORIGINS)."""
    allowed = _ALLOWED.get() if allowed is None else allowed
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser, or a same-origin GET: tokens protect it
    if origin == "null":
        # Our pages send no referrer, so a browser names a form's origin "null";
        # Sec-Fetch-Site is set by the browser alone and says where it came from.
        return headers.get("sec-fetch-site") == "same-origin"
    if origin.lower() in allowed:
        return True
    return origin.partition("://")[2] == headers.get("host", "")


class SecurityHeaders:
    """The policy headers on every response, and the Origin check on every change."""

    HEADERS = [
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]
    REFUSED = orjson.dumps(
        {"error": "cross-origin request refused: the Origin header names another site"}
    )

    def __init__(self, app: ASGIApp, allowed_origins: Collection[str] = ()) -> None:
        self.app = app
        self.allowed_origins = frozenset(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        reset = _ALLOWED.set(self.allowed_origins)
        try:
            await self._checked(scope, receive, send)
        finally:
            _ALLOWED.reset(reset)

    async def _checked(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)  # the endpoint checks the Origin itself
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        if scope["method"] not in SAFE_METHODS and not same_origin(Headers(scope=scope)):
            await with_headers(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send({"type": "http.response.body", "body": self.REFUSED})
            return
        await self.app(scope, receive, with_headers)
