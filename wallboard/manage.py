"""The manager console: sign-in, tokens and the commission export.

The console's other endpoints have modules of their own: the audit log
(:mod:`wallboard.audit`) and the roster (:mod:`wallboard.roster_import`).
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from scoring import views
from scoring.channels import SCENES
from scoring.contests.model import FAIRNESS_OF, MIXED
from scoring.events import (
    EVENT_TYPES,
    INTEGRATION_TYPES,
    SYSTEM_TYPES,
    InvalidEvent,
)
from scoring.experiments.contract import METRICS, STRATA_OF_UNIT, UNITS
from scoring.rules import CHANNELS, PERIODS
from scoring.totals import agent_total, check_gate, eligible
from scoring.validators import MAX_ID_LENGTH

from . import assets
from .connectors.presets import PRESETS, SYSTEM_ISSUED
from .errors import ApiError
from .i18n import CONSOLE, LANGUAGES, negotiate
from .i18n import COOKIE as LANGUAGE_COOKIE
from .identity import require, signed_in
from .ingest import parse_json, read_body
from .pages import templates
from .revocations import close_ended_sessions
from .services import services
from .session import COOKIE, check_password, end_sessions, read_session, start_session
from .tokens import ROLES, add_audited, new_token, revoke_audited

MANAGER = frozenset({"manager"})


#: the console's scripts, in the order they load: each later one uses the earlier
CONSOLE_SCRIPTS = (
    "manage-core.js",
    "manage-draft.js",
    "manage-describe.js",
    "manage-rules.js",
    "manage-history.js",
    "manage-prizes.js",
    "manage-awards.js",
    "manage-tombolas.js",
    "manage-seasons.js",
    "manage-contests.js",
    "manage-rewards.js",
    "manage-people.js",
    "manage-access.js",
    "manage-channels.js",
    "manage-notify.js",
    "manage-connectors.js",
    "manage-audit.js",
    "manage-whatif.js",
    "manage-experiment-report.js",
    "manage-experiments.js",
    "manage-publish.js",
    "manage.js",
)
#: the roles in the order the token form offers them: what a manager makes most first
TOKEN_ROLES_ORDER = ("display", "agent", "ingest", "manager")
#: what the audit log may be filtered by: the events a manager's action writes
MANAGER_TYPES = sorted(set(EVENT_TYPES) - INTEGRATION_TYPES - SYSTEM_TYPES - {"profile"})


def _language(request: Request) -> str:
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("accept-language", ""),
    )


def _remember_language(request: Request, response: Response, lang: str) -> Response:
    """A language chosen with ``?lang=`` holds for the next visits too."""
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=400 * 24 * 3600,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response


async def console(request: Request) -> Response:
    session = await read_session(request)
    if session is None:
        # The language asked for holds on the sign-in page (and is remembered there).
        lang = _language(request)
        return _remember_language(
            request, RedirectResponse(f"/manage/login?lang={lang}", status_code=303), lang
        )
    lang = _language(request)
    words = CONSOLE[lang]
    config = {
        "topic": "manage",
        "as": "manage",
        "csrf": session["csrf"],
        "manager": session["u"],
        "lang": lang,
        "strings": words,
        "channels": CHANNELS,
        "periods": PERIODS,
        "scenes": SCENES,
        "integration_types": sorted(INTEGRATION_TYPES),
        "experiments": {
            "metrics": METRICS,
            "units": UNITS,
            "strata": STRATA_OF_UNIT,
            "plotly": assets.url("vendor/plotly-basic.min.js"),
        },
        # where sending systems reach the hooks (empty: the address the console has)
        "public_url": services(request).settings.public_url,
        "connector_presets": list(PRESETS),
        # the fairness each contest format takes, and what a mix may weigh
        "contests": {"fairness_of": FAIRNESS_OF, "mixed": MIXED},
        "secret_issued_by": sorted(SYSTEM_ISSUED),
    }
    response = templates.TemplateResponse(
        request,
        "manage.html",
        {
            "title": words["console"],
            "lang": lang,
            "t": words,
            "manager": session["u"],
            "languages": LANGUAGES,
            "roles": sorted(ROLES, key=TOKEN_ROLES_ORDER.index),
            "periods": PERIODS,
            "manager_types": MANAGER_TYPES,
            "scripts": CONSOLE_SCRIPTS,
            "config": orjson.dumps(config).decode(),
        },
    )
    return _remember_language(request, response, lang)


async def login_page(request: Request) -> Response:
    lang = _language(request)
    response = templates.TemplateResponse(
        request,
        "login.html",
        {
            "title": CONSOLE[lang]["sign_in"],
            "lang": lang,
            "t": CONSOLE[lang],
            "error": request.query_params.get("error"),
        },
    )
    return _remember_language(request, response, lang)


#: a sign-in or sign-out form is a few short fields
MAX_FORM = 4096
FORM_TYPE = "application/x-www-form-urlencoded"


async def read_form(request: Request) -> dict[str, str]:
    """A small urlencoded form, read within ``MAX_FORM`` bytes (413 beyond); 415 for
    another kind of body. Starlette's own form parser reads any length."""
    body = await read_body(request, MAX_FORM)
    declared = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if body and declared != FORM_TYPE:
        raise ApiError(415, f"expected a form sent as {FORM_TYPE}, got {declared or 'no type'}")
    try:
        return dict(parse_qsl(body.decode("utf-8", "replace"), max_num_fields=20))
    except ValueError:
        raise ApiError(400, "expected a form of at most 20 fields") from None


