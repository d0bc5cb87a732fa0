"""What each topic shows: the state a screen renders, built from the scorer.

Which topic gets which of these is :mod:`wallboard.topics`.

Boards are public: agents appear by their public name or initials, agents who
opted out are left out, only the top ``TOP`` ranks are shown and never the
bottom, and with ``WALLBOARD_WORKS_COUNCIL`` on no agent appears at all.
"""

from __future__ import annotations

import colorsys
import itertools
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any
from weakref import WeakKeyDictionary

from leagues import views as league_views
from leagues.season import FINAL, LIVE, Season
from scoring import views
from scoring.channels import Channels
from scoring.contests.edit import declared
from scoring.contests.model import DECIDED, RUNNING
from scoring.contests.views import current
from scoring.model import REVOKED, Tombola
from scoring.reward_store import HELD, RewardBook
from scoring.scorer import Scorer
from wallboard import desk, desk_play
from wallboard.board_contests import board_contests, contest_details
from wallboard.hourly import sales_by_hour

TOP = 10
TICKER = 15
#: results a board's state holds at least (a matchday's worth, if more)
RESULTS = 6
DRAWN = "drawn"
#: names of a tombola's entrants a board's state holds, for the draw's drum
ENTRANTS = 60
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
        "colour": site_colours(scorer, [season])[club.id],
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
            colour=site_colours(scorer, [season])[club.id],
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
    "contest_provisional": contest_details,
    "contest_final": contest_details,
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


def league(
    scorer: Scorer,
    season: Season,
    site: str | None,
    works_council: bool,
    colours: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One season as a board shows it: the table, live matches, results and scorers
    (a site's board: its own matches), and the points race. ``colours``: each
    club's, as the board's ``site_colours`` gives them."""
    colours = colours if colours is not None else site_colours(scorer, [season])
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
    # A matchday's worth (the board shows as many as fit), at least RESULTS.
    results = [m for m in matches if m["state"] == FINAL][-max(RESULTS, len(season.clubs) // 2) :]
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
                "colour": colours[c.id],
            }
            for c in season.clubs.values()
        },
        "table": league_views.table_view(season),
        "live": live,
        "results": results[::-1],
        "scorers": scorers,
        "race": points_race(season),
    }


#: a club's colour when its season gave none (``leagues.season``)
NO_COLOUR = "#888888"


def site_colours(scorer: Scorer, seasons: Iterable[Season]) -> dict[str, str]:
    """One colour per site (a club is a site), the same in the table, the charts and
    the matches: the roster's colour for the site, else the one a season gave its
    club, else one of ``spread_colour``'s, skipping the colours already taken."""
    colours: dict[str, str] = {}
    for site, record in scorer.state.sites.items():
        if record.get("colour"):
            colours[site] = str(record["colour"]).lower()
    clubs = [club for season in seasons for club in season.clubs.values()]
    for club in clubs:
        if club.id not in colours and club.colour != NO_COLOUR:
            colours[club.id] = club.colour.lower()
    taken = list(colours.values())
    spare = (spread_colour(n) for n in itertools.count())
    for site in [*scorer.state.sites, *(club.id for club in clubs)]:
        if site in colours:
            continue
        # The next colour not close to one taken (after many tries, the next one).
        for _ in range(len(PALETTE) * 2):
            colour = next(spare)
            if all(_distance(colour, other) >= CLOSE for other in taken):
                break
        colours[site] = colour
        taken.append(colour)
    return colours


#: colours nearer than this (in RGB, 0 to 441) are told apart badly on a wall
CLOSE = 50
#: the colours sites get, in order, as hue, saturation and lightness: the first
#: twelve far apart, all readable on dark and on light boards
PALETTE = [
    *((212, 70, 48), (25, 85, 52), (135, 55, 40), (350, 70, 50), (268, 60, 58), (46, 90, 48)),
    *((180, 75, 36), (320, 60, 55), (90, 60, 40), (198, 80, 62), (15, 45, 40), (240, 55, 52)),
    *((160, 60, 55), (0, 0, 55), (290, 45, 40), (60, 65, 45), (335, 80, 70), (100, 55, 62)),
    *((30, 70, 70), (225, 70, 70)),
]


def spread_colour(n: int) -> str:
    """The n-th colour for a site: ``PALETTE``'s, then hues a golden angle apart."""
    hue: float
    if n < len(PALETTE):
        hue, saturation, lightness = PALETTE[n]
    else:
        hue, saturation, lightness = (n * 137.508) % 360, 65, (45, 60)[n % 2]
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness / 100, saturation / 100)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (red, green, blue))


