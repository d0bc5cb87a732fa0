"""Points, commission, the cancellation window, rule versions, periods, gates,
teams and personal goals: each with numbers worked out by hand in the test."""

from __future__ import annotations

import pytest

from tests.scoring_helpers import (
    Board,
    cancellation,
    contact,
    goal,
    prize,
    prize_rule,
    roster,
    rules,
    sale,
    season,
    team,
    tombola_open,
)

START = "2026-11-01T00:00:00Z"

# Points and commission for a sale -------------------------------------------

SALE_RULES = rules(
    "r-sales",
    START,
    sale={
        "products": {
            "mobile": {"base": 10, "per_euro": 0.5, "channel_bonus": {"shop": 4}},
            "tv": {"base": 20, "per_euro": 0.1},
            "*": {"base": 1, "per_euro": 0},
        },
        "groups": {"mobile-upgrade": "mobile", "mobile-new": "mobile"},
        "channel_factors": {"web": 0.5, "shop": 1.5},
    },
    weights={"sales": 2},
    commission={"mobile": {"fixed": 5}, "tv": {"percent": 10}, "*": {"fixed": 1.5}},
)


@pytest.mark.parametrize(
    ("product", "channel", "revenue", "quantity", "points", "commission"),
    [
        # group "mobile": (10 * 1 + 0.5 * 40) * 1 = 30, * 2 sales weight = 60; fixed 5 €
        ("mobile-upgrade", "phone", "40.00", 1, 60.0, 5.0),
        # (10 + 0.5 * 40) * 1.5 shop factor + 4 shop bonus = 49, * 2 = 98; fixed 5 €
        ("mobile-new", "shop", "40.00", 1, 98.0, 5.0),
        # the product itself names a rule: (10 * 2 + 0.5 * 40) * 0.5 web = 20, * 2 = 40; 5 € * 2
        ("mobile", "web", "40.00", 2, 40.0, 10.0),
        # (20 * 2 + 0.1 * 250) * 0.5 = 32.5, * 2 = 65; 10 % of 250 € = 25 €
        ("tv", "web", "250.00", 2, 65.0, 25.0),
        # tv has no shop bonus: (20 + 0.1 * 100) * 1.5 = 45, * 2 = 90; 10 % of 100 € = 10 €
        ("tv", "shop", "100.00", 1, 90.0, 10.0),
        # the "*" rules: (1 * 3 + 0 * 99) * 1 = 3, * 2 = 6; 1.50 € * 3 = 4.50 €
        ("router", "phone", "99.00", 3, 6.0, 4.5),
    ],
)
def test_sale_points_and_commission(
    product: str, channel: str, revenue: str, quantity: int, points: float, commission: float
) -> None:
    board = Board(
        SALE_RULES,
        sale(
            "s1",
            "2026-11-02T09:00:00Z",
            product=product,
            channel=channel,
            revenue=revenue,
            quantity=quantity,
        ),
    )
    day = board.period("day")
    assert day["points"] == {"pending": points, "confirmed": 0.0, "total": points}
    assert day["commission"] == {"pending": commission, "confirmed": 0.0}
    assert board.points_of_events() == {"s1": points}


def test_without_a_rule_set_the_defaults_apply() -> None:
    # 10 per sale + 0.1 per euro: 10 + 4.99 = 14.99 points, and no commission
    board = Board(sale("s1", "2026-11-02T09:00:00Z", revenue="49.90"))
    assert board.period("day")["points"]["pending"] == 14.99
    assert board.period("day")["commission"]["pending"] == 0.0


def test_the_explanation_names_the_rule_and_the_sum() -> None:
    board = Board(
        SALE_RULES,
        sale("s1", "2026-11-02T09:00:00Z", product="mobile-new", channel="shop", revenue="40.00"),
    )
    [row] = board.agent()["recent"]
    assert row["why"] == (
        "mobile: 10 × 1 + 0.5/€ × 40.00 € × 1.5 for shop + 4 shop bonus × 2 sales weight"
        " = 98 points; commission 5.00 € (fixed) (rules r-sales)"
    )


