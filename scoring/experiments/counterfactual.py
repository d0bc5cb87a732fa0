"""The rules alone: what each arm's rules would have paid the same agents for the
same sales.

Each sale an assigned agent made in the window (and that stands) is priced
again under every arm's rules, as the fold prices a sale: points and
commission from the rule set's terms for its product and channel. Gates,
prizes and tombolas are left aside. Every agent sold what they sold under
their own arm, so this shows what the rules pay for the same behaviour; the
experiment's results show how behaviour changed, which no replay can.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import REVOKED
from .record import Experiment

if TYPE_CHECKING:
    from ..state import State


def paid(state: State, experiment: Experiment, until: float) -> dict[str, Any]:
    """``{"sales": {arm: count}, "paid": {arm: {rules_arm: {points, commission}}}}``:
    for the agents of each arm, what each arm's rules pay for their sales from
    ``starts`` to ``until``; points and euros, rounded to hundredths."""
    assert experiment.assigned is not None
    agents = experiment.assigned["agents"]
    arms = experiment.arms
    cents = {arm: {other: [0, 0] for other in arms} for arm in arms}
    sales = dict.fromkeys(arms, 0)
    for sale in state.sales.values():
        arm = agents.get(sale.agent)
        if arm is None or sale.state == REVOKED or not experiment.starts <= sale.ts < until:
            continue
        sales[arm] += 1
        euros = sale.revenue / 100
        for other, rules in experiment.rules.items():
            terms = rules.terms(sale.product, sale.channel)
            cents[arm][other][0] += round(terms.points(euros, sale.quantity) * 100)
            cents[arm][other][1] += round(terms.commission(euros, sale.quantity) * 100)
    return {
        "sales": sales,
        "paid": {
            arm: {
                other: {"points": points / 100, "commission": commission / 100}
                for other, (points, commission) in row.items()
            }
            for arm, row in cents.items()
        },
    }
