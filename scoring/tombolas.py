"""Tombolas in the fold: tickets counted from sales while the drum is open, the
ledger frozen when it closes, and the draw written to the log checked against
the published seed hash and the ledger (the draw itself is ``draw.py``).

An agent earns a ticket for every ``every`` sales made between opening and
closing (of the tombola's products, if it names some): confirmed sales, and
pending ones too unless ``count_pending`` is off. A sale revoked while the drum
is open takes its ticket back. At closing only agents the roster names hold
tickets, and with ``exclude_prize_winners`` those who won a prize meanwhile
hold none.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codecs import records, stored
from .draw import draw, ledger_hash, seed_hash
from .feature import Core, Event, Feature, Handler
from .model import CONFIRMED, PENDING, Sale, Tombola
from .prizes import PrizeBook, award, winners_between


@dataclass(slots=True)
class TombolaBook:
    tombolas: dict[str, Tombola] = stored(records(Tombola))


def result(tombola: Tombola, seed: bytes) -> list[str]:
    """The winners a closed tombola's ledger and ``seed`` give."""
    assert tombola.ledger is not None
    return draw(tombola.ledger, seed, len(tombola.prizes))


class Tombolas(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(TombolaBook)
        self.prizes = core.state.slice(PrizeBook)

    def handlers(self) -> dict[str, Handler]:
        return {"tombola_open": self.open, "tombola_draw": self.record_draw}

    # Hooks -----------------------------------------------------------------
    def counted(self, sale: Sale) -> None:
        for tombola in self.book.tombolas.values():
            if tombola.state == "open" and tombola.count_pending:
                self._count(tombola, sale, +1)

    def confirmed(self, sale: Sale) -> None:
        for tombola in self.book.tombolas.values():
            if tombola.state == "open" and not tombola.count_pending:
                self._count(tombola, sale, +1)

    def revoked(self, sale: Sale) -> None:
        for tombola in self.book.tombolas.values():
            if tombola.state == "open" and tombola.count_pending:
                self._count(tombola, sale, -1)

    def reached(self, when: float) -> None:
        for tombola in self.book.tombolas.values():
            if tombola.state == "open" and tombola.closes <= when:
                self._close(tombola)

    # Events ----------------------------------------------------------------
    def open(self, event: Event) -> None:
        if event["tombola"] in self.book.tombolas:
            return
        tombola = Tombola(
            id=event["tombola"],
            name=event["name"],
            prizes=list(event["prizes"]),
            opens=self.epoch(event["ts"]),
            closes=self.epoch(event["closes"]),
            every=event.get("every", 1),
            count_pending=event.get("count_pending", True),
            exclude_prize_winners=event.get("exclude_prize_winners", False),
            seed_hash=event["seed_hash"],
            products=event.get("products"),
        )
        self.book.tombolas[tombola.id] = tombola
        for sale in self.state.sales.values():
            if sale.state == CONFIRMED or (sale.state == PENDING and tombola.count_pending):
                self._count(tombola, sale, +1)
        if tombola.closes <= self.state.clock:
            self._close(tombola)

    def record_draw(self, event: Event) -> None:
        """A draw from the log: its winners get their prizes, and whatever does not
        follow from the published seed hash and the ledger is noted on the tombola."""
        tombola = self.book.tombolas.get(event["tombola"])
        if tombola is None or tombola.state == "drawn":
            return
        if tombola.state == "open":
            self._close(tombola)
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
        ts = self.epoch(event["ts"])
        for agent, prize in zip(tombola.winners, tombola.prizes, strict=False):
            award(
                self.prizes,
                self.outbox,
                prize,
                f"tombola:{tombola.id}",
                agent,
                ts,
                f"drawn in {tombola.name}",
                award_id=f"tombola:{tombola.id}:{agent}",
            )
        self.outbox.emit(
            {"kind": "tombola_drawn", "tombola": tombola.id, "winners": tombola.winners}
        )

    # Tickets ---------------------------------------------------------------
    def _count(self, tombola: Tombola, sale: Sale, step: int) -> None:
        """Count a sale in (``step`` +1) or out (-1) of an open tombola, if it plays in it."""
        if not tombola.opens <= sale.ts < tombola.closes:
            return
        if tombola.products is not None and sale.product not in tombola.products:
            return
        before = tombola.tickets(sale.agent)
        tombola.counts[sale.agent] = tombola.counts.get(sale.agent, 0) + step
        if tombola.tickets(sale.agent) != before:
            self.outbox.dirty.add(sale.agent)

    def _close(self, tombola: Tombola) -> None:
        """Freeze the ledger: the tickets of agents the roster names, less exclusions."""
        excluded: set[str] = set()
        if tombola.exclude_prize_winners:
            excluded = winners_between(self.prizes, tombola.opens, tombola.closes)
        tombola.excluded = sorted(excluded)
        agents = self.state.agents
        tombola.ledger = {
            agent: tombola.tickets(agent)
            for agent in sorted(tombola.counts)
            if agent in agents and agent not in excluded and tombola.tickets(agent) > 0
        }
        tombola.state = "closed"
        self.outbox.emit(
            {
                "kind": "tombola_closed",
                "tombola": tombola.id,
                "ledger_hash": ledger_hash(tombola.ledger),
            }
        )
