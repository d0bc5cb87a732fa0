"""What happens to events at the edges: a time far ahead or far back, negative
revenue, a product the rules do not name, a cancellation of a cancellation.

Each rule is stated in the README ("Edge cases") and held here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.helpers import running
from tests.helpers import sale as api_sale
from tests.scoring_helpers import Board, cancellation, rules, sale

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_a_sale_stamped_more_than_five_minutes_ahead_is_refused_with_the_reason() -> None:
    with running(clock=lambda: NOW) as app:
        ahead = api_sale("s-ahead", ts=iso(NOW + timedelta(hours=1)))
        drifted = api_sale("s-drift", ts=iso(NOW + timedelta(minutes=4)))
        response = app.post([drifted, ahead])
        assert response.status_code == 422
        [problem] = response.json()["invalid"]
        assert problem["index"] == 1 and problem["id"] == "s-ahead"
        assert "at most 5 minutes after the server's clock" in problem["problems"]["ts"]
        assert "time zone" in problem["problems"]["ts"]
        assert app.events() == []  # the batch is refused whole
        assert app.post(drifted).status_code == 202  # a clock 4 minutes fast is fine


def test_a_manager_may_date_events_ahead_to_schedule_or_simulate() -> None:
    with running(clock=lambda: NOW) as app:
        next_week = iso(NOW + timedelta(days=7))
        scheduled = rules("r-next", next_week, cancellation_window_days=7)
        assert app.post(scheduled, role="manager").status_code == 202
        simulated = api_sale("s-sim", ts=iso(NOW + timedelta(hours=1)))
        assert app.post(simulated, role="manager").status_code == 202


def test_a_sale_from_years_ago_is_stored_counts_on_its_day_and_is_confirmed_at_once() -> None:
    with running(clock=lambda: NOW) as app:
        assert app.post(api_sale("s-old", ts="2003-05-06T10:00:00Z")).status_code == 202
        assert app.post(api_sale("s-1999", ts="1999-12-31T10:00:00Z")).status_code == 422
    board = Board().feed(sale("s-old", "2003-05-06T10:00:00Z"), received=iso(NOW))
    [row] = board.agent()["recent"]
    assert row["state"] == "confirmed"  # its window passed long before it arrived
    assert board.period("day")["sales"] == 0  # not today's: it counts on 2003-05-06
    assert board.scorer.state.buckets["a1"]["2003-05-06"].sales == 1


def test_negative_revenue_is_refused_a_refund_is_a_cancellation() -> None:
    with running(clock=lambda: NOW) as app:
        response = app.post(api_sale("s-neg", revenue="-5.00", ts=iso(NOW)))
        assert response.status_code == 422
        [problem] = response.json()["invalid"]
        assert problem["problems"]["revenue"] == "expected an amount >= 0, got -5.00"
        assert app.events() == []


def test_a_product_the_rules_do_not_name_earns_by_the_star_rule_or_nothing() -> None:
    star = rules("r-star", "2026-11-01T00:00:00Z", sale={"products": {"*": {"base": 3}}})
    board = Board(star, sale("s1", "2026-11-02T09:00:00Z", product="never-heard-of"))
    assert board.period("day")["points"]["pending"] == 3.0

    named = rules("r-named", "2026-11-01T00:00:00Z", sale={"products": {"tv": {"base": 20}}})
    board = Board(named, sale("s1", "2026-11-02T09:00:00Z", product="never-heard-of"))
    day = board.period("day")
    assert day["sales"] == 1  # still a sale made, in the counts and the rate
    assert day["points"]["pending"] == 0.0 and day["commission"]["pending"] == 0.0


def test_a_cancellation_of_a_cancellation_changes_nothing() -> None:
    board = Board(
        sale("s1", "2026-11-02T10:00:00Z"),
        sale("s2", "2026-11-02T11:00:00Z"),
        cancellation("x1", "s1", "2026-11-03T09:00:00Z"),
        # x1 is not a sale: nothing is reinstated, nothing else is cancelled
        cancellation("x2", "x1", "2026-11-03T10:00:00Z"),
    )
    month = board.period("month")
    assert (month["sales"], month["revoked"], month["cancelled"]) == (1, 1, 1)
    assert month["points"] == {"pending": 20.0, "confirmed": 0.0, "total": 20.0}  # s2 alone
