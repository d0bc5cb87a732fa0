"""Periods in Europe/Berlin, gates, teams and sites, and personal goals: each
with numbers worked out by hand in the test."""

from __future__ import annotations

from tests.scoring_helpers import (
    Board,
    cancellation,
    contact,
    goal,
    roster,
    rules,
    sale,
    season,
    team,
)

START = "2026-11-01T00:00:00Z"

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
    assert (check["ok"], check["missing"]) == (
        False,
        "no contact with a quality score yet, 80 % needed",
    )


def test_quality_is_the_average_of_the_contacts_with_a_score() -> None:
    """A phone system's calls have no quality score: they count as contacts, in no
    quality average, and a quality gate reads the rated ones."""
    board = Board(
        rules("r-q", START, gates={"week": {"min_quality": 80}}),
        contact("c1", "2026-11-02T10:00:00Z", quality=None),
        contact("c2", "2026-11-02T11:00:00Z", quality=None),
    )
    week = board.period("week")
    assert (week["contacts"], week["rated"], week["quality"]) == (2, 0, 0.0)
    [check] = week["gates"]["checks"]
    assert (check["ok"], check["missing"]) == (
        False,
        "no contact with a quality score yet, 80 % needed",
    )
    board.feed(contact("c3", "2026-11-02T12:00:00Z", quality=90))
    week = board.period("week")
    assert (week["contacts"], week["rated"], week["quality"]) == (3, 1, 90.0)
    assert week["gates"]["checks"][0]["ok"] is True
    why = {row["event"]: row["why"] for row in board.agent()["recent"]}
    assert why["c1"] == "contact = 1 points (rules r-q)"
    assert why["c3"] == "contact, quality 90 = 1 points (rules r-q)"


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