def test_revenue_in_another_currency_counts_in_euros() -> None:
    board = Board(
        rules("r-fx", START, exchange_rates={"USD": 0.9}, commission={"*": {"percent": 10}}),
        # 100 USD = 90 EUR: 10 + 0.1 * 90 = 19 points, 10 % of 90 € = 9 €
        sale("s1", "2026-11-02T09:00:00Z", revenue="100.00", currency="USD"),
        # no rate for CHF: the revenue counts as 0, and the explanation says so
        sale("s2", "2026-11-02T10:00:00Z", revenue="100.00", currency="CHF"),
    )
    assert board.points_of_events() == {"s1": 19.0, "s2": 10.0}
    day = board.period("day")
    assert (day["revenue"], day["commission"]["pending"]) == (90.0, 9.0)
    [why] = [row["why"] for row in board.agent()["recent"] if row["event"] == "s2"]
    assert "no exchange rate for CHF: revenue counts as 0" in why


# Points for a contact -------------------------------------------------------

CONTACT_RULES = rules(
    "r-contacts",
    START,
    contact={
        "handled": 1,
        "resolved": 3,
        "referral": 5,
        # listed out of order on purpose: the best band reached counts, once
        "quality_bands": [{"min": 75, "points": 2}, {"min": 90, "points": 4}],
    },
    weights={"support": 0.5},
)


@pytest.mark.parametrize(
    ("resolved", "referral", "quality", "points"),
    [
        (False, False, 60, 0.5),  # handled 1, * 0.5 support weight
        (True, True, 95, 6.5),  # 1 + 3 resolved + 5 referral + 4 (band 90), * 0.5
        (False, 9, 80, 4.0),  # NPS 9 is a referral: 1 + 5 + 2 (band 75), * 0.5
        (False, 10, 75, 4.0),  # NPS 10 too, and 75 reaches the 75 band: 1 + 5 + 2
        (False, 8, 89.9, 1.5),  # NPS 8 is not a referral: 1 + 2, * 0.5
        (True, False, 90, 4.0),  # 1 + 3 + 4, * 0.5
    ],
)
def test_contact_points(
    resolved: bool, referral: bool | int, quality: float, points: float
) -> None:
    board = Board(
        CONTACT_RULES,
        contact(
            "c1", "2026-11-02T09:00:00Z", resolved=resolved, referral=referral, quality=quality
        ),
    )
    day = board.period("day")
    assert day["support_points"] == points
    # support points are not held back: they stand at once
    assert day["points"] == {"pending": 0.0, "confirmed": points, "total": points}
    assert day["contacts"] == 1


def test_nps_nine_and_ten_count_as_referrals_and_eight_does_not() -> None:
    board = Board(
        contact("c1", "2026-11-02T09:00:00Z", referral=9),
        contact("c2", "2026-11-02T09:10:00Z", referral=8),
        contact("c3", "2026-11-02T09:20:00Z", referral=True),
        contact("c4", "2026-11-02T09:30:00Z", referral=10),
        contact("c5", "2026-11-02T09:40:00Z", referral=False),
    )
    assert board.period("day")["referral_rate"] == 3 / 5


def test_weights_steer_sales_against_support() -> None:
    board = Board(
        rules("r-support-first", START, weights={"sales": 0.5, "support": 2}),
        # default sale rule: 10 + 0.1 * 100 = 20, * 0.5 = 10
        sale("s1", "2026-11-02T09:00:00Z", revenue="100.00"),
        # default contact rule: 1 handled + 1 resolved = 2, * 2 = 4
        contact("c1", "2026-11-02T09:30:00Z", resolved=True),
    )
    day = board.period("day")
    assert day["sales_points"]["pending"] == 10.0
    assert day["support_points"] == 4.0
    assert day["points"]["total"] == 14.0


# The cancellation window ----------------------------------------------------

TEN_PERCENT = rules("r-ten", START, commission={"*": {"percent": 10}})


