"""The contests a board shows: running ones, and each decided one for a day after.

Public like the rest of a board (``screens``): agents by public name only, an
agent who opted out left out (a challenge with one is not shown at all), with
``WALLBOARD_WORKS_COUNCIL`` no agent anywhere (contests between teams or sites
stay). A hidden contest, and a challenge not accepted, shows nowhere.

Each contest carries what its scene draws: the standings (the top ``ROWS``),
the race's line, the cup's rounds, and its latest revoked sales, struck through.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from scoring import views
from scoring.contests.cup import leg_score
from scoring.contests.metrics import participant
from scoring.contests.model import DECIDED, FINAL, RUNNING, Contest, Run
from scoring.contests.views import contest_view, current
from scoring.model import REVOKED
from scoring.scorer import Scorer

#: seconds a decided run stays on the board: its winner screen shows for a day
WINNER_SCREEN = 24 * 3600
#: rows of a contest's standings a board's state holds
ROWS = 12
#: revoked sales a contest shows, newest first
REVOKED_SHOWN = 3
#: sales looked through for revoked ones
REVOKED_SCAN = 500


def board_contests(
    scorer: Scorer, site: str | None, works_council: bool, colours: Mapping[str, str]
) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    clock = scorer.clock or 0.0
    for contest in scorer.contests.book.contests.values():
        if contest.hidden or not contest.runs:
            continue
        run = current(contest, clock)
        if not _on_board(contest, run, clock) or not _plays_at(scorer, contest, site):
            continue
        name = _namer(scorer, contest, works_council)
        if contest.format == "challenge" and any(name(p) is None for p in contest.participants):
            continue
        view = contest_view(scorer.state, contest, name, ids=True)
        del view["runs"]
        view.pop("places", None)
        if "challenge" in view:
            score = {row["id"]: row["score"] for row in view["standings"]}
            view["challenge"]["scores"] = [score.get(p, 0) for p in contest.participants[:2]]
        # How many there are, for the "+N more" under the rows a screen has room for.
        view["ranked"] = len(view["standings"])
        view["standings"] = view["standings"][:ROWS]
        view["revoked"], counts = _revoked(scorer, contest, run, name)
        for row in view["standings"]:
            row["revoked"] = counts.get(row["id"], 0)
        _colour(scorer, contest, view, colours)
        _live_ties(scorer, contest, run, view)
        if contest.kind == "agents":
            _without_ids(view)
        shown.append(view)
    return shown


def _on_board(contest: Contest, run: Run, clock: float) -> bool:
    if run.starts > clock:
        return False
    if run.state == RUNNING:
        return contest.format != "challenge" or contest.accepted is True
    if run.state in (DECIDED, FINAL):
        decided = run.decided_at if run.decided_at is not None else run.ends
        return clock - decided < WINNER_SCREEN
    return False


def _plays_at(scorer: Scorer, contest: Contest, site: str | None) -> bool:
    """Whether a site's board shows ``contest``: the company's shows every one."""
    if site is None:
        return True
    return any(_site_of(scorer, contest.kind, p) == site for p in contest.participants) or any(
        _site_of(scorer, "agents", agent) == site
        for members in contest.groups.values()
        for agent in members
    )


def _site_of(scorer: Scorer, kind: str, ident: str) -> str | None:
    if kind == "sites":
        return ident
    if kind == "teams":
        site = scorer.state.teams.get(ident, {}).get("site")
        return str(site) if site else None
    if kind == "agents":
        agent = scorer.state.agents.get(ident)
        return agent.placement(views.today(scorer))[1] if agent else None
    return None


def _namer(scorer: Scorer, contest: Contest, works_council: bool) -> Callable[[str], str | None]:
    state = scorer.state
    if contest.kind == "teams":
        return lambda team: str(state.teams.get(team, {}).get("name", team))
    if contest.kind == "sites":
        return lambda site: str(state.sites.get(site, {}).get("name", site))
    if contest.kind == "groups":
        return lambda group: group

    def public(agent: str) -> str | None:
        agent_record = state.agents.get(agent)
        if agent_record is None or agent_record.opt_out or works_council:
            return None
        return views.public_label(agent_record)

    return public


def _revoked(
    scorer: Scorer, contest: Contest, run: Run, name: Callable[[str], str | None]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The run's latest revoked sales, by who they counted for, and how many each
    side had revoked: a change a person saw go up and come down again, like the
    league's disallowed goals."""
    found: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for sale in islice(reversed(scorer.state.sales.values()), REVOKED_SCAN):
        if sale.state != REVOKED or not run.starts <= sale.ts < run.ends:
            continue
        side = participant(contest, scorer.state.agents.get(sale.agent), sale.agent, sale.day)
        shown = name(side) if side is not None else None
        if side is None or shown is None:
            continue
        counts[side] = counts.get(side, 0) + 1
        if len(found) < REVOKED_SHOWN:
            found.append({"name": shown, "product": sale.product})
    return found, counts


def _colour(
    scorer: Scorer, contest: Contest, view: dict[str, Any], colours: Mapping[str, str]
) -> None:
    """Each site's one colour on its rows and cup sides (a team's, an agent's: their
    site's)."""
    if contest.kind == "groups":
        return

    def paint(side: dict[str, Any] | None) -> None:
        if side and "id" in side:
            colour = colours.get(_site_of(scorer, contest.kind, side["id"]) or "")
            if colour:
                side["colour"] = colour

    for row in view["standings"]:
        paint(row)
    for cup_round in view.get("cup", {}).get("rounds", []):
        for tie in cup_round["ties"]:
            paint(tie["home"])
            paint(tie["away"])


def contest_details(
    scorer: Scorer, change: Mapping[str, Any], works_council: bool
) -> dict[str, Any]:
    """A decided contest's celebration: its name and format, its winners by the
    names a board may show (ids never leave: those it may not name are left out)."""
    contest = scorer.contests.book.contests.get(str(change.get("contest", "")))
    if contest is None:
        return {"winners": []}
    name = _namer(scorer, contest, works_council)
    named = [name(str(w)) for w in change.get("winners", ())]
    return {
        "name": contest.name,
        "format": contest.format,
        "winners": [shown for shown in named if shown is not None],
    }


def _live_ties(scorer: Scorer, contest: Contest, run: Run, view: dict[str, Any]) -> None:
    """A cup tie being played: each side's score in the legs begun so far."""
    clock = scorer.clock or 0.0
    for number, cup_round in enumerate(view.get("cup", {}).get("rounds", [])):
        ties = [tie for tie in run.ties if tie.round == number]
        for shown, tie in zip(cup_round["ties"], ties, strict=False):
            if tie.winner is not None or tie.home in (None, "-") or tie.away in (None, "-"):
                continue
            first = number * contest.legs
            begun = [w for w in range(first, first + contest.legs) if run.windows[w][0] <= clock]
            if begun:
                shown["live"] = [
                    [round(leg_score(contest, run, w, side), 2) for side in (tie.home, tie.away)]
                    for w in begun
                ]


def _without_ids(view: dict[str, Any]) -> None:
    """Agents by public name only: their ids stay off public screens."""
    sides = [*view["standings"], *(view.get("winners") or [])]
    if "challenge" in view:
        sides += [view["challenge"]["challenger"], view["challenge"]["opponent"]]
    for cup_round in view.get("cup", {}).get("rounds", []):
        for tie in cup_round["ties"]:
            sides += [side for side in (tie["home"], tie["away"], tie["winner"]) if side]
    for side in sides:
        side.pop("id", None)
