"""The console's sign-in, CSRF, tokens, roster import, exports and audit log."""

from __future__ import annotations

import re

from tests.helpers import Running, running, sale
from tests.scoring_helpers import whole_rules
from tests.test_api_scoring import setup, today_sale
from wallboard.session import add_manager

PASSWORD = "correct horse battery"


def sign_in(app: Running) -> str:
    app.call(add_manager, app.store, "boss", PASSWORD)
    response = app.client.post(
        "/manage/login", data={"name": "boss", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/manage"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    page = app.client.get("/manage")
    assert page.status_code == 200
    match = re.search(r"&#34;csrf&#34;: ?&#34;([^&]+)&#34;", page.text)
    assert match, "the console page carries its CSRF token"
    return match.group(1)


def test_a_wrong_password_does_not_sign_in() -> None:
    with running() as app:
        app.call(add_manager, app.store, "boss", PASSWORD)
        response = app.client.post(
            "/manage/login", data={"name": "boss", "password": "nope"}, follow_redirects=False
        )
        assert response.headers["location"] == "/manage/login?error=1"
        assert "wallboard_session" not in response.headers.get("set-cookie", "")
        assert app.client.get("/manage", follow_redirects=False).status_code == 303


def test_every_change_through_the_session_needs_its_csrf_token() -> None:
    with running() as app:
        csrf = sign_in(app)
        body = {"role": "display", "label": "lobby"}
        refused = app.client.post("/api/manage/tokens", json=body)
        assert refused.status_code == 401
        created = app.client.post("/api/manage/tokens", json=body, headers={"X-CSRF-Token": csrf})
        assert created.status_code == 201 and created.json()["token"].startswith("wb_display_")
        listed = app.client.get("/api/manage/tokens").json()["tokens"]
        assert "lobby" in [t["label"] for t in listed]
        event = {
            "id": "site-x",
            "type": "site",
            "ts": "2026-11-01T00:00:00Z",
            "site": "x",
            "name": "X",
        }
        assert app.client.post("/api/events", json=event).status_code == 401
        stored = app.client.post("/api/events", json=event, headers={"X-CSRF-Token": csrf})
        assert stored.status_code == 202
        actions = app.client.get("/api/manage/audit").json()["actions"]
        token_id = created.json()["id"]
        assert [(a["by"], a["type"], a["id"]) for a in actions] == [
            ("boss", "site", "site-x"),
            ("boss", "token_created", f"token-created-{token_id}"),
        ]


def test_a_roster_csv_is_previewed_line_by_line_then_imported_whole() -> None:
    with running() as app:
        csrf = sign_in(app)
        headers = {"X-CSRF-Token": csrf}
        bad = "agent,name,team,site\na-1,Anna Berg,t1,ber\na-2,,t1,ber\n" + "x" * 200 + ",B,t,s\n"
        preview = app.client.post("/api/manage/roster", content=bad, headers=headers)
        assert preview.status_code == 422
        errors = preview.json()["errors"]
        assert [e["line"] for e in errors] == [3, 4]
        assert "name" in errors[0]["error"] and "agent" in errors[1]["error"]
        refused = app.client.post("/api/manage/roster?commit=1", content=bad, headers=headers)
        assert refused.status_code == 422 and app.events() == []
        good = "agent,name,team,site,public_name\na-1,Anna Berg,t1,ber,Anna\na-2,Ben Ohl,t1,ber\n"
        # t1 and ber are not in the roster: a commit must confirm creating them.
        warned = app.client.post("/api/manage/roster?commit=1", content=good, headers=headers)
        assert warned.status_code == 409 and app.events() == []
        done = app.client.post("/api/manage/roster?confirm=1", content=good, headers=headers)
        assert done.status_code == 201 and done.json()["committed"] is True
        app.settle()
        assert sorted(app.engine.scorer.state.agents) == ["a-1", "a-2"]
        assert app.engine.scorer.state.agents["a-1"].public_name == "Anna"


def test_the_commission_export_lists_confirmed_commission_and_gates() -> None:
    with running() as app:
        setup(app)
        today_sale(app, "s-1", "a-1", "100.00")
        app.settle()
        csv_text = app.get("/api/manage/commission.csv?period=month").text
        lines = csv_text.strip().splitlines()
        assert lines[0] == (
            "agent,name,period,confirmed_commission_eur,pending_commission_eur,"
            "sales,eligible,missing"
        )
        assert lines[1].startswith("a-1,Anna Berg,") and ",0.00,10.00,1,yes," in lines[1]
        assert app.get("/api/manage/commission.csv", role="display").status_code == 403


def test_an_agent_sets_their_public_name_goal_and_opt_out_from_the_widget() -> None:
    with running() as app:
        setup(app)
        headers = {"Authorization": f"Bearer {app.tokens['agent:a-1']}"}
        assert (
            app.client.post(
                "/api/me/profile", json={"public_name": "Ace"}, headers=headers
            ).status_code
            == 202
        )
        assert (
            app.client.post(
                "/api/me/goal", json={"title": "Vespa", "price": "2500"}, headers=headers
            ).status_code
            == 202
        )
        bad = app.client.post(
            "/api/me/goal", json={"title": "Vespa", "price": "-1"}, headers=headers
        )
        assert bad.status_code == 422 and "price" in bad.text
        app.post(sale("s-1", agent="a-1"))
        app.settle()
        view = app.get("/api/agents/a-1").json()
        assert view["public_name"] == "Ace" and view["goal"]["title"] == "Vespa"
        assert (
            app.client.post("/api/me/profile", json={"opt_out": True}, headers=headers).status_code
            == 202
        )
        app.settle()
        # A display token ranks the day and the week, as its board does; agents by name.
        board = app.get("/api/leaderboard?period=week&by=agent", role="display").json()
        assert "Ace" not in [r["name"] for r in board["rows"]]
        other = app.client.post(
            "/api/me/profile", json={"agent": "a-2", "opt_out": True}, headers=headers
        )
        assert other.status_code == 422, "an agent changes only their own profile"


def test_pages_speak_german_when_asked() -> None:
    with running() as app:
        app.client.get(f"/board?token={app.tokens['display']}")
        german = app.client.get("/board?lang=de").text
        assert "Tabelle" in german and "Torschützen" in german and 'lang="de"' in german
        english = app.client.get("/board").text
        assert "Table" in english and "Top scorers" in english


def test_the_console_frame_carries_the_rules_in_force_to_edit() -> None:
    rules = whole_rules(weights={"sales": 2.0, "support": 1.0}, cancellation_window_days=7)
    with running() as app:
        app.post(
            {"id": "rules-v2", "type": "rules", "ts": "2026-01-01T00:00:00Z", "rules": rules},
            role="manager",
        )
        app.post(sale("s-1", ts="2026-01-02T10:00:00Z"))
        app.settle()
        url = f"/ws?token={app.tokens['manager']}"
        with app.client.websocket_connect(url) as socket:
            socket.send_text('{"type": "subscribe", "topics": ["manage"]}')
            frame = socket.receive_json()
    assert frame["type"] == "snapshot"
    assert frame["state"]["rules"] == {"version": "rules-v2", "rules": rules}
