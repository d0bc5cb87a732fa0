"""The queue_log follower against the real server: a queue_log written line by
line, rotated both ways, the follower killed and restarted, the server away for
a while; the product ends with each answered call as one contact."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.conftest import free_port
from tests.queue_log_helpers import Call, append, write_calls
from tests.test_cli_and_server import cli, create_token, server
from wallboard.connectors.log_tail import LogTail, StateFile
from wallboard.connectors.queue_log import AgentMap, QueueLogFollower
from wallboard.connectors.sender import FollowerError, Sender

WALLBOARD = [sys.executable, "-m", "wallboard"]
AGENTS = {"PJSIP/1001": "ber-1", "PJSIP/1002": "ber-2"}


@dataclass
class Product:
    store: str
    base: str
    ingest: str
    manager: str

    def contacts(self, agent: str) -> int:
        response = httpx.get(
            f"{self.base}/api/agents/{agent}",
            headers={"Authorization": f"Bearer {self.manager}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return int(response.json()["periods"]["month"]["contacts"])

    def all_contacts(self) -> int:
        return sum(self.contacts(agent) for agent in AGENTS.values())

    def contact_ids(self) -> list[str]:
        """Every contact in the log, by id, as often as the log holds it."""
        exported = cli(self.store, "log", "export")
        assert exported.returncode == 0, exported.stderr
        events = [orjson.loads(line) for line in exported.stdout.splitlines()]
        return sorted(e["id"] for e in events if e["type"] == "contact")


def roster(base: str, manager: str) -> None:
    ts = "2020-01-01T00:00:00Z"
    events: list[dict[str, Any]] = [
        {"id": "site-ber", "type": "site", "ts": ts, "site": "ber", "name": "Berlin"},
        {"id": "team-1", "type": "team", "ts": ts, "team": "t1", "name": "Spree", "site": "ber"},
    ]
    for number, agent in enumerate(AGENTS.values(), start=1):
        events.append(
            {
                "id": f"agent-{agent}",
                "type": "agent",
                "ts": ts,
                "agent": agent,
                "name": f"Agent {number}",
                "team": "t1",
                "site": "ber",
            }
        )
    response = httpx.post(
        f"{base}/api/events", json=events, headers={"Authorization": f"Bearer {manager}"}
    )
    assert response.status_code == 202, response.text


def tokens(store: str) -> tuple[str, str]:
    return (
        create_token(store, "--role", "ingest", "--source", "asterisk"),
        create_token(store, "--role", "manager"),
    )


def the_calls(count: int) -> list[Call]:
    """Calls of the last minutes, each ending another way, some never answered."""
    start = int(time.time()) - 20 * 60
    endings = ["agent", "caller", "blind", "abandon", "attended", "caller", "old-transfer"]
    return [
        Call(
            start + 60 * n,
            n,
            "PJSIP/1001" if n % 2 else "PJSIP/1002",
            endings[n % len(endings)],
            talk=30 + n,
        )
        for n in range(count)
    ]


def expected(calls: list[Call]) -> list[str]:
    return sorted(call.contact_id for call in calls if call.contact_id is not None)


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    """Poll another process's progress until ``condition`` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def follower_process(
    queue_log: Path, state: Path, base: str, token: str, agents: Path, *extra: str
) -> list[str]:
    return [
        *WALLBOARD,
        "queue-log",
        str(queue_log),
        "--url",
        base,
        "--token",
        token,
        "--state",
        str(state),
        "--agents",
        str(agents),
        "--poll",
        "0.05",
        *extra,
    ]


