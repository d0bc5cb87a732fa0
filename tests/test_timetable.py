"""The demo company's calendar, its simulator's events, and the CLI's settings file."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from scoring.events import validate
from wallboard.settings import Settings
from wallboard.simulator import REAL_TIME_PRIZES, Simulator, company
from wallboard.timetable import (
    EARLIER,
    HOURLY,
    SEASON_DAYS,
    SEASON_PLAYED,
    ZONE,
    Timetable,
    restock,
)

#: a Thursday, 14:30 in Berlin
START = datetime(2026, 12, 3, 13, 30, 20, tzinfo=UTC)


def timetable(start: datetime = START) -> Timetable:
    return Timetable(company(7)[0], start, peak=0.5, history=timedelta(days=21))


def test_the_simulators_events_are_in_the_logs_canonical_form() -> None:
    """The history skips validating them: they must be what validation would make."""
    firm, _ = company(7, REAL_TIME_PRIZES)
    simulator = Simulator(firm, seed=3)
    events = simulator.events(3000, START, START + timedelta(hours=2))
    assert {e["type"] for e in events} == {"sale", "cancellation", "contact", "tick"}
    for event in events:
        assert validate(dict(event)) == event


def test_the_rate_follows_the_hour_and_is_a_tenth_before_the_season() -> None:
    table = timetable()
    noon = datetime(2026, 12, 3, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    assert table.rate(noon) == pytest.approx(0.5 * HOURLY[12])
    assert table.rate(noon - timedelta(days=SEASON_PLAYED + 1)) == pytest.approx(
        0.5 * HOURLY[12] * EARLIER
    )
    day = table.expected(noon, noon + timedelta(days=1))
    assert day == pytest.approx(0.5 * sum(HOURLY) * 3600)
    counts = [table.count(noon, noon + timedelta(seconds=1), random.Random(n)) for n in range(2000)]
    assert set(counts) == {0, 1} and sum(counts) / 2000 == pytest.approx(0.5, abs=0.05)


def test_seasons_follow_one_another_a_matchday_a_day() -> None:
    table = timetable()
    actions = table.actions(table.origin, START)
    launches = [a for a in actions if a.event.get("type") == "league_season"]
    ends = [a for a in actions if a.event.get("type") == "league_end"]
    today = START.astimezone(ZONE).date()
    current = today - timedelta(days=SEASON_PLAYED)
    assert [a.event["starts"] for a in launches] == [
        (current - timedelta(days=SEASON_DAYS)).isoformat(),
        current.isoformat(),
    ]
    # Launched at local midnight of the first matchday; the season before ends once final.
    assert launches[-1].at.astimezone(ZONE).time().isoformat() == "00:00:00"
    assert [a.event["season"] for a in ends] == [launches[0].event["season"]]
    assert ends[0].at - launches[-1].at == timedelta(minutes=31)
    season = validate(launches[-1].event)
    assert season["working_days"] == [1, 2, 3, 4, 5, 6, 7]
    # The earlier season's goals are calibrated to its quieter days.
    assert launches[0].event["goal_every"] == pytest.approx(
        launches[-1].event["goal_every"] * EARLIER, rel=0.01
    )
    # The next season is launched live, at its first midnight.
    later = table.actions(START, START + timedelta(days=SEASON_DAYS))
    assert [a.event["starts"] for a in later if a.event.get("type") == "league_season"] == [
        (current + timedelta(days=SEASON_DAYS)).isoformat()
    ]


def test_a_weekly_tombola_and_an_hourly_one_the_first_drawn_within_ten_minutes() -> None:
    table = timetable()
    past = [a for a in table.actions(table.origin, START) if a.kind == "tombola"]
    weekly = [a.event for a in past if a.event["tombola"].startswith("week-")]
    assert [e["tombola"] for e in weekly] == ["week-2026-47", "week-2026-48", "week-2026-49"]
    assert weekly[-1]["ts"] == "2026-11-30T07:00:00Z"  # Monday 08:00 in Berlin
    assert weekly[-1]["closes"] == "2026-12-07T07:00:00Z"
    [hourly] = [a.event for a in past if a.event["tombola"].startswith("hour-")]
    closes = datetime.fromisoformat(hourly["closes"])
    assert timedelta(minutes=8) <= closes - START <= timedelta(minutes=9)
    coming = [a.event for a in table.actions(START, START + timedelta(hours=3))]
    assert [e["closes"] for e in coming] == [
        (closes + timedelta(hours=n)).isoformat().replace("+00:00", "Z") for n in (1, 2, 3)
    ]
    for body in (weekly[-1], hourly):
        validate({**body, "id": "t", "type": "tombola_open", "seed_hash": "0" * 64})


def test_the_calendar_is_the_same_in_pieces_as_at_once() -> None:
    """The player asks for every second what the history asked for in one go."""
    table = timetable()
    end = START + timedelta(days=3)
    whole = table.actions(START, end)
    pieces, moment = [], START
    while moment < end:
        pieces += table.actions(moment, moment + timedelta(minutes=7))
        moment += timedelta(minutes=7)
    assert pieces == whole


def test_a_prize_running_low_is_restocked_to_its_usual_stock() -> None:
    at = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    usual = {prize: stock for prize, _, stock, _ in REAL_TIME_PRIZES}
    events = restock({"basket": (10, 9), "cinema": (30, 10), "shirt": (20, 11)}, at)
    assert [(e["prize"], e["stock"]) for e in events] == [
        ("basket", 9 + usual["basket"]),
        ("shirt", 11 + usual["shirt"]),
    ]
    assert all(validate(dict(event)) == event for event in events)


def test_the_cli_reads_wallboard_env_beneath_the_environment(tmp_path: Path) -> None:
    env = tmp_path / "wallboard.env"
    env.write_text("# a comment\n\nWALLBOARD_STORE=sqlite:///here.db\nWALLBOARD_TICK_SECONDS = 5\n")
    settings = Settings.from_env({}, file=env)
    assert (settings.store, settings.tick_seconds) == ("sqlite:///here.db", 5.0)
    assert Settings.from_env({"WALLBOARD_STORE": "memory://"}, file=env).store == "memory://"
    assert Settings.from_env({}, file=tmp_path / "none.env").store == "sqlite:///wallboard.db"
    env.write_text("WALLBOARD_STOR=sqlite:///typo.db\n")
    with pytest.raises(ValueError, match=r"wallboard.env, line 1: expected NAME=value"):
        Settings.from_env({}, file=env)


def test_local_days_are_berlin_days() -> None:
    table = timetable(datetime(2026, 12, 3, 23, 30, tzinfo=UTC))  # 00:30 on the 4th in Berlin
    assert table.season_start(date(2026, 12, 4)) == date(2026, 12, 4) - timedelta(
        days=SEASON_PLAYED
    )
