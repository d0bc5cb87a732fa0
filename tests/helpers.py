from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from scoring.events import validate
from wallboard.app import create_app
from wallboard.engine import Engine, system_record
from wallboard.services import Services
from wallboard.settings import Settings
from wallboard.store import EventLog
from wallboard.tokens import new_token
from wallboard.websocket_server import ServerProtocol


@dataclass
class Running:
    client: TestClient
    tokens: dict[str, str]

    @property
    def store(self) -> EventLog:
        return self.services.store

    @property
    def engine(self) -> Engine:
        return self.services.engine

    @property
    def services(self) -> Services:
        found: Services = self.client.app.state.services  # type: ignore[attr-defined]
        return found

    def settle(self) -> None:
        """Wait until the scorer has folded everything in the log, draws included."""
        while True:
            before = self.call(self.store.last_offset)
            self.call(self.engine.catch_up)
            if self.call(self.store.last_offset) == before:
                return

    def get(self, path: str, role: str = "manager", **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        return self.client.get(path, headers=headers, **kwargs)

    def call(self, function: Any, *args: Any) -> Any:
        """Run an async store method on the app's event loop."""
        assert self.client.portal is not None
        return self.client.portal.call(function, *args)

    def post(self, body: Any, role: str = "ingest", **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        return self.client.post("/api/events", json=body, headers=headers, **kwargs)

    def tick(self, event_id: str, ts: str) -> None:
        """Move the log's clock as the service does: a ``tick`` of its own (a token
        may not post one)."""
        event = validate({"id": event_id, "type": "tick", "ts": ts})
        self.call(self.store.append, [system_record(event)])

    def events(self) -> list[bytes]:
        return [e.data for e in self.call(self.store.read, 0, 100_000)]


@contextmanager
def running(
    url: str = "memory://", settings: Settings | None = None, **app_kwargs: Any
) -> Iterator[Running]:
    app = create_app(settings or Settings(store=url), **app_kwargs)
    with TestClient(app, raise_server_exceptions=False) as client:
        run = Running(client, {})
        for role in ("ingest", "display", "manager"):
            token, record = new_token(
                role, label="test", source="crm" if role == "ingest" else None
            )
            run.call(run.store.add_token, record)
            run.tokens[role] = token
        for agent in ("a-1", "a-2"):
            token, record = new_token("agent", agent=agent)
            run.call(run.store.add_token, record)
            run.tokens[f"agent:{agent}"] = token
        run.tokens["agent"] = run.tokens["agent:a-1"]
        yield run


def sale(event_id: str = "s-1", **fields: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "sale",
        "ts": "2026-11-23T09:30:00+01:00",
        "agent": "a-1",
        "product": "mobile-upgrade",
        "revenue": "49.90",
        "channel": "phone",
        **fields,
    }


def contact(event_id: str = "c-1", **fields: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "contact",
        "ts": "2026-11-23T09:30:00Z",
        "agent": "a-1",
        "channel": "chat",
        "resolved": True,
        "quality": 87,
        "referral": 9,
        **fields,
    }


@contextmanager
def serving(app: Starlette) -> Iterator[str]:
    """``app`` on uvicorn in a thread, as ``wallboard serve`` runs it: its host and port."""
    from tests.conftest import free_port

    port = free_port()
    config = uvicorn.Config(
        app,
        port=port,
        log_level="warning",
        ws_per_message_deflate=False,
        ws=ServerProtocol,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def until(page: Any, script: str, arg: Any = None, timeout: float = 10_000) -> Any:
    """Poll ``script`` (an expression, or a function of ``arg``) in the page until it
    is truthy, and return it; TimeoutError after ``timeout`` ms.

    Playwright's ``wait_for_function`` compiles its predicate inside the page, which
    the screens' Content-Security-Policy (no 'unsafe-eval') forbids once it has to
    poll; ``evaluate`` runs through the debugging protocol, which the policy allows."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(script, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} ms for {script!r} in {page.url}")
        page.wait_for_timeout(50)
