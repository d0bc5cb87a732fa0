"""What the agent's desk widget is sent, in-process: the parts of each sum add up to
the points the agent got, the rule set's id stays off the page unless a person
named it, and what comes next when nothing is on."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.scoring_helpers import (
    Board,
    cancellation,
    contact,
    prize,
    prize_rule,
    roster,
    rules,
    sale,
    tick,
    tombola_draw,
    tombola_open,
)
from wallboard import desk, topics

START = "2026-01-01T00:00:00Z"
MACHINE_ID = "rules-1796238919856-c80738"
#: every part of a sale's sum in play: groups, a channel factor, a bonus, a weight
RULES = {
    "sale": {
        "products": {
            "Mobilfunk-Vertrag": {"base": 30, "per_euro": 0.2, "channel_bonus": {"shop": 3}},
            "*": {"base": 10, "per_euro": 0.1},
        },
        "groups": {"mobile-upgrade": "Mobilfunk-Vertrag"},
        "channel_factors": {"web": 0.6},
    },
    "weights": {"sales": 0.8, "support": 1.5},
    "commission": {"Mobilfunk-Vertrag": {"fixed": 4}, "*": {"percent": 10}},
    "contact": {
        "handled": 1,
        "resolved": 2,
        "referral": 3,
        "quality_bands": [{"min": 90, "points": 3}, {"min": 75, "points": 1}],
    },
}


def widget(board: Board, agent: str = "a1") -> dict[str, Any]:
    return topics.render(board.scorer, f"agent:{agent}")


def company(version: str = MACHINE_ID) -> Board:
    return Board(
        roster("a1", START, team="t1", site="ber", name="Anna Berg"),
        rules(version, START, **RULES),
    )


def test_an_id_a_machine_made_stays_off_the_page_and_a_name_a_person_gave_shows() -> None:
    for machine in (MACHINE_ID, "rules-9f86d081884c7d65", "default"):
        assert desk.rules_name(machine) is None, machine
    for named in ("spring-de", "rules-20260301-0900", "demo-rules", "Frühjahr 2026"):
        assert desk.rules_name(named) == named
    board = company().feed(sale("s1", "2026-03-02T09:00:00Z", product="mobile-upgrade"))
    sent = orjson.dumps(widget(board)).decode()
    assert MACHINE_ID not in sent and '"why"' not in sent
    named = company("spring-de").feed(sale("s1", "2026-03-02T09:00:00Z"))
    [row] = widget(named)["recent"]
    assert row["explain"]["rules_name"] == "spring-de"


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(0, 500_000),
    quantity=st.integers(1, 5),
    channel=st.sampled_from(["phone", "web", "shop"]),
    product=st.sampled_from(["mobile-upgrade", "tv-basic"]),
)
def test_the_parts_of_a_sales_sum_add_up_to_its_points_and_commission(
    cents: int, quantity: int, channel: str, product: str
) -> None:
    revenue = f"{cents // 100}.{cents % 100:02d}"
    board = company().feed(
        sale(
            "s1",
            "2026-03-02T09:00:00Z",
            product=product,
            revenue=revenue,
            channel=channel,
            quantity=quantity,
        )
    )
    [row] = widget(board)["recent"]
    x = row["explain"]
    assert x["rule"] == ("Mobilfunk-Vertrag" if product == "mobile-upgrade" else product)
    shown = (
        (x["base"] * x["quantity"] + x["per_euro"] * x["revenue"]) * x["factor"] + x["bonus"]
    ) * x["weight"]
    # to the cent the fold rounds to
    assert abs(shown - x["points"]) <= 0.005 + 1e-9 and x["points"] == row["points"]
    commission = (
        x["commission_fixed"] * x["quantity"] + x["revenue"] * x["commission_percent"] / 100
    )
    assert abs(commission - x["commission"]) <= 0.005 + 1e-9


def test_the_parts_of_a_contacts_sum_add_up_and_a_cancellation_says_what_it_took() -> None:
    board = company().feed(
        contact("c1", "2026-03-02T09:00:00Z", resolved=True, referral=9, quality=92),
        contact("c2", "2026-03-02T09:05:00Z", quality=60),
        sale("s1", "2026-03-02T09:10:00Z", product="mobile-upgrade", revenue="45.53"),
        cancellation("x1", "s1", "2026-03-02T10:00:00Z"),
    )
    rows = {row["event"]: row for row in widget(board)["recent"]}
    for event in ("c1", "c2"):
        x = rows[event]["explain"]
        parts = [x["handled"], x["resolved"], x["referral"], x["quality_points"]]
        assert sum(p for p in parts if p is not None) * x["weight"] == x["points"]
    assert (
        rows["c1"]["explain"]["quality_points"] == 3 and rows["c2"]["explain"]["resolved"] is None
    )
    assert rows["x1"]["explain"] == {
        "sale": "s1",
        "rule": "Mobilfunk-Vertrag",
        "revoked": True,
        "points": rows["s1"]["points"],
        "commission": 4.0,
    }
    assert rows["s1"]["explain"]["state"] == "revoked"


def test_prizes_to_win_leave_out_hidden_and_sold_out_ones_the_easiest_first() -> None:
    board = company().feed(
        prize("cinema", START, name="Cinema voucher", stock=5),
        prize("shirt", START, name="T-shirt", stock=1),
        prize("secret", START, name="Secret", stock=5),
        prize_rule("rank", START, kind="rank", prize="cinema", period="week", top=3),
        prize_rule("big", START, kind="instant", prize="cinema", min_revenue="200.00"),
        prize_rule("small", START, kind="instant", prize="shirt", min_revenue="50.00"),
        prize_rule(
            "hidden", START, kind="instant", prize="secret", min_revenue="1.00", hidden=True
        ),
    )
    assert [(c["how"], c["prize"]) for c in widget(board)["chances"]] == [
        ("instant", "T-shirt"),
        ("instant", "Cinema voucher"),
        ("rank", "Cinema voucher"),
    ]
    # The one T-shirt goes to the first sale of 50 €; a second would find none left.
    board.feed(sale("s1", "2026-03-02T09:00:00Z", revenue="60.00"))
    board.feed(sale("s2", "2026-03-02T09:01:00Z", revenue="60.00"))
    state = widget(board)
    assert [c["prize"] for c in state["chances"]] == ["Cinema voucher", "Cinema voucher"]
    [won] = state["prizes"]
    assert (won["name"], won["how"], won["revenue"], won["state"]) == (
        "T-shirt",
        "instant",
        60.0,
        "awarded",
    )


def test_between_tombolas_the_widget_knows_the_next_one_and_how_the_last_went() -> None:
    seed = bytes(32)
    board = company().feed(
        prize("cinema", START, name="Cinema voucher", stock=5),
        tombola_open(
            "weekly",
            "2026-03-02T08:00:00Z",
            closes="2026-03-02T12:00:00Z",
            prizes=["cinema"],
            seed=seed,
            every=2,
        ),
        sale("s1", "2026-03-02T09:00:00Z"),
        sale("s2", "2026-03-02T09:05:00Z"),
        sale("s3", "2026-03-02T09:10:00Z"),
    )
    board.feed(tick("2026-03-02T10:00:00Z"))
    [drum] = widget(board)["tombolas_open"]
    assert (drum["tickets"], drum["every"], drum["to_next"]) == (1, 2, 1)
    board.feed(
        tick("2026-03-02T12:00:00Z"),
        tombola_draw("weekly", "2026-03-02T12:01:00Z", seed=seed, ledger={"a1": 1}, winners=["a1"]),
    )
    # announced a week ahead: it reaches the log now and opens next Monday
    board.feed(
        tombola_open(
            "monday",
            "2026-03-09T08:00:00Z",
            closes="2026-03-16T08:00:00Z",
            prizes=["cinema"],
            seed=seed,
        ),
        received="2026-03-02T12:02:00Z",
    )
    board.feed(tick("2026-03-03T09:00:00Z"))
    state = widget(board)
    assert state["tombolas_open"] == []
    assert state["tombola_next"] == {"name": "Monday", "opens": "2026-03-09T08:00:00Z"}
    assert state["tombola_last"] == {
        "name": "Weekly",
        "closes": "2026-03-02T12:00:00Z",
        "drawn": True,
        "tickets": 1,
        "won": True,
    }
    [won] = state["prizes"]
    assert (won["how"], won["tombola_name"]) == ("tombola", "Weekly")


def test_a_new_agent_is_told_what_the_first_sale_earns_and_that_no_season_runs() -> None:
    state = widget(company())
    assert state["first_sale"] == {"rule": "Mobilfunk-Vertrag", "base": 24.0, "per_euro": 0.16}
    assert state["recent"] == [] and state["prizes"] == []
    assert (state["in_league"], state["match_next"], state["match_last"]) == (False, None, None)
    assert state["timezone"] == "Europe/Berlin"
