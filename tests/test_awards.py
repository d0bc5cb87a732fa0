"""The console's awards: winners and prizes by name, handed over with one POST."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import orjson

from tests.helpers import Running, running
from tests.test_api_scoring import admin, open_tombola, setup, today_sale
from wallboard.awards import handover_id


def prizes(app: Running) -> None:
    """A mug for every sale of 250 EUR or more; cinema tickets and a shirt to draw."""
    events = [
        admin("p-mug", "prize", prize="mug", name="Mug", stock=10),
        admin("p-cinema", "prize", prize="cinema", name="Cinema tickets"),
        admin("p-shirt", "prize", prize="shirt", name="Shirt"),
        admin("r-mug", "prize_rule", rule="big", kind="instant", prize="mug", min_revenue="250"),
    ]
    assert app.post(events, role="manager").status_code == 202


def world(app: Running) -> None:
    setup(app)
    prizes(app)
    open_tombola(app, ["cinema", "shirt"], every=1)
    today_sale(app, "s-1", "a-1", "300.00")
    today_sale(app, "s-2", "a-2", "400.00")
    today_sale(app, "s-3", "a-1", "10.00")
    today_sale(app, "s-4", "a-2", "20.00")
    cancel = {
        "id": "x-2",
        "type": "cancellation",
        "ts": datetime.now(UTC).isoformat(),
        "sale": "s-2",
    }
    assert app.post(cancel).status_code == 202
    app.tick("tick-draw", "2030-01-01T00:00:01Z")
    app.settle()


def hand_over(app: Running, path: str) -> Any:
    headers = {"Authorization": f"Bearer {app.tokens['manager']}"}
    return app.client.post(path, headers=headers)


def test_awards_name_the_agent_and_the_prize_and_say_how_to_hand_them_over() -> None:
    with running() as app:
        world(app)
        body = app.get("/api/manage/awards").json()
        awards = body["awards"]
        by_id = {a["award"]: a for a in awards}
        mug = by_id["big:crm:s-1"]
        assert {k: mug[k] for k in ("prize_name", "agent_name", "team_name", "site_name")} == {
            "prize_name": "Mug",
            "agent_name": "Anna Berg",
            "team_name": "Spree",
            "site_name": "Berlin",
        }
        assert (mug["kind"], mug["state"], mug["handed_over"]) == ("instant", "awarded", False)
        assert mug["handover"] == "/api/manage/awards/big%3Acrm%3As-1/handover"
        assert mug["ts_local"].endswith(("+01:00", "+02:00"))
        revoked = by_id["big:crm:s-2"]
        assert (revoked["state"], revoked["handover"], revoked["agent_name"]) == (
            "revoked",
            None,
            "Ben Ohl",
        )
        drawn = [a for a in awards if a["kind"] == "tombola"]
        assert {a["tombola_name"] for a in drawn} == {"November"}
        assert {a["prize_name"] for a in drawn} == {"Cinema tickets", "Shirt"}
        # Newest first: the draw came after the sales.
        assert [a["position"] for a in awards] == sorted(
            (a["position"] for a in awards), reverse=True
        )
        assert awards[-1]["award"] == "big:crm:s-1"
        assert body["counts"] == {"awarded": 3, "handed_over": 0, "revoked": 1}

        [tombola] = body["tombolas"]
        assert (tombola["tombola"], tombola["name"], tombola["state"]) == (
            "nov",
            "November",
            "drawn",
        )
        winners = {w["agent_name"]: w for w in tombola["winners"]}
        assert set(winners) == {"Anna Berg", "Ben Ohl"}
        for winner in tombola["winners"]:
            assert winner["award"] == f"tombola:nov:{winner['agent']}"
            assert winner["state"] == "awarded" and winner["handover"].startswith("/api/manage/")


def test_one_post_hands_an_award_over_once_and_the_log_says_who() -> None:
    with running() as app:
        world(app)
        path = "/api/manage/awards/" + quote("big:crm:s-1", safe="") + "/handover"
        first = hand_over(app, path)
        assert first.status_code == 201, first.text
        assert first.json() == {
            "award": "big:crm:s-1",
            "state": "handed_over",
            "event": "handover-big:crm:s-1",
            "stored": True,
        }
        # A second click before the fold, and one after it: stored once.
        again = hand_over(app, path)
        assert again.status_code == 200 and again.json()["stored"] is False
        app.settle()
        after = hand_over(app, path)
        assert after.status_code == 200 and after.json()["stored"] is False
        handovers = [orjson.loads(data) for data in app.events() if b'"type":"handover"' in data]
        assert [(e["award"], e["by"], e["source"]) for e in handovers] == [
            ("big:crm:s-1", "test", "manage")
        ]

        [shown] = app.get("/api/manage/awards?state=handed_over").json()["awards"]
        assert shown["award"] == "big:crm:s-1" and shown["handed_over"] is True
        assert shown["handed_over_by"] == "test" and shown["handover"] is None
        assert shown["handed_over_at"] is not None
        [action] = app.get("/api/manage/audit?type=handover").json()["actions"]
        assert action["names"] == {"agent": "Anna Berg", "prize": "Mug"}

        # A tombola winner's prize the same way, from the path the list gives.
        winner = app.get("/api/manage/awards").json()["tombolas"][0]["winners"][0]
        assert hand_over(app, winner["handover"]).status_code == 201


def test_a_revoked_or_unknown_award_cannot_be_handed_over() -> None:
    with running() as app:
        world(app)
        revoked = hand_over(app, "/api/manage/awards/big:crm:s-2/handover")
        assert revoked.status_code == 409 and "was revoked" in revoked.json()["error"]
        unknown = hand_over(app, "/api/manage/awards/nope/handover")
        assert unknown.status_code == 404 and "no award 'nope'" in unknown.json()["error"]
        assert not [data for data in app.events() if b'"type":"handover"' in data]
        display = {"Authorization": f"Bearer {app.tokens['display']}"}
        refused = app.client.post("/api/manage/awards/big:crm:s-1/handover", headers=display)
        assert refused.status_code == 403


def test_awards_filter_by_state_agent_prize_and_tombola_and_come_by_pages() -> None:
    with running() as app:
        world(app)

        def ids(query: str) -> list[str]:
            response = app.get(f"/api/manage/awards?{query}")
            assert response.status_code == 200, response.text
            return [a["award"] for a in response.json()["awards"]]

        assert ids("state=revoked") == ["big:crm:s-2"]
        assert ids("prize=mug") == ["big:crm:s-2", "big:crm:s-1"]
        assert ids("agent=a-1&prize=mug") == ["big:crm:s-1"]
        assert sorted(ids("tombola=nov")) == ["tombola:nov:a-1", "tombola:nov:a-2"]
        first = app.get("/api/manage/awards?limit=3").json()
        rest = app.get(f"/api/manage/awards?limit=3&before={first['next_before']}").json()
        assert len(first["awards"]) == 3 and [a["award"] for a in rest["awards"]] == ["big:crm:s-1"]
        assert rest["next_before"] is None
        bad = app.get("/api/manage/awards?state=lost")
        assert bad.status_code == 422 and "expected state among" in bad.json()["error"]


def test_a_handover_id_stays_within_the_id_limit_for_the_longest_award_ids() -> None:
    assert handover_id("big:crm:s-1") == "handover-big:crm:s-1"
    longest = "r" * 128 + ":" + "crm:" + "s" * 128
    made = handover_id(longest)
    assert len(made) <= 128 and made == handover_id(longest) and made.startswith("handover-")
