"""A season played live: matchday windows, matches whose goals come from sales.

The scorer drives a ``League`` with the sales it folds; the league keeps no
clock of its own. The rules of play:

- A match is played inside its matchday's window. A club's points are the
  sale points of agents at that site (on the sale's day) with ``ts`` inside the
  window; it scores each time its points per head cross another multiple of
  ``goal_every``. The agent whose sale crosses the line scores the goal, at the
  minute its ``ts`` falls in the window (elapsed share × 90, rounded up).
- A sale revoked while its match is not yet final takes its goal back: that
  goal, or the latest standing goal if the sale scored none, is disallowed
  (kept, marked, with the reason).
- An event whose ``ts`` is inside the window still counts if it reaches the
  log before the window's end plus ``grace_minutes``; at that moment the match
  is final and nothing changes it.
- A forfeit (a manager's ``forfeit`` event) ends the match 0:3 against the
  club that forfeited, as a football walkover does; its sales goals are void.
- Sales of agents the roster does not name yet count for no club: a live
  match cannot wait for the roster.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from .errors import LeagueError
from .fixtures import round_robin
from .table import Standing, standings

SCHEDULED, LIVE, FINAL = "scheduled", "live", "final"
FORFEIT_SCORE = 3


@dataclass(slots=True)
class Goal:
    club: str
    agent: str
    sale: str
    minute: int
    disallowed: bool = False
    reason: str = ""


@dataclass(slots=True)
class Match:
    id: str
    matchday: int
    home: str
    away: str
    starts: float
    ends: float
    home_points: int = 0
    away_points: int = 0
    goals: list[Goal] = field(default_factory=list)
    state: str = SCHEDULED
    forfeit: str | None = None

    def score(self, club: str) -> int:
        if self.forfeit is not None:
            return 0 if club == self.forfeit else FORFEIT_SCORE
        return sum(1 for g in self.goals if g.club == club and not g.disallowed)

    @property
    def home_goals(self) -> int:
        return self.score(self.home)

    @property
    def away_goals(self) -> int:
        return self.score(self.away)


@dataclass(slots=True)
class Club:
    id: str
    name: str
    short_name: str
    colour: str
    heads: int


@dataclass(slots=True)
class Season:
    id: str
    name: str
    clubs: dict[str, Club]
    matches: list[Match]
    goal_every: float
    grace: float
    points: tuple[int, int, int] = (3, 1, 0)
    tiebreakers: tuple[str, ...] = ("points", "goal_difference", "goals_for")
    ended: bool = False
    champion: str | None = None

    def table(self) -> list[Standing]:
        played = [m for m in self.matches if m.state == FINAL]
        return standings(
            played, points=self.points, tiebreakers=self.tiebreakers, clubs=sorted(self.clubs)
        )


def _line(points: int, heads: int, goal_every: float) -> int:
    """Goals a club's points (in hundredths) are worth: one per ``goal_every`` a head."""
    per_head = points / 100 / max(1, heads)
    return max(0, math.floor(per_head / goal_every + 1e-9))


def matchday_windows(
    starts: str,
    count: int,
    timezone: str,
    *,
    days: int = 1,
    working_days: Sequence[int] = (1, 2, 3, 4, 5),
    holidays: Sequence[str] = (),
) -> list[tuple[float, float]]:
    """``count`` windows of ``days`` working days each, from local date ``starts``.

    A window opens at local midnight of its first working day and closes at
    local midnight after its last; days off in between are skipped.
    """
    zone = ZoneInfo(timezone)
    skip = set(holidays)
    day = date.fromisoformat(starts)
    windows = []
    for _ in range(count):
        block: list[date] = []
        while len(block) < days:
            if day.isoweekday() in working_days and day.isoformat() not in skip:
                block.append(day)
            day += timedelta(days=1)
            if (day - date.fromisoformat(starts)).days > 3660:
                raise LeagueError("expected working days: none in ten years")
        opens = datetime.combine(block[0], datetime.min.time(), zone).timestamp()
        closes = datetime.combine(
            block[-1] + timedelta(days=1), datetime.min.time(), zone
        ).timestamp()
        windows.append((opens, closes))
    return windows


