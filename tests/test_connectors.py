"""Connectors end to end, in-process: each preset's payload, signed by its system's
scheme, becomes exactly the expected events, once; a wrong or stale signature is
a 401; a mapping error is a dead letter that a fixed mapping replays."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from tests import connector_senders as send
from tests.helpers import Running, running
from wallboard.settings import Settings

BASE = "http://testserver"


def stored(run: Running, source: str) -> list[dict[str, Any]]:
    events = [orjson.loads(data) for data in run.events()]
    return [event for event in events if event["source"] == source]


def create(run: Running, body: dict[str, Any]) -> dict[str, Any]:
    response = run.client.post(
        "/api/connectors", json=body, headers={"Authorization": f"Bearer {run.tokens['manager']}"}
    )
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


def manager_post(run: Running, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {run.tokens['manager']}"}
    return run.client.post(path, json=body, headers=headers)


@pytest.fixture
def app() -> Iterator[Running]:
    with running() as run:
        assert run.post(send.roster(), role="manager").status_code == 202
        run.settle()
        yield run


def hubspot_post(run: Running, body: bytes, **kwargs: Any) -> Any:
    headers = send.hubspot_headers(f"{BASE}/hooks/deals", body, **kwargs)
    return run.client.post("/hooks/deals", content=body, headers=headers)


def test_a_hubspot_deal_won_is_one_sale_of_the_owner_however_often_it_comes(app: Running) -> None:
    create(app, {"connector": "deals", "preset": "hubspot", "secret": send.HUBSPOT_SECRET})
    body = orjson.dumps(send.hubspot_deal(18364011, amount="2500.50"))
    first = hubspot_post(app, body)
    assert first.status_code == 200, first.text
    assert first.json() == {"received": 1, "accepted": 1, "duplicates": 0, "dead_letter": None}
    again = hubspot_post(app, body)  # HubSpot retries: a duplicate, not a second sale
    assert again.json()["duplicates"] == 1 and again.json()["accepted"] == 0
    [sale] = stored(app, "deals")
    assert sale["type"] == "sale" and sale["id"] == "hubspot-deal-18364011"
    assert (sale["agent"], sale["revenue"], sale["product"]) == ("a-1", "2500.50", "deal")
    app.settle()
    recent = app.get("/api/agents/a-1").json()["recent"]
    assert len(recent) == 1, recent  # the scorer counted it once for its agent


def test_a_hubspot_batch_maps_each_event_and_skips_other_stages(app: Running) -> None:
    create(app, {"connector": "deals", "preset": "hubspot", "secret": send.HUBSPOT_SECRET})
    batch = [
        send.hubspot_deal(1, owner="513"),
        send.hubspot_deal(2, stage="appointmentscheduled"),
        send.hubspot_deal(3),
    ]
    answer = hubspot_post(app, orjson.dumps(batch)).json()
    assert answer["accepted"] == 2
    assert [(e["id"], e["agent"]) for e in stored(app, "deals")] == [
        ("hubspot-deal-1", "a-2"),
        ("hubspot-deal-3", "a-1"),
    ]


@pytest.mark.parametrize(
    "change",
    ["secret", "body", "stale", "missing"],
)
def test_a_hubspot_request_not_signed_by_the_app_is_refused(app: Running, change: str) -> None:
    create(app, {"connector": "deals", "preset": "hubspot", "secret": send.HUBSPOT_SECRET})
    body = orjson.dumps(send.hubspot_deal(7))
    stamp = int(time.time() * 1000) - 6 * 60 * 1000 if change == "stale" else None
    headers = send.hubspot_headers(f"{BASE}/hooks/deals", body, stamp=stamp)
    if change == "secret":
        headers = {**headers, "X-HubSpot-Signature-v3": "bm90IHRoZSBzaWduYXR1cmU="}
    if change == "missing":
        del headers["X-HubSpot-Signature-v3"]
    sent = body.replace(b"1499.00", b"9999.00") if change == "body" else body
    response = app.client.post("/hooks/deals", content=sent, headers=headers)
    assert response.status_code == 401, response.text
    expected = {
        "secret": "does not match",
        "body": "does not match",
        "stale": "more than 5 minutes",
        "missing": "expected the x-hubspot-signature-v3 header",
    }[change]
    assert expected in response.json()["error"]
    assert stored(app, "deals") == [] and app.call(app.store.payload_count, "deals") == 0


def test_a_zendesk_solved_ticket_is_one_resolved_contact(app: Running) -> None:
    create(app, {"connector": "desk", "preset": "zendesk", "secret": send.ZENDESK_SECRET})
    for ticket, status in ((101, "Open"), (102, "Solved")):
        body = orjson.dumps(send.zendesk_ticket(ticket, status=status))
        response = app.client.post("/hooks/desk", content=body, headers=send.zendesk_headers(body))
        assert response.status_code == 200, response.text
    [contact] = stored(app, "desk")
    assert contact["id"] == "zendesk-ticket-102-solved"
    assert (contact["agent"], contact["channel"], contact["resolved"]) == ("a-1", "phone", True)
    assert contact["quality"] == 100
    # the open ticket matched nothing: a dead letter, to be fixed and replayed if wanted
    assert app.get("/api/connectors/desk/dead-letters").json()["count"] == 1
    body = orjson.dumps(send.zendesk_ticket(103))
    wrong = send.zendesk_headers(body.replace(b"103", b"104"))
    assert app.client.post("/hooks/desk", content=body, headers=wrong).status_code == 401
    stale = send.zendesk_headers(body, stamp="2020-01-01T00:00:00Z")
    refused = app.client.post("/hooks/desk", content=body, headers=stale)
    assert refused.status_code == 401 and "minutes" in refused.json()["error"]


def test_a_twilio_taskrouter_reservation_completed_is_a_contact_with_its_duration(
    app: Running,
) -> None:
    create(app, {"connector": "phones", "preset": "twilio", "secret": send.TWILIO_TOKEN})
    url = f"{BASE}/hooks/phones"
    body, headers = send.twilio_request(url, send.twilio_event("WT01", event="task.created"))
    assert app.client.post("/hooks/phones", content=body, headers=headers).status_code == 200
    body, headers = send.twilio_request(url, send.twilio_event("WT01", age=312))
    assert app.client.post("/hooks/phones", content=body, headers=headers).status_code == 200
    [contact] = stored(app, "phones")
    assert contact["id"] == "twilio-task-WT01"
    assert (contact["agent"], contact["channel"], contact["duration_s"]) == ("a-1", "phone", 312.0)
    assert (contact["resolved"], contact["quality"]) == (True, 92)
    forged = body.replace(b"TaskAge=312", b"TaskAge=999")
    assert app.client.post("/hooks/phones", content=forged, headers=headers).status_code == 401


def test_behind_a_proxy_twilio_signs_the_public_url() -> None:
    public = "https://wallboard.example.com"
    with running(settings=Settings(store="memory://", public_url=public)) as run:
        assert run.post(send.roster(), role="manager").status_code == 202
        run.settle()
        create(run, {"connector": "phones", "preset": "twilio", "secret": send.TWILIO_TOKEN})
        fields = send.twilio_event("WT02")
        body, headers = send.twilio_request(f"{public}/hooks/phones", fields)
        upstream = {**headers, "Host": "127.0.0.1:8000"}
        assert run.client.post("/hooks/phones", content=body, headers=upstream).status_code == 200
        body, headers = send.twilio_request("http://127.0.0.1:8000/hooks/phones", fields)
        upstream = {**headers, "Host": "127.0.0.1:8000"}
        assert run.client.post("/hooks/phones", content=body, headers=upstream).status_code == 401


def test_a_salesforce_outbound_message_is_acknowledged_and_makes_its_won_sales(
    app: Running,
) -> None:
    made = create(
        app,
        {"connector": "sf", "preset": "salesforce", "organization_id": send.ORGANIZATION},
    )
    secret = made["secret"]  # the product made it: it goes in the endpoint URL
    message = send.salesforce_message(
        [("0068d00000A1", "Closed Won", "25000.00"), ("0068d00000A2", "Prospecting", "10.00")]
    )
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}
    response = app.client.post(f"/hooks/sf?secret={secret}", content=message, headers=headers)
    assert response.status_code == 200, response.text
    assert b"<Ack>true</Ack>" in response.content
    assert b"notificationsResponse" in response.content
    [sale] = stored(app, "sf")
    assert (sale["id"], sale["agent"], sale["revenue"]) == (
        "salesforce-opportunity-0068d00000A1",
        "a-1",
        "25000.00",
    )
    assert sale["product"] == "New Customer"
    wrong = app.client.post("/hooks/sf?secret=nope", content=message, headers=headers)
    assert wrong.status_code == 401
    other = send.salesforce_message([("0068d00000A3", "Closed Won", "1.00")], "00D000000000001")
    refused = app.client.post(f"/hooks/sf?secret={secret}", content=other, headers=headers)
    assert refused.status_code == 401 and "organization" in refused.json()["error"]


def test_a_csv_export_signed_with_the_custom_scheme_makes_one_event_per_row(app: Running) -> None:
    secret = create(app, {"connector": "nightly", "preset": "csv"})["secret"]
    ts = send.iso(send.moment(90))
    body = (
        "type,id,ts,agent,product,revenue,channel,resolved,quality,referral\n"
        f"sale,n-1,{ts},a-1,mobile,49.90,phone,,,\n"
        f"contact,n-2,{ts},a-2,,,chat,true,87,9\n"
    ).encode()
    headers = send.custom_headers(secret, body, "text/csv")
    response = app.client.post("/hooks/nightly", content=body, headers=headers)
    assert response.json()["accepted"] == 2, response.text
    sale, contact = stored(app, "nightly")
    assert (sale["type"], sale["revenue"]) == ("sale", "49.90")
    assert (contact["resolved"], contact["quality"], contact["referral"]) == (True, 87, 9)


def test_the_custom_scheme_refuses_a_wrong_or_stale_signature(app: Running) -> None:
    mapping = {
        "event": {
            "type": {"const": "sale"},
            "id": "id",
            "ts": "ts",
            "agent": "agent",
            "product": {"const": "mobile"},
            "revenue": "amount",
            "channel": {"const": "web"},
        }
    }
    secret = create(app, {"connector": "shop", "mapping": mapping})["secret"]
    body = orjson.dumps({"id": "o-1", "ts": send.iso(send.moment(5)), "agent": "a-1", "amount": 10})
    assert (
        app.client.post(
            "/hooks/shop", content=body, headers=send.custom_headers("x" * 40, body)
        ).status_code
        == 401
    )
    old = int(time.time()) - 600
    stale = app.client.post(
        "/hooks/shop", content=body, headers=send.custom_headers(secret, body, stamp=old)
    )
    assert stale.status_code == 401 and "X-Wallboard-Timestamp" in stale.json()["error"]
    fresh = send.custom_headers(secret, body, stamp=int(time.time()))
    assert app.client.post("/hooks/shop", content=body, headers=fresh).json()["accepted"] == 1
    # the secret is answered once: never in a connector's description
    assert secret not in app.get("/api/connectors/shop").text
    assert secret not in app.get("/api/connectors").text


def test_payloads_out_of_order_each_count_at_their_own_time(app: Running) -> None:
    create(app, {"connector": "deals", "preset": "hubspot", "secret": send.HUBSPOT_SECRET})
    later = send.hubspot_deal(2, closed=send.moment(5))
    earlier = send.hubspot_deal(1, closed=send.moment(50))
    for deal in (later, earlier):
        assert hubspot_post(app, orjson.dumps(deal)).json()["accepted"] == 1
    by_id = {e["id"]: e["ts"] for e in stored(app, "deals")}
    assert set(by_id) == {"hubspot-deal-1", "hubspot-deal-2"}
    # each at the time the CRM closed it, not the order it arrived in
    assert by_id["hubspot-deal-1"] < by_id["hubspot-deal-2"]


def test_unknown_oversized_and_malformed_requests_are_refused_and_nothing_kept(
    app: Running,
) -> None:
    secret = create(app, {"connector": "nightly", "preset": "csv"})["secret"]
    assert app.client.post("/hooks/nobody", content=b"{}").status_code == 404
    big = b"[" + b"1," * 600_000 + b"1]"
    assert (
        app.client.post(
            "/hooks/nightly", content=big, headers=send.custom_headers(secret, big)
        ).status_code
        == 413
    )
    bad = b'{"id": '
    response = app.client.post(
        "/hooks/nightly", content=bad, headers=send.custom_headers(secret, bad)
    )
    assert response.status_code == 400 and "not JSON" in response.json()["error"]
    odd = app.client.post(
        "/hooks/nightly", content=b"x", headers=send.custom_headers(secret, b"x", "image/png")
    )
    assert odd.status_code == 415
    assert app.call(app.store.payload_count, "nightly") == 0


def test_xml_that_is_broken_or_defines_entities_is_refused_and_not_kept(app: Running) -> None:
    secret = create(app, {"connector": "sf", "preset": "salesforce"})["secret"]
    headers = {"Content-Type": "text/xml"}
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><notifications>&b;</notifications>'
    )
    for body in (b"<notifications><OrganizationId>", bomb):
        response = app.client.post(f"/hooks/sf?secret={secret}", content=body, headers=headers)
        assert response.status_code == 400, response.text
        assert "not XML" in response.json()["error"]
    assert app.call(app.store.payload_count, "sf") == 0
