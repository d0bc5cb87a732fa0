"""A contest as the API shows it: its definition, the current run's standings,
its winners once decided, and every run before it.

Who sees which names is the shell's: ``name`` gives a participant's name, or
None for one a reader may not see (they are left out); with ``ids`` false the
answer names agents only by ``name`` (what public boards show).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..log import epoch_ts
from ..state import State
from . import challenge, race
from .model import DECIDED, FINAL, RUNNING, Contest, Run, winners
from .standings import Row, standings
from .tally import pending_sides

Name = Callable[[str], "str | None"]


def current(contest: Contest, clock: float) -> Run:
    """The run screens show: the latest one that has begun, else the first."""
    begun = [run for run in contest.runs if run.starts <= clock]
    return begun[-1] if begun else contest.runs[0]


def summary(state: State, contest: Contest, name: Name, *, ids: bool) -> dict[str, Any]:
    run = current(contest, state.clock)
    view: dict[str, Any] = {
        "contest": contest.id,
        "name": contest.name,
        "format": contest.format,
        "metric": contest.metric,
        "participants": contest.kind,
        "fairness": contest.fairness,
        "starts": epoch_ts(run.starts),
        "ends": epoch_ts(run.ends),
        "run": run.number,
        "state": run.state,
        "provisional": run.state in (RUNNING, DECIDED) and bool(pending_sides(state, contest, run)),
        "winners": _winners(run, name, ids=ids),
    }
    if contest.repeat is not None:
        view["repeat"] = contest.repeat
    if contest.format == "challenge":
        view["challenge"] = _challenge(contest, name, ids=ids)
    return view


def contest_view(state: State, contest: Contest, name: Name, *, ids: bool) -> dict[str, Any]:
    run = current(contest, state.clock)
    view = summary(state, contest, name, ids=ids)
    view["grace_minutes"] = round(contest.grace / 60)
    if contest.weights:
        view["weights"] = contest.weights
    view["standings"] = [
        _row(contest, run, row, name, ids=ids)
        for row in _rows(state, contest, run)
        if name(row.participant) is not None
    ]
    if run.places:
        view["places"] = {
            cohort: [
                [_who(p, name, ids=ids) for p in place if name(p) is not None] for place in places
            ]
            for cohort, places in run.places.items()
        }
    if contest.format == "race":
        view["race"] = {"target": contest.target, "places": contest.places}
    if contest.format == "cup":
        view["cup"] = _cup(contest, run, name, ids=ids)
    view["runs"] = [
        {
            "run": each.number,
            "starts": epoch_ts(each.starts),
            "ends": epoch_ts(each.ends),
            "state": each.state,
            "winners": _winners(each, name, ids=ids),
        }
        for each in contest.runs
    ]
    return view


def _rows(state: State, contest: Contest, run: Run) -> list[Row]:
    rows = standings(state, contest, run)
    return race.rerank(run, rows) if contest.format == "race" else rows


def _row(contest: Contest, run: Run, row: Row, name: Name, *, ids: bool) -> dict[str, Any]:
    shown: dict[str, Any] = {
        **_who(row.participant, name, ids=ids),
        "score": round(row.score, 2),
        "rank": row.rank,
        "provisional": row.provisional,
    }
    if contest.fairness not in ("none", "cohort"):
        shown["ranked_by"] = round(row.ranked_by, 2)
    if row.cohort:
        shown["cohort"] = row.cohort
    finish = run.finishes.get(row.participant)
    if contest.format == "race":
        shown["reached"] = epoch_ts(finish[0]) if finish else None
    return shown


def _who(participant: str, name: Name, *, ids: bool) -> dict[str, Any]:
    shown = {"name": name(participant)}
    return {"id": participant, **shown} if ids else shown


def _winners(run: Run, name: Name, *, ids: bool) -> list[dict[str, Any]] | None:
    if run.state not in (DECIDED, FINAL):
        return None
    return [_who(p, name, ids=ids) for p in winners(run) if name(p) is not None]


def _challenge(contest: Contest, name: Name, *, ids: bool) -> dict[str, Any]:
    return {
        "challenger": _who(contest.challenger, name, ids=ids),
        "opponent": _who(contest.opponent, name, ids=ids),
        "stake": contest.stake,
        "answer": challenge.status(contest),
    }


def _cup(contest: Contest, run: Run, name: Name, *, ids: bool) -> dict[str, Any]:
    def side(participant: str | None) -> dict[str, Any] | None:
        if participant is None:
            return None
        if participant == "-":
            return {"bye": True}
        return _who(participant, name, ids=ids)

    return {
        "legs": contest.legs,
        "away_goals": contest.away_goals,
        "rounds": [
            {
                "round": number + 1,
                "windows": [
                    [epoch_ts(a), epoch_ts(b)]
                    for a, b in run.windows[number * contest.legs : (number + 1) * contest.legs]
                ],
                "ties": [
                    {
                        "home": side(tie.home),
                        "away": side(tie.away),
                        "winner": side(tie.winner),
                        "by": tie.by or None,
                        "legs": tie.legs,
                    }
                    for tie in run.ties
                    if tie.round == number
                ],
            }
            for number in range(max(t.round for t in run.ties) + 1)
        ],
    }