def build_season(event: dict[str, Any], timezone: str) -> Season:
    """A season from a ``league_season`` event: clubs, fixtures and their windows."""
    clubs = {
        c["club"]: Club(
            c["club"],
            c["name"],
            c.get("short_name", c["name"][:3].upper()),
            c.get("colour", "#888888"),
            c["heads"],
        )
        for c in event["clubs"]
    }
    schedule = round_robin(sorted(clubs), double=event.get("double", True))
    if "windows" in event:
        windows = [
            (datetime.fromisoformat(a).timestamp(), datetime.fromisoformat(b).timestamp())
            for a, b in event["windows"]
        ]
        if len(windows) < len(schedule):
            raise LeagueError(f"expected {len(schedule)} windows, got {len(windows)}")
        for opens, closes in windows:
            if closes <= opens:
                raise LeagueError("expected every window to end after it starts")
    elif "starts" in event:
        windows = matchday_windows(
            event["starts"],
            len(schedule),
            timezone,
            days=event.get("matchday_days", 1),
            working_days=event.get("working_days", (1, 2, 3, 4, 5)),
            holidays=event.get("holidays", ()),
        )
    else:
        raise LeagueError("expected starts or windows")
    matches = [
        Match(f"{number + 1}:{home}-{away}", number + 1, home, away, *windows[number])
        for number, day in enumerate(schedule)
        for home, away in day
    ]
    win, draw, loss = event.get("points", (3, 1, 0))
    return Season(
        id=event["season"],
        name=event["name"],
        clubs=clubs,
        matches=matches,
        goal_every=float(event["goal_every"]),
        grace=event.get("grace_minutes", 30) * 60.0,
        points=(win, draw, loss),
        tiebreakers=tuple(event.get("tiebreakers", ("points", "goal_difference", "goals_for"))),
    )