def test_answered_calls_become_contacts_once_across_a_kill_rotations_and_a_restart(
    tmp_path: Path,
) -> None:
    store = f"sqlite:///{tmp_path / 'log.db'}"
    ingest, manager = tokens(store)
    folder = tmp_path / "asterisk"
    folder.mkdir()
    queue_log, state = folder / "queue_log", tmp_path / "queue-log-state.json"
    agents = tmp_path / "agents.csv"
    agents.write_text("member,agent\n" + "".join(f"{m},{a}\n" for m, a in AGENTS.items()))
    calls = the_calls(12)
    env = {**os.environ, "WALLBOARD_STORE": store}

    with (
        (tmp_path / "follower.log").open("ab") as errors,
        server(store, tmp_path / "server.log") as base,
    ):
        roster(base, manager)
        product = Product(store, base, ingest, manager)
        command = follower_process(queue_log, state, base, ingest, agents)

        # Calls 0-3 written, and call 4 up to half of its last line.
        write_calls(queue_log, calls[:4])
        *whole, last = calls[4].lines()
        append(queue_log, "\n".join(whole) + "\n" + last[:20])
        follower = subprocess.Popen(command, env=env, stderr=errors)
        wait_for(lambda: product.all_contacts() == len(expected(calls[:4])), "calls 0-3")
        follower.kill()  # kill -9, wherever it was
        follower.wait(10)

        # The line is finished; a rename-and-create rotation, Asterisk still
        # writing to the renamed file for a moment.
        append(queue_log, last[20:] + "\n")
        write_calls(queue_log, calls[5:6])
        queue_log.rename(folder / "queue_log.1")
        write_calls(folder / "queue_log.1", calls[6:7])
        write_calls(queue_log, calls[7:8])
        follower = subprocess.Popen(command, env=env, stderr=errors)
        wait_for(lambda: product.all_contacts() == len(expected(calls[:8])), "calls 0-7")
        write_calls(queue_log, calls[8:9])
        wait_for(lambda: product.all_contacts() == len(expected(calls[:9])), "call 8")
        follower.send_signal(signal.SIGTERM)
        assert follower.wait(10) == 0, (tmp_path / "follower.log").read_text()

        # While it is stopped: a call written, then logrotate's copytruncate.
        write_calls(queue_log, calls[9:10])
        (folder / "queue_log.1").rename(folder / "queue_log.2")
        shutil.copyfile(queue_log, folder / "queue_log.1")
        with queue_log.open("r+b") as truncated:
            truncated.truncate(0)
        write_calls(queue_log, calls[10:12])
        once = subprocess.run([*command, "--once"], env=env, capture_output=True, timeout=60)
        assert once.returncode == 0, once.stderr

        assert product.contact_ids() == expected(calls)
        wait_for(lambda: product.all_contacts() == len(expected(calls)), "every call")
        # calls by PJSIP/1001 are the odd ones, less the abandoned
        assert product.contacts("ber-1") == len(expected(calls[1::2]))


async def test_a_server_away_is_waited_for_and_a_revoked_token_stops_the_follower(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = f"sqlite:///{tmp_path / 'log.db'}"
    ingest = create_token(store, "--role", "ingest", "--source", "asterisk")
    queue_log, state = tmp_path / "queue_log", StateFile(tmp_path / "state.json")
    calls = the_calls(5)
    # a member mapped to an id the server refuses (a bidi override): left out
    refused = Call(calls[0].epoch, 99, "PJSIP/1003", "agent")
    write_calls(queue_log, [*calls[:2], refused, *calls[2:]])
    port = free_port()
    delays: list[float] = []

    with ExitStack() as stack:

        async def sleep(seconds: float) -> None:
            delays.append(seconds)
            if len(delays) == 3:  # the server comes back during the third wait
                stack.enter_context(server(store, tmp_path / "server.log", port))

        async with httpx.AsyncClient(timeout=10) as client:
            with LogTail(queue_log, None, clock=time.monotonic) as tail:
                follower = QueueLogFollower(
                    tail,
                    state,
                    Sender(client, sleep),
                    events_url=f"http://127.0.0.1:{port}/api/events",
                    token=ingest,
                    agents=AgentMap({**AGENTS, "PJSIP/1003": "x\u202ey"}),
                    sleep=sleep,
                )
                await follower.run(until_idle=True)

        assert delays == [0.5, 1.0, 2.0]
        assert f"{refused.contact_id} refused, left out" in caplog.text
        product = Product(store, f"http://127.0.0.1:{port}", ingest, manager="")
        assert product.contact_ids() == expected(calls)

        # The token is revoked: the follower stops, and keeps its place.
        place = state.load()
        assert place is not None and place.offset == queue_log.stat().st_size
        listed = cli(store, "token", "list").stdout.decode().splitlines()
        ingest_id = next(line.split()[0] for line in listed if " ingest " in line)
        assert cli(store, "token", "revoke", ingest_id).returncode == 0
        write_calls(queue_log, the_calls(7)[5:])
        async with httpx.AsyncClient(timeout=10) as client:
            with LogTail(queue_log, place, clock=time.monotonic) as tail:
                follower = QueueLogFollower(
                    tail,
                    state,
                    Sender(client),
                    events_url=product.base + "/api/events",
                    token=ingest,
                )
                with pytest.raises(FollowerError, match="HTTP 401"):
                    await follower.run(until_idle=True)
        assert state.load() == place
        assert product.contact_ids() == expected(calls)
