"""What a sale or a contact adds to a participant, and a metric from the tallies.

A participant's tallies are five components (``model.POINTS`` ...): points in
hundredths (sales' and support's), sales that stand, confirmed sales, revenue
in cents and contacts resolved at first contact. Each metric reads them in its
own unit: points, a count, or euros; ``mix`` weighs the others.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter

from ..model import Agent
from .model import COMPONENTS, CONFIRMED, POINTS, RESOLVED, REVENUE, SALES, Contest


def value(components: Sequence[int], metric: str, weights: Mapping[str, float]) -> float:
    """``metric`` of one participant's components, in the metric's unit."""
    if metric == "points":
        return components[POINTS] / 100
    if metric == "sales":
        return float(components[SALES])
    if metric == "confirmed_sales":
        return float(components[CONFIRMED])
    if metric == "revenue":
        return components[REVENUE] / 100
    if metric == "contacts_resolved":
        return float(components[RESOLVED])
    if metric == "mix":
        return sum(weight * value(components, name, {}) for name, weight in weights.items())
    raise ValueError(f"expected a contest metric, got {metric!r}")


#: the metrics that are a count of one component, as ``value`` reads them
_COUNTED = {"sales": SALES, "confirmed_sales": CONFIRMED, "contacts_resolved": RESOLVED}


def measure(metric: str, weights: Mapping[str, float]) -> Callable[[Sequence[int]], float]:
    """``value`` of ``metric`` as a function of the components alone, for a caller
    that asks it of every sale (a race): a count is read in C, by ``itemgetter``,
    not by a call in Python (it compares with a line as its float would)."""
    index = _COUNTED.get(metric)
    if index is not None:
        return itemgetter(index)
    return lambda components: value(components, metric, weights)


def score(contest: Contest, components: Sequence[int]) -> float:
    return value(components, contest.metric, contest.weights)


def summed(windows: Sequence[Mapping[str, list[int]]], participant: str) -> list[int]:
    """A participant's components over several windows."""
    total = [0] * COMPONENTS
    for window in windows:
        found = window.get(participant)
        if found is not None:
            for index in range(COMPONENTS):
                total[index] += found[index]
    return total


def participant(contest: Contest, record: Agent | None, agent: str, day: str) -> str | None:
    """Who an agent's sale or contact on local ``day`` plays for in ``contest``:
    themselves, their team or site that day, or their group; None if nobody."""
    kind = contest.kind
    if kind == "agents":
        return agent if agent in contest.participants else None
    if kind == "groups":
        for name, members in contest.groups.items():
            if agent in members:
                return name
        return None
    if record is None or not record.history:
        return None  # a team or a site needs the roster to place the agent
    team, site = record.placement(day)
    side = team if kind == "teams" else site
    return side if side in contest.participants else None


def add(tallies: dict[str, list[int]], side: str, index: int, amount: int) -> None:
    found = tallies.get(side)
    if found is None:
        found = tallies[side] = [0] * COMPONENTS
    found[index] += amount
