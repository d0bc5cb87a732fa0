"""HTML pages. Screens open them once with ``?token=``; the token then lives in
an HttpOnly cookie and leaves the address bar (and the browser history)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from .errors import ApiError
from .tokens import authenticate

TOKEN_COOKIE = "wallboard_token"
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


async def board(request: Request) -> Response:
    token = request.query_params.get("token")
    if token is not None:
        if await authenticate(request.app.state.store, token) is None:
            raise ApiError(401, "this display token is unknown or revoked")
        response = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
        response.set_cookie(
            TOKEN_COOKIE,
            token,
            max_age=400 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response
    record = await authenticate(request.app.state.store, request.cookies.get(TOKEN_COOKIE))
    if record is None or record.role not in ("display", "manager"):
        raise ApiError(401, "open this page once as /board?token=<display token>")
    return templates.TemplateResponse(request, "board.html", {"title": "Wallboard"})