def test_a_sale_is_pending_for_fourteen_days_then_confirmed() -> None:
    # 10 + 0.1 * 150 = 25 points; 10 % of 150 € = 15 €
    board = Board(TEN_PERCENT, sale("s1", "2026-11-02T10:00:00Z", revenue="150.00"))
    board.at("2026-11-16T09:59:59Z")
    month = board.period("month")
    assert month["points"] == {"pending": 25.0, "confirmed": 0.0, "total": 25.0}
    assert month["commission"] == {"pending": 15.0, "confirmed": 0.0}
    assert board.agent()["recent"][0]["state"] == "pending"

    board.at("2026-11-16T10:00:00Z")
    month = board.period("month")
    assert month["points"] == {"pending": 0.0, "confirmed": 25.0, "total": 25.0}
    assert month["commission"] == {"pending": 0.0, "confirmed": 15.0}
    assert board.agent()["recent"][0]["state"] == "confirmed"


def test_a_custom_window_of_three_days() -> None:
    board = Board(
        rules("r-short", START, cancellation_window_days=3),
        sale("s1", "2026-11-02T10:00:00Z", revenue="100.00"),
    )
    board.at("2026-11-05T09:59:59Z")
    assert board.period("month")["points"]["pending"] == 20.0
    board.at("2026-11-05T10:00:00Z")
    assert board.period("month")["points"]["confirmed"] == 20.0


def test_the_received_stamp_of_any_event_moves_the_clock() -> None:
    board = Board(sale("s1", "2026-11-02T10:00:00Z", revenue="100.00"))
    # a contact that happened earlier but reached the log after the window
    board.feed(contact("c1", "2026-11-10T10:00:00Z"), received="2026-11-16T10:00:00Z")
    assert board.period("month")["sales_points"] == {"pending": 0.0, "confirmed": 20.0}


def _sale_with_prize_and_ticket() -> Board:
    """a1 sells for 150 €: 25 points, 15 € commission, the champagne, a ticket."""
    return Board(
        TEN_PERCENT,
        roster("a1", START, team="t1", site="berlin"),
        prize("champagne", START, stock=1),
        prize_rule("bubbly", START, kind="instant", prize="champagne", min_revenue="100.00"),
        tombola_open(
            "xmas", START, closes="2026-12-20T00:00:00Z", prizes=["champagne"], seed=b"x" * 32
        ),
        sale("s1", "2026-11-02T10:00:00Z", revenue="150.00"),
    )


def test_a_cancellation_inside_the_window_takes_everything_back() -> None:
    board = _sale_with_prize_and_ticket()
    assert board.period("month")["points"]["pending"] == 25.0
    [award] = board.awards()
    assert award["state"] == "awarded"
    assert board.prizes()["prizes"][0]["left"] == 0
    assert board.tombola("xmas")["tickets"] == {"a1": 1}

    board.feed(cancellation("x1", "s1", "2026-11-16T09:59:59Z"))  # one second inside
    month = board.period("month")
    assert month["points"] == {"pending": 0.0, "confirmed": 0.0, "total": 0.0}
    assert month["commission"] == {"pending": 0.0, "confirmed": 0.0}
    assert (month["sales"], month["revoked"], month["cancelled"]) == (0, 1, 1)
    # the award is kept, marked revoked, and the bottle is back in stock
    [award] = board.awards()
    assert award["state"] == "revoked"
    assert board.prizes()["prizes"][0]["left"] == 1
    assert board.tombola("xmas")["tickets"] == {}
    assert board.agent()["tombolas"][0]["tickets"] == 0

    # a revoked sale never confirms
    board.at("2026-11-30T00:00:00Z")
    assert board.period("month")["points"]["total"] == 0.0


