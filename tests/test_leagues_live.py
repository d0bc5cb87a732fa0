"""Matches played live by sales: goals per head, scorers, disallowed and late goals."""

from __future__ import annotations

from datetime import datetime

import pytest

from leagues import LeagueError
from leagues.season import (
    FINAL,
    LIVE,
    League,
    build_season,
    calibrate_goal_every,
    matchday_windows,
)

BERLIN = "Europe/Berlin"


def epoch(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def season_event(**fields: object) -> dict[str, object]:
    return {
        "season": "s1",
        "name": "Winter 2026",
        "starts": "2026-11-23",
        "double": False,
        "goal_every": 10,
        "grace_minutes": 30,
        "clubs": [
            {"club": "ber", "name": "Berlin", "heads": 10},
            {"club": "lei", "name": "Leipzig", "heads": 5},
        ],
        **fields,
    }


def test_matchday_windows_skip_weekends_and_holidays() -> None:
    windows = matchday_windows("2026-12-24", 3, BERLIN, holidays=["2026-12-25"])
    # Thu 24th, (Fri 25th holiday, weekend), Mon 28th, Tue 29th
    assert [w[1] - w[0] for w in windows] == [86400.0] * 3
    assert windows[0][0] == epoch("2026-12-24T00:00:00+01:00")
    assert windows[1][0] == epoch("2026-12-28T00:00:00+01:00")
    assert windows[2][0] == epoch("2026-12-29T00:00:00+01:00")
    week = matchday_windows("2026-11-23", 1, BERLIN, days=5)
    assert week == [(epoch("2026-11-23T00:00:00+01:00"), epoch("2026-11-28T00:00:00+01:00"))]


def play() -> tuple[League, str]:
    league = League()
    season = build_season(season_event(), BERLIN)
    league.add(season)
    [match] = season.matches
    return league, match.id


def test_goals_come_per_head_so_a_small_site_can_win() -> None:
    league, _ = play()
    [match] = league.seasons["s1"].matches
    day = epoch("2026-11-23T00:00:00+01:00")
    league.advance(day + 3600)
    assert match.state == LIVE
    # Leipzig (5 heads): 60 points = 12 per head = 1 goal. Berlin (10 heads) needs 100.
    league.on_sale("crm:1", "1", "lena", "lei", day + 9 * 3600, 6000, day + 9 * 3600)
    league.on_sale("crm:2", "2", "bernd", "ber", day + 10 * 3600, 9000, day + 10 * 3600)
    assert (match.home_goals, match.away_goals) == (0, 1) if match.home == "ber" else (1, 0)
    league.on_sale("crm:3", "3", "bea", "ber", day + 12 * 3600, 1000, day + 12 * 3600)
    scorers = [(g.club, g.agent, g.minute) for g in match.goals]
    # 9 h into a 24 h window is minute 33.75 -> 34; 12 h is minute 45.
    assert scorers == [("lei", "lena", 34), ("ber", "bea", 45)]
    assert league.scorers("s1") == [("bea", 1), ("lena", 1)]


def test_a_cancelled_sale_disallows_its_goal_while_the_match_runs() -> None:
    league, _ = play()
    [match] = league.seasons["s1"].matches
    day = epoch("2026-11-23T00:00:00+01:00")
    league.on_sale("crm:1", "1", "lena", "lei", day + 3600, 5000, day + 3600)
    league.on_sale("crm:2", "2", "lars", "lei", day + 7200, 5000, day + 7200)
    assert match.score("lei") == 2
    league.on_revoke("crm:1", "1", "lei", day + 3600, 5000, day + 8000)
    assert match.score("lei") == 1
    [first, second] = match.goals
    assert (first.agent, first.disallowed, first.reason) == ("lena", True, "sale 1 cancelled")
    assert (second.agent, second.disallowed) == ("lars", False)
    [change] = [c for c in league.changes if c["kind"] == "goal_disallowed"]
    assert change["score"] == ([0, 1] if match.home == "ber" else [1, 0])


def test_a_late_event_counts_within_grace_and_the_final_whistle_is_final() -> None:
    league, _ = play()
    [match] = league.seasons["s1"].matches
    day = epoch("2026-11-23T00:00:00+01:00")
    end = day + 86400
    league.on_sale("crm:1", "1", "lena", "lei", end - 60, 6000, end + 20 * 60)
    assert match.score("lei") == 1, "late but within 30 minutes of grace"
    league.advance(end + 30 * 60)
    assert match.state == FINAL
    league.on_sale("crm:2", "2", "lars", "lei", end - 30, 6000, end + 31 * 60)
    league.on_revoke("crm:1", "1", "lei", end - 60, 6000, end + 40 * 60)
    assert match.score("lei") == 1 and not match.goals[0].disallowed


def test_a_forfeit_ends_the_match_three_nil_for_the_other_club() -> None:
    league, match_id = play()
    [match] = league.seasons["s1"].matches
    league.forfeit("s1", match_id, "ber")
    assert match.state == FINAL and match.score("ber") == 0 and match.score("lei") == 3
    league.end("s1")
    assert league.seasons["s1"].champion == "lei"


def test_goal_every_calibrates_to_the_target_goals_per_match() -> None:
    samples = [float(x) for x in range(10, 60, 2)]
    goal_every = calibrate_goal_every(samples, target=2.75)
    goals = 2 * sum(int(p // goal_every) for p in samples) / len(samples)
    assert 2.5 <= goals <= 3.0
    with pytest.raises(LeagueError):
        calibrate_goal_every([0.0, 0.0])
