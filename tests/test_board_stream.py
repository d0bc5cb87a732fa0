"""The board page and its live stream of stored events."""

from __future__ import annotations

import orjson
import pytest
from starlette.websockets import WebSocketDisconnect

from tests.helpers import running, sale


def test_the_board_streams_events_as_they_are_stored() -> None:
    with running() as app:
        app.post([sale("s-1")])
        ws_url = f"/ws?token={app.tokens['display']}"
        with app.client.websocket_connect(ws_url) as socket:
            snapshot = orjson.loads(socket.receive_text())
            assert snapshot["kind"] == "snapshot"
            assert [e["id"] for e in snapshot["events"]] == ["s-1"]
            app.post([sale("s-2", agent="<img src=x onerror=alert(1)>"), sale("s-1")])
            update = orjson.loads(socket.receive_text())
            assert update["kind"] == "events"
            assert [e["id"] for e in update["events"]] == ["s-2"]
            assert update["events"][0]["agent"] == "<img src=x onerror=alert(1)>"


def test_event_stream_hides_customer_references() -> None:
    with running() as app:
        app.post([sale("s-1", customer="K-4711")])
        with app.client.websocket_connect(f"/ws?token={app.tokens['display']}") as socket:
            [event] = orjson.loads(socket.receive_text())["events"]
            assert "customer" not in event


@pytest.mark.parametrize("role", ["ingest", "agent", None])
def test_only_displays_and_managers_may_follow_the_stream(role: str | None) -> None:
    with running() as app:
        token = app.tokens[role] if role else "wrong"
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            app.client.websocket_connect(f"/ws?token={token}") as socket,
        ):
            socket.receive_text()
        assert closed.value.code == 4401


def test_the_board_page_keeps_the_token_in_a_cookie() -> None:
    with running() as app:
        response = app.client.get(f"/board?token={app.tokens['display']}", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].endswith("/board")
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        page = app.client.get("/board")
        assert page.status_code == 200
        assert 'id="events"' in page.text
        assert "<script>" not in page.text, "scripts are files, never inline"


def test_the_board_without_a_token_explains_how_to_open_it() -> None:
    with running() as app:
        page = app.client.get("/board", headers={"accept": "text/html"})
        assert page.status_code == 401
        assert "/board?token=" in page.text
