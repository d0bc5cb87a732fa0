"""What a board's state holds of the contests: public names only, no hidden
contest, no challenge waiting for its answer or with an agent who opted out,
with ``WALLBOARD_WORKS_COUNCIL`` no agent at all, and a decided run for a day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from scoring.log import format_ts
from tests.helpers import Running, running, sale
from wallboard import topics

#: the contests run from two hours ago to two hours ahead, on the server's clock
NOW = datetime.now(UTC).replace(microsecond=0)


def at(hours: float) -> str:
    return format_ts(NOW + timedelta(hours=hours))


ROSTER = [
    {"id": "site-ber", "type": "site", "site": "ber", "name": "Berlin"},
    {"id": "site-lei", "type": "site", "site": "lei", "name": "Leipzig"},
    {"id": "team-1", "type": "team", "team": "t1", "name": "Spree", "site": "ber"},
    {"id": "team-2", "type": "team", "team": "t2", "name": "Pleisse", "site": "lei"},
    {"id": "ag-1", "type": "agent", "agent": "a-1", "name": "Anna Berg", "team": "t1"}
    | {"site": "ber", "public_name": "Anna"},
    {"id": "ag-2", "type": "agent", "agent": "a-2", "name": "Ben Ohl", "team": "t2"}
    | {"site": "lei", "public_name": "Ben"},
    {"id": "ag-3", "type": "agent", "agent": "a-3", "name": "Cleo Dorn", "team": "t2"}
    | {"site": "lei", "opt_out": True},
]


def contest(ident: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"contest-{ident}",
        "type": "contest",
        "ts": at(-3),
        "contest": ident,
        "name": ident.title(),
        "metric": "sales",
        "starts": at(-2),
        "ends": at(2),
        **fields,
    }


def company(app: Running) -> None:
    roster = [{**event, "ts": at(-24)} for event in ROSTER]
    launches = [
        contest("battle", format="team_battle", sites=["ber", "lei"]),
        contest("duel", format="challenge", agents=["a-1", "a-2"]),
        contest("shy", format="challenge", agents=["a-1", "a-3"]),
        contest("secret", format="race", agents=["a-1", "a-2"], target=5, hidden=True),
    ]
    assert app.post(roster + launches, role="manager").status_code == 202
    assert app.post(sale("s-1", agent="a-1", ts=at(-1))).status_code == 202
    app.settle()


def shown(app: Running, works_council: bool = False) -> dict[str, Any]:
    state = topics.render(app.engine.scorer, "board", works_council=works_council)
    return {c["contest"]: c for c in state["contests"]}


def test_a_board_shows_running_contests_by_public_name_only() -> None:
    with running() as app:
        company(app)
        contests = shown(app)
        assert sorted(contests) == ["battle", "duel"]  # not the hidden, not the opted out's
        duel = contests["duel"]
        assert duel["challenge"]["challenger"] == {"name": "Anna"}
        assert duel["challenge"]["scores"] == [1, 0]
        assert [row["name"] for row in duel["standings"]] == ["Anna", "Ben"]
        assert "Anna Berg" not in str(contests) and "a-1" not in str(duel)
        battle = contests["battle"]
        assert [(row["id"], row["score"], row["provisional"]) for row in battle["standings"]] == [
            ("ber", 1, True),
            ("lei", 0, False),
        ]
        assert battle["standings"][0]["colour"].startswith("#")


def test_in_works_council_mode_no_agent_appears_and_site_contests_stay() -> None:
    with running() as app:
        company(app)
        contests = shown(app, works_council=True)
        assert sorted(contests) == ["battle"]


def test_a_revoked_sale_shows_and_a_decided_run_stays_a_day() -> None:
    with running() as app:
        company(app)
        cancel = {"id": "x-1", "type": "cancellation", "ts": at(-0.5), "sale": "s-1"}
        assert app.post(cancel).status_code == 202
        app.settle()
        battle = shown(app)["battle"]
        assert battle["revoked"] == [{"name": "Berlin", "product": "mobile-upgrade"}]
        assert battle["standings"][0]["revoked"] == 1
        app.tick("t-2", at(3))
        app.settle()
        assert shown(app)["battle"]["winners"] is not None
        app.tick("t-3", at(28))
        app.settle()
        assert "battle" not in shown(app)


def test_a_contest_of_more_sides_than_a_board_holds_says_how_many_it_has() -> None:
    """A battle of fourteen teams: the board's state holds the top twelve and the
    count, so the scene's "+2 more" is right."""
    with running() as app:
        company(app)
        teams = [
            {"id": f"team-x{n}", "type": "team", "team": f"x{n}", "name": f"X{n}", "site": "ber"}
            | {"ts": at(-24)}
            for n in range(14)
        ]
        many = contest("many", format="team_battle", teams=[f"x{n}" for n in range(14)])
        assert app.post([*teams, many], role="manager").status_code == 202
        app.settle()
        battle = shown(app)["many"]
        assert (len(battle["standings"]), battle["ranked"]) == (12, 14)
