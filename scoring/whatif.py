"""A what-if's figures: what two folds of the same window paid, side by side.

A what-if folds the last days of the log twice, as it happened and with a
draft (a rule set, a prize rule, a prize, ...) posted at a chosen moment, and
compares what each fold paid over the window's local days: points and
commission per agent, team and site, prizes won and what they cost, and how
many agents pass each gate. This module reads those figures off a folded
state (``figures``) and sets two of them side by side (``compare``); folding
is the shell's (``wallboard/whatif.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from .model import REVOKED, Bucket
from .periods import days_between
from .rules import PERIODS
from .totals import check_gate, eligible

if TYPE_CHECKING:
    from .scorer import Scorer


@dataclass(frozen=True, slots=True)
class Window:
    """The local days a what-if reads, first and last included."""

    first_day: str
    last_day: str


def window_of(scorer: Scorer, since: float) -> Window:
    """The local days from ``since`` to the log's clock, in the calendar in force."""
    calendar = scorer.state.timeline.calendar_at(scorer.clock)
    return Window(calendar.day(since), calendar.day(scorer.clock))


@dataclass(slots=True)
class Tally:
    """One agent's, team's or site's figures over a window."""

    #: points that stand (pending, confirmed, support), in hundredths
    points: int = 0
    #: commission, pending and confirmed, in cents
    commission: int = 0
    prizes: int = 0
    #: the value of the prizes won, in cents (a prize without one counts 0)
    prize_cost: int = 0

    def add_days(self, bucket: Bucket) -> None:
        self.points += bucket.points
        self.commission += bucket.commission_pending + bucket.commission_confirmed


@dataclass(slots=True)
class Gates:
    """How many agents active in a period pass its gate (all of them with no gate)."""

    agents: int
    passing: int
    gated: bool


@dataclass(slots=True)
class Figures:
    agents: dict[str, Tally] = field(default_factory=dict)
    teams: dict[str, Tally] = field(default_factory=dict)
    sites: dict[str, Tally] = field(default_factory=dict)
    #: agents who won a prize in the window
    winners: set[str] = field(default_factory=set)
    #: (period kind, period key) -> its gate
    gates: dict[tuple[str, str], Gates] = field(default_factory=dict)
    #: what the roster calls each agent, team and site
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)


def figures(scorer: Scorer, window: Window) -> Figures:
    """What ``scorer``'s state paid over ``window``'s days, for agents the roster
    names (as leaderboards count them)."""
    state = scorer.state
    found = Figures()
    first, last = window.first_day, window.last_day
    for agent_id, days in state.buckets.items():
        agent = state.agents.get(agent_id)
        if agent is None:
            continue
        for day, bucket in days.items():
            if first <= day <= last:
                team, site = agent.placement(day)
                for table, key in (
                    (found.agents, agent_id),
                    (found.teams, team),
                    (found.sites, site),
                ):
                    _tally(table, key).add_days(bucket)
    timeline = state.timeline
    book = scorer.prizes.book
    for award in [*book.awards.values(), *book.hidden_awards.values()]:
        agent = state.agents.get(award.agent)
        if award.state == REVOKED or agent is None:
            continue
        day = timeline.calendar_at(award.ts).day(award.ts)
        if not first <= day <= last:
            continue
        prize = book.prizes.get(award.prize)
        cost = (prize.value or 0) if prize is not None else 0
        for tally in _places(found, award.agent, *agent.placement(day)):
            tally.prizes += 1
            tally.prize_cost += cost
        found.winners.add(award.agent)
    found.gates = _gates(scorer, window)
    found.labels = _labels(scorer, found, last)
    return found


def _places(found: Figures, agent: str, team: str, site: str) -> tuple[Tally, Tally, Tally]:
    """The tallies an agent's day counts in: theirs, their team's and their site's."""
    return (
        _tally(found.agents, agent),
        _tally(found.teams, team),
        _tally(found.sites, site),
    )


def _tally(table: dict[str, Tally], key: str) -> Tally:
    tally = table.get(key)
    if tally is None:
        tally = table[key] = Tally()
    return tally


def _gates(scorer: Scorer, window: Window) -> dict[tuple[str, str], Gates]:
    """For every period the window touches: its agents with any activity in the
    whole period, and how many of them pass the gate in force at the clock."""
    state, timeline = scorer.state, scorer.state.timeline
    gates = timeline.rules_at(scorer.clock).gates
    days = _days(window)
    found: dict[tuple[str, str], Gates] = {}
    for kind in PERIODS:
        gate = gates.get(kind)
        for key in sorted({k for d in days if (k := timeline.period_key(kind, d)) is not None}):
            first, last = timeline.days_of(kind, key)
            agents = passing = 0
            for agent_id, agent_days in state.buckets.items():
                if agent_id not in state.agents:
                    continue
                if gate is None:  # everyone active passes: only count them
                    active = _active(agent_days, first, last)
                    agents += active
                    passing += active
                    continue
                total = _total(agent_days, first, last)
                if total is not None:
                    agents += 1
                    passing += eligible(check_gate(gate, total))
            found[kind, key] = Gates(agents, passing, gate is not None)
    return found


