"""Savings goals: an agent saves up commission for something they want.

A goal counts the commission of the agent's sales made since it was set,
pending and confirmed apart, moving a sale's commission along as the sale is
confirmed or revoked, and is reached, once, when the confirmed commission
covers its price. A new goal replaces the old one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codecs import records, stored
from .feature import Core, Event, Feature, Handler
from .model import CONFIRMED, PENDING, Sale, SavingsGoal


@dataclass(slots=True)
class GoalBook:
    goals: dict[str, SavingsGoal] = stored(records(SavingsGoal))


class Goals(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(GoalBook)

    def handlers(self) -> dict[str, Handler]:
        return {"goal": self.set_goal}

    def set_goal(self, event: Event) -> None:
        agent = event["agent"]
        since = self.epoch(event["ts"])
        goal = SavingsGoal(
            agent=agent,
            id=event["id"],
            title=event["title"],
            price=int(event["price"].replace(".", "")),
            since=since,
            picture=event.get("picture"),
        )
        for sale in self.state.sales.values():
            if sale.agent == agent and sale.ts >= since:
                if sale.state == PENDING:
                    goal.pending += sale.commission
                elif sale.state == CONFIRMED:
                    goal.confirmed += sale.commission
        self.book.goals[agent] = goal
        self.outbox.dirty.add(agent)
        self._check(goal)

    def counted(self, sale: Sale) -> None:
        goal = self.book.goals.get(sale.agent)
        if goal is not None and sale.ts >= goal.since:
            goal.pending += sale.commission

    def confirmed(self, sale: Sale) -> None:
        goal = self.book.goals.get(sale.agent)
        if goal is not None and sale.ts >= goal.since:
            goal.pending -= sale.commission
            goal.confirmed += sale.commission
            self._check(goal)

    def revoked(self, sale: Sale) -> None:
        goal = self.book.goals.get(sale.agent)
        if goal is not None and sale.ts >= goal.since:
            goal.pending -= sale.commission

    def _check(self, goal: SavingsGoal) -> None:
        """Mark ``goal`` reached, and celebrate it, the first time its price is covered."""
        if not goal.reached and goal.confirmed >= goal.price:
            goal.reached = True
            self.outbox.emit(
                {"kind": "goal_reached", "agent": goal.agent, "goal": goal.id, "title": goal.title}
            )
