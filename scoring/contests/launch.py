"""A contest from its ``contest`` event, and each of its runs as it begins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..state import State
from . import cup
from .fairness import baseline, heads
from .model import GRACE_MINUTES, KINDS, RACE_PLACES, Contest, Run
from .recurring import run_span, shifted


def build(event: dict[str, Any], epoch: Callable[[str], float], accepted: bool | None) -> Contest:
    """A contest as its event declares it (the event passed the contract's checks)."""
    kind = next(k for k in KINDS if k in event)
    groups = {name: list(members) for name, members in event.get("groups", {}).items()}
    participants = list(groups) if kind == "groups" else list(event[kind])
    return Contest(
        id=event["contest"],
        format=event["format"],
        name=event["name"],
        metric=event["metric"],
        starts=epoch(event["starts"]),
        ends=epoch(event["ends"]),
        kind=kind,
        participants=participants,
        source=event["source"],
        grace=event.get("grace_minutes", GRACE_MINUTES) * 60.0,
        groups=groups,
        weights=dict(event.get("weights", {})),
        fairness=event.get("fairness", "none"),
        targets={k: float(v) for k, v in event.get("targets", {}).items()},
        baseline_windows=event.get("baseline_windows", 4),
        cohort=event.get("cohort"),
        repeat=event.get("repeat"),
        hidden=event.get("hidden", False),
        target=float(event.get("target", 0)),
        places=event.get("places", RACE_PLACES),
        legs=event.get("legs", 1),
        away_goals=event.get("away_goals", False),
        seeding=event.get("seeding"),
        rounds=[[epoch(a), epoch(b)] for a, b in event.get("rounds", [])],
        stake=event.get("stake", 0),
        accepted=accepted,
    )


def new_run(
    state: State,
    contest: Contest,
    number: int,
    placed: Callable[[str, str], tuple[str, str] | None],
    table: Sequence[str] | None = None,
) -> Run:
    """Run ``number`` (from 1), as the state stands when it begins; ``placed`` gives
    an agent's (team, site) on a day."""
    zone = state.timeline.calendar_at(contest.starts).zone
    starts, ends = run_span(contest, zone, number)
    if contest.format == "cup":
        spans = [
            [
                shifted(a, zone, contest.repeat, number - 1),
                shifted(b, zone, contest.repeat, number - 1),
            ]
            for a, b in cup.windows(contest, contest.starts, contest.ends)
        ]
    else:
        spans = [[starts, ends]]
    run = Run(number, starts, ends, spans, [{} for _ in spans], taken=[False] * len(spans))
    if contest.fairness == "per_head" or contest.kind == "groups":
        run.heads = heads(state, contest, run, placed)
    if contest.fairness == "improvement":
        run.baseline = baseline(state, contest, run)
    if contest.format == "cup":
        run.seeds = cup.seeded(contest, table)
        run.ties = cup.bracket(run.seeds)
    return run
