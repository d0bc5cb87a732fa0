"""The league as a contest format: sales become goals in live matches.

The football itself (fixtures, matchday windows, goals per head, the table) is
the pure ``leagues`` package; this module plugs it into the fold with the same
hooks every feature has, and is the example to follow for a new format:

1. a slice: ``LeagueBook``, the state the format owns and how it is stored;
2. the events it takes (``handlers``) and the hooks it needs: here ``counted``
   (a sale plays for its agent's site), ``revoked`` (its goal is disallowed)
   and ``reached`` (matches kick off and end as the log's clock moves);
3. one registration line in ``scorer.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from leagues.errors import LeagueError
from leagues.season import League, build_season
from leagues.snapshot import from_data, to_data

from .codecs import Codec, stored
from .feature import Core, Event, Feature, Handler
from .model import Sale, SeasonPeriod


@dataclass(slots=True)
class LeagueBook:
    league: League = stored(Codec(to_data, from_data), League)


class LeagueFormat(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(LeagueBook)

    @property
    def league(self) -> League:
        return self.book.league

    def handlers(self) -> dict[str, Handler]:
        return {
            "league_season": self.add_season,
            "league_heads": self.set_heads,
            "forfeit": self.forfeit,
            "league_end": self.end,
        }

    # Hooks -----------------------------------------------------------------
    def counted(self, sale: Sale) -> None:
        league = self.book.league
        if league.seasons:
            club = self._club(sale.agent, sale.day)
            if club is not None:
                league.on_sale(
                    sale.key, sale.id, sale.agent, club, sale.ts, sale.points, self.state.clock
                )
                if league.changes:
                    self._flush()

    def revoked(self, sale: Sale) -> None:
        league = self.book.league
        if league.seasons:
            club = self._club(sale.agent, sale.day)
            if club is not None:
                league.on_revoke(sale.key, sale.id, club, sale.ts, sale.points, self.state.clock)
                self._flush()

    def reached(self, when: float) -> None:
        league = self.book.league
        if league.seasons:
            league.advance(when)
            if league.changes:
                self._flush()

    # Events ----------------------------------------------------------------
    def add_season(self, event: Event) -> None:
        league = self.book.league
        if event["season"] in league.seasons:
            # A season is launched once. Another event with its id (a second click,
            # another body) changes nothing, and says so rather than staying silent.
            self.outbox.emit(
                {
                    "kind": "league_error",
                    "season": event["season"],
                    "error": f"season {event['season']!r} exists already; the first launch stands",
                }
            )
            return
        timeline = self.state.timeline
        ts = self.epoch(event["ts"])
        calendar = timeline.calendar_at(ts)
        try:
            season = build_season(event, calendar.timezone)
        except LeagueError as error:
            self.outbox.emit(
                {"kind": "league_error", "season": event["season"], "error": str(error)}
            )
            return
        league.add(season)
        # The season is a period of the leaderboards too, over its matchdays.
        first = calendar.day(season.matches[0].starts)
        last = calendar.day(season.matches[-1].ends - 1)
        timeline.seasons.setdefault(season.id, SeasonPeriod(season.id, season.name, first, last))
        league.advance(self.state.clock)
        self._flush()

    def set_heads(self, event: Event) -> None:
        self.book.league.set_heads(event["season"], event["club"], event["heads"])

    def forfeit(self, event: Event) -> None:
        self.book.league.forfeit(event["season"], event["match"], event["club"])
        self._flush()

    def end(self, event: Event) -> None:
        self.book.league.end(event["season"])
        self._flush()

    # ---------------------------------------------------------------------
    def _flush(self) -> None:
        changes = self.book.league.changes
        if changes:
            self.outbox.changes += changes  # type: ignore[arg-type]
            changes.clear()

    def _club(self, agent: str, day: str) -> str | None:
        """The club (site) an agent's sale plays for; None while the roster lacks them."""
        placed = self.placements.of(agent, day)
        return placed[1] if placed is not None else None


def table_order(book: LeagueBook, season_id: str) -> list[str] | None:
    """The clubs of a season in its table's order (a cup seeds from it); None for a
    season the league does not have."""
    season = book.league.seasons.get(season_id)
    if season is None:
        return None
    return [standing.club for standing in season.table()]
