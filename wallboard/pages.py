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
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from scoring.changes import KINDS
from scoring.channels import SCENES, Channel, Channels
from scoring.scorer import Scorer

from . import assets, branding
from .errors import ApiError
from .i18n import STRINGS, language
from .identity import COOKIES, require_page
from .services import services
from .settings import MIN_ROTATE, Settings
from .store import TokenRecord
from .topics import AgentPage, Board

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
#: ``{{ asset("board.js") }}``: a static file's address, with its content's hash
templates.env.globals["asset"] = assets.url


async def _screen(request: Request, page: str) -> TokenRecord | Response:
    """Who opens ``page``; opened with ``?token=``, a redirect that keeps the token
    in the page's cookie instead of the address bar."""
    record = await require_page(request, page)
    token = request.query_params.get("token")
    if token is None:
        return record
    response = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
    response.set_cookie(
        COOKIES[page],
        token,
        max_age=400 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


def _page(request: Request, template: str, **context: Any) -> Response:
    lang = language(request.query_params.get("lang"))
    strings = STRINGS[lang]
    # The kinds of change come from the core, so the scripts compare against names
    # that exist (tests/test_change_kinds.py checks the scripts against them).
    config = {"lang": lang, "strings": strings, "kinds": KINDS, **context.pop("config", {})}
    return templates.TemplateResponse(
        request,
        template,
        {"lang": lang, "t": strings, "config": orjson.dumps(config).decode(), **context},
    )


async def board(request: Request) -> Response:
    record = await _screen(request, "board")
    if isinstance(record, Response):
        return record
    app = services(request)
    scorer = app.engine.scorer
    # A channel (set in the console) says what the screen shows; the address's own
    # settings, where given, win over it, and the server's settings stand for both.
    channel = _channel(scorer, request.query_params.get("channel"))
    site = request.path_params.get("site") or (channel.site if channel else None)
    scenes, rotate = board_rotation(request, app.settings, channel)
    # A screen pinned to one season of the league; without, it takes turns.
    sound = _sound(request)
    season = request.query_params.get("season") or (channel.season if channel else None)
    if season is not None and season not in scorer.league.league.seasons:
        raise ApiError(404, f"no season {season!r}: check the board's season= setting")
    brand = branding.brand(app.settings)
    site_name = app.engine.scorer.state.sites.get(site, {}).get("name", site) if site else None
    return _page(
        request,
        "board.html",
        title=brand.title(site_name),
        brand=brand,
        site_name=site_name,
        config={
            "topic": Board(site, season).name,
            "season": season,
            "as": "board",
            "scenes": scenes,
            "rotate": rotate,
            # a screen on a channel reloads when the channel is changed
            "channel": channel.id if channel else None,
            "channel_revision": channel.revision if channel else None,
            "sound": sound,
            # Played with Audio() only when sound is on: a silent board fetches none.
            "sounds": {kind: assets.url(f"sounds/{kind}.wav") for kind in SOUNDS} if sound else {},
        },
    )


def _channel(scorer: Scorer, channel_id: str | None) -> Channel | None:
    if channel_id is None:
        return None
    channel = scorer.feature(Channels).book.channels.get(channel_id)
    if channel is None:
        raise ApiError(404, f"no channel {channel_id!r}: check the board's channel= setting")
    return channel


def board_rotation(
    request: Request, settings: Settings, channel: Channel | None = None
) -> tuple[list[str], int]:
    """The scenes a board rotates through and the seconds each stays: its address's
    ``scenes=`` and ``rotate=``, else its channel's, else the settings'
    (``WALLBOARD_BOARD_SCENES``, ``WALLBOARD_BOARD_ROTATE``)."""
    scenes = list(channel.scenes) if channel else list(settings.board_scenes)
    if "scenes" in request.query_params:
        asked = request.query_params["scenes"].split(",")
        scenes = [s for s in asked if s in SCENES] or ["league"]
    rotate = channel.rotate if channel else settings.board_rotate
    if "rotate" in request.query_params:
        try:
            rotate = max(MIN_ROTATE, int(request.query_params["rotate"]))
        except ValueError:
            raise ApiError(422, "expected rotate as whole seconds") from None
    return scenes, rotate


#: the moments a board plays a sound for, each ``static/sounds/<kind>.wav``
SOUNDS = ("goal", "prize", "tombola", "season")


def _sound(request: Request) -> bool:
    """The board's ``?sound=0`` or ``?sound=1``, else the server's setting."""
    asked = request.query_params.get("sound")
    if asked is None:
        return services(request).settings.board_sound
    if asked not in ("0", "1"):
        raise ApiError(422, f"expected sound=0 or sound=1, got sound={asked[:20]!r}")
    return asked == "1"


async def me(request: Request) -> Response:
    record = await _screen(request, "me")
    if isinstance(record, Response):
        return record
    return _page(
        request,
        "me.html",
        title="Wallboard",
        config={"topic": AgentPage(record.agent or "").name, "as": "me", "agent": record.agent},
    )
