"""The units an experiment assigns, and the stratum of each, as the roster stands
at its start: read off the fold, so the service and a test compute them alike."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..state import State

#: tenure bands, in days on the roster at the start
TENURE = ((90, "under-90-days"), (365, "under-1-year"))
LAST_MONTH_DAYS = 30
SALES_BANDS = ("low", "middle", "high")


def placements(state: State, day: str) -> dict[str, tuple[str, str]]:
    """Each active agent's (team, site) on local ``day``, for agents on the roster by then."""
    found = {}
    for agent in state.agents.values():
        if agent.active and agent.history and agent.history[0][0] <= day:
            found[agent.id] = agent.placement(day)
    return found


def unit_of(unit: str, agent: str, placement: tuple[str, str]) -> str:
    return {"agent": agent, "team": placement[0], "site": placement[1]}[unit]


def members(state: State, unit: str, day: str) -> dict[str, str]:
    """agent -> the id of their unit of assignment on ``day``."""
    return {agent: unit_of(unit, agent, place) for agent, place in placements(state, day).items()}


def strata(state: State, unit: str, names: Sequence[str], day: str) -> dict[str, str]:
    """unit id -> its stratum's label (``assignment.py`` step 1) on ``day``."""
    places = placements(state, day)
    member = {agent: unit_of(unit, agent, place) for agent, place in places.items()}
    units = sorted(set(member.values()))
    labels: dict[str, list[str]] = {u: [] for u in units}
    for name in names:
        if name == "last_month_sales":
            bands = _sales_bands(state, member, day)
            for u in units:
                labels[u].append(bands[u])
            continue
        for u in units:
            labels[u].append(_label(state, name, u, unit, places, day))
    return {u: "|".join(parts) for u, parts in labels.items()}


def _label(
    state: State, name: str, u: str, unit: str, places: dict[str, tuple[str, str]], day: str
) -> str:
    if name == "site":
        if unit == "agent":
            return places[u][1]
        # A team's site as its agents stand that day (a team event may be missing).
        return min(site for team, site in places.values() if team == u)
    if name == "team":
        return places[u][0]
    joined = date.fromisoformat(state.agents[u].history[0][0])
    days = (date.fromisoformat(day) - joined).days
    for limit, label in TENURE:
        if days < limit:
            return label
    return "over-1-year"


def _sales_bands(state: State, member: dict[str, str], day: str) -> dict[str, str]:
    """Thirds of the units by sales made in the 30 days before ``day``: low, middle,
    high (ties in id order)."""
    first = (date.fromisoformat(day) - timedelta(days=LAST_MONTH_DAYS)).isoformat()
    made: dict[str, int] = {}
    for agent, u in member.items():
        days = state.buckets.get(agent, {})
        count = sum(b.sales + b.revoked for d, b in days.items() if first <= d < day)
        made[u] = made.get(u, 0) + count
    ranked = sorted(made, key=lambda u: (made[u], u))
    return {u: SALES_BANDS[index * 3 // len(ranked)] for index, u in enumerate(ranked)}
