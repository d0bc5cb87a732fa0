"""Faults that kill real processes: Redis under a stream of events, a web process
under a screen.

The processes are the Procfile's (two kinds, ``web`` and ``scorer``) on a Redis
the test starts itself; see tests/test_scale_out.py for the cluster.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.conftest import RedisServer, chromium
from tests.helpers import sale
from tests.test_scale_out import Cluster, iso

ROOT = Path(__file__).resolve().parent.parent


def until(check: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def roster(now: datetime) -> list[dict[str, Any]]:
    yesterday = iso(now - timedelta(days=1))
    return [
        {"id": "s-ber", "type": "site", "ts": yesterday, "site": "ber", "name": "Berlin"},
        {
            "id": "t-1",
            "type": "team",
            "ts": yesterday,
            "team": "t1",
            "name": "Spree",
            "site": "ber",
        },
        *(
            {
                "id": agent,
                "type": "agent",
                "ts": yesterday,
                "agent": agent,
                "name": name,
                "team": "t1",
                "site": "ber",
            }
            for agent, name in (("a-1", "Anna Berg"), ("a-2", "Ben Ohl"))
        ),
    ]


def post(base: str, body: Any, token: str) -> None:
    response = httpx.post(
        f"{base}/api/events", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 202, response.text


# Redis killed and restarted ----------------------------------------------------


@dataclass
class Reply:
    ids: list[str]
    sent: float
    seconds: float
    status: int | None  # None: the connection failed, no answer
    retry_after: str | None = None
    body: Any = None


class Integration:
    """A CRM posting sales without pause, as integrations do: a 503 (or a lost
    answer) is retried with the same events after Retry-After, which the event
    ids make safe, so every event it sends is acknowledged in the end."""

    def __init__(self, base: str, token: str, agent: str, size: int) -> None:
        self.base = base
        self.token = token
        self.agent = agent
        self.size = size
        self.replies: list[Reply] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name=f"crm-{agent}", daemon=True)

    def acknowledged(self, since: float = 0.0) -> list[str]:
        return [i for r in list(self.replies) if r.status == 202 and r.sent >= since for i in r.ids]

    def refused(self, since: float = 0.0) -> list[Reply]:
        return [r for r in list(self.replies) if r.status != 202 and r.sent >= since]

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=10.0) as client:
            number = 0
            while not self.stopping.is_set():
                ids = [f"{self.agent}-{number + n}" for n in range(self.size)]
                number += self.size
                events = [
                    sale(i, agent=self.agent, revenue="10.00", ts=iso(datetime.now(UTC)))
                    for i in ids
                ]
                while True:
                    reply = self.send(client, ids, events[0] if self.size == 1 else events)
                    self.replies.append(reply)
                    if reply.status == 202:
                        break
                    time.sleep(float(reply.retry_after or 0.2))
                self.stopping.wait(0.02)

    @staticmethod
    def send(client: httpx.Client, ids: list[str], body: Any) -> Reply:
        sent = time.monotonic()
        try:
            response = client.post("/api/events", json=body)
        except httpx.TransportError:
            return Reply(ids, sent, time.monotonic() - sent, None)
        return Reply(
            ids,
            sent,
            time.monotonic() - sent,
            response.status_code,
            response.headers.get("retry-after"),
            response.json(),
        )


def kill(server: RedisServer) -> None:
    assert server.process is not None
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(10)
    server.process = None


@pytest.mark.redis
@pytest.mark.timeout(180)
def test_redis_killed_under_a_stream_of_events_loses_and_doubles_nothing(tmp_path: Path) -> None:
    data = tmp_path / "redis"
    data.mkdir()
    # Durable as the store's docs ask: every write on disk before Redis answers.
    redis_server = RedisServer(data, "--appendonly", "yes", "--appendfsync", "always")
    redis_server.start()
    cluster = Cluster(redis_server.url, tmp_path)
    try:
        run_redis_restart(cluster, redis_server)
    finally:
        cluster.stop()
        redis_server.stop()


def run_redis_restart(cluster: Cluster, redis_server: RedisServer) -> None:
    ingest = cluster.cli("token", "create", "--role", "ingest")
    manager = cluster.cli("token", "create", "--role", "manager")
    cluster.start("web", "web")
    cluster.start("scorer", "scorer")
    web, scorer = cluster.processes["web"], cluster.processes["scorer"]
    post(cluster.url("web"), roster(datetime.now(UTC)), manager)

    singles = Integration(cluster.url("web"), ingest, "a-1", size=1)
    batches = Integration(cluster.url("web"), ingest, "a-2", size=10)
    streams = (singles, batches)
    for stream in streams:
        stream.thread.start()
    try:
        until(lambda: all(len(s.acknowledged()) >= 20 for s in streams), "events stored")

        killed = time.monotonic()
        kill(redis_server)
        acknowledged_before = {i for s in streams for i in s.acknowledged()}
        # Each client is refused, waits as told and is refused again.
        until(
            lambda: all(len(s.refused(since=killed)) >= 2 for s in streams),
            "503s while redis is down",
        )
        down = httpx.get(f"{cluster.url('web')}/readyz")
        assert down.status_code == 503 and down.json()["status"] == "unavailable"

        redis_server.start()  # same port, same directory: it loads its append-only file
        restarted, restarted_at = time.monotonic(), datetime.now(UTC)
        until(
            lambda: all(len(s.acknowledged(since=restarted)) >= 10 for s in streams),
            "events stored after redis came back",
        )
    finally:
        for stream in streams:
            stream.stopping.set()
        for stream in streams:
            stream.thread.join(30)
    assert not any(s.thread.is_alive() for s in streams), "a client never got its 202"

    replies = [reply for stream in streams for reply in stream.replies]
    assert all(reply.status is not None for reply in replies), "the web process dropped a request"
    assert {reply.status for reply in replies} == {202, 503}
    slowest = max(reply.seconds for reply in replies)
    assert slowest < 5, f"a request took {slowest:.1f} s: ingest must not hang on a dead redis"
    for refused in (r for r in replies if r.status == 503):
        assert refused.retry_after == "1"
        assert refused.body == {
            "error": "the store is unavailable; nothing was written, retry later"
        }
    late = [r for r in replies if r.sent >= restarted and r.status != 202]
    assert late == [], "once redis is back, ingest stores again at once"
    assert web.poll() is None and scorer.poll() is None, "nothing was restarted"

    def export() -> list[dict[str, Any]]:
        return [orjson.loads(line) for line in cluster.cli("log", "export").splitlines()]

    def ticked(events: list[dict[str, Any]]) -> bool:
        ticks = [e for e in events if e["type"] == "tick"]
        return bool(ticks) and datetime.fromisoformat(ticks[-1]["ts"]) >= restarted_at

    deadline = time.monotonic() + 10
    while not ticked(exported := export()):
        assert time.monotonic() < deadline, "the scorer did not write the clock again"
        time.sleep(0.2)
    stored = Counter(event["id"] for event in exported if event["type"] == "sale")
    doubled = sorted(i for i, count in stored.items() if count > 1)
    assert doubled == [], "a retried event was stored twice"
    assert acknowledged_before <= set(stored), "an event acknowledged before the kill is lost"
    sent = {i: s.agent for s in streams for reply in s.replies for i in reply.ids}
    assert set(stored) == set(sent), "every acknowledged event is stored, and nothing else"

    # The web process's scorer folded the log as it is: each sale once.
    def board() -> dict[str, Any]:
        response = httpx.get(
            f"{cluster.url('web')}/api/leaderboard?period=day&by=agent",
            headers={"Authorization": f"Bearer {manager}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    until(lambda: board()["offset"] >= len(exported), "the web process to fold the log")
    sales = {row["id"]: row["sales"] for row in board()["rows"]}
    assert sales == dict(Counter(sent.values()))


# A web process killed under a screen --------------------------------------------


class Balancer:
    """The load balancer in front of the web processes, in miniature: each new
    connection goes to the first backend that accepts it and lasts as long as both
    ends do. It notes which backend each screen's websocket went to, and can be
    told to turn new connections away for a while."""

    def __init__(self, backends: dict[str, int]) -> None:
        self.backends = backends
        self.websockets: list[str] = []
        self.holding = threading.Event()
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._connections: set[asyncio.Task[Any]] = set()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Balancer:
        self._thread.start()
        assert self._ready.wait(10), "the balancer did not start"
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._loop is not None and self._stop is not None
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stop.wait()
            server.close()
            for task in self._connections:
                task.cancel()
            await asyncio.gather(*self._connections, return_exceptions=True)

    async def _connection(
        self, client: asyncio.StreamReader, to_client: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            for name, port in self.backends.items():
                if self.holding.is_set():
                    break
                try:
                    backend, to_backend = await asyncio.open_connection("127.0.0.1", port)
                except OSError:
                    continue
                try:
                    await self._relay(client, to_backend, backend, to_client, name)
                finally:
                    to_backend.close()
                break
        finally:
            to_client.close()
            self._connections.discard(task)

    async def _relay(
        self,
        client: asyncio.StreamReader,
        to_backend: asyncio.StreamWriter,
        backend: asyncio.StreamReader,
        to_client: asyncio.StreamWriter,
        name: str,
    ) -> None:
        """Both directions until either side closes (or its process dies)."""
        pipes = {
            asyncio.create_task(self._pipe(client, to_backend, name)),
            asyncio.create_task(self._pipe(backend, to_client, None)),
        }
        try:
            await asyncio.wait(pipes, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for pipe in pipes:
                pipe.cancel()
            await asyncio.gather(*pipes, return_exceptions=True)

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, backend: str | None
    ) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await reader.read(65536):
                if backend is not None and data.startswith(b"GET /ws"):
                    self.websockets.append(backend)
                writer.write(data)
                await writer.drain()


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.mark.redis
@pytest.mark.browser
def test_a_board_whose_web_process_is_killed_reconnects_to_another_and_resyncs(
    cluster: Cluster, browser: Any
) -> None:
    display = cluster.cli("token", "create", "--role", "display")
    ingest = cluster.cli("token", "create", "--role", "ingest")
    manager = cluster.cli("token", "create", "--role", "manager")
    cluster.start("web1", "web")
    cluster.start("web2", "web")
    cluster.start("scorer", "scorer")
    post(cluster.url("web1"), roster(datetime.now(UTC)), manager)

    def sell(web: str, event_id: str, revenue: str) -> None:
        event = sale(event_id, agent="a-1", revenue=revenue, ts=iso(datetime.now(UTC)))
        post(cluster.url(web), event, ingest)

    def sales(web: str) -> int:
        board = httpx.get(
            f"{cluster.url(web)}/api/leaderboard?period=day&by=agent",
            headers={"Authorization": f"Bearer {manager}"},
        ).json()
        return sum(row["sales"] for row in board["rows"])

    with Balancer({name: cluster.ports[name] for name in ("web1", "web2")}) as balancer:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{balancer.url}/board?token={display}")
        page.wait_for_selector(".status.online")
        assert balancer.websockets == ["web1"]
        sell("web1", "s-1", "11.00")
        page.wait_for_selector("#ticker >> text=€11.00", timeout=5000)

        # The screen is kept away until the survivor has the next sale: only a
        # resync can bring it.
        balancer.holding.set()
        cluster.kill("web1")
        page.wait_for_selector(".status.offline", timeout=5000)
        sell("web2", "s-2", "22.00")
        until(lambda: sales("web2") == 2, "the surviving process to fold the sale")
        assert "€22.00" not in page.inner_text("#ticker")
        balancer.holding.clear()
        page.wait_for_selector(".status.online", timeout=15000)
        page.wait_for_selector("#ticker >> text=€22.00", timeout=5000)
        assert balancer.websockets[-1] == "web2"

        sell("web2", "s-3", "33.00")  # and the survivor's updates reach it live
        page.wait_for_selector("#ticker >> text=€33.00", timeout=5000)
        page.close()
