"""Cookies, the Content-Security-Policy, errors and logs: what an attacker or a
curious reader of the logs would get, on the real server where it matters."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
import orjson
import pytest
from websockets.sync.client import connect

from tests.helpers import running, sale
from tests.test_cli_and_server import cli, create_token, server
from tests.test_manage import PASSWORD, sign_in
from wallboard import api
from wallboard.session import COOKIE, add_manager


class Scripts(HTMLParser):
    """Every <script> and every inline event handler attribute of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script":
            if names.get("src"):
                self.sources.append(str(names["src"]))
            else:
                self.inline.append("<script> without src")
        self.inline += [f"{tag} {name}" for name in names if name.startswith("on")]
        self.inline += [f"{tag} {n}" for n, v in attrs if v and v.startswith("javascript:")]


def test_every_page_has_a_strict_policy_and_no_inline_script() -> None:
    with running() as app:
        sign_in(app)
        pages = {
            "/board": {"token": app.tokens["display"]},
            "/board/ber": {"token": app.tokens["display"]},
            "/me": {"token": app.tokens["agent"]},
            "/manage": {},
            "/manage/login": {},
        }
        for path, params in pages.items():
            page = app.client.get(path, params=params)
            assert page.status_code == 200, path
            policy = page.headers["content-security-policy"]
            script_src = re.search(r"script-src ([^;]+)", policy)
            assert script_src and script_src.group(1) == "'self'", path
            assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
            parser = Scripts()
            parser.feed(page.text)
            assert parser.inline == [], path
            for source in parser.sources:  # this server's own files
                assert re.fullmatch(r"(http://testserver)?/static/[\w/.-]+\.js", source), source
        for path in ("/api/prizes", "/healthz", "/nope", "/static/live.js"):
            assert "script-src 'self'" in app.client.get(path).headers["content-security-policy"]


def test_cookies_are_httponly_lax_and_secure_behind_tls() -> None:
    with running() as app:
        for scheme in ("http", "https"):
            app.client.base_url = f"{scheme}://testserver"  # type: ignore[assignment]
            app.client.cookies.clear()
            board = app.client.get(
                "/board", params={"token": app.tokens["display"]}, follow_redirects=False
            )
            if scheme == "http":
                sign_in(app)
            login = app.client.post(
                "/manage/login",
                data={"name": "boss", "password": PASSWORD},
                headers={"Origin": f"{scheme}://testserver"},
                follow_redirects=False,
            )
            for response in (board, login):
                cookie = response.headers["set-cookie"]
                assert "HttpOnly" in cookie and "SameSite=lax" in cookie, cookie
                assert ("Secure" in cookie) == (scheme == "https"), cookie


def test_an_unexpected_error_answers_500_without_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(api.views, "prizes_view", broken)
    with running() as app:
        for accept in ("application/json", "text/html"):
            headers = {"Accept": accept, "Authorization": f"Bearer {app.tokens['display']}"}
            response = app.client.get("/api/prizes", headers=headers)
            assert response.status_code == 500
            assert "secret detail" not in response.text and "Traceback" not in response.text
            assert "RuntimeError" not in response.text and ".py" not in response.text
        assert app.get("/api/prizes", role="display").json() == {"error": "internal error"}


def test_no_token_password_or_session_reaches_the_log(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'log.db'}"
    log = tmp_path / "server.log"
    display = create_token(store, "--role", "display")
    ingest = create_token(store, "--role", "ingest", "--source", "crm")
    password = "a password nobody should read"
    assert (
        cli(store, "manager", "add", "boss", "--password-stdin", stdin=password.encode()).returncode
        == 0
    )
    secrets = [display, ingest, password]
    with server(store, log) as base, httpx.Client(base_url=base) as client:
        client.get("/board", params={"token": display})
        client.get("/board", params={"token": display + "x"})  # a wrong one is a secret too
        secrets.append(display + "x")
        client.post("/api/events", json=sale("s-1"), headers={"Authorization": f"Bearer {ingest}"})
        client.post("/api/events", json={"id": 1}, headers={"Authorization": f"Bearer {ingest}"})
        signed_in = client.post(
            "/manage/login", data={"name": "boss", "password": password}, follow_redirects=False
        )
        session = signed_in.cookies[COOKIE]
        secrets.append(session)
        client.post("/manage/login", data={"name": "boss", "password": password + "!"})
        secrets.append(password + "!")
        ws = base.replace("http", "ws", 1)
        with connect(f"{ws}/ws?token={display}") as socket:
            socket.send('{"type": "subscribe", "topics": ["board"]}')
            socket.recv(timeout=10)
    text = log.read_text()
    assert "stored 1 from crm" in text and "/ws?token=" in text  # the log is there
    for secret in secrets:
        assert secret not in text
        assert secret[-20:] not in text  # not even its tail


def test_passwords_are_stored_as_salted_scrypt_only() -> None:
    with running() as app:
        app.call(add_manager, app.store, "boss", PASSWORD)
        app.call(add_manager, app.store, "deputy", PASSWORD)
        records = [
            orjson.loads(app.call(app.store.get_meta, f"manager:{n}")) for n in ("boss", "deputy")
        ]
        for record in records:
            assert record["n"] == 2**14 and record["r"] == 8 and len(record["salt"]) == 32
            assert PASSWORD not in orjson.dumps(record).decode()
        # The same password, salted differently: one leaked hash says nothing of the other.
        assert records[0]["hash"] != records[1]["hash"]


def test_signing_out_ends_the_session_even_for_a_copied_cookie() -> None:
    with running() as app:
        csrf = sign_in(app)
        copied = app.client.cookies[COOKIE]
        assert app.client.get("/api/manage/tokens").status_code == 200
        signed_out = app.client.post("/manage/logout", data={"csrf": csrf}, follow_redirects=False)
        assert signed_out.status_code == 303
        app.client.cookies.set(COOKIE, copied)  # someone kept the cookie
        assert app.client.get("/api/manage/tokens").status_code == 401
        assert app.client.get("/manage", follow_redirects=False).status_code == 303

        sign_in(app)  # signing in again works, and a new password ends that session too
        assert app.client.get("/api/manage/tokens").status_code == 200
        app.call(add_manager, app.store, "boss", "a brand new password")
        assert app.client.get("/api/manage/tokens").status_code == 401
