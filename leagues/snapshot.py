"""A league as a snapshot holds it: plain lists and dicts, read back into the same
seasons, clubs, matches and goals."""

from __future__ import annotations

from typing import Any

from .season import Club, Goal, League, Match, Season


def to_data(league: League) -> dict[str, Any]:
    def season_data(season: Season) -> dict[str, Any]:
        return {
            "id": season.id,
            "name": season.name,
            "goal_every": season.goal_every,
            "grace": season.grace,
            "points": list(season.points),
            "tiebreakers": list(season.tiebreakers),
            "ended": season.ended,
            "champion": season.champion,
            "clubs": [
                [c.id, c.name, c.short_name, c.colour, c.heads] for c in season.clubs.values()
            ],
            "matches": [
                [
                    m.id,
                    m.matchday,
                    m.home,
                    m.away,
                    m.starts,
                    m.ends,
                    m.home_points,
                    m.away_points,
                    [[g.club, g.agent, g.sale, g.minute, g.disallowed, g.reason] for g in m.goals],
                    m.state,
                    m.forfeit,
                ]
                for m in season.matches
            ],
        }

    return {"seasons": [season_data(s) for s in league.seasons.values()]}


def from_data(data: dict[str, Any]) -> League:
    league = League()
    for raw in data["seasons"]:
        clubs = {c[0]: Club(*c) for c in raw["clubs"]}
        matches = []
        for m in raw["matches"]:
            goals = [Goal(*g) for g in m[8]]
            matches.append(
                Match(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], goals, m[9], m[10])
            )
        win, draw, loss = raw["points"]
        league.seasons[raw["id"]] = Season(
            id=raw["id"],
            name=raw["name"],
            clubs=clubs,
            matches=matches,
            goal_every=raw["goal_every"],
            grace=raw["grace"],
            points=(win, draw, loss),
            tiebreakers=tuple(raw["tiebreakers"]),
            ended=raw["ended"],
            champion=raw["champion"],
        )
    return league