async def login(request: Request) -> Response:
    form = await read_form(request)
    name, password = form.get("name", ""), form.get("password", "")
    app = services(request)
    app.sign_ins.attempt(request.client.host if request.client else "", name)
    store = app.store
    if not await check_password(store, name, password):
        return RedirectResponse("/manage/login?error=1", status_code=303)
    response = RedirectResponse("/manage", status_code=303)
    await start_session(store, response, name, request.url.scheme == "https")
    return response


async def logout(request: Request) -> Response:
    form = await read_form(request)
    manager = await signed_in(request, form.get("csrf", ""))
    if manager is None:
        raise ApiError(403, "expected the console's CSRF token")
    app = services(request)
    await end_sessions(app.store, manager.label)
    # Other processes' consoles close within a round of the watch; this one's now.
    await close_ended_sessions(app.publisher, app.store)
    response = RedirectResponse("/manage/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


#: what a token request may hold besides its role, and how long each may be
TOKEN_FIELDS = {"label": 200, "agent": MAX_ID_LENGTH, "source": 32}


def _token_request(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(422, f"expected a JSON object with a role, got {body!r:.40}")
    if body.get("role") not in ROLES:
        raise ApiError(
            422, f"expected role one of {', '.join(ROLES)}, got {body.get('role')!r:.40}"
        )
    for name in body:
        if name != "role" and name not in TOKEN_FIELDS:
            raise ApiError(
                422, f"unknown field {name!r:.40}: expected role, {', '.join(TOKEN_FIELDS)}"
            )
    for name, longest in TOKEN_FIELDS.items():
        value = body.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > longest):
            raise ApiError(
                422,
                f"expected {name} to be text of at most {longest} characters, got {value!r:.40}",
            )
    return body


async def create_token(request: Request) -> JSONResponse:
    manager = await require(request, MANAGER)
    body = _token_request(parse_json(await read_body(request)))
    try:
        token, record = new_token(
            body["role"],
            label=body.get("label") or "",
            # The console sends "" for the fields a role does not take.
            agent=body.get("agent") or None,
            source=body.get("source") or None,
        )
        await add_audited(services(request).store, record, manager.label)
    except InvalidEvent as invalid:
        # The label or agent the audit record would carry: named as the log names them.
        raise ApiError(422, str(invalid), problems=invalid.problems) from None
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return JSONResponse({"token": token, "id": record.id, "role": record.role}, status_code=201)


async def list_tokens(request: Request) -> JSONResponse:
    await require(request, MANAGER)
    tokens = await services(request).store.list_tokens()
    return JSONResponse(
        {
            "tokens": [
                {
                    "id": t.id,
                    "role": t.role,
                    "label": t.label,
                    "agent": t.agent,
                    "source": t.source,
                    "created": t.created,
                    "revoked": t.revoked,
                }
                for t in tokens
            ]
        }
    )


async def revoke_token(request: Request) -> JSONResponse:
    manager = await require(request, MANAGER)
    if not await revoke_audited(
        services(request).store, request.path_params["token"], manager.label
    ):
        raise ApiError(404, f"no token {request.path_params['token']!r}")
    return JSONResponse({"revoked": request.path_params["token"]})


async def commission_csv(request: Request) -> Response:
    """Confirmed commission per agent for one period, with its gate status."""
    await require(request, MANAGER)
    period = request.query_params.get("period", "month")
    if period not in PERIODS:
        raise ApiError(422, f"expected period one of {', '.join(PERIODS)}, got {period!r}")
    scorer = services(request).engine.scorer
    key = request.query_params.get("key") or views.current_periods(scorer).get(period, (None,))[0]
    if key is None:
        raise ApiError(422, f"no current {period}: give ?key=")
    try:
        first, last = scorer.state.timeline.days_of(period, key)
    except (KeyError, ValueError):
        raise ApiError(
            422,
            f"expected a {period} key such as "
            f"{views.current_periods(scorer).get(period, ('2026-11',))[0]!r}, "
            f"got {key!r}",
        ) from None
    gate = scorer.state.timeline.rules_at(scorer.clock).gates.get(period)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "agent",
            "name",
            "period",
            "confirmed_commission_eur",
            "pending_commission_eur",
            "sales",
            "eligible",
            "missing",
        ]
    )
    for agent_id, agent in sorted(scorer.state.agents.items()):
        total = agent_total(scorer.state, agent_id, first, last)
        checks = check_gate(gate, total)
        writer.writerow(
            [
                agent_id,
                _cell(agent.name),
                key,
                f"{total.commission_confirmed / 100:.2f}",
                f"{total.commission_pending / 100:.2f}",
                total.sales,
                "yes" if eligible(checks) else "no",
                "; ".join(c.missing for c in checks if not c.ok),
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="commission-{key}.csv"'},
    )


def _cell(value: str) -> str:
    """Keep a spreadsheet from reading a name as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
