"""Ingest is rate-limited per token: 429 with Retry-After, and nothing stored."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import free_port, wait_until_up
from tests.test_cli_and_server import WALLBOARD, create_token, stats
from wallboard.app import create_app
from wallboard.player import Poster
from wallboard.ratelimit import RateLimit
from wallboard.settings import Settings
from wallboard.tokens import new_token

from .helpers import sale


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_refills_at_the_rate_and_never_beyond_the_burst() -> None:
    clock = Clock()
    limit = RateLimit(rate=10, burst=20, clock=clock)
    assert limit.take("a", 20) == 0
    assert limit.take("a", 1) == 0.1  # empty: one event is a tenth of a second away
    assert limit.take("b", 20) == 0  # another token has its own bucket
    clock.now += 1
    assert limit.take("a", 10) == 0
    assert limit.take("a", 1) > 0
    clock.now += 3600
    assert limit.take("a", 21) == 0  # a long pause refills to the burst, not further,
    assert limit.take("a", 1) == 0.1  # and a request above the burst empties it


def test_no_limit_when_the_rate_is_zero() -> None:
    limit = RateLimit(rate=0, burst=0)
    assert all(limit.take("a", 1000) == 0 for _ in range(100))


def post(client: TestClient, token: str, body: object) -> tuple[int, dict[str, str], object]:
    response = client.post("/api/events", json=body, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, dict(response.headers), response.json()


def test_a_token_over_its_rate_gets_429_with_retry_after_and_nothing_is_stored() -> None:
    # 10 events a second, in bursts of up to 1,000 (one full batch).
    app = create_app(Settings(store="memory://", tick_seconds="0", ingest_rate="10"))
    ts = datetime.now(UTC).isoformat()
    with TestClient(app, raise_server_exceptions=False) as client:
        store = app.state.services.store
        tokens = []
        for label in ("crm", "acd"):
            token, record = new_token("ingest", label=label, source=label)
            client.portal.call(store.add_token, record)
            tokens.append(token)
        crm, acd = tokens

        batch = [sale(f"s-{n}", ts=ts) for n in range(950)]
        assert post(client, crm, batch)[0] == 202
        late = [sale(f"late-{n}", ts=ts) for n in range(100)]
        status, headers, body = post(client, crm, late)
        assert status == 429
        assert 5 <= int(headers["retry-after"]) <= 6  # 50 events short, at 10 a second
        assert isinstance(body, dict) and "10 events a second" in body["error"]
        assert client.portal.call(store.last_offset) == 950  # none of the 100 is there

        # The other token is not held back by the first one's traffic.
        assert post(client, acd, sale("a-1", ts=ts))[0] == 202


def test_the_limit_is_a_documented_setting() -> None:
    documented = {env for env, _default, _help in Settings.documentation()}
    assert "WALLBOARD_INGEST_RATE" in documented


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "fast"])
@pytest.mark.parametrize("env", ["WALLBOARD_INGEST_RATE", "WALLBOARD_TICK_SECONDS"])
def test_a_rate_or_interval_that_is_not_a_number_of_zero_or_more_is_refused(
    env: str, value: str
) -> None:
    with pytest.raises(ValueError, match=f"^{env}: expected .*, got '{value}'$"):
        Settings.from_env({env: value})
    assert Settings.from_env({env: "0"}) is not None


def test_the_demo_poster_waits_out_a_429_and_loses_nothing(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'log.db'}"
    token = create_token(store, "--role", "manager")
    port = free_port()
    env = {**os.environ, "WALLBOARD_STORE": store, "WALLBOARD_INGEST_RATE": "1000"}
    log = tmp_path / "server.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [*WALLBOARD, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, process, log)
        ts = datetime.now(UTC).isoformat()
        # 8,000 events against a burst of 5,000: some batches are refused with 429.
        Poster(base, token).events([sale(f"s-{n}", ts=ts) for n in range(8000)])
        assert '"POST /api/events HTTP/1.1" 429' in log.read_text()
    finally:
        process.terminate()
        process.wait(20)
    assert stats(store)["events"] == 8001  # and the token's audit record
