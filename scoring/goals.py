"""Personal goals: an agent saves up commission for something they want.

A goal counts the commission of the agent's sales made since it was set,
pending and confirmed apart (the scorer moves a sale's commission along as the
sale is confirmed or revoked), and is reached, once, when the confirmed
commission covers its price. A new goal replaces the old one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import CONFIRMED, PENDING, Goal

if TYPE_CHECKING:
    from .scorer import Scorer


def set_goal(scorer: Scorer, event: dict[str, Any]) -> None:
    agent = event["agent"]
    since = scorer.epoch(event["ts"])
    goal = Goal(
        agent=agent,
        id=event["id"],
        title=event["title"],
        price=int(event["price"].replace(".", "")),
        since=since,
        picture=event.get("picture"),
    )
    for sale in scorer.sales.values():
        if sale.agent == agent and sale.ts >= since:
            if sale.state == PENDING:
                goal.pending += sale.commission
            elif sale.state == CONFIRMED:
                goal.confirmed += sale.commission
    scorer.goals[agent] = goal
    scorer.dirty.add(agent)
    check(scorer, goal)


def check(scorer: Scorer, goal: Goal) -> None:
    """Mark ``goal`` reached, and celebrate it, the first time its price is covered."""
    if not goal.reached and goal.confirmed >= goal.price:
        goal.reached = True
        scorer.changes.append(
            {"kind": "goal_reached", "agent": goal.agent, "goal": goal.id, "title": goal.title}
        )
