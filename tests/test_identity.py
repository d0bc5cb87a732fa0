"""Each door takes the credentials it took before identity had a module of its own.

tests/test_roles.py walks every role through every door with the credential a
client of that kind sends; these cover the mixes in between.
"""

from __future__ import annotations

from tests.helpers import running
from tests.test_manage import sign_in


def test_the_api_falls_back_from_a_bad_bearer_token_to_a_screens_cookie() -> None:
    with running() as app:
        app.client.get(f"/board?token={app.tokens['display']}")  # the page keeps its cookie
        headers = {"Authorization": "Bearer nope"}
        assert app.client.get("/api/prizes", headers=headers).status_code == 200
        assert app.client.get("/api/manage/audit", headers=headers).status_code == 403


def test_a_screens_cookie_does_not_post_events() -> None:
    with running() as app:
        app.client.get(f"/board?token={app.tokens['display']}")
        response = app.client.post("/api/events", json={})
        assert response.status_code == 401
        assert "<ingest token>" in response.json()["error"]


def test_a_session_does_not_open_a_screen_page() -> None:
    with running() as app:
        sign_in(app)
        response = app.client.get("/board", headers={"accept": "application/json"})
        assert response.status_code == 401
        assert "/board?token=<display token>" in response.json()["error"]


def test_a_page_opened_with_a_bad_token_is_refused_whatever_its_cookie() -> None:
    with running() as app:
        app.client.get(f"/board?token={app.tokens['display']}")
        response = app.client.get("/board?token=nope", headers={"accept": "application/json"})
        assert response.status_code == 401
        assert "unknown, revoked, or not a display or manager token" in response.json()["error"]


def test_a_socket_finds_its_page_by_the_as_parameter() -> None:
    with running() as app:
        app.client.get(f"/me?token={app.tokens['agent']}")
        with app.client.websocket_connect("/ws?as=me") as socket:
            socket.send_text('{"type": "subscribe", "topics": ["agent:a-1"]}')
            assert '"snapshot"' in socket.receive_text()
