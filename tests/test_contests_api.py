"""Contests through the API: who may post which contest event, and what
``GET /api/contests`` and ``GET /api/contests/{id}`` show each reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.helpers import Running, running, sale
from tests.test_api_scoring import setup as roster_setup
from wallboard.settings import Settings

NOW = datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def launch(contest_id: str = "duel", **fields: Any) -> dict[str, Any]:
    event = {
        "id": f"launch-{contest_id}",
        "type": "contest",
        "ts": iso(NOW),
        "contest": contest_id,
        "format": "challenge",
        "name": "High noon",
        "metric": "revenue",
        "starts": iso(NOW - timedelta(hours=1)),
        "ends": iso(NOW + timedelta(hours=2)),
        "agents": ["a-1", "a-2"],
        "stake": 20,
    }
    return {**event, **fields}


def setup(app: Running) -> None:
    """The roster, and 50 coins each for Anna and Ben: enough for the stakes below."""
    roster_setup(app)
    grants = [
        {"id": f"grant-{agent}", "type": "coins", "ts": iso(NOW - timedelta(hours=2))}
        | {"agent": agent, "amount": 50, "reason": "a start"}
        for agent in ("a-1", "a-2")
    ]
    assert app.post(grants, role="manager").status_code == 202
    app.settle()


def answer(contest_id: str = "duel", accept: bool = True) -> dict[str, Any]:
    return {
        "id": f"answer-{contest_id}",
        "type": "challenge_answer",
        "ts": iso(NOW),
        "contest": contest_id,
        "accept": accept,
    }


def now_sale(event_id: str, agent: str, revenue: str) -> dict[str, Any]:
    return sale(event_id, agent=agent, revenue=revenue, ts=iso(NOW))


def after_the_end(app: Running) -> None:
    app.tick("tick-after", iso(NOW + timedelta(hours=3)))
    app.settle()


def test_an_agent_challenges_the_other_accepts_and_both_see_the_score() -> None:
    with running() as app:
        setup(app)
        assert app.post(launch(), role="agent:a-1").status_code == 202
        app.settle()
        issued = app.get("/api/contests/duel", role="agent:a-2").json()
        assert issued["challenge"]["answer"] == "issued"
        assert issued["challenge"]["challenger"] == {"name": "A.B."}
        assert app.post(answer(), role="agent:a-2").status_code == 202
        app.post([now_sale("s-1", "a-1", "80.00"), now_sale("s-2", "a-2", "120.00")])
        app.settle()
        manager = app.get("/api/contests/duel").json()
        assert manager["challenge"]["answer"] == "accepted"
        assert [
            (r["id"], r["name"], r["score"], r["rank"], r["provisional"])
            for r in manager["standings"]
        ] == [
            ("a-2", "Ben Ohl", 120.0, 1, True),
            ("a-1", "Anna Berg", 80.0, 2, True),
        ]
        assert manager["winners"] is None and manager["source"] == "agent"
        board = app.get("/api/contests/duel", role="display").json()
        assert [(r["name"], r["score"]) for r in board["standings"]] == [
            ("Benno", 120.0),
            ("A.B.", 80.0),
        ]
        assert "a-1" not in str(board) and "Anna Berg" not in str(board)
        after_the_end(app)
        decided = app.get("/api/contests/duel", role="agent:a-1").json()
        assert decided["state"] == "decided" and decided["provisional"] is True
        assert decided["winners"] == [{"name": "Benno"}]
        listed = app.get("/api/contests").json()["contests"]
        assert [(c["contest"], c["winners"]) for c in listed] == [
            ("duel", [{"id": "a-2", "name": "Ben Ohl"}])
        ]


def test_what_an_agent_may_not_post_is_refused_with_the_reason() -> None:
    with running() as app:
        setup(app)
        cases = [
            (launch(agents=["a-2", "a-1"]), "agent:a-1", "agents[0] must be 'a-1'"),
            (launch(format="team_battle", stake=None), "agent:a-1", "challenges only"),
            (now_sale("s-9", "a-1", "5.00"), "agent:a-1", "event 0 is a 'sale' event"),
            (answer("nothing"), "agent:a-2", "no challenge 'nothing' waits"),
            (launch(hidden=True), "agent:a-1", "hidden contests are the managers'"),
        ]
        for event, role, reason in cases:
            refused = app.post(event, role=role)
            assert refused.status_code == 403, (reason, refused.text)
            assert reason in refused.json()["error"]
        assert app.post(launch(), role="agent:a-1").status_code == 202
        app.settle()
        refused = app.post(answer(), role="agent:a-1")
        assert refused.status_code == 403
        assert refused.json()["error"] == "only the opponent of challenge 'duel' answers it"
        end = {"id": "end-1", "type": "contest_end", "ts": iso(NOW), "contest": "duel"}
        assert app.post(end, role="agent:a-2").status_code == 403
        assert app.post(end, role="agent:a-1").status_code == 202  # withdrawn
        app.settle()
        assert app.get("/api/contests/duel").json()["state"] == "withdrawn"
        assert app.events()  # nothing refused was stored
        stored = [e for e in app.events() if b'"type":"contest"' in e]
        assert len(stored) == 1


def test_an_integration_launches_and_ends_its_own_contests_only() -> None:
    with running() as app:
        setup(app)
        battle = launch("battle", format="team_battle", agents=None, teams=["t1", "t2"], stake=None)
        assert app.post(battle).status_code == 202
        assert app.post(launch("paired"), role="manager").status_code == 202
        app.settle()
        assert app.get("/api/contests/paired").json()["challenge"]["answer"] == "accepted"
        end = {"id": "end-2", "type": "contest_end", "ts": iso(NOW), "contest": "paired"}
        refused = app.post(end)
        assert refused.status_code == 403
        assert "only the contests its source ('crm') launched" in refused.json()["error"]
        assert app.post({**end, "contest": "battle"}).status_code == 202
        app.settle()
        view = app.get("/api/contests/battle", role="display").json()
        assert [r["id"] for r in view["standings"]] == ["t1", "t2"]
        assert [r["name"] for r in view["standings"]] == ["Spree", "Pleisse"]


def test_a_contest_changes_as_far_as_it_may_and_a_bad_one_is_named() -> None:
    with running() as app:
        setup(app)
        assert app.post(launch(), role="manager").status_code == 202
        app.settle()
        renamed = app.post(launch(id="rename", name="Noon duel"), role="manager")
        assert renamed.status_code == 202, renamed.text
        later = iso(NOW + timedelta(hours=4))
        extended = launch(id="extend", name="Noon duel", ends=later)
        assert app.post(extended, role="manager").status_code == 202
        app.settle()
        view = app.get("/api/contests/duel").json()
        assert (view["name"], view["ends"]) == ("Noon duel", later)
        assert view["definition"]["name"] == "Noon duel"
        refused = [
            (launch(id="stake", stake=50), "manager", 409, "cannot change its stake"),
            (launch(id="metric", metric="sales"), "manager", 409, "cannot change its metric"),
            (
                launch(id="past", ends=iso(NOW - timedelta(minutes=5))),
                "manager",
                409,
                "contest_end",
            ),
            (launch(id="mine"), "agent:a-1", 409, "contest 'duel' exists already"),
            (launch(id="crm"), "ingest", 403, "changes only the contests its source"),
        ]
        for event, role, status, reason in refused:
            said = app.post(event, role=role)
            assert said.status_code == status, (reason, said.text)
            assert reason in said.json()["error"]
        assert app.post(launch(), role="manager").json()["duplicates"] == 1  # a retry
        twice = app.post([launch("twin", id="t1"), launch("twin", id="t2")], role="manager")
        assert twice.status_code == 409 and "twice in the batch" in twice.json()["error"]
        bad = app.post(launch("race", format="race", stake=None), role="manager")
        assert bad.status_code == 422
        assert bad.json()["invalid"][0]["problems"] == {
            "target": "required for a race: the line to reach, in the metric's unit"
        }
        assert app.get("/api/contests/nothing").status_code == 404
        app.settle()
        assert app.get("/api/contests/duel").json()["definition"]["stake"] == 20


def test_a_hidden_contest_is_the_managers_until_revealed() -> None:
    with running() as app:
        setup(app)
        assert app.post(launch(hidden=True), role="manager").status_code == 202
        app.settle()
        assert app.get("/api/contests/duel", role="display").status_code == 404
        assert app.get("/api/contests", role="display").json()["contests"] == []
        assert app.get("/api/contests/duel").json()["hidden"] is True
        assert app.post(launch(id="reveal"), role="manager").status_code == 202
        app.settle()
        assert app.get("/api/contests/duel", role="display").status_code == 200


def test_public_readers_never_see_an_agent_who_opted_out_nor_any_with_the_works_council() -> None:
    with running() as app:
        setup(app)
        app.post(
            launch("floor", format="team_battle", agents=["a-1", "a-2", "a-3"], stake=None),
            role="manager",
        )
        app.post([now_sale("s-1", "a-3", "300.00")])
        app.settle()
        shown = app.get("/api/contests/floor", role="display").json()
        assert [r["name"] for r in shown["standings"]] == ["A.B.", "Benno"]
        assert "Cem" not in str(shown)
    with running(settings=Settings(store="memory://", works_council=True)) as app:
        setup(app)
        app.post(launch(), role="manager")
        app.settle()
        shown = app.get("/api/contests/duel", role="display").json()
        assert shown["standings"] == [] and shown["challenge"]["challenger"] == {"name": None}


def grant(app: Running, agent: str, amount: int) -> None:
    event = {"id": f"grant-{agent}-{amount}", "type": "coins", "ts": iso(NOW), "agent": agent}
    assert app.post(event | {"amount": amount, "reason": "test"}, role="manager").status_code == 202
    app.settle()


def test_coins_at_stake_are_coins_the_agents_have_and_one_challenge_at_a_time() -> None:
    with running() as app:
        setup(app)  # 50 coins each
        grant(app, "a-2", -50)  # Ben has none left
        steep = app.post(launch("steep", id="steep", stake=60), role="agent:a-1")
        assert steep.status_code == 409
        assert "a stake of 60 coins is more than a-1's balance (50 coins)" in steep.json()["error"]
        paired = app.post(launch("pair", stake=10), role="manager")
        assert paired.status_code == 409 and "a-2's balance (0 coins)" in paired.json()["error"]
        assert app.post(launch("cheap", stake=10), role="agent:a-1").status_code == 202
        app.settle()
        accept = app.post(answer("cheap"), role="agent:a-2")
        assert accept.status_code == 409 and "a-2's balance (0 coins)" in accept.json()["error"]
        assert app.post(answer("cheap", accept=False), role="agent:a-2").status_code == 202
        grant(app, "a-2", 50)
        assert app.post(launch(), role="agent:a-1").status_code == 202
        app.settle()
        twice = app.post(launch("twice", id="twice", agents=["a-2", "a-1"]), role="agent:a-2")
        assert twice.status_code == 409
        assert "a challenge between a-2 and a-1 waits or runs already" in twice.json()["error"]
        later = {"starts": iso(NOW + timedelta(hours=3)), "ends": iso(NOW + timedelta(hours=5))}
        after = launch("after", id="after", agents=["a-2", "a-1"], **later)
        assert app.post(after, role="agent:a-2").status_code == 202  # another time


def test_coins_are_granted_only_to_an_agent_the_roster_names() -> None:
    with running() as app:
        setup(app)
        grant = {"id": "g-x", "type": "coins", "ts": iso(NOW), "agent": "Clara Neumann"}
        refused = app.post(grant | {"amount": 10, "reason": "typo"}, role="manager")
        assert refused.status_code == 422
        assert "no agent 'Clara Neumann' in the roster" in refused.json()["error"]
        app.settle()
        assert "Clara Neumann" not in str(app.events())
