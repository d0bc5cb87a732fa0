"""The Starlette application: routes, and the services its lifespan opens."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from . import (
    api,
    assets,
    audit,
    awards,
    branding,
    contests_api,
    logs,
    manage,
    metrics,
    openapi,
    pages,
    protocol,
    revocations,
    roster_import,
    seasons,
    topics,
)
from .connectors import api as connectors_api
from .connectors import hooks
from .engine import Engine
from .errors import HANDLERS
from .experiments import api as experiments
from .ingest import MAX_EVENTS, post_events
from .notify import api as notify_api
from .notify.service import Notifications
from .publisher import Publisher
from .ratelimit import RateLimit
from .rules_api import rule_sets
from .security import SecurityHeaders
from .services import Services, services
from .settings import Settings
from .signin import SignInLimits
from .store import EventLog, StoreUnavailable, open_store
from .whatif import whatif
from .wire import DirectWrites


class IdConvertor(Convertor[str]):
    """An id in a path, whatever it holds: ids come from the CRM and may contain
    ``/`` (sent as ``%2F``) or a line break, which ``{x}`` and ``{x:path}`` miss."""

    regex = r"[\s\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("id", IdConvertor())


#: /readyz fails when the scorer is further behind the log than this
MAX_LAG = 10_000


async def healthz(request: Request) -> Response:
    """Alive: the process answers. Says whether the store is reachable, without failing."""
    try:
        await services(request).store.ping()
    except StoreUnavailable:
        return JSONResponse({"status": "alive", "store": "unreachable"})
    return JSONResponse({"status": "alive", "store": "reachable"})


async def readyz(request: Request) -> Response:
    """Ready for traffic: the store answers and the scorer keeps up with the log
    (and has not stopped on an entry it could not fold)."""
    store, engine = services(request).store, services(request).engine
    if engine.stopped_at is not None:
        body = {"status": "failed", "scorer": f"folding stopped after offset {engine.stopped_at}"}
        return JSONResponse(body, status_code=503)
    try:
        await store.ping()
        lag = await store.last_offset() - engine.scorer.offset
    except StoreUnavailable as exc:
        return JSONResponse({"status": "unavailable", "store": str(exc)}, status_code=503)
    answer: dict[str, str | int] = {
        "status": "ready" if lag <= MAX_LAG else "lagging",
        "store": "reachable",
        "scorer_lag": lag,
    }
    return JSONResponse(answer, status_code=200 if lag <= MAX_LAG else 503)


async def metrics_text(request: Request) -> Response:
    """Counters in Prometheus' text format (see :mod:`wallboard.metrics`)."""
    app = services(request)
    try:
        lag = max(0, await app.store.last_offset() - app.engine.scorer.offset)
    except Exception:  # the store being down is itself visible in /readyz
        lag = -1
    return metrics.exposition(app.metrics, app.publisher, app.engine.scorer.offset, lag)


async def openapi_json(request: Request) -> Response:
    return JSONResponse(openapi.document())


