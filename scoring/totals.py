"""Totals over periods, leaderboards and gates, derived from the day buckets.

Nothing here is stored: team and site totals are summed from each agent's
days with the team and site the roster gave them on that day, so a late
roster entry or a move between teams needs no rewrite of history.

Leaderboard order: points that stand (pending and confirmed, not revoked),
then confirmed points, then fewer cancellations, then the id, so that equal
scores always list in the same order. Rank prizes use the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Bucket
from .rules import Gate
from .state import State

BY = ("agent", "team", "site")


def agent_total(state: State, agent: str, first: str, last: str) -> Bucket:
    total = Bucket()
    for day, bucket in state.buckets.get(agent, {}).items():
        if first <= day <= last:
            total.add(bucket)
    return total


def totals(state: State, by: str, first: str, last: str) -> dict[str, Bucket]:
    """Totals per agent, team or site over local days [first, last].

    Only agents the roster names are counted; agent ids the roster does not
    know yet wait for it.
    """
    if by not in BY:
        raise ValueError(f"expected by to be one of {', '.join(BY)}, got {by!r}")
    result: dict[str, Bucket] = {}
    for agent_id, days in state.buckets.items():
        agent = state.agents.get(agent_id)
        if agent is None:
            continue
        for day, bucket in days.items():
            if not first <= day <= last:
                continue
            if by == "agent":
                key = agent_id
            else:
                team, site = agent.placement(day)
                key = team if by == "team" else site
            total = result.get(key)
            if total is None:
                total = result[key] = Bucket()
            total.add(bucket)
    return result


def ranking(table: dict[str, Bucket]) -> list[tuple[str, Bucket]]:
    return sorted(
        table.items(),
        key=lambda item: (-item[1].points, -item[1].confirmed_points, item[1].cancelled, item[0]),
    )


@dataclass(frozen=True)
class GateCheck:
    gate: str
    required: float
    actual: float
    ok: bool
    #: nothing to measure yet (no contact with a quality score)
    unmeasured: bool = False

    @property
    def missing(self) -> str:
        if self.ok:
            return ""
        if self.gate == "min_sales":
            return f"{int(self.required - self.actual)} more sales"
        if self.gate == "min_quality" and self.unmeasured:
            return f"no contact with a quality score yet, {self.required:.0f} % needed"
        if self.gate == "min_quality":
            return f"quality {self.actual:.0f} %, {self.required:.0f} % needed"
        if self.gate == "min_referral_rate":
            return f"referral rate {self.actual:.0%}, {self.required:.0%} needed"
        return f"cancellation rate {self.actual:.0%}, at most {self.required:.0%} allowed"


def rates(total: Bucket) -> dict[str, float]:
    made = total.sales + total.revoked
    return {
        # over the contacts that had a score; without one, none
        "quality": total.quality / 100 / total.rated if total.rated else 0.0,
        "referral_rate": total.referrals / total.contacts if total.contacts else 0.0,
        "cancellation_rate": total.cancelled / made if made else 0.0,
    }


def check_gate(gate: Gate | None, total: Bucket) -> list[GateCheck]:
    """Every minimum of ``gate`` against ``total``; an empty list means no gate."""
    if gate is None:
        return []
    figures = rates(total)
    checks = []
    if gate.min_sales is not None:
        checks.append(
            GateCheck("min_sales", gate.min_sales, total.sales, total.sales >= gate.min_sales)
        )
    if gate.min_quality is not None:
        checks.append(
            GateCheck(
                "min_quality",
                gate.min_quality,
                figures["quality"],
                total.rated > 0 and figures["quality"] >= gate.min_quality,
                unmeasured=total.rated == 0,
            )
        )
    if gate.min_referral_rate is not None:
        checks.append(
            GateCheck(
                "min_referral_rate",
                gate.min_referral_rate,
                figures["referral_rate"],
                figures["referral_rate"] >= gate.min_referral_rate,
            )
        )
    if gate.max_cancellation_rate is not None:
        checks.append(
            GateCheck(
                "max_cancellation_rate",
                gate.max_cancellation_rate,
                figures["cancellation_rate"],
                figures["cancellation_rate"] <= gate.max_cancellation_rate,
            )
        )
    return checks


def eligible(checks: list[GateCheck]) -> bool:
    return all(check.ok for check in checks)