def test_a_cancellation_after_the_window_takes_nothing_back() -> None:
    board = _sale_with_prize_and_ticket()
    board.feed(cancellation("x1", "s1", "2026-11-16T10:00:00Z"))  # the window's last moment
    month = board.period("month")
    assert month["points"] == {"pending": 0.0, "confirmed": 25.0, "total": 25.0}
    assert month["commission"] == {"pending": 0.0, "confirmed": 15.0}
    assert (month["sales"], month["revoked"], month["cancelled"]) == (1, 0, 1)
    assert month["cancellation_rate"] == 1.0
    assert board.awards()[0]["state"] == "awarded"
    assert board.prizes()["prizes"][0]["left"] == 0
    assert board.tombola("xmas")["tickets"] == {"a1": 1}
    assert board.agent()["recent"][0]["why"] == (
        "cancelled sale s1: after the cancellation window: points stay, "
        "counts in the cancellation rate"
    )


def test_a_cancellation_that_arrives_before_its_sale_waits_for_it() -> None:
    board = Board(TEN_PERCENT)
    board.feed(cancellation("x1", "s1", "2026-11-03T09:00:00Z"))
    assert board.period("day")["cancelled"] == 0
    # the CRM sends the sale an hour later
    board.feed(sale("s1", "2026-11-02T10:00:00Z"), received="2026-11-03T10:00:00Z")
    month = board.period("month")
    assert month["points"]["total"] == 0.0
    assert month["commission"] == {"pending": 0.0, "confirmed": 0.0}
    assert (month["sales"], month["revoked"], month["cancelled"]) == (0, 1, 1)


def test_an_early_cancellation_dated_after_the_window_only_counts_in_the_rate() -> None:
    board = Board(TEN_PERCENT)
    board.feed(cancellation("x1", "s1", "2026-11-20T09:00:00Z"))
    board.feed(sale("s1", "2026-11-02T10:00:00Z"), received="2026-11-21T10:00:00Z")
    month = board.period("month")
    # the sale is past its window when it arrives: confirmed at once, 20 points, 10 €
    assert month["points"] == {"pending": 0.0, "confirmed": 20.0, "total": 20.0}
    assert month["commission"]["confirmed"] == 10.0
    assert (month["sales"], month["cancelled"]) == (1, 1)


def test_a_second_cancellation_of_the_same_sale_is_ignored() -> None:
    board = Board(
        TEN_PERCENT,
        sale("s1", "2026-11-02T10:00:00Z"),
        sale("s2", "2026-11-02T11:00:00Z"),
        cancellation("x1", "s1", "2026-11-20T09:00:00Z"),
        cancellation("x2", "s1", "2026-11-21T09:00:00Z"),
    )
    month = board.period("month")
    # one cancelled sale of two made: 50 %, not 100 %
    assert month["cancelled"] == 1
    assert month["cancellation_rate"] == 0.5
    assert month["points"]["confirmed"] == 40.0


def test_a_second_cancellation_does_not_revoke_twice() -> None:
    board = Board(
        TEN_PERCENT,
        sale("s1", "2026-11-02T10:00:00Z", revenue="100.00"),
        sale("s2", "2026-11-02T11:00:00Z", revenue="200.00"),
        cancellation("x1", "s1", "2026-11-03T09:00:00Z"),
        cancellation("x2", "s1", "2026-11-04T09:00:00Z"),
    )
    month = board.period("month")
    # only s2 stands: 10 + 0.1 * 200 = 30 points, 20 €
    assert month["points"]["pending"] == 30.0
    assert month["commission"]["pending"] == 20.0
    assert (month["sales"], month["revoked"], month["cancelled"]) == (1, 1, 1)


# Rule changes ---------------------------------------------------------------


