"""Coins and the store through the API: who may redeem for whom, the wallet an
agent and a manager read, and the store as each role sees it."""

from __future__ import annotations

from typing import Any

from tests.helpers import Running, running
from tests.scoring_helpers import whole_rules
from tests.test_api_scoring import admin, setup

NOW = "2026-11-02T09:00:00Z"


def event(event_id: str, event_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "type": event_type, "ts": NOW, **fields}


def redeem(redemption_id: str, reward: str = "mug", agent: str = "a-1") -> dict[str, Any]:
    return event(
        f"ev-{redemption_id}", "redemption", redemption=redemption_id, agent=agent, reward=reward
    )


def stocked(app: Running) -> None:
    """The roster, a store (a mug of 40 coins, 1 in stock; a day off of 300) and 100
    coins for a-1, given by the manager."""
    setup(app)
    posted = app.post(
        [
            event("mug", "reward", reward="mug", name="Mug", price=40, stock=1, picture="/m.png"),
            event("day-off", "reward", reward="day-off", name="Day off", price=300),
            event("retired", "reward", reward="retired", name="Old cap", price=5, active=False),
            event("budget-ber", "reward_budget", site="ber", month_cap=1000),
            event("grant-1", "coins", agent="a-1", amount=100, reason="top of the week"),
        ],
        role="manager",
    )
    assert posted.status_code == 202, posted.text
    app.settle()


def wallet(app: Running, agent: str = "a-1", role: str = "manager", **params: Any) -> Any:
    return app.get(f"/api/agents/{agent}/wallet", role=role, params=params)


def test_an_agent_reads_its_own_wallet_and_a_manager_reads_any() -> None:
    with running() as app:
        stocked(app)
        own = wallet(app, role="agent")
        assert own.status_code == 200, own.text
        body = own.json()
        assert (body["balance"], body["pending"], body["reserved"]) == (100, 0, 0)
        [given] = body["history"]
        assert (given["coins"], given["cause"], given["by"], given["note"]) == (
            100,
            "grant",
            "test",  # the manager token's label
            "top of the week",
        )
        other = wallet(app, "a-2", role="agent")
        assert other.status_code == 403
        assert other.json()["error"] == "an agent token reads its own wallet only"
        assert wallet(app, "a-2").json()["balance"] == 0
        for limit in ("0", "1001", "ten", "²"):
            refused = wallet(app, limit=limit)
            assert refused.status_code == 422, limit
            assert "expected limit to be 1 to 1000" in refused.json()["error"]


def test_an_agent_redeems_for_itself_and_a_manager_approves() -> None:
    with running() as app:
        stocked(app)
        posted = app.post(redeem("r-1"), role="agent")
        assert posted.status_code == 202, posted.text
        app.settle()
        body = wallet(app, role="agent").json()
        assert (body["balance"], body["reserved"]) == (60, 40)
        assert [(r["redemption"], r["state"], r["name"]) for r in body["redemptions"]] == [
            ("r-1", "held", "Mug")
        ]
        store = app.get("/api/rewards").json()
        [waiting] = store["waiting"]
        assert (waiting["redemption"], waiting["agent_name"], waiting["site"]) == (
            "r-1",
            "Anna Berg",
            "ber",
        )
        assert [(b["site"], b["name"], b["month_cap"], b["used"]) for b in store["budgets"]] == [
            ("ber", "Berlin", 1000, 40)
        ]
        decided = event("d-1", "redemption_decision", redemption="r-1", approve=True)
        assert app.post(decided, role="manager").status_code == 202
        app.settle()
        body = wallet(app, role="agent").json()
        assert (body["balance"], body["reserved"]) == (60, 0)
        assert body["redemptions"][0]["state"] == "approved"
        assert app.get("/api/rewards").json()["waiting"] == []


def test_a_rejection_gives_the_coins_back_and_a_short_balance_is_refused_visibly() -> None:
    with running() as app:
        stocked(app)
        assert app.post([redeem("r-1"), redeem("r-2", "day-off")], role="agent").is_success
        rejected = event(
            "d-1", "redemption_decision", redemption="r-1", approve=False, reason="none left"
        )
        assert app.post(rejected, role="manager").status_code == 202
        app.settle()
        body = wallet(app, role="agent").json()
        assert (body["balance"], body["reserved"]) == (100, 0)
        assert [(r["redemption"], r["state"], r["reason"]) for r in body["redemptions"]] == [
            ("r-2", "refused", "balance"),
            ("r-1", "rejected", "none left"),
        ]
        assert [(m["cause"], m["coins"]) for m in body["history"]] == [
            ("refund", 40),
            ("redemption", -40),
            ("grant", 100),
        ]


def test_the_store_an_agent_or_a_board_reads_holds_the_items_only() -> None:
    with running() as app:
        stocked(app)
        assert app.post(redeem("r-1"), role="agent").status_code == 202
        app.settle()
        for role in ("agent", "display"):
            store = app.get("/api/rewards", role=role).json()
            assert set(store) == {"rewards", "offset"}, role
            assert store["rewards"] == [
                {
                    "reward": "mug",
                    "name": "Mug",
                    "price": 40,
                    "picture": "/m.png",
                    "stock": 1,
                    "left": 0,
                },
                {
                    "reward": "day-off",
                    "name": "Day off",
                    "price": 300,
                    "picture": None,
                    "stock": None,
                    "left": None,
                },
            ]
        managers = app.get("/api/rewards").json()["rewards"]
        assert [(r["reward"], r["active"], r["redeemed"]) for r in managers] == [
            ("mug", True, 1),
            ("day-off", True, 0),
            ("retired", False, 0),
        ]