def create_app(
    settings: Settings | None = None,
    *,
    store: EventLog | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """The app for ``settings``; tests may inject an open or unopened store,
    and the clock that stamps what ingest receives."""
    settings = settings or Settings.from_env()
    # Here rather than in the CLI, so that any server running the factory (the
    # Procfile's plain uvicorn) masks tokens and honours WALLBOARD_LOG_FORMAT.
    logs.configure(settings.log_format)
    # Kept for the app's life, across restarts of its lifespan (as in tests).
    counters = metrics.Metrics()
    rate_limit = RateLimit(settings.ingest_rate, burst=max(5 * settings.ingest_rate, MAX_EVENTS))
    # A logo file too large to serve stops the start here, with the setting's name.
    company = branding.brand(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            log = store or open_store(settings.store)
            opened = await stack.enter_async_context(log)
            engine = Engine(
                opened,
                tick_seconds=settings.tick_seconds,
                writer=settings.engine == "writer",
            )
            publisher = Publisher(
                lambda topic: topics.render(
                    engine.scorer, topic, works_council=settings.works_council
                ),
                present=lambda topic, events: topics.present(
                    engine.scorer, topic, events, works_council=settings.works_council
                ),
            )
            notifications = Notifications(opened, engine, settings)
            app.state.services = ready = Services(
                settings=settings,
                store=opened,
                engine=engine,
                publisher=publisher,
                metrics=counters,
                rate_limit=rate_limit,
                sign_ins=SignInLimits.of(settings),
                clock=clock or (lambda: datetime.now(UTC)),
                notifications=notifications,
            )
            engine.listeners.append(publisher.notify)
            stack.callback(app.state.services.whatifs.close)
            await stack.enter_async_context(notifications)
            await stack.enter_async_context(engine)
            tasks = [
                asyncio.create_task(publisher.run(), name="publisher"),
                asyncio.create_task(revocations.watch(publisher, opened)),
                asyncio.create_task(ready.audit.warm(opened), name="audit-index"),
            ]
            try:
                yield
            finally:
                for task in tasks:
                    task.cancel()
                for task in tasks:
                    with contextlib.suppress(asyncio.CancelledError):
                        await task

    routes = [
        Route("/api/events", post_events, methods=["POST"]),
        # Before the agent's own route: an id may hold "/", so that one would take it.
        Route("/api/agents/{agent:id}/wallet", api.wallet),
        Route("/api/agents/{agent:id}", api.agent),
        Route("/api/rewards", api.rewards),
        Route("/api/leaderboard", api.leaderboard),
        Route("/api/prizes", api.prizes),
        Route("/api/tombolas", api.open_tombola, methods=["POST"]),
        Route("/api/tombolas/{tombola:id}", api.tombola),
        Route("/api/contests", contests_api.contests),
        Route("/api/contests/{contest:id}", contests_api.contest),
        Route("/api/experiments", experiments.listing),
        Route("/api/experiments", experiments.set_up, methods=["POST"]),
        Route("/api/experiments/power", experiments.power),
        Route("/api/experiments/{experiment:id}/csv", experiments.csv_export),
        Route("/api/experiments/{experiment:id}", experiments.one),
        Route("/api/seasons", api.seasons),
        Route("/api/seasons/preview", seasons.preview_season, methods=["POST"]),
        Route("/api/seasons/{season:id}/table", api.season_table),
        Route("/api/seasons/{season:id}/matches", api.season_matches),
        Route("/api/seasons/{season:id}/scorers", api.season_scorers),
        Route("/api/rules", rule_sets),
        Route("/api/whatif", whatif, methods=["POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_text),
        Route("/openapi.json", openapi_json),
        Route("/api/me/profile", api.my_profile, methods=["POST"]),
        Route("/api/me/goal", api.my_goal, methods=["POST"]),
        Route("/api/manage/tokens", manage.list_tokens),
        Route("/api/manage/tokens", manage.create_token, methods=["POST"]),
        Route("/api/manage/tokens/{token}/revoke", manage.revoke_token, methods=["POST"]),
        Route("/api/manage/audit", audit.audit),
        Route("/api/manage/traffic", audit.traffic),
        Route("/api/manage/awards", awards.awards),
        Route("/api/manage/awards/{award:id}/handover", awards.hand_over, methods=["POST"]),
        Route("/api/manage/roster", roster_import.roster),
        Route("/api/manage/commission.csv", manage.commission_csv),
        Route("/api/manage/roster", roster_import.import_roster, methods=["POST"]),
        Route("/api/connectors", connectors_api.list_connectors),
        Route("/api/connectors", connectors_api.save_connector, methods=["POST"]),
        Route("/api/connectors/{connector}", connectors_api.read_connector),
        Route("/api/connectors/{connector}/dead-letters", connectors_api.dead_letters),
        Route("/api/connectors/{connector}/replay", connectors_api.replay, methods=["POST"]),
        Route("/api/connectors/{connector}/test", connectors_api.try_mapping, methods=["POST"]),
        Route("/hooks/{connector}", hooks.receive, methods=["POST"]),
        Route("/api/notifications", notify_api.overview),
        Route("/api/notifications/channels", notify_api.save_channel, methods=["POST"]),
        Route(
            "/api/notifications/channels/{channel:id}/test",
            notify_api.test_channel,
            methods=["POST"],
        ),
        Route(
            "/api/notifications/channels/{channel:id}/delete",
            notify_api.delete_channel,
            methods=["POST"],
        ),
        Route("/api/notifications/rules", notify_api.save_rule, methods=["POST"]),
        Route("/api/notifications/dead-letters", notify_api.dead_letters),
        Route(
            "/api/notifications/dead-letters/{key}/retry",
            notify_api.retry_dead_letter,
            methods=["POST"],
        ),
        Route("/board", pages.board),
        Route("/board/{site}", pages.board),
        Route("/me", pages.me),
        Route("/manage", manage.console),
        Route("/manage/login", manage.login_page),
        Route("/manage/login", manage.login, methods=["POST"]),
        Route("/manage/logout", manage.logout, methods=["POST"]),
        WebSocketRoute("/ws", protocol.endpoint),
        assets.assets().mount(),
        company.route(),
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers=HANDLERS,
        # DirectWrites lets /ws write frames straight to each connection (wire.Wire).
        # GZip compresses HTTP answers only (pages, JSON; the static files come
        # compressed already); websocket frames go past it. Level 6: answers are
        # compressed per request, and 9 takes 2.5 times as long for 2 % less.
        middleware=[
            Middleware(DirectWrites),
            Middleware(SecurityHeaders, allowed_origins=settings.allowed_origins),
            Middleware(GZipMiddleware, minimum_size=assets.COMPRESS_FROM, compresslevel=6),
        ],
    )
    return app
