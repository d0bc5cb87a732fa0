"""``wallboard serve`` on SQLite, SIGKILLed while batches are being posted: each
batch is in the log whole or not at all, every acknowledged one is, and a batch
sent again after no answer is wholly new or wholly a duplicate."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from scoring.log import format_ts
from tests.faults import (
    Process,
    add_tokens,
    start_web,
    web_process,
)
from wallboard.store import open_store


@dataclass
class Batch:
    id: str
    events: list[dict[str, Any]]
    #: the HTTP status it got; None while unsent, 0 when no answer came
    status: int | None = None


def batches_for(client: int, count: int, rng: random.Random) -> list[Batch]:
    """Batches of 500 to 1,000 sales and contacts, each event id led by its batch's."""
    now = format_ts(datetime.now(UTC))
    batches = []
    for number in range(count):
        batch_id = f"b{client}-{number}"
        events: list[dict[str, Any]] = []
        for n in range(rng.randrange(500, 1001)):
            event: dict[str, Any] = {"id": f"{batch_id}/{n}", "ts": now, "agent": f"a-{n % 40}"}
            if n % 3:
                event.update(type="contact", channel="phone", resolved=n % 2 == 0)
                event.update(quality=60 + n % 41, referral=n % 11)
            else:
                event.update(type="sale", product="dsl-100", channel="chat")
                event.update(revenue=f"{n % 90 + 10}.00")
            events.append(event)
        batches.append(Batch(batch_id, events))
    return batches


def post_until_refused(base: str, token: str, batches: list[Batch]) -> None:
    """One client posting its batches one after the other, until the server is gone."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=30, headers=headers) as client:
        for batch in batches:
            try:
                batch.status = client.post("/api/events", json=batch.events).status_code
            except httpx.TransportError:
                batch.status = 0
                return


CLIENTS = 4


@pytest.mark.timeout(90)
@pytest.mark.parametrize("seed", range(4))
async def test_a_web_server_killed_mid_batch_keeps_each_batch_whole_or_absent(
    seed: int, processes: list[Process], tmp_path: Path
) -> None:
    rng = random.Random(seed)
    url = f"sqlite:///{tmp_path / 'log.db'}"
    async with open_store(url) as store:
        token = (await add_tokens(store, "ingest"))["ingest"]
    web = web_process(processes, url, tmp_path, engine="writer")
    web.env["WALLBOARD_INGEST_RATE"] = "0"  # a bulk load: no rate limit on the token
    start_web(web)
    clients = [batches_for(client, 40, rng) for client in range(CLIENTS)]
    threads = [
        threading.Thread(target=post_until_refused, args=(web.url, token, batches))
        for batches in clients
    ]
    for thread in threads:
        thread.start()
    sent = [batch for batches in clients for batch in batches]
    deadline = time.monotonic() + 30
    while not any(batch.status == 202 for batch in sent):
        assert time.monotonic() < deadline, "no batch was acknowledged"
        await asyncio.sleep(0.01)
    await asyncio.sleep(rng.uniform(0.0, 1.0))
    web.kill()
    for thread in threads:
        thread.join(30)
    acknowledged = {batch.id for batch in sent if batch.status == 202}
    unanswered = [batch for batch in sent if batch.status == 0]
    assert {batch.status for batch in sent} <= {None, 0, 202}
    assert unanswered, "the kill came while batches were in flight"

    start_web(web)
    with closing(sqlite3.connect(tmp_path / "log.db")) as database:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    async with open_store(url) as store:
        stored = Counter(
            orjson.loads(entry.data)["id"].rsplit("/", 1)[0]
            for entry in await store.read(0, 1_000_000)
        )
    sizes = {batch.id: len(batch.events) for batch in sent}
    halves = {key: (count, sizes[key]) for key, count in stored.items() if count != sizes[key]}
    assert not halves, f"batches stored in part (stored, sent): {halves}"
    assert acknowledged <= stored.keys(), "every acknowledged batch is in the log"
    assert stored.keys() <= {batch.id for batch in sent if batch.status is not None}

    # The integration sends again what got no answer: each such batch is wholly new
    # or wholly a duplicate, and then the log holds every batch once.
    with httpx.Client(
        base_url=web.url, timeout=30, headers={"Authorization": f"Bearer {token}"}
    ) as client:
        for batch in unanswered:
            response = client.post("/api/events", json=batch.events)
            assert response.status_code == 202, response.text
            answer = response.json()
            whole = len(batch.events)
            expected = (0, whole) if batch.id in stored else (whole, 0)
            assert (answer["accepted"], answer["duplicates"]) == expected, batch.id
    web.stop()
    async with open_store(url) as store:
        total = await store.last_offset()
    assert total == sum(len(batch.events) for batch in sent if batch.status is not None)
