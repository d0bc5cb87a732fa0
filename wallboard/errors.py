"""One place that turns errors into responses: JSON for the API, HTML for pages.

No response ever carries a traceback; unexpected errors are logged in full
and answered with a bare 500.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, HTTPConnection, Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .store import StoreUnavailable

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, *, headers: dict[str, str] | None = None, **details: Any
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers


def _wants_html(request: HTTPConnection) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def _respond(
    request: Request, status: int, body: dict[str, Any], headers: Mapping[str, str] | None = None
) -> Response:
    if _wants_html(request):
        from html import escape

        page = (
            "<!doctype html><meta charset=utf-8><title>{status}</title>"
            "<body style='font-family:sans-serif;background:#111;color:#eee'>"
            "<h1>{status}</h1><p>{message}</p>"
        ).format(status=status, message=escape(str(body.get("error", ""))))
        return HTMLResponse(page, status_code=status, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _respond(request, exc.status, {"error": exc.message, **exc.details}, exc.headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail
    # Starlette's routing answers with the bare reason phrase; say what was asked.
    path = request.url.path if len(request.url.path) <= 200 else request.url.path[:200] + "..."
    if exc.status_code == 404 and message == "Not Found":
        message = f"no page or endpoint at {path}; /openapi.json lists the API"
    elif exc.status_code == 405 and message == "Method Not Allowed":
        allowed = sorted((exc.headers or {}).get("Allow", "").split(", "))
        message = f"{request.method} is not allowed on {path}; expected {', '.join(allowed)}"
    return _respond(request, exc.status_code, {"error": message}, exc.headers)


async def store_unavailable(request: Request, exc: Exception) -> Response:
    log.warning("store unavailable: %s", exc)
    return _respond(
        request,
        503,
        {"error": "the store is unavailable; nothing was written, retry later"},
        {"Retry-After": "1"},
    )


async def client_disconnect(request: Request, exc: Exception) -> Response:
    """The client went away while sending its body: its doing, not a fault of ours.
    Nothing was stored; the answer goes nowhere, the log says it at debug level."""
    log.debug(
        "the client left during %s %s before sending its body", request.method, request.url.path
    )
    return _respond(request, 400, {"error": "the request body ended early; nothing was stored"})


async def unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _respond(request, 500, {"error": "internal error"})


HANDLERS: dict[Any, Any] = {
    ApiError: api_error,
    HTTPException: http_error,
    StoreUnavailable: store_unavailable,
    ClientDisconnect: client_disconnect,
    Exception: unexpected,
}
