"""``POST /api/seasons/preview``: a season's fixtures as a manager reads them, and
the ``goal_every`` past sales suggest, offered beside the manager's own.

A preview writes nothing and changes nothing it was sent: ``goal_every`` comes
back as sent, and the suggestion (``leagues.calibration``) stands apart with
its reasons, for the manager to take or leave. Windows are read in the rule
set's time zone, to the minute, as a person reads a fixture list.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import JSONResponse

from leagues.calibration import (
    DAY,
    Suggestion,
    matchday_windows_before,
    suggest,
    windows_before,
)
from leagues.errors import LeagueError
from leagues.season import Season, build_season
from scoring import views
from scoring.log import format_ts
from scoring.model import REVOKED
from scoring.periods import Calendar
from scoring.scorer import Scorer

from .errors import ApiError
from .identity import require
from .ingest import check_batch, parse_json, read_body
from .services import services

#: sales a suggestion for windows shorter than a day reads at most, newest first
SCANNED = 100_000


async def preview_season(request: Request) -> JSONResponse:
    await require(request, frozenset({"manager"}))
    body = parse_json(await read_body(request))
    if not isinstance(body, dict):
        raise ApiError(422, "expected a JSON object")
    now = format_ts(datetime.now(UTC))
    event = {"id": "preview", "ts": now, "goal_every": 1, **body, "type": "league_season"}
    [clean] = check_batch(event, None)
    scorer = services(request).engine.scorer
    calendar = scorer.state.timeline.calendar_at(scorer.clock)
    try:
        season = build_season(clean, calendar.timezone)
    except LeagueError as exc:
        raise ApiError(422, str(exc)) from None
    goal_every = body.get("goal_every")
    suggestion = suggest(past_points(scorer, season, clean, calendar), goal_every)
    return JSONResponse(preview(scorer, season, calendar.timezone, goal_every, suggestion))


def preview(
    scorer: Scorer, season: Season, timezone: str, goal_every: Any, suggestion: Suggestion
) -> dict[str, Any]:
    zone = ZoneInfo(timezone)
    names = {club.id: club.name for club in season.clubs.values()}
    matchdays: dict[int, dict[str, Any]] = {}
    for match in season.matches:
        day = matchdays.setdefault(
            match.matchday,
            {
                "matchday": match.matchday,
                "opens": local(match.starts, zone),
                "closes": local(match.ends, zone),
                "matches": [],
                "bye": sorted(names.values()),
            },
        )
        day["matches"].append({"home": names[match.home], "away": names[match.away]})
        day["bye"] = [n for n in day["bye"] if n not in (names[match.home], names[match.away])]
    return {
        "season": season.id,
        "name": season.name,
        # Launching under an id the league has is refused (409): say so first.
        "exists": season.id in scorer.league.league.seasons,
        "timezone": timezone,
        "goal_every": goal_every,
        "suggested_goal_every": suggestion.as_data(),
        "matchdays": list(matchdays.values()),
        "matches": [
            {
                "match": m.id,
                "matchday": m.matchday,
                "home": m.home,
                "away": m.away,
                "home_name": names[m.home],
                "away_name": names[m.away],
                "starts": views.iso(m.starts),
                "ends": views.iso(m.ends),
                "opens": local(m.starts, zone),
                "closes": local(m.ends, zone),
            }
            for m in season.matches
        ],
    }


def local(epoch: float, zone: ZoneInfo) -> str:
    """``2026-12-07 08:00`` in ``zone``; seconds only when a window has them."""
    moment = datetime.fromtimestamp(round(epoch), zone)
    return moment.strftime("%Y-%m-%d %H:%M:%S" if moment.second else "%Y-%m-%d %H:%M")


def past_points(
    scorer: Scorer, season: Season, event: dict[str, Any], calendar: Calendar
) -> list[dict[str, float]]:
    """Per past window shaped like the season's matchdays, each club's sale points
    per head in it: the matchdays before today for a season of working days, or
    windows of its first window's length, back to back, for explicit windows."""
    if not scorer.clock:
        return []
    today = calendar.day(scorer.clock)
    if "windows" not in event:
        windows = matchday_windows_before(
            today,
            calendar.timezone,
            days=event.get("matchday_days", 1),
            working_days=event.get("working_days", (1, 2, 3, 4, 5)),
            holidays=event.get("holidays", ()),
        )
        return [_by_days(scorer, season, calendar, w) for w in windows]
    first = season.matches[0]
    length = first.ends - first.starts
    if length >= DAY:
        # Whole days, ending at midnight: what the day buckets hold.
        days = round(length / DAY)
        windows = windows_before(calendar.start(today), days * DAY)
        return [_by_days(scorer, season, calendar, w) for w in windows]
    return _by_sales(scorer, season, windows_before(scorer.clock, length))


def _by_days(
    scorer: Scorer, season: Season, calendar: Calendar, window: tuple[float, float]
) -> dict[str, float]:
    """Each club's points per head over the local days of ``window``."""
    first = date.fromisoformat(calendar.day(window[0]))
    last = date.fromisoformat(calendar.day(window[1] - 1))
    days = [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
    points = dict.fromkeys(season.clubs, 0)
    for agent_id, agent in scorer.state.agents.items():
        buckets = scorer.state.buckets.get(agent_id)
        if not buckets:
            continue
        for day in days:
            bucket = buckets.get(day)
            if bucket is None:
                continue
            club = agent.placement(day)[1]
            if club is not None and club in points:
                points[club] += bucket.sales_pending + bucket.sales_confirmed
    return _per_head(season, points)


def _by_sales(
    scorer: Scorer, season: Season, windows: list[tuple[float, float]]
) -> list[dict[str, float]]:
    """Each club's points per head in windows shorter than a day, from the sales
    themselves: the newest first, until one is a day older than the first window
    (sales reach the log about in the order they were made), at most ``SCANNED``."""
    points = [dict.fromkeys(season.clubs, 0) for _ in windows]
    earliest, length = windows[0][0], windows[0][1] - windows[0][0]
    for sale in islice(reversed(scorer.state.sales.values()), SCANNED):
        if sale.ts < earliest - DAY:
            break
        index = int((sale.ts - earliest) // length)
        if not 0 <= index < len(windows) or sale.state == REVOKED:
            continue
        agent = scorer.state.agents.get(sale.agent)
        club = agent.placement(sale.day)[1] if agent is not None else None
        if club is not None and club in points[index]:
            points[index][club] += sale.points
    return [_per_head(season, window) for window in points]


def _per_head(season: Season, points: dict[str, int]) -> dict[str, float]:
    """Hundredths of points to points per head, as a match counts them."""
    return {club: total / 100 / max(1, season.clubs[club].heads) for club, total in points.items()}
