"""Making and revoking a token is a manager's action like any other: the log, which
is the audit log, says who did it, and never holds the token or its hash."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.helpers import Running, running
from wallboard.cli import main


def logged(app: Running, kind: str) -> list[dict[str, Any]]:
    return [e for e in map(orjson.loads, app.events()) if e["type"] == kind]


def test_a_token_made_and_revoked_through_the_api_is_in_the_log_with_who_did_it() -> None:
    with running() as app:
        body = {"role": "agent", "agent": "a-1", "label": "Anna's phone"}
        created = app.client.post(
            "/api/manage/tokens",
            json=body,
            headers={"Authorization": f"Bearer {app.tokens['manager']}"},
        )
        assert created.status_code == 201, created.text
        token, token_id = created.json()["token"], created.json()["id"]
        revoked = app.client.post(
            f"/api/manage/tokens/{token_id}/revoke",
            headers={"Authorization": f"Bearer {app.tokens['manager']}"},
        )
        assert revoked.status_code == 200, revoked.text

        [made] = logged(app, "token_created")
        assert {k: made[k] for k in ("token", "role", "agent", "label", "by", "source")} == {
            "token": token_id,
            "role": "agent",
            "agent": "a-1",
            "label": "Anna's phone",
            "by": "test",
            "source": "manage",
        }
        [gone] = logged(app, "token_revoked")
        assert (gone["token"], gone["by"], gone["source"]) == (token_id, "test", "manage")
        stored = b"".join(app.events())
        [record] = [t for t in app.call(app.store.list_tokens) if t.id == token_id]
        assert token.encode() not in stored and record.hash.encode() not in stored
        # The console's audit list shows both, newest first.
        actions = app.get("/api/manage/audit").json()["actions"]
        assert [a["type"] for a in actions[:2]] == ["token_revoked", "token_created"]
        app.settle()  # the fold takes them (and changes nothing)
        assert app.engine.stopped_at is None


def test_a_label_the_log_would_refuse_makes_no_token() -> None:
    with running() as app:
        before = app.call(app.store.list_tokens)
        response = app.client.post(
            "/api/manage/tokens",
            json={"role": "display", "label": "lobby\x1b[2J"},
            headers={"Authorization": f"Bearer {app.tokens['manager']}"},
        )
        assert response.status_code == 422
        assert "label" in response.json()["problems"]
        assert app.call(app.store.list_tokens) == before
        assert logged(app, "token_created") == []


def test_the_cli_writes_the_same_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WALLBOARD_STORE", f"sqlite:///{tmp_path / 'log.db'}")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["token", "create", "--role", "ingest", "--source", "crm", "--label", "CRM"]) == 0
    token = out.getvalue().strip()
    assert main(["token", "list"]) == 0
    token_id = out.getvalue().splitlines()[-1].split()[0]
    assert main(["token", "revoke", token_id]) == 0
    exported = tmp_path / "log.jsonl"
    assert main(["log", "export", "-o", str(exported)]) == 0
    events = [orjson.loads(line) for line in exported.read_bytes().splitlines()]
    assert [(e["type"], e["token"]) for e in events] == [
        ("token_created", token_id),
        ("token_revoked", token_id),
    ]
    assert events[0]["role"] == "ingest" and events[0]["source"] == "manage"
    assert all(e["by"].endswith("(cli)") or e["by"] == "cli" for e in events)
    assert token not in exported.read_text()