def test_an_agent_token_posts_its_own_redemptions_only() -> None:
    with running() as app:
        stocked(app)
        before = app.events()
        for body, said in [
            (redeem("r-1", agent="a-2"), "an agent token posts for its own agent ('a-1') only"),
            (
                [redeem("r-1"), event("g", "coins", agent="a-1", amount=500, reason="me")],
                "an agent token posts only its own challenges (contest, challenge_answer, "
                "contest_end) and redemptions; event 1 is a 'coins' event",
            ),
            (
                event("s", "sale", agent="a-1", product="p", revenue="1.00", channel="phone"),
                "event 0 is a 'sale' event",
            ),
        ]:
            refused = app.post(body, role="agent")
            assert refused.status_code == 403, refused.text
            assert said in refused.json()["error"]
        invalid = app.post({**redeem("r-1"), "price": 0}, role="agent")
        assert invalid.status_code == 422
        assert invalid.json()["invalid"][0]["problems"] == {"price": "unknown field"}
        assert app.events() == before, "nothing was stored"
        # An integration's token redeems nothing either.
        by_crm = app.post(redeem("r-1"))
        assert by_crm.status_code == 422
        assert "written by managers" in by_crm.json()["invalid"][0]["problems"]["type"]


def test_the_widget_redeems_with_its_pages_cookie_and_a_boards_cookie_does_not() -> None:
    with running() as app:
        stocked(app)
        app.client.get(f"/board?token={app.tokens['display']}")
        assert app.client.post("/api/events", json=redeem("r-0")).status_code == 401
        app.client.cookies.clear()
        app.client.get(f"/me?token={app.tokens['agent']}")  # the widget keeps its cookie
        posted = app.client.post("/api/events", json=redeem("r-1"))
        assert posted.status_code == 202, posted.text
        app.settle()
        assert wallet(app).json()["redemptions"][0]["redemption"] == "r-1"
        # From another site, the widget's cookie gets nowhere.
        evil = app.client.post(
            "/api/events", json=redeem("r-2"), headers={"Origin": "https://evil.example"}
        )
        assert evil.status_code == 403


def test_a_redemption_id_in_use_is_refused_and_a_retry_is_a_duplicate() -> None:
    with running() as app:
        stocked(app)
        assert app.post(redeem("r-1"), role="agent").status_code == 202
        app.settle()
        again = app.post(redeem("r-1"), role="agent")
        assert again.status_code == 202 and again.json()["duplicates"] == 1
        taken = app.post({**redeem("r-1", "day-off"), "id": "ev-other"}, role="agent")
        assert taken.status_code == 409
        assert taken.json()["error"] == (
            "redemption 'r-1' exists already; nothing was stored. Redeem under another id"
        )
        twice = app.post([redeem("r-2"), {**redeem("r-2"), "id": "ev-3"}], role="agent")
        assert twice.status_code == 409
        assert "redemption 'r-2' is made twice in this batch" in twice.json()["error"]


def test_a_correction_names_who_took_what_and_a_zero_amount_is_refused() -> None:
    with running() as app:
        stocked(app)
        corrected = admin("fix-1", "coins", agent="a-1", amount=-250, reason="booked twice")
        assert app.post(corrected, role="manager").status_code == 202
        zero = app.post(admin("fix-2", "coins", agent="a-1", amount=0, reason="x"), role="manager")
        assert zero.status_code == 422
        assert zero.json()["invalid"][0]["problems"]["amount"] == (
            "expected coins to give (> 0) or take back (< 0), got 0"
        )
        app.settle()
        body = wallet(app).json()
        assert body["balance"] == 0
        taken = body["history"][0]
        assert (taken["coins"], taken["asked"], taken["by"]) == (-100, -250, "test")


def test_the_audit_log_lists_an_agents_redemption_as_the_agents_own() -> None:
    with running() as app:
        stocked(app)
        assert app.post(redeem("r-1"), role="agent").status_code == 202
        app.settle()
        audit = app.get("/api/manage/audit", params={"actor": "agent"})
        assert audit.status_code == 200, audit.text
        [action] = audit.json()["actions"]
        assert (action["type"], action["source"], action["fields"]["redemption"]) == (
            "redemption",
            "agent",
            "r-1",
        )


def test_coin_rules_are_a_section_of_the_rule_set_shown_with_its_changes() -> None:
    with running() as app:
        wrong = whole_rules(coins={"per_point": -1, "places": [50, "thirty"]})
        refused = app.post(event("bad", "rules", rules=wrong), role="manager")
        assert refused.status_code == 422
        said = refused.json()["invalid"][0]["problems"]["rules"]
        assert "coins.per_point: expected 0 to 1000, got -1" in said
        assert "coins.places: expected a list of at most 64 whole numbers" in said
        paying = whole_rules(coins={"per_point": 0.1, "places": [50, 30]})
        assert app.post(event("v1", "rules", rules=paying), role="manager").status_code == 202
        app.settle()
        [latest, _default] = app.get("/api/rules").json()["history"]
        assert latest["rules"]["coins"] == {"per_point": 0.1, "places": [50, 30]}
        assert latest["changes"] == [
            {"path": "coins.per_point", "from": 0, "to": 0.1},
            {"path": "coins.places", "from": [], "to": [50, 30]},
        ]
