"""The Starlette application: routes, and the store and hub opened in its lifespan."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from . import api, openapi
from .engine import Engine
from .errors import HANDLERS
from .hub import LocalHub, open_hub
from .ingest import post_events
from .live import Live, websocket_endpoint
from .pages import board
from .settings import Settings
from .store import EventLog, StoreUnavailable, open_store

STATIC = Path(__file__).resolve().parent.parent / "static"


async def healthz(request: Request) -> Response:
    try:
        await request.app.state.store.ping()
    except StoreUnavailable as exc:
        return JSONResponse({"status": "unavailable", "store": str(exc)}, status_code=503)
    return JSONResponse({"status": "ok", "store": "reachable"})


async def openapi_json(request: Request) -> Response:
    return JSONResponse(openapi.document())


def create_app(
    settings: Settings | None = None,
    *,
    store: EventLog | None = None,
    hub: LocalHub | None = None,
) -> Starlette:
    """The app for ``settings``; tests may inject an open or unopened store and hub."""
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            log = store or open_store(settings.store)
            live_hub = hub or open_hub(settings.store)
            app.state.store = await stack.enter_async_context(log)
            app.state.hub = await stack.enter_async_context(live_hub)
            app.state.live = Live(app.state.store, app.state.hub)
            app.state.engine = await stack.enter_async_context(
                Engine(app.state.store, app.state.hub, tick_seconds=settings.tick_seconds)
            )
            yield

    routes = [
        Route("/api/events", post_events, methods=["POST"]),
        Route("/api/agents/{agent}", api.agent),
        Route("/api/leaderboard", api.leaderboard),
        Route("/api/prizes", api.prizes),
        Route("/api/tombolas", api.open_tombola, methods=["POST"]),
        Route("/api/tombolas/{tombola}", api.tombola),
        Route("/api/seasons", api.seasons),
        Route("/api/seasons/preview", api.preview_season, methods=["POST"]),
        Route("/api/seasons/{season}/table", api.season_table),
        Route("/api/seasons/{season}/matches", api.season_matches),
        Route("/api/seasons/{season}/scorers", api.season_scorers),
        Route("/healthz", healthz),
        Route("/openapi.json", openapi_json),
        Route("/board", board),
        WebSocketRoute("/ws", websocket_endpoint),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=HANDLERS)
    app.state.settings = settings
    return app
