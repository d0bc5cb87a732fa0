"""JSON-ready views of the league for the API and screens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from .season import FINAL, League, Match, Season
from .table import form


def season_summary(season: Season) -> dict[str, Any]:
    return {
        "season": season.id,
        "name": season.name,
        "ended": season.ended,
        "champion": season.champion,
        "goal_every": season.goal_every,
        "matchdays": max((m.matchday for m in season.matches), default=0),
        "clubs": [
            {
                "club": c.id,
                "name": c.name,
                "short_name": c.short_name,
                "colour": c.colour,
                "heads": c.heads,
            }
            for c in season.clubs.values()
        ],
    }


def table_view(season: Season) -> list[dict[str, Any]]:
    finals = [m for m in season.matches if m.state == FINAL]
    return [
        {**asdict(row), "name": season.clubs[row.club].name, "form": form(finals, row.club)}
        for row in season.table()
    ]


def match_view(
    league: League, match: Match, clock: float, name: Callable[[str], str]
) -> dict[str, Any]:
    return {
        "match": match.id,
        "matchday": match.matchday,
        "home": match.home,
        "away": match.away,
        "home_goals": match.home_goals,
        "away_goals": match.away_goals,
        "state": match.state,
        "minute": 90 if match.state == FINAL else league.minute(match, clock),
        "starts": match.starts,
        "ends": match.ends,
        "forfeit": match.forfeit,
        "goals": [
            {
                "club": g.club,
                "agent": name(g.agent),
                "minute": g.minute,
                "disallowed": g.disallowed,
                "reason": g.reason,
            }
            for g in match.goals
        ],
    }


def scorers_view(
    league: League, season_id: str, name: Callable[[str], str]
) -> list[dict[str, Any]]:
    return [{"agent": name(agent), "goals": goals} for agent, goals in league.scorers(season_id)]
