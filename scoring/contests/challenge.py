"""A 1v1 challenge: ``agents`` is [challenger, opponent].

An agent's challenge (posted from their widget, with the source ``agent``) is
issued and waits for the opponent's ``challenge_answer``: accepted, it plays;
declined, it ends unplayed; unanswered when it ends, it expires. The challenger
may withdraw it (``contest_end``) while it waits. A challenge a manager or an
integration posts pairs the two at once. Sales count from ``starts`` whenever
the answer comes, so a late yes loses nothing. Equal scores are a draw: one
shared place, no winner above the other; the stake (coins) is the wallet's.
"""

from __future__ import annotations

from ..log import AGENT_SOURCE
from ..state import State
from .model import DECLINED, ISSUED, WITHDRAWN, Contest, Run
from .standings import ranking_places, standings


def needs_answer(source: str) -> bool:
    return source == AGENT_SOURCE


def status(contest: Contest) -> str:
    """issued, accepted or declined."""
    if contest.accepted is None:
        return ISSUED
    return "accepted" if contest.accepted else DECLINED


def answer(contest: Contest, accept: bool) -> list[Run]:
    """Take the opponent's answer; the runs it ends unplayed."""
    contest.accepted = accept
    if accept:
        return []
    ended = contest.open_runs()
    for run in ended:
        run.state = DECLINED
    return ended


def withdraw(contest: Contest) -> list[Run]:
    ended = contest.open_runs()
    for run in ended:
        run.state = WITHDRAWN
    return ended


def places(state: State, contest: Contest, run: Run) -> dict[str, list[list[str]]]:
    return ranking_places(standings(state, contest, run, pending=False))