def _days(window: Window) -> list[str]:
    first = date.fromisoformat(window.first_day)
    after = date.fromisoformat(window.last_day) + timedelta(days=1)
    return days_between(first, after)


def _active(days: Mapping[str, Bucket], first: str, last: str) -> bool:
    if first == last:
        return first in days
    return any(first <= day <= last for day in days)


def _total(days: Mapping[str, Bucket], first: str, last: str) -> Bucket | None:
    """An agent's days from ``first`` to ``last`` summed; None if they did nothing."""
    if first == last:
        return days.get(first)
    total: Bucket | None = None
    for day, bucket in days.items():
        if first <= day <= last:
            if total is None:
                total = Bucket()
            total.add(bucket)
    return total


def _labels(scorer: Scorer, found: Figures, day: str) -> dict[str, dict[str, Any]]:
    state = scorer.state

    def team_name(team: str) -> str:
        return str(state.teams.get(team, {}).get("name", team))

    def site_name(site: str) -> str:
        return str(state.sites.get(site, {}).get("name", site))

    labels: dict[str, dict[str, Any]] = {}
    for agent_id in found.agents:
        agent = state.agents[agent_id]
        team, site = agent.placement(day)
        labels[f"agent:{agent_id}"] = {
            "name": agent.name,
            "team": team_name(team),
            "site": site_name(site),
        }
    for team in found.teams:
        site = state.teams.get(team, {}).get("site", "")
        labels[f"team:{team}"] = {"name": team_name(team), "site": site_name(site)}
    for site in found.sites:
        labels[f"site:{site}"] = {"name": site_name(site)}
    return labels


# Side by side ---------------------------------------------------------------


def _pair(actual: int, whatif: int, unit: int) -> dict[str, float]:
    return {"actual": actual / unit, "whatif": whatif / unit, "diff": (whatif - actual) / unit}


def _count(actual: int, whatif: int) -> dict[str, int]:
    return {"actual": actual, "whatif": whatif, "diff": whatif - actual}


def _rows(
    kind: str,
    actual: Mapping[str, Tally],
    whatif: Mapping[str, Tally],
    labels: Mapping[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """A row per agent, team or site in either fold, biggest change in points first."""
    rows = []
    for key in set(actual) | set(whatif):
        a, w = actual.get(key, Tally()), whatif.get(key, Tally())
        rows.append(
            {
                kind: key,
                **labels.get(f"{kind}:{key}", {"name": key}),
                "points": _pair(a.points, w.points, 100),
                "commission": _pair(a.commission, w.commission, 100),
                "prizes": _count(a.prizes, w.prizes),
            }
        )
    rows.sort(key=lambda row: (-abs(row["points"]["diff"]), row[kind]))
    return rows


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for tally in tallies:
        total.points += tally.points
        total.commission += tally.commission
        total.prizes += tally.prizes
        total.prize_cost += tally.prize_cost
    return total


def compare(actual: Figures, whatif: Figures) -> dict[str, Any]:
    """The two folds side by side: per agent, team and site, in total, and per gate
    (a period either fold has a gate for)."""
    labels = {**whatif.labels, **actual.labels}
    a, w = _sum(actual.agents.values()), _sum(whatif.agents.values())
    gates = []
    for period in sorted(set(actual.gates) | set(whatif.gates)):
        before, after = actual.gates.get(period), whatif.gates.get(period)
        gated = any(side is not None and side.gated for side in (before, after))
        active = any(side is not None and side.agents for side in (before, after))
        if not gated or not active:
            continue
        gates.append(
            {
                "period": period[1],
                "gate": period[0],
                "agents": {
                    "actual": before.agents if before else 0,
                    "whatif": after.agents if after else 0,
                },
                "passing": {
                    "actual": before.passing if before else 0,
                    "whatif": after.passing if after else 0,
                },
            }
        )
    return {
        "agents": _rows("agent", actual.agents, whatif.agents, labels),
        "teams": _rows("team", actual.teams, whatif.teams, labels),
        "sites": _rows("site", actual.sites, whatif.sites, labels),
        "totals": {
            "points": _pair(a.points, w.points, 100),
            "commission": _pair(a.commission, w.commission, 100),
            "prizes": _count(a.prizes, w.prizes),
            "prize_cost": _pair(a.prize_cost, w.prize_cost, 100),
            "agents_winning": _count(len(actual.winners), len(whatif.winners)),
        },
        "gates": gates,
    }