class League:
    """Every season, driven by the scorer's sales and clock."""

    def __init__(self) -> None:
        self.seasons: dict[str, Season] = {}
        self.changes: list[dict[str, Any]] = []
        #: the earliest clock at which a match starts or ends (a cache: 0 = unknown)
        self._next_change = 0.0
        #: club -> (ts from, ts until, clock until, open matches): see _open_matches
        self._open: dict[str, tuple[float, float, float, list[tuple[Season, Match]]]] = {}
        #: (season, match, club) -> standing goals: see _standing
        self._standing_goals: dict[tuple[str, str, str], int] = {}

    def add(self, season: Season) -> None:
        if season.id in self.seasons:
            return
        self.seasons[season.id] = season
        self._next_change = 0.0
        self._open.clear()

    def _open_matches(self, club: str, ts: float, clock: float) -> list[tuple[Season, Match]]:
        """The matches a club's sale at ``ts`` plays in, while ``clock`` lets it count.

        Every sale asks, so the answer is kept per club with the span of ``ts``
        (between two kick-offs or final whistles) and of ``clock`` over which it
        holds; a change of any match's state clears it."""
        cached = self._open.get(club)
        if cached is not None and cached[0] <= ts < cached[1] and clock < cached[2]:
            return cached[3]
        found = []
        after, before, until = -math.inf, math.inf, math.inf
        for season in self.seasons.values():
            if season.ended or club not in season.clubs:
                continue
            for match in season.matches:
                if club != match.home and club != match.away:
                    continue
                for edge in (match.starts, match.ends):
                    if edge <= ts:
                        after = max(after, edge)
                    else:
                        before = min(before, edge)
                if match.starts <= ts < match.ends and match.state != FINAL:
                    closes = match.ends + season.grace
                    if clock < closes:
                        found.append((season, match))
                        until = min(until, closes)
        self._open[club] = (after, before, until, found)
        return found

    def on_sale(
        self,
        sale_key: str,
        sale_id: str,
        agent: str,
        club: str,
        ts: float,
        points: int,
        clock: float,
    ) -> None:
        for season, match in self._open_matches(club, ts, clock):
            if match.forfeit is not None:
                continue
            if club == match.home:
                scored = match.home_points
                match.home_points += points
            else:
                scored = match.away_points
                match.away_points += points
            heads, goal_every = season.clubs[club].heads, season.goal_every
            goals = _line(scored + points, heads, goal_every) - _line(scored, heads, goal_every)
            if goals <= 0:
                continue
            length = match.ends - match.starts
            minute = max(1, min(90, math.ceil((ts - match.starts) / length * 90)))
            other = match.away if club == match.home else match.home
            standing, conceded = (
                self._standing(season, match, club),
                self._standing(season, match, other),
            )
            for _ in range(goals):
                match.goals.append(Goal(club, agent, sale_key, minute))
                standing += 1
                self._standing_goals[season.id, match.id, club] = standing
                self.changes.append(
                    {
                        "kind": "goal",
                        "season": season.id,
                        "match": match.id,
                        "club": club,
                        "agent": agent,
                        "sale": sale_id,
                        "minute": minute,
                        "score": [standing, conceded]
                        if club == match.home
                        else [conceded, standing],
                    }
                )

    def _standing(self, season: Season, match: Match, club: str) -> int:
        """A club's goals in a match not disallowed: ``match.score`` without the
        forfeit, kept up to date as goals come and go (a cache)."""
        key = (season.id, match.id, club)
        count = self._standing_goals.get(key)
        if count is None:
            count = sum(1 for g in match.goals if g.club == club and not g.disallowed)
            self._standing_goals[key] = count
        return count

    def on_revoke(
        self, sale_key: str, sale_id: str, club: str, ts: float, points: int, clock: float
    ) -> None:
        for season, match in self._open_matches(club, ts, clock):
            if match.forfeit is not None:
                continue
            if club == match.home:
                match.home_points -= points
            else:
                match.away_points -= points
            scored = match.home_points if club == match.home else match.away_points
            line = _line(scored, season.clubs[club].heads, season.goal_every)
            if self._standing(season, match, club) <= line:
                continue  # the usual case: the cancelled points crossed no line
            standing = [g for g in match.goals if g.club == club and not g.disallowed]
            self._standing_goals[season.id, match.id, club] = line
            while len(standing) > line:
                own = [g for g in standing if g.sale == sale_key]
                goal = own[-1] if own else standing[-1]
                goal.disallowed = True
                goal.reason = f"sale {sale_id} cancelled"
                standing.remove(goal)
                self.changes.append(
                    {
                        "kind": "goal_disallowed",
                        "season": season.id,
                        "match": match.id,
                        "club": club,
                        "agent": goal.agent,
                        "minute": goal.minute,
                        "reason": goal.reason,
                        "score": [match.home_goals, match.away_goals],
                    }
                )

    def advance(self, clock: float) -> None:
        if clock < self._next_change:
            return
        self._open.clear()
        upcoming = math.inf
        for season in self.seasons.values():
            if season.ended:
                continue
            for match in season.matches:
                if match.state == FINAL:
                    continue
                if clock >= match.ends + season.grace:
                    match.state = FINAL
                    self.changes.append(
                        {
                            "kind": "match_final",
                            "season": season.id,
                            "match": match.id,
                            "score": [match.home_goals, match.away_goals],
                        }
                    )
                    continue
                if clock >= match.starts and match.state == SCHEDULED:
                    match.state = LIVE
                upcoming = min(
                    upcoming, match.ends + season.grace if match.state == LIVE else match.starts
                )
        self._next_change = upcoming

    def set_heads(self, season_id: str, club: str, heads: int) -> None:
        season = self.seasons.get(season_id)
        if season is not None and club in season.clubs:
            season.clubs[club].heads = heads

    def forfeit(self, season_id: str, match_id: str, club: str) -> None:
        season = self.seasons.get(season_id)
        if season is None:
            return
        for match in season.matches:
            if match.id == match_id and club in (match.home, match.away):
                match.forfeit = club
                match.state = FINAL
                self._open.clear()
                self.changes.append(
                    {
                        "kind": "match_final",
                        "season": season.id,
                        "match": match.id,
                        "forfeit": club,
                        "score": [match.home_goals, match.away_goals],
                    }
                )

    def end(self, season_id: str) -> None:
        season = self.seasons.get(season_id)
        if season is None or season.ended:
            return
        season.ended = True
        self._open.clear()
        table = season.table()
        season.champion = table[0].club if table and table[0].played else None
        self.changes.append(
            {"kind": "season_ended", "season": season.id, "champion": season.champion}
        )

    def minute(self, match: Match, clock: float) -> int:
        if clock <= match.starts:
            return 0
        return min(90, math.ceil((clock - match.starts) / (match.ends - match.starts) * 90))

    def scorers(self, season_id: str) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for match in self.seasons[season_id].matches:
            for goal in match.goals:
                if not goal.disallowed and match.forfeit is None:
                    counts[goal.agent] = counts.get(goal.agent, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def calibrate_goal_every(points_per_head: Sequence[float], *, target: float = 2.75) -> float:
    """The ``goal_every`` that would have given ``target`` goals per match.

    ``points_per_head`` holds one club's points per head in one past window,
    for every club and window sampled; a match has two such clubs. The answer
    is found by bisection, since goals are whole numbers (floor of a ratio).
    """
    samples = [p for p in points_per_head if p > 0]
    if not samples:
        raise LeagueError("expected past sales to calibrate from, got none")

    def goals_per_match(goal_every: float) -> float:
        return 2 * sum(math.floor(p / goal_every) for p in samples) / len(points_per_head)

    low, high = 1e-6, max(samples) * 2
    for _ in range(100):
        middle = (low + high) / 2
        if goals_per_match(middle) > target:
            low = middle
        else:
            high = middle
    # Round up: rounding down could land on the boundary and score one goal more.
    return math.ceil(high * 10_000) / 10_000
