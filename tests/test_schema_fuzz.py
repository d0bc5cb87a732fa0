"""The API as ``/openapi.json`` describes it, fuzzed by schemathesis in-process.

Every documented operation gets schema-valid and schema-breaking requests with
each role that may use it (the README's role table), and again with no token,
a wrong token and each role that may not. No answer may be a 5xx, every answer
must match the document, and every 4xx must say what was wrong: a JSON body with
a non-empty ``error``. Runs are derandomized, so CI sends the same requests each
time; the app runs on a SQLite log, as a default install does.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import Mount, Route, WebSocketRoute

from tests.test_roles import ENDPOINTS
from wallboard import openapi
from wallboard.app import create_app
from wallboard.settings import Settings
from wallboard.store import open_store
from wallboard.tokens import new_token

#: routes that are not an API: pages for browsers, the push socket, files
NOT_API = {
    "/brand/logo.{name}",
    "/board",
    "/board/{site}",
    "/me",
    "/manage",
    "/manage/login",
    "/manage/logout",
    "/openapi.json",
    "/ws",
}
#: a caller in the README's role table, and the role of its token
CALLERS = {"ingest": "ingest", "display": "display", "agent": "agent", "manager token": "manager"}
WRONG_TOKEN = "wb_manager_" + "x" * 43
#: random cases per operation, role and mode, and at most this many boundary cases
#: per operation and role: the whole file runs in under a minute on two cores
EXAMPLES = 20
BOUNDARY_CASES = 500
SEASON, TOMBOLA, AGENT, CONTEST = "cup", "t-1", "a-1", "derby"


def documented() -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in openapi.document()["paths"].items()
        for method in item
    ]


def access() -> dict[tuple[str, str], tuple[str, ...]]:
    """Who may call each documented operation, from the README's table: the roles
    whose token may ("own": an agent's own id), or ("public",) when anyone may."""
    table: dict[tuple[str, str], tuple[str, ...]] = {}
    for method, path in documented():
        row = ENDPOINTS.get(f"{method} {path}")
        if row is None:
            continue  # test_the_document_and_the_role_table_name_the_same_operations
        if row["anonymous"] == "yes":
            table[method, path] = ("public",)
        else:
            table[method, path] = tuple(
                role for caller, role in CALLERS.items() if row[caller] in ("yes", "own", "public")
            )
    return table


ACCESS = access()


@dataclass
class Fuzz:
    schema: Any
    tokens: dict[str, str]
    url: str
    #: path parameters that name something the seeded log holds
    known: dict[str, list[str]]
    #: errors the app logged while the fuzzer ran
    errors: list[logging.LogRecord] = field(default_factory=list)
    #: schemathesis's boundary cases, by operation (made once: thousands for events)
    boundary: dict[tuple[str, str], list[Case]] = field(default_factory=dict)

    def operation(self, method: str, path: str) -> Any:
        return self.schema[path][method]

    def boundary_cases(self, method: str, path: str) -> list[Case]:
        """Schemathesis's coverage phase: each field at and past its limits, missing,
        of the wrong type; evenly thinned to at most ``BOUNDARY_CASES``."""
        if (method, path) not in self.boundary:
            operation = self.operation(method, path)
            config = self.schema.config.generation_for(operation=operation, phase="coverage")
            made = list(
                self.schema.iter_coverage_cases(
                    operation, generation_modes=list(GenerationMode), generation_config=config
                )
            )
            self.boundary[method, path] = made[:: math.ceil(len(made) / BOUNDARY_CASES)]
        return self.boundary[method, path]

    def headers(self, role: str | None) -> dict[str, str]:
        if role is None or role == "public":
            return {}
        return {"Authorization": f"Bearer {self.tokens.get(role, role)}"}


class Collect(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


def world() -> list[dict[str, Any]]:
    """Two sites with an agent each, a league season between them that started
    yesterday, a prize that every sale wins, and today's sales."""
    now = datetime.now(UTC)
    earlier = (now - timedelta(days=2)).isoformat()

    def admin(event_id: str, event_type: str, **fields: Any) -> dict[str, Any]:
        return {"id": event_id, "type": event_type, "ts": earlier, **fields}

    def sale(n: int) -> dict[str, Any]:
        return {
            "id": f"sale-{n}",
            "type": "sale",
            "ts": now.isoformat(),
            "agent": f"a-{n % 2 + 1}",
            "product": "mobile",
            "revenue": "49.90",
            "channel": "phone",
        }

    clubs = [
        {"club": "ber", "name": "Berlin", "heads": 1},
        {"club": "muc", "name": "Munich", "heads": 1},
    ]
    return [
        admin("site-ber", "site", site="ber", name="Berlin"),
        admin("site-muc", "site", site="muc", name="Munich"),
        admin("team-1", "team", team="t1", name="Spree", site="ber"),
        admin("team-2", "team", team="t2", name="Isar", site="muc"),
        admin("ag-1", "agent", agent="a-1", name="Anna Berg", team="t1", site="ber"),
        admin("ag-2", "agent", agent="a-2", name="Ben Ohl", team="t2", site="muc"),
        admin(
            "season-cup",
            "league_season",
            season=SEASON,
            name="Cup",
            clubs=clubs,
            starts=(now.date() - timedelta(days=1)).isoformat(),
            goal_every=100,
        ),
        admin(
            "contest-derby",
            "contest",
            contest=CONTEST,
            format="team_battle",
            name="Derby",
            metric="revenue",
            teams=["t1", "t2"],
            starts=earlier,
            ends=(now + timedelta(days=1)).isoformat(),
        ),
        admin("prize-mug", "prize", prize="mug", name="Mug", stock=5),
        admin("rule-mug", "prize_rule", rule="r-mug", kind="instant", prize="mug", min_revenue=1),
        *[sale(n) for n in range(4)],
    ]


async def add_tokens(url: str) -> tuple[dict[str, str], str]:
    """A token per role, and the id of a spare one the fuzzer may revoke."""
    tokens: dict[str, str] = {}
    async with open_store(url) as store:
        for role in ("ingest", "display", "manager"):
            token, record = new_token(
                role, label="fuzz", source="crm" if role == "ingest" else None
            )
            await store.add_token(record)
            tokens[role] = token
        tokens["agent"], record = new_token("agent", agent=AGENT)
        await store.add_token(record)
        _, spare = new_token("display", label="spare")
        await store.add_token(spare)
    return tokens, spare.id


async def counts(url: str) -> tuple[int, int]:
    """Entries in the log and tokens in the store, read through a second connection."""
    async with open_store(url) as store:
        return await store.last_offset(), len(await store.list_tokens())


def wait_until(check: Callable[[], bool], what: str, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def caught_up(client: Any) -> bool:
    return bool(client.get("/readyz").json().get("scorer_lag") == 0)


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    """The app on a seeded SQLite log, its lifespan run by schemathesis's ASGI client."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'log.db'}"
    tokens, spare = asyncio.run(add_tokens(url))
    app = create_app(Settings(store=url, tick_seconds=0))
    known = {"agent": [AGENT, "a-2"], "season": [SEASON], "tombola": [TOMBOLA], "token": [spare]}
    known["contest"] = [CONTEST]
    state = Fuzz(None, tokens, url, known)
    collect = Collect(state.errors)
    logging.getLogger("wallboard").addHandler(collect)
    try:
        state.schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        # Each test sends the token of the caller it plays.
        state.schema.config.generation.update(with_security_parameters=False)
        with asgi.get_client(app) as client:
            manager = state.headers("manager")
            stored = client.post("/api/events", json=world(), headers=manager)
            assert stored.status_code == 202, stored.text
            closes = (datetime.now(UTC) + timedelta(days=7)).isoformat()
            tombola = {"tombola": TOMBOLA, "name": "Week", "prizes": ["mug"], "closes": closes}
            opened = client.post("/api/tombolas", json=tombola, headers=manager)
            assert opened.status_code == 201, opened.text
            wait_until(lambda: caught_up(client), "the scorer folded the seeded log")
        yield state
    finally:
        asgi.shutdown_lifespans()
        logging.getLogger("wallboard").removeHandler(collect)


def says_what_was_wrong(case: Case, response: Any) -> None:
    """A 4xx names the problem: JSON with a non-empty ``error`` string."""
    if not 400 <= response.status_code < 500:
        return
    where = f"{case.method} {case.formatted_path} answered {response.status_code}"
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.startswith("application/json"), f"{where} as {content_type}"
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, str) and error.strip(), f"{where}: {body!r}"
    assert error != HTTPStatus(response.status_code).phrase, f"{where} says only {error!r}"


def cases(fuzz: Fuzz, operation: Any, mode: GenerationMode) -> st.SearchStrategy[Case]:
    """Cases with generated path parameters, and with ones that name seeded things
    (without them every path with an id would only ever meet a 404)."""
    strategies = [operation.as_strategy(generation_mode=mode)]
    for parameter in operation.path_parameters:
        for value in fuzz.known.get(parameter.name, []):
            strategies.append(
                operation.as_strategy(generation_mode=mode, path_parameters={parameter.name: value})
            )
    return st.one_of(strategies)


def run(strategy: st.SearchStrategy[Case], test: Callable[[Case], None]) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        # A failure reports the request as sent, with a curl line to repeat it;
        # shrinking it would cost minutes of requests.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
        ],
    )
    @given(strategy)
    def each(case: Case) -> None:
        test(case)

    each()


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def takes_input(method: str, path: str) -> bool:
    """Whether the operation has a body or query to break (a path segment is any string)."""
    item = openapi.document()["paths"][path][method.lower()]
    return "requestBody" in item or any(p["in"] == "query" for p in item.get("parameters", []))


CALLS = [
    pytest.param(operation, role, mode, id=f"{mode.value} {operation[0]} {operation[1]} as {role}")
    for operation, roles in ACCESS.items()
    for role in roles
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE or takes_input(*operation)
]


@pytest.mark.parametrize(("operation", "role", "mode"), CALLS)
def test_fuzzed_requests_get_documented_answers_and_no_5xx(
    fuzz: Fuzz, operation: tuple[str, str], role: str, mode: GenerationMode
) -> None:
    headers = fuzz.headers(role)

    def send(case: Case) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        says_what_was_wrong(case, response)

    run(cases(fuzz, fuzz.operation(*operation), mode), send)


@pytest.mark.parametrize(
    ("operation", "role"),
    [
        pytest.param(operation, role, id=f"{operation[0]} {operation[1]} as {role}")
        for operation, roles in ACCESS.items()
        for role in roles
    ],
)
def test_boundary_requests_get_documented_answers_and_no_5xx(
    fuzz: Fuzz, operation: tuple[str, str], role: str
) -> None:
    headers = fuzz.headers(role)
    boundary = fuzz.boundary_cases(*operation)
    assert boundary, "schemathesis made no boundary case"
    for case in boundary:
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        says_what_was_wrong(case, response)


GUARDED = [
    pytest.param(operation, roles, id=f"{operation[0]} {operation[1]}")
    for operation, roles in ACCESS.items()
    if roles != ("public",)
]


@pytest.mark.parametrize(("operation", "roles"), GUARDED)
def test_no_missing_wrong_or_unfit_token_gets_in_and_nothing_is_written(
    fuzz: Fuzz, operation: tuple[str, str], roles: tuple[str, ...]
) -> None:
    before = asyncio.run(counts(fuzz.url))
    callers: list[tuple[str | None, int]] = [(None, 401), (WRONG_TOKEN, 401)]
    callers += [(role, 403) for role in CALLERS.values() if role not in roles]

    def send(case: Case) -> None:
        for caller, status in callers:
            response = case.call(headers=fuzz.headers(caller))
            assert response.status_code == status, f"as {caller}: {response.text}"
            says_what_was_wrong(case, response)

    run(cases(fuzz, fuzz.operation(*operation), GenerationMode.POSITIVE), send)
    assert asyncio.run(counts(fuzz.url)) == before, "a refused request wrote something"


def test_the_document_is_valid_openapi_and_json_schema(fuzz: Fuzz) -> None:
    fuzz.schema.validate()
    for schema in openapi.document()["components"]["schemas"].values():
        jsonschema_rs.meta.validate(schema)


def test_the_document_describes_every_api_route_of_the_app() -> None:
    served: set[tuple[str, str]] = set()
    for route in create_app(Settings(store="memory://")).routes:
        if isinstance(route, Mount | WebSocketRoute) or route.path in NOT_API:
            continue
        assert isinstance(route, Route)
        methods = set(route.methods or ()) - {"HEAD"}
        served |= {(method, route.path_format) for method in methods}
    assert sorted(served) == sorted(documented())


def test_the_document_and_the_role_table_name_the_same_operations() -> None:
    assert sorted(ACCESS) == sorted(documented())


def test_the_scorer_folded_everything_the_fuzzer_stored_and_nothing_was_logged_as_error(
    fuzz: Fuzz,
) -> None:
    with asgi.get_client(fuzz.schema.app) as client:
        wait_until(lambda: caught_up(client), "the scorer folded the whole log")
    assert [f"{r.name}: {r.getMessage()}" for r in fuzz.errors] == []