def test_a_rule_change_takes_effect_from_its_timestamp() -> None:
    board = Board(
        rules("r1", START, sale={"products": {"*": {"base": 10}}}, commission={"*": {"fixed": 2}}),
        rules(
            "r2",
            "2026-11-10T00:00:00Z",
            sale={"products": {"*": {"base": 30}}},
            commission={"*": {"fixed": 5}},
        ),
        sale("s1", "2026-11-09T23:59:59Z"),
        sale("s2", "2026-11-10T00:00:00Z"),
    )
    # a sale made under r1 and sent late is still scored under r1
    board.feed(sale("s3", "2026-11-08T12:00:00Z"), received="2026-11-11T08:00:00Z")
    assert board.points_of_events() == {"s1": 10.0, "s2": 30.0, "s3": 10.0}
    month = board.period("month")
    assert month["points"]["pending"] == 50.0
    assert month["commission"]["pending"] == 9.0
    versions = {row["event"]: row["rules"] for row in board.agent()["recent"]}
    assert versions == {"s1": "r1", "s2": "r2", "s3": "r1"}


# Periods in Europe/Berlin ---------------------------------------------------


def test_a_sale_late_in_the_evening_utc_belongs_to_the_next_berlin_day() -> None:
    board = Board(
        # Berlin is UTC+1 in November: 22:59 UTC is 23:59 on the 23rd,
        sale("s1", "2026-11-23T22:59:00Z", revenue="100.00"),
        # 23:30 UTC is 00:30 on the 24th
        sale("s2", "2026-11-23T23:30:00Z", revenue="200.00"),
    )
    day = board.period("day")
    assert day["key"] == "2026-11-24"
    assert (day["sales"], day["points"]["total"]) == (1, 30.0)  # 10 + 0.1 * 200


def test_in_summer_berlin_is_two_hours_ahead() -> None:
    board = Board(
        sale("s1", "2026-07-14T21:59:00Z", revenue="100.00"),  # 23:59 on the 14th
        sale("s2", "2026-07-14T22:00:00Z", revenue="200.00"),  # 00:00 on the 15th
    )
    day = board.period("day")
    assert day["key"] == "2026-07-15"
    assert day["sales"] == 1


def test_weeks_are_iso_weeks_of_berlin_days() -> None:
    board = Board(
        # Sunday 29 November 2026, 23:30 in Berlin: ISO week 48
        sale("s1", "2026-11-29T22:30:00Z", revenue="100.00"),
        # Monday 30 November, 00:30 in Berlin: the first day of week 49
        sale("s2", "2026-11-29T23:30:00Z", revenue="200.00"),
        sale("s3", "2026-12-02T10:00:00Z", revenue="0.00"),
    )
    week = board.period("week")
    assert week["key"] == "2026-W49"
    assert (week["sales"], week["points"]["total"]) == (2, 40.0)  # 30 + 10


def test_the_last_iso_week_of_2026_runs_into_2027() -> None:
    board = Board(
        sale("s1", "2026-12-27T12:00:00Z"),  # Sunday: week 52
        sale("s2", "2026-12-28T12:00:00Z"),  # Monday: week 53 begins
        sale("s3", "2027-01-02T12:00:00Z"),  # Saturday, still week 53 of 2026
    )
    assert board.period("week")["key"] == "2026-W53"
    assert board.period("week")["sales"] == 2
    assert board.period("month")["key"] == "2027-01"
    assert board.period("month")["sales"] == 1


def test_a_sale_late_on_the_last_day_of_a_month_belongs_to_the_next_month() -> None:
    board = Board(
        sale("s1", "2026-11-30T22:59:00Z"),  # 23:59 on 30 November in Berlin
        sale("s2", "2026-11-30T23:30:00Z"),  # 00:30 on 1 December
    )
    month = board.period("month")
    assert month["key"] == "2026-12"
    assert month["sales"] == 1


def test_a_season_runs_from_its_first_to_its_last_local_day() -> None:
    board = Board(
        season("autumn", "2026-11-01", "2026-11-30"),
        sale("s1", "2026-10-31T22:30:00Z", revenue="100.00"),  # 23:30 on 31 October
        sale("s2", "2026-10-31T23:30:00Z", revenue="200.00"),  # 00:30 on 1 November
        sale("s3", "2026-11-30T22:30:00Z", revenue="300.00"),  # 23:30 on 30 November
    )
    board.at("2026-11-30T22:45:00Z")
    autumn = board.period("season")
    assert autumn["key"] == "autumn"
    assert (autumn["sales"], autumn["points"]["total"]) == (2, 70.0)  # 30 + 40
    # on 1 December no season runs
    board.at("2026-11-30T23:00:00Z")
    assert "season" not in board.agent()["periods"]
    assert board.board("season") == []


