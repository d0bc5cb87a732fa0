"""A HubSpot deal won, a Zendesk ticket solved and a Salesforce outbound message
reach the real server; it is killed (SIGKILL) right after acknowledging them and
started again; the systems, unsure, send everything again. Each payload makes
its event exactly once, and the scorer counts each once: on SQLite and on Redis."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import orjson

from tests import connector_senders as send
from tests.faults import Process, add_tokens, start_web, web_process
from wallboard.store import open_store


def deliveries(web: Process, sf_secret: str) -> list[tuple[str, bytes, dict[str, str]]]:
    deal = orjson.dumps(send.hubspot_deal(18364011, amount="1200.00"))
    ticket = orjson.dumps(send.zendesk_ticket(4711))
    message = send.salesforce_message([("0068d00000B1", "Closed Won", "25000.00")])
    return [
        ("/hooks/deals", deal, send.hubspot_headers(f"{web.url}/hooks/deals", deal)),
        ("/hooks/desk", ticket, send.zendesk_headers(ticket)),
        (
            f"/hooks/sf?secret={sf_secret}",
            message,
            {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
        ),
    ]


def test_each_payload_is_one_event_across_a_kill_and_a_restart(
    processes: list[Process], tmp_path: Path, durable_store_url: str
) -> None:
    store_url = durable_store_url
    tokens = asyncio.run(_tokens(store_url))
    web = web_process(processes, store_url, tmp_path, "writer")
    start_web(web)
    manager = {"Authorization": f"Bearer {tokens['manager']}"}
    with httpx.Client(base_url=web.url, timeout=10) as client:
        assert client.post("/api/events", json=send.roster(), headers=manager).status_code == 202
        for body in (
            {"connector": "deals", "preset": "hubspot", "secret": send.HUBSPOT_SECRET},
            {"connector": "desk", "preset": "zendesk", "secret": send.ZENDESK_SECRET},
            {"connector": "sf", "preset": "salesforce"},
        ):
            made = client.post("/api/connectors", json=body, headers=manager)
            assert made.status_code == 201, made.text
        sf_secret = made.json()["secret"]
        _until_the_roster_is_folded(client, manager)
        for path, body, headers in deliveries(web, sf_secret):
            response = client.post(path, content=body, headers=headers)
            assert response.status_code == 200, response.text
    web.kill()

    start_web(web)
    with httpx.Client(base_url=web.url, timeout=10) as client:
        for path, body, headers in deliveries(web, sf_secret):  # signed afresh, as retries are
            response = client.post(path, content=body, headers=headers)
            assert response.status_code == 200, response.text
        counted = client.get("/api/agents/a-1", headers=manager).json()["recent"]
    events = asyncio.run(_integration_events(store_url))
    assert sorted((e["source"], e["type"], e["id"]) for e in events) == [
        ("deals", "sale", "hubspot-deal-18364011"),
        ("desk", "contact", "zendesk-ticket-4711-solved"),
        ("sf", "sale", "salesforce-opportunity-0068d00000B1"),
    ]
    assert len(counted) == 3  # the scorer counted each once
    assert asyncio.run(_inbox_counts(store_url)) == {"deals": 2, "desk": 2, "sf": 2}


def _until_the_roster_is_folded(client: httpx.Client, manager: dict[str, str]) -> None:
    for _ in range(200):
        if client.get("/api/agents/a-1", headers=manager).status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError("the roster was not folded")


async def _tokens(url: str) -> dict[str, str]:
    async with open_store(url) as store:
        return await add_tokens(store, "manager")


async def _integration_events(url: str) -> list[dict[str, object]]:
    async with open_store(url) as store:
        entries = await store.read(0, 10_000)
    events = [orjson.loads(entry.data) for entry in entries]
    return [e for e in events if e["source"] in ("deals", "desk", "sf")]


async def _inbox_counts(url: str) -> dict[str, int]:
    async with open_store(url) as store:
        return {name: await store.payload_count(name) for name in ("deals", "desk", "sf")}
