"""What each topic shows: the state a screen renders, built from the scorer.

Which topic gets which of these is :mod:`wallboard.topics`.

Boards are public: agents appear by their public name or initials, agents who
opted out are left out, only the top ``TOP`` ranks are shown and never the
bottom, and with ``WALLBOARD_WORKS_COUNCIL`` on no agent appears at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import islice
from typing import Any
from weakref import WeakKeyDictionary

from leagues import views as league_views
from leagues.season import FINAL, LIVE, Season
from scoring import views
from scoring.model import REVOKED, Tombola
from scoring.scorer import Scorer
from wallboard.hourly import sales_by_hour

TOP = 10
TICKER = 15
#: an agent's latest events their page lists
RECENT = 15


def public_events(
    scorer: Scorer, events: list[Mapping[str, Any]], personal: frozenset[str], works_council: bool
) -> list[Mapping[str, Any]]:
    """Celebrations for a public board: agents by their public name, the ``personal``
    kinds of hidden agents left out, never an agent id (an award's id holds its
    agent's, a draw's winners are ids)."""
    shown: list[Mapping[str, Any]] = []
    for change in events:
        event = {key: value for key, value in change.items() if key not in PRIVATE_FIELDS}
        details = DETAILS.get(str(event.get("kind")))
        if details is not None:
            event.update(details(scorer, change, works_council))
        if event.get("kind") == "tombola_drawn":
            event["winners"] = [
                public_name(scorer, w) if visible(scorer, w, works_council) else "?"
                for w in event.get("winners", ())
            ]
        agent = event.get("agent")
        if agent is None:
            shown.append(event)
            continue
        named = visible(scorer, agent, works_council)
        if event.get("kind") in personal and not named:
            continue
        shown.append({**event, "agent": public_name(scorer, agent) if named else ""})
    return shown


#: fields of a change a public board leaves out: an award's id is made of its rule,
#: its agent's id and its period
PRIVATE_FIELDS = frozenset({"award"})


def _match_details(
    scorer: Scorer, change: Mapping[str, Any], works_council: bool
) -> dict[str, Any]:
    """A goal's (or a disallowed goal's) match by both clubs' names, and the scoring
    club's colour: a celebration says "Hamburg 2 : 2 Berlin", and a site's board
    does not hold the other sites' matches to look them up."""
    season = scorer.league.league.seasons.get(change.get("season", ""))
    match = (
        next((m for m in season.matches if m.id == change.get("match")), None) if season else None
    )
    club = season.clubs.get(change.get("club", "")) if season else None
    if season is None or match is None or club is None:
        return {}
    return {
        "home": match.home,
        "away": match.away,
        "home_name": season.clubs[match.home].name,
        "away_name": season.clubs[match.away].name,
        "colour": _colour(scorer, club.id, club.colour),
    }


def _prize_details(
    scorer: Scorer, change: Mapping[str, Any], works_council: bool
) -> dict[str, Any]:
    """The prize's picture, and the tombola a prize was drawn in (the draw's own
    celebration shows it, with the other winners)."""
    award = scorer.prizes.book.awards.get(change.get("award", ""))
    prize = scorer.prizes.book.prizes.get(award.prize) if award else None
    details: dict[str, Any] = {"picture": prize.picture if prize else None}
    if award is not None and award.rule.startswith(TOMBOLA_RULE):
        details["tombola"] = award.rule.removeprefix(TOMBOLA_RULE)
    return details


#: the rule an award drawn in a tombola names: ``tombola:<id>`` (``scoring.tombolas``)
TOMBOLA_RULE = "tombola:"


def _draw_details(scorer: Scorer, change: Mapping[str, Any], works_council: bool) -> dict[str, Any]:
    """Who wins which prize, in the draw's order, with each prize's picture; a winner
    the board may not name is "" (the board says so in its language)."""
    drum = scorer.tombolas.book.tombolas.get(change.get("tombola", ""))
    if drum is None:
        return {}
    catalog = scorer.prizes.book.prizes
    return {
        "name": drum.name,
        "prizes": [
            {
                "prize": catalog[prize].name if prize in catalog else prize,
                "picture": catalog[prize].picture if prize in catalog else None,
                "winner": public_name(scorer, winner)
                if visible(scorer, winner, works_council)
                else "",
            }
            for prize, winner in zip(drum.prizes, drum.winners, strict=False)
        ],
    }


