"""HTML pages for screens: the TV board and the agent's widget.

A screen opens its page once with ``?token=``; the token then lives in an
HttpOnly cookie (one per kind of page, so a desk can hold both a board and a
widget) and leaves the address bar. Every page is rendered with autoescaping
and its scripts are files, so a strict Content-Security-Policy holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from .errors import ApiError
from .i18n import STRINGS, language
from .store import TokenRecord
from .tokens import authenticate

COOKIES = {"board": "wallboard_display", "me": "wallboard_agent"}
ROLES = {"board": ("display", "manager"), "me": ("agent",)}
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def token_from(connection: HTTPConnection) -> str | None:
    """The token a page or websocket presents: ``?token=``, else its page's cookie."""
    token = connection.query_params.get("token")
    if token:
        return token
    kind = connection.query_params.get("as", "board")
    return connection.cookies.get(COOKIES.get(kind, COOKIES["board"]))


async def _screen(request: Request, kind: str) -> TokenRecord | Response:
    store = request.app.state.store
    token = request.query_params.get("token")
    if token is not None:
        record = await authenticate(store, token)
        if record is None or record.role not in ROLES[kind]:
            raise ApiError(
                401, f"this token is unknown, revoked, or not a {' or '.join(ROLES[kind])} token"
            )
        response = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
        response.set_cookie(
            COOKIES[kind],
            token,
            max_age=400 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response
    record = await authenticate(store, request.cookies.get(COOKIES[kind]))
    if record is None or record.role not in ROLES[kind]:
        path = "/board" if kind == "board" else "/me"
        raise ApiError(401, f"open this page once as {path}?token=<{ROLES[kind][0]} token>")
    return record


def _page(request: Request, template: str, **context: Any) -> Response:
    lang = language(request.query_params.get("lang"))
    strings = STRINGS[lang]
    config = {"lang": lang, "strings": strings, **context.pop("config", {})}
    return templates.TemplateResponse(
        request,
        template,
        {"lang": lang, "t": strings, "config": orjson.dumps(config).decode(), **context},
    )


async def board(request: Request) -> Response:
    record = await _screen(request, "board")
    if isinstance(record, Response):
        return record
    site = request.path_params.get("site")
    scenes = request.query_params.get("scenes", "league,leaders,charts").split(",")
    try:
        rotate = max(5, int(request.query_params.get("rotate", "20")))
    except ValueError:
        raise ApiError(422, "expected rotate as whole seconds") from None
    return _page(
        request,
        "board.html",
        title=STRINGS[language(request.query_params.get("lang"))]["board"],
        config={
            "topic": f"board:{site}" if site else "board",
            "as": "board",
            "scenes": [s for s in scenes if s in ("league", "leaders", "charts")] or ["league"],
            "rotate": rotate,
            "sound": request.query_params.get("sound") == "1",
        },
    )


async def me(request: Request) -> Response:
    record = await _screen(request, "me")
    if isinstance(record, Response):
        return record
    return _page(
        request,
        "me.html",
        title="Wallboard",
        config={"topic": f"agent:{record.agent}", "as": "me", "agent": record.agent},
    )
