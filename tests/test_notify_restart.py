"""A server killed (-9) while it sends a notification sends it again after it
restarts: at least once, under the same idempotency key, and made once."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx

from tests.faults import Process, add_tokens, start_web, web_process
from tests.notify_helpers import receiver, roster_events, sale
from wallboard.store import open_store


def until_delivered(base: str, headers: dict[str, str], seconds: float = 30.0) -> dict[str, Any]:
    """Poll the restarted server's outbox until it has delivered (a real process:
    nothing to drive step by step)."""
    deadline = time.monotonic() + seconds
    while True:
        overview: dict[str, Any] = httpx.get(f"{base}/api/notifications", headers=headers).json()
        if overview["outbox"]["delivered"] or time.monotonic() > deadline:
            return overview
        time.sleep(0.1)


async def test_a_notification_in_flight_when_the_server_is_killed_is_sent_after_restart(
    durable_store_url: str, tmp_path: Path, processes: list[Process]
) -> None:
    async with open_store(durable_store_url) as store:
        tokens = await add_tokens(store, "ingest", "manager")
    manager = {"Authorization": f"Bearer {tokens['manager']}"}
    web = web_process(processes, durable_store_url, tmp_path, engine="writer")
    web.env.update(
        WALLBOARD_NOTIFY_LEASE="2", WALLBOARD_NOTIFY_TIMEOUT="1", WALLBOARD_TICK_SECONDS="0"
    )
    with receiver() as peer:
        start_web(web)
        post = httpx.Client(base_url=web.url, headers=manager, timeout=10)
        assert post.post("/api/events", json=roster_events()).status_code == 202
        hook = {"id": "hook", "kind": "webhook", "url": peer.url}
        assert post.post("/api/notifications/channels", json=hook).status_code == 201
        rule = {"rule": "r-1", "channel": "hook", "on": ["prize"]}
        assert post.post("/api/notifications/rules", json=rule).status_code == 201

        held = peer.holding = threading.Event()
        assert post.post("/api/events", json=[sale("s-1")]).status_code == 202
        assert peer.arrived.wait(20), web.output()
        web.kill()  # mid-delivery: the request is out, its answer never heard
        peer.holding = None
        held.set()

        start_web(web)
        overview = until_delivered(web.url, manager)
        post.close()
        assert overview["outbox"] == {"pending": 0, "delivered": 1, "dead": 0}, web.output()
        keys = [r.headers["Idempotency-Key"] for r in peer.got]
        assert len(keys) >= 2 and len(set(keys)) == 1, keys
        assert all(r.json()["text"] == "Ana won Kinogutschein." for r in peer.got)