# Gates ----------------------------------------------------------------------

GATES = rules(
    "r-gates",
    START,
    gates={
        "month": {
            "min_sales": 3,
            "min_quality": 80,
            "min_referral_rate": 0.5,
            "max_cancellation_rate": 0.25,
        }
    },
)


def test_gates_say_what_is_missing_until_every_minimum_is_met() -> None:
    board = Board(
        GATES,
        sale("s1", "2026-11-02T10:00:00Z"),
        sale("s2", "2026-11-03T10:00:00Z"),
        sale("s3", "2026-11-04T10:00:00Z"),
        cancellation("x3", "s3", "2026-11-05T10:00:00Z"),
        # quality (70 + 86 + 78 + 78) / 4 = 78; one referral (NPS 9) in four = 25 %
        contact("c1", "2026-11-05T11:00:00Z", quality=70),
        contact("c2", "2026-11-05T12:00:00Z", quality=86, referral=9),
        contact("c3", "2026-11-05T13:00:00Z", quality=78, referral=8),
        contact("c4", "2026-11-05T14:00:00Z", quality=78),
    )
    gates = board.period("month")["gates"]
    assert gates["eligible"] is False
    assert gates["status"] == "not yet eligible"
    # two sales stand; one cancelled of three made is 33 %
    assert [(c["gate"], c["actual"], c["ok"], c["missing"]) for c in gates["checks"]] == [
        ("min_sales", 2, False, "1 more sales"),
        ("min_quality", 78.0, False, "quality 78 %, 80 % needed"),
        ("min_referral_rate", 0.25, False, "referral rate 25%, 50% needed"),
        ("max_cancellation_rate", 0.3333, False, "cancellation rate 33%, at most 25% allowed"),
    ]
    # a period without a gate is open to everyone
    assert board.period("day")["gates"] == {"eligible": True, "status": "eligible", "checks": []}

    board.feed(
        # three sales stand; one cancelled of four made is 25 %, which is allowed
        sale("s4", "2026-11-06T10:00:00Z"),
        # quality (312 + 90 + 90) / 6 = 82; referrals 3 of 6 = 50 %
        contact("c5", "2026-11-06T11:00:00Z", quality=90, referral=True),
        contact("c6", "2026-11-06T12:00:00Z", quality=90, referral=10),
    )
    gates = board.period("month")["gates"]
    assert gates["status"] == "eligible"
    assert [(c["gate"], c["actual"], c["ok"], c["missing"]) for c in gates["checks"]] == [
        ("min_sales", 3, True, ""),
        ("min_quality", 82.0, True, ""),
        ("min_referral_rate", 0.5, True, ""),
        ("max_cancellation_rate", 0.25, True, ""),
    ]


def test_a_quality_gate_without_contacts_is_not_met() -> None:
    board = Board(
        rules("r-q", START, gates={"week": {"min_quality": 80}}),
        sale("s1", "2026-11-02T10:00:00Z"),
    )
    [check] = board.period("week")["gates"]["checks"]
    assert (check["ok"], check["missing"]) == (False, "quality 0 %, 80 % needed")


# Teams and sites ------------------------------------------------------------


def _roster() -> Board:
    return Board(
        team("t-ber", "Berlin Blue", "berlin"),
        team("t-lei", "Leipzig Red", "leipzig"),
        roster("a1", START, team="t-ber", site="berlin"),
        roster("a2", START, team="t-ber", site="berlin"),
        # a1 moves to Leipzig from 10 November (00:30 in Berlin)
        roster("a1", "2026-11-09T23:30:00Z", team="t-lei", site="leipzig"),
        sale("s1", "2026-11-05T10:00:00Z", agent="a1", revenue="100.00"),  # 20 for Berlin
        sale("s2", "2026-11-06T10:00:00Z", agent="a2", revenue="50.00"),  # 15 for Berlin
        sale("s3", "2026-11-12T10:00:00Z", agent="a1", revenue="200.00"),  # 30 for Leipzig
    )


