"""The Procfile on Redis: two web processes and one scorer, as an operator runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
from websockets.sync.client import connect

from tests.conftest import free_port, wait_until_up
from tests.helpers import sale

ROOT = Path(__file__).resolve().parent.parent
PROCFILE = dict(
    line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()
)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class Cluster:
    def __init__(self, store: str, tmp: Path) -> None:
        self.store = store
        self.tmp = tmp
        self.env = {
            **os.environ,
            "WALLBOARD_STORE": store,
            "WALLBOARD_TICK_SECONDS": "1",
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        }
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.ports: dict[str, int] = {}

    def cli(self, *args: str) -> str:
        return (
            subprocess.run(
                [sys.executable, "-m", "wallboard", *args],
                env=self.env,
                capture_output=True,
                check=True,
                timeout=60,
            )
            .stdout.decode()
            .strip()
        )

    def start(self, name: str, kind: str) -> None:
        env = dict(self.env)
        if kind == "web":
            self.ports[name] = free_port()
            env["PORT"] = str(self.ports[name])
        # As a Procfile runner does: each line through the shell.
        with (self.tmp / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(
                ["bash", "-c", f"exec env {PROCFILE[kind]}"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if kind == "web":
            wait_until_up(self.url(name), self.processes[name], self.tmp / f"{name}.log")

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def kill(self, name: str, signum: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        process.send_signal(signum)
        process.wait(20)

    def stop(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)


def frames_until(socket: Any, check: Any, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        frame = orjson.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        if frame.get("type") in ("snapshot", "update") and check(frame["state"]):
            return frame  # type: ignore[no-any-return]


def test_two_web_processes_and_a_scorer_that_is_killed_and_restarted(cluster: Cluster) -> None:
    with ExitStack() as stack:
        run_cluster(cluster, stack)


def run_cluster(cluster: Cluster, stack: ExitStack) -> None:
    display = cluster.cli("token", "create", "--role", "display")
    manager = cluster.cli("token", "create", "--role", "manager")
    ingest = cluster.cli("token", "create", "--role", "ingest")
    cluster.start("web1", "web")
    cluster.start("web2", "web")
    cluster.start("scorer", "scorer")

    def post(web: str, body: Any, token: str = ingest) -> None:
        response = httpx.post(
            f"{cluster.url(web)}/api/events",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 202, response.text

    now = datetime.now(UTC)
    post(
        "web1",
        [
            {"id": "s-ber", "type": "site", "ts": iso(now), "site": "ber", "name": "Berlin"},
            {
                "id": "t-1",
                "type": "team",
                "ts": iso(now),
                "team": "t1",
                "name": "Spree",
                "site": "ber",
            },
            {
                "id": "a-1",
                "type": "agent",
                "ts": iso(now - timedelta(days=1)),
                "agent": "a-1",
                "name": "Anna Berg",
                "team": "t1",
                "site": "ber",
            },
            {
                "id": "a-2",
                "type": "agent",
                "ts": iso(now - timedelta(days=1)),
                "agent": "a-2",
                "name": "Ben Ohl",
                "team": "t1",
                "site": "ber",
            },
        ],
        manager,
    )
    sockets = {}
    for web in ("web1", "web2"):
        socket = stack.enter_context(
            connect(f"ws://127.0.0.1:{cluster.ports[web]}/ws?token={display}")
        )
        socket.send('{"type": "subscribe", "topics": ["board"]}')
        sockets[web] = socket
        frames_until(socket, lambda state: True)

    post("web1", sale("s-1", agent="a-1", revenue="100.00", ts=iso(datetime.now(UTC))))
    for web, socket in sockets.items():
        frame = frames_until(socket, lambda state: any(t["id"] == "s-1" for t in state["ticker"]))
        assert frame["state"]["ticker"][0]["agent"] == "A.B.", web

    closes = datetime.now(UTC) + timedelta(seconds=3)
    opened = httpx.post(
        f"{cluster.url('web2')}/api/tombolas",
        json={"tombola": "t", "name": "Draw", "prizes": ["p"], "every": 1, "closes": iso(closes)},
        headers={"Authorization": f"Bearer {manager}"},
    )
    assert opened.status_code == 201
    post(
        "web2",
        [
            sale(f"s-{n}", agent="a-2", revenue="10.00", ts=iso(datetime.now(UTC)))
            for n in range(2, 5)
        ],
    )
    cluster.kill("scorer")
    time.sleep(max(0.0, (closes - datetime.now(UTC)).total_seconds()) + 0.5)
    post("web1", sale("s-5", agent="a-1", revenue="10.00", ts=iso(datetime.now(UTC))))
    cluster.start("scorer", "scorer")

    for web in ("web1", "web2"):
        deadline = time.monotonic() + 15
        while True:
            drawn = httpx.get(
                f"{cluster.url(web)}/api/tombolas/t", headers={"Authorization": f"Bearer {display}"}
            ).json()
            if drawn["state"] == "drawn" or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert drawn["state"] == "drawn" and drawn["verified"] is True, web
        assert drawn["tickets"] == 3  # a display token reads the total, as its board shows

    exported = cluster.cli("log", "export").splitlines()
    types = [orjson.loads(line)["type"] for line in exported]
    assert types.count("sale") == 5, "every acknowledged sale is there, once"
    assert types.count("tombola_draw") == 1, "the restarted scorer drew once"
    boards = [
        httpx.get(
            f"{cluster.url(web)}/api/leaderboard?period=day&by=agent",
            headers={"Authorization": f"Bearer {manager}"},
        ).json()["rows"]
        for web in ("web1", "web2")
    ]
    assert boards[0] == boards[1]
    # a-1: (10 + 0.1 x 100) + (10 + 0.1 x 10) = 31; a-2: 3 x 11 = 33
    assert [(r["id"], r["points"]) for r in boards[0]] == [("a-2", 33.0), ("a-1", 31.0)]