def _distance(one: str, other: str) -> float:
    pairs = zip(bytes.fromhex(one[1:]), bytes.fromhex(other[1:]), strict=True)
    return float(sum((a - b) ** 2 for a, b in pairs) ** 0.5)


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
    seasons = shown_seasons(scorer, site, season)
    colours = site_colours(scorer, seasons)
    return {
        "site": site,
        "site_name": scorer.state.sites.get(site, {}).get("name", site) if site else None,
        "season": season,
        "works_council": works_council,
        "today": views.today(scorer) if scorer.clock else None,
        "leagues": [league(scorer, shown, site, works_council, colours) for shown in seasons],
        "leaderboards": leaderboards(scorer, site, works_council),
        "ticker": ticker(scorer, site, works_council),
        "sales_by_hour": sales_by_hour(scorer, site),
        "sites": {
            k: {"name": v.get("name", k), "colour": colours[k]}
            for k, v in scorer.state.sites.items()
        },
        "tombolas": [
            tombola(scorer, t, works_council)
            for t in board_tombolas(scorer.tombolas.book.tombolas.values())
        ],
        "contests": board_contests(scorer, site, works_council, colours),
        # each channel's revision: a screen on a channel reloads when it changes
        "channels": {c.id: c.revision for c in scorer.feature(Channels).book.channels.values()},
    }


def board_tombolas(drums: Iterable[Tombola]) -> list[Tombola]:
    """The tombolas a board shows, by cadence (a tombola's length: hourly ones, a
    weekly one): of each, the open ones (and those closed, waiting for their draw)
    and the one drawn last, so that a weekly
    tombola stays on the board however many hourly ones are drawn meanwhile.
    In the order they close."""
    cadences: dict[int, list[Tombola]] = {}
    for drum in drums:
        cadences.setdefault(round((drum.closes - drum.opens) / 60), []).append(drum)
    shown: list[Tombola] = []
    for drums in cadences.values():
        shown += [drum for drum in drums if drum.state != DRAWN]
        drawn = [drum for drum in drums if drum.state == DRAWN]
        if drawn:
            shown.append(max(drawn, key=lambda drum: drum.closes))
    return sorted(shown, key=lambda drum: drum.closes)


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
        "entrants": [label(a) for a in sorted(ledger)][:ENTRANTS],
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
    state["recent"] = desk.recent(state["recent"])
    # The page lists the awards as ``prizes``, with how each was won, and the
    # tombolas as ``tombolas_open`` with the sales to the next ticket.
    del state["awards"], state["tombolas"]
    state.update(desk.extras(scorer, agent_id, site))

    def shown(other: str) -> str | None:
        mine = other == agent_id
        return public_name(scorer, other) if mine or visible(scorer, other, False) else None

    state.update(desk_play.play(scorer, agent_id, shown))
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
        "channels": channels(scorer),
        "reveals": reveals(scorer),
        "contests": running_contests(scorer),
        "redemptions_waiting": sum(
            r.state == HELD for r in scorer.state.slice(RewardBook).redemptions.values()
        ),
    }


def running_contests(scorer: Scorer) -> list[dict[str, Any]]:
    """The contests whose current run is on or waits for its result, for the
    console's overview."""
    clock = scorer.clock or 0.0
    return [
        {"contest": c.id, "name": c.name, "format": c.format, "hidden": c.hidden}
        for c in scorer.contests.book.contests.values()
        if current(c, clock).state in (RUNNING, DECIDED)
    ]


def reveals(scorer: Scorer) -> list[dict[str, Any]]:
    """For each hidden contest, the ``contest`` event that reveals it: the one that
    launches it as it stands (``edit.declared``), without ``hidden``."""
    shown = []
    for contest in scorer.contests.book.contests.values():
        if contest.hidden:
            event = declared(contest)
            del event["hidden"]
            shown.append(event)
    return shown


def channels(scorer: Scorer) -> list[dict[str, Any]]:
    """The screens' channels, as the console lists and edits them."""
    return [
        {
            "channel": c.id,
            "name": c.name,
            "scenes": c.scenes,
            "rotate": c.rotate,
            "site": c.site,
            "season": c.season,
            "revision": c.revision,
        }
        for c in sorted(scorer.feature(Channels).book.channels.values(), key=lambda c: c.name)
    ]


def rules_in_force(scorer: Scorer) -> dict[str, Any]:
    """The rule set in force at the log's clock, as its event gave it: a ``rules``
    event replaces the whole set, so the console edits this one rather than a blank."""
    rules = scorer.state.timeline.rules_at(scorer.clock or 0.0)
    return {"version": rules.version, "rules": dict(rules.raw)}
