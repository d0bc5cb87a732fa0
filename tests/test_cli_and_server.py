"""The command line and the real server, as a user runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import httpx
import orjson

from tests.conftest import free_port, wait_until_up
from tests.helpers import sale

WALLBOARD = [sys.executable, "-m", "wallboard"]


def cli(store: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "WALLBOARD_STORE": store}
    return subprocess.run(
        [*WALLBOARD, *args], env=env, input=stdin, capture_output=True, timeout=60, check=False
    )


def stats(store: str) -> dict[str, int]:
    result = cli(store, "log", "stats")
    assert result.returncode == 0, result.stderr
    return dict(orjson.loads(result.stdout))


def create_token(store: str, *args: str) -> str:
    result = cli(store, "token", "create", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode().strip()


@contextmanager
def server(store: str, log: Path, port: int | None = None) -> Iterator[str]:
    """``wallboard serve`` on ``store`` (on ``port``, else a free one), its output in
    ``log``; stopped as a service manager stops it."""
    port = port or free_port()
    # These tests post far faster than a production token may (WALLBOARD_INGEST_RATE).
    env = {**os.environ, "WALLBOARD_STORE": store, "WALLBOARD_INGEST_RATE": "0"}
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            [*WALLBOARD, "serve", "--port", str(port)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        # uvicorn shuts down cleanly, then re-raises the signal it got.
        assert process.wait(20) in (0, -signal.SIGTERM), log.read_text()


def test_ten_thousand_events_survive_a_restart_and_reposting_adds_none(
    durable_store_url: str,
    tmp_path: Path,
) -> None:
    token = create_token(durable_store_url, "--role", "ingest", "--source", "crm")
    batches = [[sale(f"s-{b}-{i}") for i in range(500)] for b in range(20)]
    headers = {"Authorization": f"Bearer {token}"}
    with (
        server(durable_store_url, tmp_path / "server.log") as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        for batch in batches:
            response = client.post("/api/events", json=batch, headers=headers)
            assert response.status_code == 202
            assert response.json()["accepted"] == 500
    # and the audit record of the token made for the test
    assert stats(durable_store_url)["events"] == 10_001
    with (
        server(durable_store_url, tmp_path / "server.log") as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        for batch in batches:
            response = client.post("/api/events", json=batch, headers=headers)
            assert response.json() == {
                "accepted": 0,
                "duplicates": 500,
                "duplicate_ids": [e["id"] for e in batch],
            }
    assert stats(durable_store_url)["events"] == 10_001


def test_tokens_are_shown_once_stored_hashed_and_revocable(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'log.db'}"
    token = create_token(store, "--role", "display", "--label", "lobby tv")
    assert token.startswith("wb_display_") and len(token) > 43
    listing = cli(store, "token", "list").stdout.decode()
    assert "display" in listing and "lobby tv" in listing and token not in listing
    assert token.encode() not in (tmp_path / "log.db").read_bytes()
    token_id = listing.split()[0]
    with server(store, tmp_path / "server.log") as base, httpx.Client(base_url=base) as screen:
        board = screen.get("/board", params={"token": token}, follow_redirects=True)
        assert board.status_code == 200
        assert board.url.params.get("token") is None, "the token leaves the address bar"
        assert cli(store, "token", "revoke", token_id).returncode == 0
        assert screen.get("/board").status_code == 401
        assert screen.get("/board", params={"token": token}).status_code == 401
    refused = cli(store, "token", "revoke", "nope")
    assert refused.returncode == 1
    assert b"no token with id 'nope'" in refused.stderr


def test_an_agent_token_needs_an_agent(tmp_path: Path) -> None:
    result = cli(f"sqlite:///{tmp_path / 'log.db'}", "token", "create", "--role", "agent")
    assert result.returncode == 1
    assert b"an agent token needs --agent ID" in result.stderr


def test_export_and_import_move_the_log_between_backends(
    tmp_path: Path,
    redis_url: str,
) -> None:
    sqlite = f"sqlite:///{tmp_path / 'log.db'}"
    token = create_token(sqlite, "--role", "ingest")
    with server(sqlite, tmp_path / "server.log") as base:
        httpx.post(
            f"{base}/api/events",
            json=[sale(f"s-{i}") for i in range(30)],
            headers={"Authorization": f"Bearer {token}"},
        ).raise_for_status()
    exported = cli(sqlite, "log", "export").stdout
    assert len(exported.splitlines()) == 31  # the sales and the token's audit record
    imported = cli(redis_url, "log", "import", stdin=exported)
    assert orjson.loads(imported.stdout) == {"stored": 31, "duplicates": 0}
    again = cli(redis_url, "log", "import", stdin=exported)
    assert orjson.loads(again.stdout) == {"stored": 0, "duplicates": 31}
    assert cli(redis_url, "log", "export").stdout == exported


def test_import_names_the_bad_line(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'log.db'}"
    result = cli(store, "log", "import", stdin=b'{"id": "x"}\nnot json\n')
    assert result.returncode == 1
    assert b"line 1: expected 'source' and 'received'" in result.stderr
    assert stats(store)["events"] == 0


def test_version_names_the_installed_package(tmp_path: Path) -> None:
    answer = cli(f"sqlite:///{tmp_path / 'unused.db'}", "--version")
    assert answer.stdout.decode().strip() == f"wallboard {version('wallboard')}"
    assert not (tmp_path / "unused.db").exists()
