"""Points, commission, the cancellation window and rule versions: each with
numbers worked out by hand in the test (periods, gates, teams and goals are in
``test_scoring_periods``)."""

from __future__ import annotations

import pytest

from tests.scoring_helpers import (
    Board,
    cancellation,
    contact,
    prize,
    prize_rule,
    roster,
    rules,
    sale,
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
        (True, True, None, 4.5),  # no score, no band: 1 + 3 + 5, * 0.5
    ],
)
def test_contact_points(
    resolved: bool, referral: bool | int, quality: float | None, points: float
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