def _champion_details(
    scorer: Scorer, change: Mapping[str, Any], works_council: bool
) -> dict[str, Any]:
    """The season's name and its champion's, colour and points: an ended season
    leaves the board's state, so the celebration carries them."""
    season = scorer.league.league.seasons.get(change.get("season", ""))
    if season is None:
        return {}
    details: dict[str, Any] = {"name": season.name}
    club = season.clubs.get(change.get("champion") or "")
    if club is not None:
        standing = next((row for row in season.table() if row.club == club.id), None)
        details.update(
            champion_name=club.name,
            colour=_colour(scorer, club.id, club.colour),
            points=standing.points if standing else None,
        )
    return details


#: what a public board's celebration of each kind needs beyond the change itself
DETAILS = {
    "goal": _match_details,
    "goal_disallowed": _match_details,
    "prize": _prize_details,
    "tombola_drawn": _draw_details,
    "season_ended": _champion_details,
}


def public_name(scorer: Scorer, agent_id: str) -> str:
    agent = scorer.state.agents.get(agent_id)
    return views.public_label(agent) if agent else "?"


def visible(scorer: Scorer, agent_id: str, works_council: bool) -> bool:
    agent = scorer.state.agents.get(agent_id)
    return agent is not None and not agent.opt_out and not works_council


def running_seasons(scorer: Scorer, site: str | None = None) -> list[Season]:
    """The seasons launched and not ended, in the order they were launched; for a
    site, those it plays in. Several run at once (a cup beside the league)."""
    return [
        season
        for season in scorer.league.league.seasons.values()
        if not season.ended and (site is None or site in season.clubs)
    ]


def shown_seasons(scorer: Scorer, site: str | None, pinned: str | None) -> list[Season]:
    """What a board shows: the season it is pinned to (ended or not), else every
    running season its site plays in (every running season, on the company's board)."""
    if pinned is not None:
        season = scorer.league.league.seasons.get(pinned)
        return [season] if season is not None else []
    return running_seasons(scorer, site)


def league(scorer: Scorer, season: Season, site: str | None, works_council: bool) -> dict[str, Any]:
    """One season as a board shows it: the table, live matches, results and scorers
    (a site's board: its own matches), and the points race."""
    league_state = scorer.league.league

    def name(agent_id: str) -> str:
        return public_name(scorer, agent_id) if visible(scorer, agent_id, works_council) else ""

    matches = [
        league_views.match_view(league_state, m, scorer.clock, name)
        for m in season.matches
        if site is None or site in (m.home, m.away)
    ]
    for match in matches:
        match["home_name"] = season.clubs[match["home"]].name
        match["away_name"] = season.clubs[match["away"]].name
    live = [m for m in matches if m["state"] == LIVE]
    results = [m for m in matches if m["state"] == FINAL][-6:]
    scorers = (
        []
        if works_council
        else [
            {"agent": public_name(scorer, a), "goals": g}
            for a, g in league_state.scorers(season.id)
            if visible(scorer, a, works_council)
        ][:5]
    )
    return {
        "season": season.id,
        "name": season.name,
        "ended": season.ended,
        "champion": season.champion,
        "clubs": {
            c.id: {
                "name": c.name,
                "short_name": c.short_name,
                "colour": _colour(scorer, c.id, c.colour),
            }
            for c in season.clubs.values()
        },
        "table": league_views.table_view(season),
        "live": live,
        "results": results[::-1],
        "scorers": scorers,
        "race": points_race(season),
    }


def _colour(scorer: Scorer, club: str, colour: str) -> str:
    """The club's colour, else its site's, so a season need not repeat the roster."""
    if colour != "#888888":
        return colour
    return str(scorer.state.sites.get(club, {}).get("colour", colour))


