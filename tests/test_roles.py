"""Every role against every endpoint and websocket topic, as the README's table says.

The table in README.md ("Who may do what") is the specification: this test
reads it, calls every row as every kind of caller, and fails on any cell that
does not hold and on any route of the app the table leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tests.helpers import Running, running
from tests.test_api_scoring import admin, roster, today_sale
from tests.test_manage import sign_in

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
CALLERS = ("anonymous", "ingest", "display", "agent", "manager token", "manager session")
#: what a path parameter stands for in the walk (a-1 is the agent token's own id)
EXAMPLES = {
    "agent": "a-1",
    "site": "ber",
    "tombola": "t-1",
    "season": "s-1",
    "token": "000000000000",
    "award": "no-such-award",
    "name": "00000000.svg",
    "contest": "derby",
    "connector": "crm",
    "channel": "no-such-channel",
    "key": "no-such-key",
    "experiment": "no-such-experiment",
}
PAGES_OF = {"/board": "board", "/me": "me"}
#: what a "public" answer never holds: the roster's agent ids and full names
PRIVATE = ("a-1", "a-2", "a-3", "Anna Berg", "Ben Ohl", "Cem Demir")


def table(heading: str) -> dict[str, dict[str, str]]:
    """The README table whose first column is ``heading``: row name -> caller -> cell."""
    rows: dict[str, dict[str, str]] = {}
    lines = iter(README.splitlines())
    for line in lines:
        if line.startswith(f"| {heading} | anonymous |"):
            assert [c.strip() for c in line.strip("|").split("|")][1:] == list(CALLERS)
            next(lines)
            break
    for line in lines:
        if not line.startswith("|"):
            break
        name, *cells = (cell.strip() for cell in line.strip().strip("|").split("|"))
        assert len(cells) == len(CALLERS), line
        rows[name.strip("`")] = dict(zip(CALLERS, cells, strict=True))
    assert rows, f"no '{heading}' table in the README"
    return rows


ENDPOINTS = table("endpoint")
TOPICS = table("topic")


@pytest.fixture
def app() -> Iterator[tuple[Running, str, str]]:
    with running() as run:
        # The roster names the site and the agents of EXAMPLES (topics must exist),
        # and a tombola and sales give the public answers something to hide.
        assert run.post(roster(), role="manager").status_code == 202
        opened = run.client.post(
            "/api/tombolas",
            headers={"Authorization": f"Bearer {run.tokens['manager']}"},
            json={
                "tombola": "t-1",
                "name": "T",
                "prizes": ["cinema"],
                "closes": "2030-01-01T00:00:00Z",
                "every": 1,
            },
        )
        assert opened.status_code == 201, opened.text
        season = admin(
            "season-1",
            "league_season",
            season="s-1",
            name="S",
            starts=datetime.now(UTC).date().isoformat(),
            double=False,
            goal_every=1,
            clubs=[{"club": c, "name": c, "heads": 1} for c in ("ber", "lei")],
        )
        assert run.post(season, role="manager").status_code == 202
        derby = admin(
            "contest-derby",
            "contest",
            contest="derby",
            format="team_battle",
            name="Derby",
            metric="revenue",
            agents=["a-1", "a-2", "a-3"],
            starts="2026-01-01T00:00:00Z",
            ends="2099-01-01T00:00:00Z",
        )
        assert run.post(derby, role="manager").status_code == 202
        for n, agent in enumerate(("a-1", "a-2", "a-3")):
            today_sale(run, f"s-{n}", agent, "300.00")
        run.settle()
        csrf = sign_in(run)
        session = run.client.cookies["wallboard_session"]
        yield run, session, csrf


def request(
    client: TestClient,
    caller: str,
    tokens: dict[str, str],
    session: tuple[str, str],
    method: str,
    path: str,
) -> httpx.Response:
    """``method path`` as ``caller``: a token where that caller has one, the way a
    client of that kind sends it; every request starts with no cookies."""
    client.cookies.clear()
    headers: dict[str, str] = {}
    page = PAGES_OF.get(path if not path.startswith("/board/") else "/board")
    if caller == "manager session":
        client.cookies.set("wallboard_session", session[0])
        headers["X-CSRF-Token"] = session[1]
    elif caller != "anonymous":
        token = tokens["manager" if caller == "manager token" else caller]
        if page is not None:
            path = f"{path}?token={token}"  # how a screen opens its page
        else:
            headers["Authorization"] = f"Bearer {token}"
    kwargs: dict[str, Any] = {"headers": headers, "follow_redirects": False}
    if method == "POST":
        if path.startswith("/manage/"):
            kwargs["data"] = {"csrf": session[1]} if caller == "manager session" else {}
        else:
            kwargs["json"] = {}
    return client.request(method, path, **kwargs)


def refused(response: httpx.Response, method: str) -> bool:
    if response.status_code in (401, 403):
        return True
    to_sign_in = response.headers.get("location", "").startswith("/manage/login")
    return method == "GET" and response.status_code == 303 and to_sign_in


def concrete(path: str) -> str:
    path = path.replace("/static/...", "/static/wallboard.css")
    return re.sub(r"\{(\w+)\}", lambda m: EXAMPLES[m.group(1)], path)


@pytest.mark.parametrize("row", [r for r in ENDPOINTS if r != "GET /ws"])
def test_every_caller_is_let_in_or_refused_as_the_table_says(
    app: tuple[Running, str, str], row: str
) -> None:
    run, session, csrf = app
    method, path = row.split(" ", 1)
    for caller, cell in ENDPOINTS[row].items():
        assert cell in ("yes", "-", "own", "public"), f"{row}: unknown cell {cell!r}"
        response = request(run.client, caller, run.tokens, (session, csrf), method, concrete(path))
        said = f"{row} as {caller}: {response.status_code} {response.text[:200]}"
        assert response.status_code < 500, said
        assert refused(response, method) == (cell == "-"), said
        if cell == "public":
            assert response.status_code == 200, said
            leaked = [p for p in PRIVATE if p in response.text]
            assert not leaked, f"{row} as {caller} shows {leaked}: {response.text[:300]}"
        if cell == "own":
            other = concrete(path).replace("a-1", "a-2")
            response = request(run.client, caller, run.tokens, (session, csrf), method, other)
            assert response.status_code == 403, f"{row} for another agent as {caller}"
        if refused(response, method) and response.status_code in (401, 403):
            assert response.json()["error"], said  # it says why


def test_every_change_through_a_session_without_its_csrf_token_is_refused(
    app: tuple[Running, str, str],
) -> None:
    run, session, _csrf = app
    changes = [r for r, cells in ENDPOINTS.items() if r.startswith("POST ")]
    for row in changes:
        # What anyone may post (the sign-in, a connector's hook) takes no session.
        if ENDPOINTS[row]["manager session"] != "yes" or ENDPOINTS[row]["anonymous"] == "yes":
            continue
        path = concrete(row.split(" ", 1)[1])
        run.client.cookies.clear()
        run.client.cookies.set("wallboard_session", session)
        form = path.startswith("/manage/")
        response = (
            run.client.post(path, data={}, follow_redirects=False)
            if form
            else run.client.post(path, json={}, follow_redirects=False)
        )
        assert response.status_code in (401, 403), f"{row}: {response.status_code}"


def test_a_change_from_another_site_is_refused_whatever_the_credentials(
    app: tuple[Running, str, str],
) -> None:
    run, session, csrf = app
    run.client.cookies.clear()
    run.client.cookies.set("wallboard_session", session)
    evil = {"Origin": "https://evil.example", "X-CSRF-Token": csrf}
    for path, kwargs in [
        ("/api/manage/tokens", {"json": {"role": "display"}}),
        ("/manage/login", {"data": {"name": "boss", "password": "x"}}),
        ("/api/events", {"json": {}}),
    ]:
        response = run.client.post(path, headers=evil, follow_redirects=False, **kwargs)
        assert response.status_code == 403, path
        assert "cross-origin" in response.json()["error"]
    same = {"Origin": "http://testserver", "X-CSRF-Token": csrf}
    created = run.client.post("/api/manage/tokens", headers=same, json={"role": "display"})
    assert created.status_code == 201, created.text


def subscribe(run: Running, caller: str, session: str, topic: str) -> str:
    """``caller`` subscribes to ``topic``: 'snapshot', 'error' or 'closed'."""
    run.client.cookies.clear()
    url = "/ws"
    if caller == "manager session":
        run.client.cookies.set("wallboard_session", session)
        url = "/ws?as=manage"
    elif caller != "anonymous":
        url = f"/ws?token={run.tokens['manager' if caller == 'manager token' else caller]}"
    try:
        with run.client.websocket_connect(url) as socket:
            socket.send_text(orjson.dumps({"type": "subscribe", "topics": [topic]}).decode())
            while True:
                frame = orjson.loads(socket.receive_text())
                if frame["type"] in ("snapshot", "error"):
                    return str(frame["type"])
    except WebSocketDisconnect as closed:
        assert closed.code == 4401, closed.code
        return "closed"


@pytest.mark.parametrize("row", list(TOPICS))
def test_every_caller_subscribes_or_is_refused_as_the_table_says(
    app: tuple[Running, str, str], row: str
) -> None:
    run, session, _csrf = app
    for caller, cell in TOPICS[row].items():
        got = subscribe(run, caller, session, concrete(row))
        connects = ENDPOINTS["GET /ws"][caller] == "yes"
        assert got == ("closed" if not connects else "error" if cell == "-" else "snapshot"), (
            f"{row} as {caller}: {got}"
        )
        if cell == "own":
            assert subscribe(run, caller, session, "agent:a-2") == "error", row


def test_the_table_names_every_route_of_the_app(app: tuple[Running, str, str]) -> None:
    run, _session, _csrf = app
    routes: set[str] = set()
    for route in run.client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, Route):
            routes |= {f"{m} {route.path_format}" for m in route.methods or () if m != "HEAD"}
        elif isinstance(route, WebSocketRoute):
            routes.add(f"GET {route.path}")
        elif isinstance(route, Mount):
            routes.add(f"GET {route.path}/...")
    assert routes == set(ENDPOINTS)
