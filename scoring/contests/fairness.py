"""Fairness: what a participant is ranked by, so the middle of the floor can win.

- ``none``: the metric as it is.
- ``target``: the metric as a percent of the participant's own target
  (``targets``, in the metric's unit).
- ``improvement``: the percent by which the metric beats the participant's own
  baseline: their average over the ``baseline_windows`` windows of the run's
  length (in local days) just before it starts, from the day totals as they
  stood when the run began. A baseline under one unit counts as one, so a
  newcomer's first sale is not an infinite improvement.
- ``per_head``: a team's, site's or group's metric divided by its head count
  (the active agents the roster places in it on the run's first day, as the
  roster stood when the run began; a group's members).
- ``cohort``: agents ranked among their cohort only (``team``: their team on
  the run's first day; ``tenure``: 0-89, 90-364 or 365+ days since the roster
  first named them), with places per cohort.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

from ..model import Bucket
from ..state import State
from .metrics import participant, value
from .model import COMPONENTS, CONFIRMED, POINTS, RESOLVED, REVENUE, SALES, Contest, Run

#: tenure cohorts: (name, first day of tenure it takes)
TENURE = (("365+", 365), ("90-364", 90), ("0-89", 0))


def first_day(state: State, run: Run) -> str:
    return state.timeline.calendar_at(run.starts).day(run.starts)


def heads(
    state: State, contest: Contest, run: Run, placed: Callable[[str, str], tuple[str, str] | None]
) -> dict[str, int]:
    """Head count of each side, at least one; ``placed`` gives an agent's (team,
    site) on a day (``Placements.of``: the sales of the day ask it again)."""
    if contest.kind == "agents":
        return dict.fromkeys(contest.participants, 1)
    if contest.kind == "groups":
        return {name: max(1, len(members)) for name, members in contest.groups.items()}
    day = first_day(state, run)
    counted = dict.fromkeys(contest.participants, 0)
    # ``participant`` spelled out for a team or a site: every run of a contest
    # between sites counts the whole roster when it begins (measured)
    index = 0 if contest.kind == "teams" else 1
    for agent in state.agents.values():
        if agent.active:
            found = placed(agent.id, day)
            if found is not None and found[index] in counted:
                counted[found[index]] += 1
    return {side: max(1, count) for side, count in counted.items()}


def baseline(state: State, contest: Contest, run: Run) -> dict[str, float]:
    """Each participant's average over the windows before the run (improvement)."""
    length = max(1, round((run.ends - run.starts) / 86400))
    start = date.fromisoformat(first_day(state, run))
    windows = contest.baseline_windows
    days = {(start - timedelta(days=n)).isoformat() for n in range(1, length * windows + 1)}
    sums: dict[str, list[int]] = {}
    for agent_id, agent_days in state.buckets.items():
        record = state.agents.get(agent_id)
        for day in days & agent_days.keys():
            side = participant(contest, record, agent_id, day)
            if side is not None:
                _add_bucket(sums.setdefault(side, [0] * COMPONENTS), agent_days[day])
    return {
        side: value(sums.get(side, [0] * COMPONENTS), contest.metric, contest.weights) / windows
        for side in contest.participants
    }


def _add_bucket(components: list[int], bucket: Bucket) -> None:
    components[POINTS] += bucket.points
    components[SALES] += bucket.sales
    # A day's total does not tell confirmed sales from pending ones; the windows
    # before a run are mostly past their cancellation window, so the sales that
    # stand are the baseline's confirmed sales.
    components[CONFIRMED] += bucket.sales
    components[REVENUE] += bucket.revenue
    components[RESOLVED] += bucket.resolved


def cohorts(state: State, contest: Contest, run: Run) -> dict[str, str]:
    """Each agent's cohort, "" for all when the contest has none."""
    if contest.fairness != "cohort":
        return dict.fromkeys(contest.participants, "")
    day = first_day(state, run)
    found = {}
    for agent_id in contest.participants:
        record = state.agents.get(agent_id)
        if record is None or not record.history:
            found[agent_id] = "unknown"
        elif contest.cohort == "team":
            found[agent_id] = record.placement(day)[0]
        else:
            tenure = (date.fromisoformat(day) - date.fromisoformat(record.history[0][0])).days
            found[agent_id] = next(name for name, least in TENURE if tenure >= least)
    return found


def fair(
    contest: Contest, raw: Mapping[str, float], base: Mapping[str, float], sizes: Mapping[str, int]
) -> dict[str, float]:
    """What each participant is ranked by."""
    option = contest.fairness
    if option == "target":
        return {p: 100 * score / contest.targets[p] for p, score in raw.items()}
    if option == "improvement":
        return {
            p: 100 * (score - base.get(p, 0.0)) / max(1.0, base.get(p, 0.0))
            for p, score in raw.items()
        }
    if option == "per_head":
        return {p: score / sizes.get(p, 1) for p, score in raw.items()}
    return dict(raw)
