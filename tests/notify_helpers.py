"""Real peers for the notification tests: an HTTP receiver on port 0 in a thread,
and the roster and prize rules that make a prize to tell."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

from tests.helpers import Running, running
from wallboard.settings import Settings

TS = "2026-11-23T09:00:00Z"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


@dataclass
class Receiver:
    """What it got, and how it answers: ``failing`` requests answered 500 first;
    ``holding`` keeps each request waiting until set."""

    url: str = ""
    got: list[Received] = field(default_factory=list)
    failing: int = 0
    holding: threading.Event | None = None
    #: set when a request arrives, before it is held
    arrived: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, received: Received) -> int:
        self.arrived.set()
        holding = self.holding
        if holding is not None:
            holding.wait(30)
        with self.lock:
            self.got.append(received)
            if self.failing > 0:
                self.failing -= 1
                return 500
        return 200


@contextmanager
def receiver() -> Iterator[Receiver]:
    peer = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = peer.answer(Received(self.path, dict(self.headers.items()), body))
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    peer.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        if peer.holding is not None:
            peer.holding.set()
        server.shutdown()
        server.server_close()


def roster_events() -> list[dict[str, Any]]:
    """Two agents, one of whom opted out of public boards, and a prize for a sale of 50."""
    return [
        {"id": "t-1", "type": "team", "ts": TS, "team": "t1", "name": "Red", "site": "ber"},
        {
            "id": "ag-1",
            "type": "agent",
            "ts": TS,
            "agent": "a-1",
            "name": "Ana Alves",
            "team": "t1",
            "site": "ber",
            "public_name": "Ana",
        },
        {
            "id": "ag-2",
            "type": "agent",
            "ts": TS,
            "agent": "a-2",
            "name": "Bo Berg",
            "team": "t1",
            "site": "ber",
            "opt_out": True,
        },
        {"id": "p-1", "type": "prize", "ts": TS, "prize": "cinema", "name": "Kinogutschein"},
        {
            "id": "pr-1",
            "type": "prize_rule",
            "ts": TS,
            "rule": "big-sale",
            "kind": "instant",
            "prize": "cinema",
            "min_revenue": "50.00",
        },
    ]


def sale(event_id: str, agent: str = "a-1", **extra: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "sale",
        "ts": "2026-11-23T10:00:00Z",
        "agent": agent,
        "product": "upgrade",
        "revenue": "80.00",
        "channel": "phone",
        **extra,
    }


def quiet_settings(url: str = "memory://", **extra: Any) -> Settings:
    """The test drives the deliverer itself (WALLBOARD_NOTIFY=0), step by step."""
    return Settings(store=url, tick_seconds=0, notify=False, **extra)


@contextmanager
def notifying(url: str = "memory://", **extra: Any) -> Iterator[Running]:
    with running(url, quiet_settings(url, **extra)) as run:
        assert run.post(roster_events(), role="manager").status_code == 202
        yield run


def channel(run: Running, body: dict[str, Any]) -> dict[str, Any]:
    answer = run.client.post("/api/notifications/channels", json=body, headers=auth(run))
    assert answer.status_code in (200, 201), answer.text
    result: dict[str, Any] = answer.json()
    return result


def rule(run: Running, rule_id: str, channel_id: str, on: list[str], language: str = "en") -> None:
    body = {"rule": rule_id, "channel": channel_id, "on": on, "language": language}
    answer = run.client.post("/api/notifications/rules", json=body, headers=auth(run))
    assert answer.status_code == 201, answer.text


def auth(run: Running) -> dict[str, str]:
    return {"Authorization": f"Bearer {run.tokens['manager']}"}


def derive(run: Running) -> None:
    """Fold what the log holds and store its notifications in the outbox."""
    run.settle()
    notifications = run.services.notifications
    assert notifications is not None
    run.call(notifications.deriver.flush)


def deliver(run: Running) -> None:
    """Deliver until nothing is due on the deliverer's clock."""
    notifications = run.services.notifications
    assert notifications is not None
    derive(run)
    run.call(notifications.deliverer.run_to_idle)
