"""``GET /api/contests`` and ``GET /api/contests/{contest}``: contests, their
standings and winners.

A manager reads every contest, hidden ones too, with ids and full names. A
display or agent token reads what a public board shows: no hidden contest (404,
as for one that does not exist), agents by public name or initials without
their ids (teams and sites by id and name), agents who opted out left out, and
with ``WALLBOARD_WORKS_COUNCIL`` no agent at all (a contest between teams or
sites stays).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring.contests.edit import declared
from scoring.contests.model import Contest
from scoring.contests.views import Name, contest_view, summary
from scoring.scorer import Scorer

from . import screens
from .api import answer
from .errors import ApiError
from .identity import READERS, require
from .labels import Labels, contest_names
from .services import services


async def contests(request: Request) -> JSONResponse:
    token = await require(request, READERS)
    engine = services(request).engine
    scorer = engine.scorer
    manager = token.role == "manager"
    shown = [
        summary(
            scorer.state,
            contest,
            _names(request, scorer, contest, manager),
            ids=_ids(contest, manager),
        )
        for contest in scorer.contests.book.contests.values()
        if manager or not contest.hidden
    ]
    return answer(engine, {"contests": shown})


async def contest(request: Request) -> JSONResponse:
    token = await require(request, READERS)
    engine = services(request).engine
    scorer = engine.scorer
    manager = token.role == "manager"
    found = scorer.contests.book.contests.get(request.path_params["contest"])
    if found is None or (found.hidden and not manager):
        raise ApiError(404, f"no contest {request.path_params['contest']!r}")
    names = _names(request, scorer, found, manager)
    view = contest_view(scorer.state, found, names, ids=_ids(found, manager))
    if manager:
        view["hidden"] = found.hidden
        view["source"] = found.source
        # The event that launches it as it stands: the console's form edits it.
        view["definition"] = declared(found)
    return answer(engine, view)


def _ids(contest: Contest, manager: bool) -> bool:
    """Whether the answer holds participants' ids: a team's or a site's are public."""
    return manager or contest.kind != "agents"


def _names(request: Request, scorer: Scorer, contest: Contest, manager: bool) -> Name:
    """Participants' names as the reader may see them; None for one left out."""
    labels = Labels(scorer)
    if manager or contest.kind != "agents":
        return contest_names(labels, contest)
    works_council = services(request).settings.works_council

    def public(agent: str) -> str | None:
        if not screens.visible(scorer, agent, works_council):
            return None
        return screens.public_name(scorer, agent)

    return public