def points_race(season: Season) -> dict[str, list[int]]:
    """Each club's league points after each finished matchday, for the race chart."""
    win, draw, _ = season.points
    days = sorted({m.matchday for m in season.matches if m.state == FINAL})
    race: dict[str, list[int]] = {club: [] for club in season.clubs}
    totals = dict.fromkeys(season.clubs, 0)
    for day in days:
        for match in season.matches:
            if match.matchday != day or match.state != FINAL:
                continue
            home, away = match.home_goals, match.away_goals
            totals[match.home] += win if home > away else draw if home == away else 0
            totals[match.away] += win if away > home else draw if home == away else 0
        for club, points in totals.items():
            race[club].append(points)
    return race


def leaderboards(scorer: Scorer, site: str | None, works_council: bool) -> dict[str, Any]:
    boards: dict[str, Any] = {}
    for period in ("day", "week"):
        boards[period] = {}
        for by in ("team", "site") if works_council else ("agent", "team", "site"):
            if site is not None and by == "site":
                continue
            full = _ranked(scorer, period, by)
            rows = [r for r in full["rows"] if site is None or _on_site(scorer, by, r["id"], site)]
            # Agents appear by public name only: their ids stay off public screens.
            boards[period][by] = [
                {**row, "rank": n + 1, "id": row["id"] if by != "agent" else None}
                for n, row in enumerate(rows[:TOP])
            ]
    return boards


#: per scorer, the public leaderboards of its current state (``folds``): the company
#: board and every site's board draw the same six in one round of frames
_rankings: WeakKeyDictionary[Scorer, tuple[int, dict[tuple[str, str], dict[str, Any]]]] = (
    WeakKeyDictionary()
)


def _ranked(scorer: Scorer, period: str, by: str) -> dict[str, Any]:
    cached = _rankings.get(scorer)
    if cached is None or cached[0] != scorer.folds:
        cached = _rankings[scorer] = (scorer.folds, {})
    board = cached[1].get((period, by))
    if board is None:
        board = cached[1][period, by] = views.leaderboard(scorer, period, by, public=True)
    return board


def _on_site(scorer: Scorer, by: str, ident: str, site: str) -> bool:
    if by == "team":
        return scorer.state.teams.get(ident, {}).get("site") == site
    agent = scorer.state.agents.get(ident)
    return agent is not None and agent.placement(views.today(scorer))[1] == site


