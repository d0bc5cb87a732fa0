"""The league table: standings with tie-breakers, form and top scorers.

Tie-breakers apply in the order the season gives them. The ``head_to_head_*``
criteria are computed on a mini-table of only the matches between the clubs
still level; when such a criterion splits a group, the clubs still level are
compared again from the first head-to-head criterion of that run, on the
matches among themselves alone (the rule UEFA uses). Clubs level on every
criterion share a position (1, 2, 2, 4) and are listed by name, unless a
``lots_seed`` is given: then a seeded draw of lots orders them, by
SHA-256(seed || club name) ascending, which anyone can recompute.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import LeagueError

OVERALL = ("points", "goal_difference", "goals_for", "wins", "away_goals")
HEAD_TO_HEAD = (
    "head_to_head_points",
    "head_to_head_goal_difference",
    "head_to_head_goals_for",
    "head_to_head_away_goals",
)
TIEBREAKERS = OVERALL + HEAD_TO_HEAD


@dataclass(frozen=True)
class Standing:
    position: int
    club: str
    played: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int
    goal_difference: int
    points: int


@dataclass
class _Row:
    club: str
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    goals_for: int = 0
    goals_against: int = 0
    away_goals: int = 0
    points: int = 0

    def value(self, criterion: str) -> int:
        if criterion.endswith("goal_difference"):
            return self.goals_for - self.goals_against
        if criterion.endswith("goals_for"):
            return self.goals_for
        if criterion.endswith("away_goals"):
            return self.away_goals
        if criterion == "wins":
            return self.won
        return self.points


@dataclass(frozen=True)
class _Match:
    home: str
    away: str
    home_goals: int
    away_goals: int


def _field(match: Any, name: str) -> Any:
    return match[name] if isinstance(match, Mapping) else getattr(match, name)


def _matches(matches: Iterable[Any]) -> list[_Match]:
    result = []
    for index, match in enumerate(matches):
        try:
            parsed = _Match(
                str(_field(match, "home")),
                str(_field(match, "away")),
                int(_field(match, "home_goals")),
                int(_field(match, "away_goals")),
            )
        except (KeyError, AttributeError, TypeError, ValueError) as exc:
            raise LeagueError(
                f"match {index}: expected home, away, home_goals and away_goals ({exc})"
            ) from None
        if parsed.home_goals < 0 or parsed.away_goals < 0:
            raise LeagueError(f"match {index}: expected goals >= 0")
        result.append(parsed)
    return result


def _table(
    matches: Iterable[_Match], clubs: Iterable[str], points: tuple[int, int, int]
) -> dict[str, _Row]:
    win, draw, loss = points
    rows = {club: _Row(club) for club in clubs}
    for match in matches:
        home = rows.setdefault(match.home, _Row(match.home))
        away = rows.setdefault(match.away, _Row(match.away))
        for row, scored, conceded in (
            (home, match.home_goals, match.away_goals),
            (away, match.away_goals, match.home_goals),
        ):
            row.played += 1
            row.goals_for += scored
            row.goals_against += conceded
            if scored > conceded:
                row.won += 1
                row.points += win
            elif scored == conceded:
                row.drawn += 1
                row.points += draw
            else:
                row.lost += 1
                row.points += loss
        away.away_goals += match.away_goals
    return rows


def standings(
    matches: Iterable[Any],
    *,
    points: tuple[int, int, int] = (3, 1, 0),
    tiebreakers: Sequence[str] = ("points", "goal_difference", "goals_for"),
    clubs: Iterable[str] = (),
    lots_seed: bytes | None = None,
) -> list[Standing]:
    """The table from played matches (mappings or objects with home, away,
    home_goals, away_goals). ``clubs`` adds clubs that have not played yet."""
    _check_tiebreakers(tiebreakers)
    played = _matches(matches)
    rows = _table(played, clubs, points)
    ranking = _Ranking(played, rows, points, tiebreakers)
    return _positioned(ranking.rank(sorted(rows), 0), rows, lots_seed)


def _check_tiebreakers(tiebreakers: Sequence[str]) -> None:
    for criterion in tiebreakers:
        if criterion not in TIEBREAKERS:
            raise LeagueError(
                f"expected tie-breakers from {', '.join(TIEBREAKERS)}, got {criterion!r}"
            )


@dataclass(frozen=True)
class _Ranking:
    """Orders clubs by the tie-breakers, over the whole table or, for the
    head-to-head criteria, over the matches among the clubs still level."""

    played: list[_Match]
    rows: dict[str, _Row]
    points: tuple[int, int, int]
    tiebreakers: Sequence[str]

    def mini_table(self, group: Sequence[str]) -> dict[str, _Row]:
        members = set(group)
        inside = [m for m in self.played if m.home in members and m.away in members]
        return _table(inside, group, self.points)

    def rank(self, group: list[str], index: int) -> list[list[str]]:
        """Split ``group`` into ordered groups of clubs level on every criterion."""
        if len(group) == 1 or index >= len(self.tiebreakers):
            return [group]
        criterion = self.tiebreakers[index]
        table = self.mini_table(group) if criterion in HEAD_TO_HEAD else self.rows
        levels: dict[int, list[str]] = {}
        for club in group:
            levels.setdefault(table[club].value(criterion), []).append(club)
        if len(levels) == 1:
            return self.rank(group, index + 1)
        following = self.after_split(index)
        result: list[list[str]] = []
        for level in sorted(levels, reverse=True):
            result.extend(self.rank(levels[level], following))
        return result

    def after_split(self, index: int) -> int:
        """The criterion that orders the clubs still level once criterion
        ``index`` has split their group."""
        if self.tiebreakers[index] not in HEAD_TO_HEAD:
            return index + 1
        # The clubs still level start the head-to-head run again, among themselves.
        following = index
        while following > 0 and self.tiebreakers[following - 1] in HEAD_TO_HEAD:
            following -= 1
        return following


def _positioned(
    ordered: list[list[str]], rows: Mapping[str, _Row], lots_seed: bytes | None
) -> list[Standing]:
    """Positions for groups of level clubs: shared (1, 2, 2, 4) and by name, or
    one each in the order of the seeded draw of lots."""
    table: list[Standing] = []
    for group in ordered:
        if lots_seed is not None:
            drawn = sorted(group, key=lambda c: hashlib.sha256(lots_seed + c.encode()).digest())
            positions = [len(table) + n + 1 for n in range(len(drawn))]
        else:
            drawn = sorted(group)
            positions = [len(table) + 1] * len(drawn)
        for position, club in zip(positions, drawn, strict=True):
            table.append(_standing(position, rows[club]))
    return table


def _standing(position: int, row: _Row) -> Standing:
    return Standing(
        position,
        row.club,
        row.played,
        row.won,
        row.drawn,
        row.lost,
        row.goals_for,
        row.goals_against,
        row.goals_for - row.goals_against,
        row.points,
    )


def form(matches: Iterable[Any], club: str, last: int = 5) -> list[str]:
    """The club's last results, oldest first: W, D or L, in the order played."""
    results = []
    for match in _matches(matches):
        if club in (match.home, match.away):
            mine, theirs = (
                (match.home_goals, match.away_goals)
                if match.home == club
                else (match.away_goals, match.home_goals)
            )
            results.append("W" if mine > theirs else "D" if mine == theirs else "L")
    return results[-last:]
