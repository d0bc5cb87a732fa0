"""A full backup restores a working service, as the probe tried it: the README's
backup was a log export, and a store restored from it refused every screen,
integration and manager."""

from __future__ import annotations

import stat
from pathlib import Path

import httpx
import orjson

from tests.helpers import sale
from tests.test_cli_and_server import cli, create_token, server, stats

PASSWORD = "correct horse battery"


def sign_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base)
    answer = client.post(
        "/manage/login", data={"name": "boss", "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/manage", answer.text
    assert client.get("/manage").status_code == 200
    return client


def test_a_full_backup_restores_tokens_managers_and_sessions_into_an_empty_store(
    durable_store_url: str, tmp_path: Path
) -> None:
    source = f"sqlite:///{tmp_path / 'source.db'}"
    display = create_token(source, "--role", "display", "--label", "lobby")
    ingest = create_token(source, "--role", "ingest", "--source", "crm")
    revoked = create_token(source, "--role", "display", "--label", "old tv")
    revoked_id = next(
        line.split()[0]
        for line in cli(source, "token", "list").stdout.decode().splitlines()
        if "old tv" in line
    )
    assert cli(source, "token", "revoke", revoked_id).returncode == 0
    added = cli(
        source, "manager", "add", "boss", "--password-stdin", stdin=f"{PASSWORD}\n".encode()
    )
    assert added.returncode == 0, added.stderr
    with server(source, tmp_path / "source.log") as base:
        posted = httpx.post(
            f"{base}/api/events",
            json=[sale(f"s-{i}") for i in range(5)],
            headers={"Authorization": f"Bearer {ingest}"},
        )
        assert posted.status_code == 202
        session = sign_in(base)  # makes the session secret

    backup = tmp_path / "backup.jsonl"
    assert cli(source, "backup", "export", "-o", str(backup)).returncode == 0
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    text = backup.read_text()
    for token in (display, ingest, revoked):
        assert token not in text, "a backup holds token hashes, never tokens"
    assert PASSWORD not in text

    restored = cli(durable_store_url, "backup", "import", str(backup))
    assert restored.returncode == 0, restored.stderr
    counts = orjson.loads(restored.stdout)
    # The log: five sales, and the audit records of three tokens made and one revoked.
    logged = 5 + 4
    assert stats(source)["events"] == logged
    assert counts["tokens"] == 3 and counts["stored"] == logged and counts["meta"] >= 3
    assert stats(durable_store_url)["events"] == logged
    again = orjson.loads(cli(durable_store_url, "backup", "import", str(backup)).stdout)
    assert again["stored"] == 0 and again["duplicates"] == logged

    with server(durable_store_url, tmp_path / "restored.log") as base:
        screen = httpx.get(f"{base}/board", params={"token": display}, follow_redirects=True)
        assert screen.status_code == 200
        gone = httpx.get(f"{base}/board", params={"token": revoked}, follow_redirects=True)
        assert gone.status_code == 401, "a token revoked before the backup stays revoked"
        more = httpx.post(
            f"{base}/api/events",
            json=[sale("s-0"), sale("s-new")],
            headers={"Authorization": f"Bearer {ingest}"},
        )
        assert more.json()["accepted"] == 1 and more.json()["duplicates"] == 1
        sign_in(base).close()  # the same password
        # The session secret came along: a console left open is still signed in.
        session.base_url = httpx.URL(base)
        assert session.get("/manage", follow_redirects=False).status_code == 200
        session.close()


def test_a_backup_import_takes_a_plain_log_export_and_names_a_bad_line(tmp_path: Path) -> None:
    source, target = (f"sqlite:///{tmp_path / name}.db" for name in ("a", "b"))
    with server(source, tmp_path / "a.log") as base:
        ingest = create_token(source, "--role", "ingest")
        httpx.post(
            f"{base}/api/events", json=[sale("s-1")], headers={"Authorization": f"Bearer {ingest}"}
        ).raise_for_status()
    exported = cli(source, "log", "export").stdout
    answer = cli(target, "backup", "import", stdin=exported)
    # the token's audit record and the sale
    assert orjson.loads(answer.stdout) == {
        "tokens": 0,
        "meta": 0,
        "connectors": 0,
        "stored": 2,
        "duplicates": 0,
    }
    broken = b'{"backup": "wallboard", "version": 1}\n{"backup": "token", "id": 1}\n'
    refused = cli(target, "backup", "import", stdin=broken)
    assert refused.returncode == 1 and b"line 2: not a backup entry" in refused.stderr
    late = exported + b'{"backup": "meta", "name": "x", "value": ""}\n'
    refused = cli(target, "backup", "import", stdin=late)
    line = exported.count(b"\n") + 1  # the meta entry, after the log's lines
    assert refused.returncode == 1 and f"line {line}:".encode() in refused.stderr
