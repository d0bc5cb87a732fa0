"""What a display or an agent token reads from the API: what a public board shows.

A display token opens the wall board, an agent token an agent's own page; neither
is a manager. Through the API they read the same as a board shows (see
:mod:`wallboard.screens`): agents by their public name or initials, never an
agent id or full name, agents who opted out left out, the top ranks only, and
with ``WALLBOARD_WORKS_COUNCIL`` no agent at all. An agent's own figures are
``/api/agents/<own id>``. Managers read the full views of :mod:`scoring.views`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring import views
from scoring.rules import PERIODS
from scoring.scorer import Scorer

from . import screens
from .errors import ApiError

#: the periods a board ranks
BOARD_PERIODS = ("day", "week")


def leaderboard(
    scorer: Scorer, period: str, by: str, top: int, works_council: bool
) -> dict[str, Any]:
    """The ranking a board shows for ``period`` and ``by``, its first ``top`` rows."""
    if period not in PERIODS:
        raise ApiError(422, f"expected period to be one of {', '.join(PERIODS)}, got {period!r}")
    if by not in ("agent", "team", "site"):
        raise ApiError(422, f"expected by to be one of agent, team, site, got {by!r}")
    if period not in BOARD_PERIODS:
        raise ApiError(
            403, f"a board ranks {' and '.join(BOARD_PERIODS)} only; {period} is for managers"
        )
    if by == "agent" and works_council:
        raise ApiError(403, "with the works council setting, boards rank teams and sites only")
    rows = screens.leaderboards(scorer, None, works_council)[period][by][:top]
    key = views.current_periods(scorer).get(period, (None,))[0]
    return {"period": period, "key": key, "by": by, "rows": rows}


def prizes(scorer: Scorer, works_council: bool) -> dict[str, Any]:
    """The catalog and its rules as they are; awards by the winner's public name, and
    only for winners a board shows (no award id: it holds the agent's)."""
    full = views.prizes_view(scorer)
    book = scorer.prizes.book
    awards = []
    for award in book.awards.values():
        if not screens.visible(scorer, award.agent, works_council):
            continue
        prize = book.prizes.get(award.prize)
        awards.append(
            {
                "prize": award.prize,
                "name": prize.name if prize else award.prize,
                "agent": screens.public_name(scorer, award.agent),
                "rule": award.rule,
                "period": award.period,
                "ts": views.iso(award.ts),
                "state": award.state,
            }
        )
    # What a prize costs is the company's figure, not the board's.
    catalog = [{k: v for k, v in p.items() if k != "value"} for p in full["prizes"]]
    # A hidden rule is the managers' until they reveal it; its awards are apart already.
    rules = [
        {k: v for k, v in r.items() if k != "hidden"} for r in full["rules"] if not r["hidden"]
    ]
    return {"prizes": catalog, "rules": rules, "awards": awards}


def tombola(scorer: Scorer, tombola_id: str, works_council: bool) -> dict[str, Any]:
    """A tombola with its seed hash, seed and verification, and its tickets, entrants
    and winners as the board shows them (no ledger by agent id)."""
    full = views.tombola_view(scorer, tombola_id)
    for private in ("tickets", "excluded", "winners"):
        del full[private]
    drum = scorer.tombolas.book.tombolas[tombola_id]
    shown = screens.tombola(scorer, drum, works_council)
    return {**full, **{k: shown[k] for k in ("tickets", "entrants", "winners")}}


def names(scorer: Scorer, works_council: bool) -> Callable[[str], str]:
    """A scorer's or a goal's agent as a board names them: "" for one it hides."""

    def name(agent_id: str) -> str:
        if not screens.visible(scorer, agent_id, works_council):
            return ""
        return screens.public_name(scorer, agent_id)

    return name


def scorers(
    scorer: Scorer, ranked: list[dict[str, Any]], works_council: bool
) -> list[dict[str, Any]]:
    """Top scorers as a board lists them: hidden agents left out, none at all with
    the works council setting."""
    if works_council:
        return []
    return [row for row in ranked if row["agent"]]