def ticker(scorer: Scorer, site: str | None, works_council: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for sale in islice(reversed(scorer.state.sales.values()), 200):
        if sale.state == REVOKED or not visible(scorer, sale.agent, works_council):
            continue
        agent = scorer.state.agents[sale.agent]
        if site is not None and agent.placement(sale.day)[1] != site:
            continue
        items.append(
            {
                "kind": "sale",
                "id": sale.id,
                "agent": views.public_label(agent),
                "product": sale.product,
                "revenue": sale.revenue / 100,
                "ts": views.iso(sale.ts),
            }
        )
        if len(items) >= TICKER:
            break
    for award in islice(reversed(scorer.prizes.book.awards.values()), 5):
        if award.state != REVOKED and visible(scorer, award.agent, works_council):
            prize = scorer.prizes.book.prizes.get(award.prize)
            items.append(
                {
                    "kind": "prize",
                    "agent": public_name(scorer, award.agent),
                    "prize": prize.name if prize else award.prize,
                    "ts": views.iso(award.ts),
                }
            )
    return sorted(items, key=lambda item: item["ts"], reverse=True)[:TICKER]


def board(
    scorer: Scorer, site: str | None, works_council: bool, season: str | None = None
) -> dict[str, Any]:
    """A board's whole state: ``season`` pins it to one season of the league."""
    return {
        "site": site,
        "site_name": scorer.state.sites.get(site, {}).get("name", site) if site else None,
        "season": season,
        "works_council": works_council,
        "today": views.today(scorer) if scorer.clock else None,
        "leagues": [
            league(scorer, shown, site, works_council)
            for shown in shown_seasons(scorer, site, season)
        ],
        "leaderboards": leaderboards(scorer, site, works_council),
        "ticker": ticker(scorer, site, works_council),
        "sales_by_hour": sales_by_hour(scorer, site),
        "sites": {k: v.get("name", k) for k, v in scorer.state.sites.items()},
        "tombolas": [
            tombola(scorer, t, works_council)
            for t in list(scorer.tombolas.book.tombolas.values())[-3:]
        ],
    }


def tombola(scorer: Scorer, drum: Tombola, works_council: bool) -> dict[str, Any]:
    """A tombola for the board: its entrants and winners by public name ("?" for one
    who opted out, and for everyone in works-council mode)."""
    ledger = (
        drum.ledger
        if drum.ledger is not None
        else {a: drum.tickets(a) for a in drum.counts if drum.tickets(a) > 0}
    )

    def label(agent_id: str) -> str:
        # Entrants who opted out of public boards are in the drum all the same.
        return public_name(scorer, agent_id) if visible(scorer, agent_id, works_council) else "?"

    return {
        "tombola": drum.id,
        "name": drum.name,
        "closes": views.iso(drum.closes),
        "state": drum.state,
        "tickets": sum(ledger.values()),
        "entrants": [label(a) for a in sorted(ledger)][:60],
        "winners": [label(w) for w in drum.winners],
    }


def agent(scorer: Scorer, agent_id: str) -> dict[str, Any]:
    state = views.agent_view(scorer, agent_id, recent=RECENT)
    # Their site's live match in every season it plays in, colleagues by public name
    # and not those who opted out of boards.
    state["matches"] = []
    site = state["site"]
    for season in running_seasons(scorer, site) if site is not None else ():
        for match in season.matches:
            if match.state == LIVE and site in (match.home, match.away):
                view = league_views.match_view(
                    scorer.league.league,
                    match,
                    scorer.clock,
                    lambda a: public_name(scorer, a) if visible(scorer, a, False) else "",
                )
                view["home_name"] = season.clubs[match.home].name
                view["away_name"] = season.clubs[match.away].name
                view["season"] = season.id
                view["season_name"] = season.name
                state["matches"].append(view)
    state["clock"] = views.iso(scorer.clock) if scorer.clock else None
    state["profile"] = own_profile(scorer, agent_id)
    return state


def own_profile(scorer: Scorer, agent_id: str) -> dict[str, Any]:
    """The agent's own choices as they made them, for their page's form: the public
    name they chose ("" when none: boards show initials), not the name a board shows,
    so that saving the form unchanged changes nothing. An agent the roster does not
    name yet has choices waiting for it."""
    record = scorer.state.agents.get(agent_id)
    if record is not None:
        return {"public_name": record.public_name or "", "opt_out": record.opt_out}
    waiting = scorer.state.profiles.get(agent_id, {})
    return {
        "public_name": waiting.get("public_name") or "",
        "opt_out": bool(waiting.get("opt_out", False)),
    }


def manage(scorer: Scorer) -> dict[str, Any]:
    return {
        "offset": scorer.offset,
        "clock": views.iso(scorer.clock) if scorer.clock else None,
        "agents": len(scorer.state.agents),
        "sites": len(scorer.state.sites),
        "teams": len(scorer.state.teams),
        "sales": len(scorer.state.sales),
        "seasons": [league_views.season_summary(s) for s in scorer.league.league.seasons.values()],
        "tombolas": [views.tombola_view(scorer, t) for t in scorer.tombolas.book.tombolas],
        "awards": [views.award_view(scorer, a) for a in list(scorer.prizes.book.awards)[-20:]],
        "rules": rules_in_force(scorer),
    }


def rules_in_force(scorer: Scorer) -> dict[str, Any]:
    """The rule set in force at the log's clock, as its event gave it: a ``rules``
    event replaces the whole set, so the console edits this one rather than a blank."""
    rules = scorer.state.timeline.rules_at(scorer.clock or 0.0)
    return {"version": rules.version, "rules": dict(rules.raw)}
