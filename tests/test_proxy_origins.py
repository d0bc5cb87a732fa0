"""Behind a proxy that does not pass ``Host`` on, as the probe found it: nginx
without ``proxy_set_header Host``, so every request names the upstream
(``127.0.0.1:8000``) while the browser's ``Origin`` names the public site."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.helpers import Running, running
from tests.test_manage import sign_in
from wallboard.settings import Settings

PUBLIC = "https://wallboard.example.com"
UPSTREAM = {"Host": "127.0.0.1:8000"}


def console_post(app: Running, csrf: str, origin: str) -> Any:
    return app.client.post(
        "/api/manage/tokens",
        json={"role": "display", "label": "lobby"},
        headers={**UPSTREAM, "Origin": origin, "X-CSRF-Token": csrf},
    )


def socket_opens(app: Running, origin: str) -> bool:
    url = f"/ws?token={app.tokens['display']}"
    try:
        with app.client.websocket_connect(url, headers={**UPSTREAM, "Origin": origin}) as socket:
            socket.send_text('{"type": "subscribe", "topics": ["board"]}')
            return bool(socket.receive_json()["type"] == "snapshot")
    except WebSocketDisconnect:
        return False


def test_without_the_setting_the_public_origin_is_refused_as_before() -> None:
    with running() as app:
        csrf = sign_in(app)
        assert console_post(app, csrf, PUBLIC).status_code == 403
        assert not socket_opens(app, PUBLIC)


def test_a_listed_origin_is_accepted_and_any_other_refused() -> None:
    settings = Settings(store="memory://", allowed_origins=f"{PUBLIC}/, https://tv.example.com")
    assert settings.allowed_origins == (PUBLIC, "https://tv.example.com")
    with running(settings=settings) as app:
        csrf = sign_in(app)
        assert console_post(app, csrf, PUBLIC).status_code == 201
        assert socket_opens(app, PUBLIC)
        assert socket_opens(app, PUBLIC.upper())  # an origin's scheme and host ignore case
        for other in ("https://evil.example", "http://wallboard.example.com", "null"):
            assert console_post(app, csrf, other).status_code == 403, other
            assert not socket_opens(app, other), other


@pytest.mark.parametrize("value", ["wallboard.example.com", "https://x.example/path", "ftp://x"])
def test_an_origin_that_is_not_one_is_refused_at_start(value: str) -> None:
    with pytest.raises(ValueError, match="WALLBOARD_ALLOWED_ORIGINS: expected origins like"):
        Settings.from_env({"WALLBOARD_ALLOWED_ORIGINS": value})