def test_sales_count_for_the_team_and_site_of_their_day() -> None:
    board = _roster()
    assert board.board("month", "team") == [("t-ber", 35.0), ("t-lei", 30.0)]
    assert board.board("month", "site") == [("berlin", 35.0), ("leipzig", 30.0)]
    assert board.board("month", "agent") == [("a1", 50.0), ("a2", 15.0)]
    assert (board.agent("a1")["team"], board.agent("a1")["site"]) == ("t-lei", "leipzig")
    names = [row["name"] for row in board.rows("month", "team")]
    assert names == ["Berlin Blue", "Leipzig Red"]


def test_an_agent_the_roster_does_not_know_counts_for_a_team_once_named() -> None:
    board = _roster()
    board.feed(sale("s4", "2026-11-07T10:00:00Z", agent="a9", revenue="300.00"))  # 10 + 30
    # a9's own widget shows the points at once ...
    a9 = board.agent("a9")
    assert a9["on_roster"] is False
    assert a9["periods"]["month"]["points"]["total"] == 40.0
    # ... but no leaderboard does until the roster names a9
    assert [agent for agent, _ in board.board("month", "agent")] == ["a1", "a2"]
    assert board.board("month", "team") == [("t-ber", 35.0), ("t-lei", 30.0)]

    board.feed(roster("a9", "2026-11-14T08:00:00Z", team="t-ber", site="berlin"))
    assert board.board("month", "agent") == [("a1", 50.0), ("a9", 40.0), ("a2", 15.0)]
    assert board.board("month", "team") == [("t-ber", 75.0), ("t-lei", 30.0)]
    assert board.board("month", "site") == [("berlin", 75.0), ("leipzig", 30.0)]


# Personal goals -------------------------------------------------------------


def test_a_goal_grows_with_confirmed_commission_and_is_reached_once() -> None:
    board = Board(
        rules("r-fixed", START, commission={"*": {"fixed": 25}}),
        sale("s0", "2026-11-01T10:00:00Z"),  # before the goal: does not count
        goal("g1", "2026-11-02T08:00:00Z", title="Vespa", price="60.00"),
        sale("s1", "2026-11-03T10:00:00Z"),
        sale("s2", "2026-11-04T10:00:00Z"),
        sale("s3", "2026-11-05T10:00:00Z"),
        sale("s4", "2026-11-06T10:00:00Z"),
        cancellation("x4", "s4", "2026-11-07T10:00:00Z"),  # revoked: never counts
    )

    def progress() -> tuple[float, float, bool]:
        shown = board.agent()["goal"]
        return shown["confirmed"], shown["pending"], shown["reached"]

    assert progress() == (0.0, 75.0, False)
    board.at("2026-11-15T10:00:00Z")  # s0 confirms
    assert progress() == (0.0, 75.0, False)
    board.at("2026-11-17T10:00:00Z")  # s1
    assert progress() == (25.0, 50.0, False)
    assert board.agent()["goal"]["progress"] == 25 / 60
    board.at("2026-11-18T10:00:00Z")  # s2
    assert progress() == (50.0, 25.0, False)
    assert board.changes("goal_reached") == []
    board.at("2026-11-19T10:00:00Z")  # s3: 75 € of 60 €
    assert progress() == (75.0, 0.0, True)
    assert board.agent()["goal"]["progress"] == 1.0
    assert board.changes("goal_reached") == [
        {"kind": "goal_reached", "agent": "a1", "goal": "g1", "title": "Vespa"}
    ]

    board.feed(sale("s5", "2026-11-19T11:00:00Z"))
    board.at("2026-12-04T00:00:00Z")
    assert progress() == (100.0, 0.0, True)
    assert len(board.changes("goal_reached")) == 1
