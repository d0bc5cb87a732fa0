"""Tombolas in the fold: tickets counted from sales while the drum is open, the
ledger frozen when it closes, and the draw written to the log checked against
the published seed hash and the ledger (the draw itself is ``tombola.draw``).

An agent earns a ticket for every ``every`` sales made between opening and
closing (of the tombola's products, if it names some): confirmed sales, and
pending ones too unless ``count_pending`` is off. A sale revoked while the drum
is open takes its ticket back. At closing only agents the roster names hold
tickets, and with ``exclude_prize_winners`` those who won a prize meanwhile
hold none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import prizes
from .model import CONFIRMED, PENDING, REVOKED, Sale, Tombola
from .tombola import draw, ledger_hash, seed_hash

if TYPE_CHECKING:
    from .scorer import Scorer


def open_tombola(scorer: Scorer, event: dict[str, Any]) -> None:
    if event["tombola"] in scorer.tombolas:
        return
    tombola = Tombola(
        id=event["tombola"],
        name=event["name"],
        prizes=list(event["prizes"]),
        opens=scorer.epoch(event["ts"]),
        closes=scorer.epoch(event["closes"]),
        every=event.get("every", 1),
        count_pending=event.get("count_pending", True),
        exclude_prize_winners=event.get("exclude_prize_winners", False),
        seed_hash=event["seed_hash"],
        products=event.get("products"),
    )
    scorer.tombolas[tombola.id] = tombola
    for sale in scorer.sales.values():
        if sale.state == CONFIRMED or (sale.state == PENDING and tombola.count_pending):
            count_ticket(scorer, tombola, sale, +1)
    if tombola.closes <= scorer.clock:
        close(scorer, tombola)


def count_ticket(scorer: Scorer, tombola: Tombola, sale: Sale, step: int) -> None:
    """Count a sale in (``step`` +1) or out (-1) of an open tombola, if it plays in it."""
    if not tombola.opens <= sale.ts < tombola.closes:
        return
    if tombola.products is not None and sale.product not in tombola.products:
        return
    before = tombola.tickets(sale.agent)
    tombola.counts[sale.agent] = tombola.counts.get(sale.agent, 0) + step
    if tombola.tickets(sale.agent) != before:
        scorer.dirty.add(sale.agent)


def close_due(scorer: Scorer, until: float) -> None:
    for tombola in scorer.tombolas.values():
        if tombola.state == "open" and tombola.closes <= until:
            close(scorer, tombola)


def close(scorer: Scorer, tombola: Tombola) -> None:
    """Freeze the ledger: the tickets of agents the roster names, less exclusions."""
    excluded = set()
    if tombola.exclude_prize_winners:
        excluded = {
            a.agent
            for a in scorer.awards.values()
            if a.state != REVOKED and tombola.opens <= a.ts < tombola.closes
        }
    tombola.excluded = sorted(excluded)
    tombola.ledger = {
        agent: tombola.tickets(agent)
        for agent in sorted(tombola.counts)
        if agent in scorer.agents and agent not in excluded and tombola.tickets(agent) > 0
    }
    tombola.state = "closed"
    scorer.changes.append(
        {
            "kind": "tombola_closed",
            "tombola": tombola.id,
            "ledger_hash": ledger_hash(tombola.ledger),
        }
    )


def result(tombola: Tombola, seed: bytes) -> list[str]:
    """The winners a closed tombola's ledger and ``seed`` give."""
    assert tombola.ledger is not None
    return draw(tombola.ledger, seed, len(tombola.prizes))


def record_draw(scorer: Scorer, event: dict[str, Any]) -> None:
    """A draw from the log: its winners get their prizes, and whatever does not follow
    from the published seed hash and the ledger is noted on the tombola."""
    tombola = scorer.tombolas.get(event["tombola"])
    if tombola is None or tombola.state == "drawn":
        return
    if tombola.state == "open":
        close(scorer, tombola)
    assert tombola.ledger is not None
    seed = bytes.fromhex(event["seed"])
    tombola.seed = event["seed"]
    tombola.winners = list(event["winners"])
    tombola.computed_winners = result(tombola, seed)
    tombola.problems = []
    if seed_hash(seed) != tombola.seed_hash:
        tombola.problems.append("the revealed seed does not match the published hash")
    if event["ledger_hash"] != ledger_hash(tombola.ledger):
        tombola.problems.append("the ledger differs from the one drawn")
    if tombola.computed_winners != tombola.winners:
        tombola.problems.append("the winners do not follow from the seed and the ledger")
    tombola.state = "drawn"
    ts = scorer.epoch(event["ts"])
    for agent, prize in zip(tombola.winners, tombola.prizes, strict=False):
        prizes.award(
            scorer,
            prize,
            f"tombola:{tombola.id}",
            agent,
            ts,
            f"drawn in {tombola.name}",
            award_id=f"tombola:{tombola.id}:{agent}",
        )
    scorer.changes.append(
        {"kind": "tombola_drawn", "tombola": tombola.id, "winners": tombola.winners}
    )
