"""What a manager does with a connector in the console: a payload its mapping
cannot map is a dead letter with the reason; the mapping fixed (the connector
posted again) and the dead letters replayed store the events, once, on SQLite
and on Redis. The mapping's test maps the latest payloads and stores nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from tests import connector_senders as send
from tests.helpers import Running, running
from tests.test_connectors import create, manager_post, stored
from wallboard.connectors.presets import PRESETS


def mapping(amount: str = "total") -> dict[str, Any]:
    return {
        "each": "orders",
        "filter": "state == 'paid'",
        "event": {
            "type": {"const": "sale"},
            "id": "join('-', ['order', to_string(number)])",
            "ts": "to_ts(paid_at)",
            "agent": {"lookup": "hubspot", "from": "seller"},
            "product": {"expr": "sku", "default": "shop-item"},
            "revenue": amount,
            "channel": {"const": "shop"},
        },
    }


@pytest.fixture
def app(durable_store_url: str) -> Iterator[Running]:
    with running(durable_store_url) as run:
        assert run.post(send.roster(), role="manager").status_code == 202
        run.settle()
        yield run


def post(run: Running, secret: str, body: dict[str, Any]) -> dict[str, Any]:
    raw = orjson.dumps(body)
    response = run.client.post("/hooks/shop", content=raw, headers=send.custom_headers(secret, raw))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_a_mapping_error_is_a_dead_letter_until_the_fixed_mapping_replays_it(app: Running) -> None:
    made = create(app, {"connector": "shop", "mapping": mapping(amount="price")})
    secret = made["secret"]
    assert made["created"] is True and made["hook"] == "/hooks/shop"
    paid_at = int(send.moment(30).timestamp())
    order = {
        "orders": [
            {"number": 7, "state": "paid", "paid_at": paid_at, "seller": "512", "total": "80.00"}
        ]
    }
    answer = post(app, secret, order)
    assert answer["accepted"] == 0
    assert "revenue: required" in answer["dead_letter"]
    unknown = {
        "orders": [
            {"number": 8, "state": "paid", "paid_at": paid_at, "seller": "999", "total": "5"}
        ]
    }
    assert "no agent has hubspot id '999'" in post(app, secret, unknown)["dead_letter"]
    assert stored(app, "shop") == []

    letters = app.get("/api/connectors/shop/dead-letters").json()
    assert letters["count"] == 2
    first = letters["dead_letters"][0]
    assert (first["seq"], orjson.loads(first["body"])) == (1, order)
    assert "revenue: required" in first["reason"]

    # The test shows what the fixed mapping would make, and stores nothing.
    tried = manager_post(app, "/api/connectors/shop/test", {"mapping": mapping(), "last": 5}).json()
    assert tried["stored"] is False
    assert [r["seq"] for r in tried["results"]] == [2, 1]
    assert tried["results"][1]["events"][0]["revenue"] == "80.00"
    assert "999" in tried["results"][0]["error"]
    assert stored(app, "shop") == []

    # Fixed, and posted again: the secret stays (the sender keeps signing with it).
    again = create(app, {"connector": "shop", "mapping": mapping()})
    assert again["created"] is False and "secret" not in again
    replayed = manager_post(app, "/api/connectors/shop/replay").json()
    assert (replayed["replayed"], replayed["accepted"], replayed["failed"]) == (2, 1, 1)
    assert replayed["dead_letters"] == 1  # seller 999 is still nobody
    [sale] = stored(app, "shop")
    assert (sale["id"], sale["agent"], sale["revenue"]) == ("order-7", "a-1", "80.00")

    # Replaying everything again stores nothing twice: the ids come from the payloads.
    everything = manager_post(app, "/api/connectors/shop/replay", {"all": True}).json()
    assert (everything["replayed"], everything["accepted"], everything["duplicates"]) == (2, 0, 1)
    assert len(stored(app, "shop")) == 1
    # and the roster learning the seller lets the last dead letter through
    agent = send.roster()[3] | {"id": "agent-a-2-v2", "external_ids": {"hubspot": "999"}}
    assert app.post(agent, role="manager").status_code == 202
    app.settle()
    assert manager_post(app, "/api/connectors/shop/replay").json()["accepted"] == 1
    assert app.get("/api/connectors/shop/dead-letters").json()["count"] == 0


def test_a_connector_reads_whole_for_the_console(app: Running) -> None:
    secret = create(app, {"connector": "shop", "mapping": mapping()})["secret"]
    paid_at = int(send.moment(30).timestamp())
    post(
        app,
        secret,
        {
            "orders": [
                {"number": 1, "state": "open", "paid_at": paid_at, "seller": "512", "total": "1"}
            ]
        },
    )
    post(
        app,
        secret,
        {
            "orders": [
                {"number": 2, "state": "paid", "paid_at": paid_at, "seller": "512", "total": "1"}
            ]
        },
    )
    view = app.get("/api/connectors/shop").json()
    assert view["mapping"] == mapping() and view["scheme"] == "custom" and view["preset"] is None
    assert view["counts"] == {"payloads": 2, "dead_letters": 1}
    assert [p["seq"] for p in view["latest"]] == [2, 1]
    assert view["latest"][0]["dead_letter"] is None
    assert "matched nothing" in view["latest"][1]["dead_letter"]
    assert "secret" not in view
    listed = app.get("/api/connectors").json()
    assert [c["connector"] for c in listed["connectors"]] == ["shop"]
    assert listed["connectors"][0]["counts"] == {"payloads": 2, "dead_letters": 1}
    assert listed["connectors"][0]["last_payload"] == view["latest"][0]["received"]
    assert "hubspot" in listed["presets"]


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"connector": "Shop!", "preset": "csv"}, "connector: expected a name"),
        ({"connector": "manage", "preset": "csv"}, "the product's own source"),
        ({"connector": "x", "preset": "pipedrive"}, "preset: expected one of"),
        ({"connector": "x"}, "expected a preset"),
        ({"connector": "x", "preset": "hubspot"}, "secret: required"),
        ({"connector": "x", "preset": "csv", "secret": "mine-mine-mine"}, "made by the server"),
        (
            {"connector": "x", "mapping": {"event": {"type": {"const": "sale"}}}},
            "expected a 'id' field",
        ),
        (
            {"connector": "x", "mapping": {"filter": "a ==", "event": {"id": "a", "type": "b"}}},
            "mapping.filter: not a JMESPath",
        ),
        (
            {"connector": "x", "mapping": {"event": {"id": "a", "type": {"const": "rules"}}}},
            "mapping.event.type",
        ),
        (
            {
                "connector": "x",
                "mapping": {"event": {"id": "a", "type": {"const": "sale"}, "revnue": "a"}},
            },
            "mapping.event.revnue",
        ),
        ({"connector": "x", "preset": "csv", "colour": "red"}, "colour: unknown field"),
    ],
)
def test_a_bad_connector_is_refused_naming_what_is_wrong(
    app: Running, body: dict[str, Any], said: str
) -> None:
    response = manager_post(app, "/api/connectors", body)
    assert response.status_code == 422, response.text
    assert said in response.json()["error"]
    assert app.get("/api/connectors").json()["connectors"] == []


def test_external_ids_are_checked_at_the_door(app: Running) -> None:
    agent = send.roster()[2] | {"id": "agent-bad", "external_ids": {"Hub Spot": "1"}}
    response = app.post(agent, role="manager")
    assert response.status_code == 422
    assert "system name" in response.json()["invalid"][0]["problems"]["external_ids"]
    agent["external_ids"] = {"hubspot": 512}
    assert (
        "hubspot: expected a string"
        in app.post(agent, role="manager").json()["invalid"][0]["problems"]["external_ids"]
    )


def test_the_roster_shows_each_agents_ids_in_other_systems(app: Running) -> None:
    agents = {a["agent"]: a for a in app.get("/api/manage/roster").json()["agents"]}
    assert agents["a-2"]["external_ids"] == {"hubspot": "513"}
    # a-1 takes a-2's HubSpot id: it moves, and a-2 has none left
    moved = send.roster()[2] | {"id": "agent-a-1-v2", "external_ids": {"hubspot": "513"}}
    assert app.post(moved, role="manager").status_code == 202
    app.settle()
    agents = {a["agent"]: a for a in app.get("/api/manage/roster").json()["agents"]}
    assert agents["a-1"]["external_ids"] == {"hubspot": "513"}
    assert agents["a-2"]["external_ids"] == {}


def test_a_presets_mapping_fixed_alone_keeps_its_signature_and_secret(app: Running) -> None:
    create(app, {"connector": "deals", "preset": "hubspot", "secret": send.HUBSPOT_SECRET})
    mapping = {**PRESETS["hubspot"].mapping, "filter": "dealstage == 'won'"}
    again = create(app, {"connector": "deals", "mapping": mapping})
    assert (again["preset"], again["scheme"], again["mapping"]) == ("hubspot", "hubspot", mapping)
    assert "secret" not in again
    body = orjson.dumps(send.hubspot_deal(5, stage="won"))
    headers = send.hubspot_headers("http://testserver/hooks/deals", body)
    assert app.client.post("/hooks/deals", content=body, headers=headers).json()["accepted"] == 1
