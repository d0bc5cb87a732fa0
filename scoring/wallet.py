"""Coins: what each agent earns for the reward store, and every movement of them.

Coins are kept in hundredths, as points are, and come from:

- **points**, at the rule set's ``coins.per_point`` (``rules.py``): a sale's
  coins follow its points, by the rule set that scored it: *pending* while the
  sale is in its cancellation window (shown apart, not spendable), earned when
  it is confirmed, gone when it is revoked. A contact's support points stand at
  once, and so do its coins; a day's contact coins are one record of the history.
  A sale or contact of no points (or fewer) earns no coins.
- **a manager's grant**: a ``coins`` event with a positive ``amount`` and a
  ``reason``. A negative amount is a *correction*: it takes at most what the
  wallet holds, so a wallet never goes below zero, and its record keeps what
  was asked beside what was taken.
- **contests**: a contest's module calls ``contest_decided`` (coins for places,
  the rule set's ``coins.places``) or ``challenge_won`` with this slice when a
  result is final; each contest pays once.
- **the store** (``reward_store.py``) takes a redemption's price (``spend``)
  and gives it back when a manager rejects it (``refund``).

Every movement is a record in the agent's history: the amount, its cause
(``sale``, ``support``, ``grant``, ``correction``, ``place``, ``challenge``,
``redemption``, ``refund``), what caused it (a sale's key, a day, the event, the
contest, the redemption), the log's clock, who (a manager) and a note. The
balance is the sum of the history, and never below zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .codecs import PLAIN, Codec, stored
from .contests.book import ContestBook, final_decisions
from .contests.model import Decision
from .feature import Core, Event, Feature, Handler
from .model import Sale, dump, load
from .outbox import Outbox
from .state import State

SALE, SUPPORT, GRANT, CORRECTION = "sale", "support", "grant", "correction"
PLACE, CHALLENGE, REDEMPTION, REFUND = "place", "challenge", "redemption", "refund"
#: causes whose coins screens celebrate (a contact's are too many to tell of)
EARNED = frozenset({SALE, GRANT, PLACE, CHALLENGE})


@dataclass(slots=True)
class Movement:
    """One record of a wallet's history; ``amount`` in hundredths of a coin."""

    seq: int
    amount: int
    cause: str
    ref: str
    ts: float
    by: str | None = None
    note: str = ""
    #: a correction that asked for more than the wallet held: what it asked
    asked: int | None = None


@dataclass(slots=True)
class Wallet:
    agent: str
    #: spendable: the sum of the history
    balance: int = 0
    #: the coins of the agent's sales still in their window
    pending: int = 0
    #: held for redemptions waiting for a manager's decision (already out of balance)
    reserved: int = 0
    history: list[Movement] = field(default_factory=list)


def _dump_wallets(value: dict[str, Wallet]) -> dict[str, Any]:
    return {
        agent: [w.balance, w.pending, w.reserved, [dump(m) for m in w.history]]
        for agent, w in value.items()
    }


def _load_wallets(data: dict[str, Any]) -> dict[str, Wallet]:
    return {
        agent: Wallet(agent, balance, pending, reserved, [load(Movement, m) for m in history])
        for agent, (balance, pending, reserved, history) in data.items()
    }


#: optional: a state that never moved a coin stores (and hashes) as it did before coins
WALLETS = Codec(_dump_wallets, _load_wallets, optional=True)
OPTIONAL = Codec(PLAIN.dump, PLAIN.load, optional=True)


@dataclass(slots=True)
class WalletBook:
    wallets: dict[str, Wallet] = stored(WALLETS)
    #: sale key -> the coins it brings when confirmed, while it is pending
    pending_sales: dict[str, int] = stored(OPTIONAL)
    #: "places:<contest>" or "challenge:<contest>" -> when it paid (each pays once)
    contests_paid: dict[str, float] = stored(OPTIONAL)
    #: movements made, numbering the next one
    moves: int = stored(OPTIONAL, int)
    #: how many of the contests' final decisions have been paid for
    decisions_read: int = stored(OPTIONAL, int)


def wallet(book: WalletBook, agent: str) -> Wallet:
    found = book.wallets.get(agent)
    if found is None:
        found = book.wallets[agent] = Wallet(agent)
    return found


def move(
    book: WalletBook,
    outbox: Outbox,
    agent: str,
    amount: int,
    cause: str,
    ref: str,
    when: float,
    *,
    by: str | None = None,
    note: str = "",
) -> Movement:
    """Put ``amount`` (hundredths, signed) into ``agent``'s wallet, recorded with its
    cause; the caller has made sure it leaves the wallet at zero or more."""
    held = wallet(book, agent)
    if held.balance + amount < 0:
        raise ValueError(f"expected a balance >= 0 for {agent}, got {held.balance + amount}")
    book.moves += 1
    record = Movement(book.moves, amount, cause, ref, when, by, note)
    held.history.append(record)
    held.balance += amount
    outbox.dirty.add(agent)
    if cause in EARNED and amount > 0:
        outbox.emit(
            {
                "kind": "coins_earned",
                "agent": agent,
                "coins": amount,
                "cause": cause,
                "balance": held.balance,
            }
        )
    return record


def spend(book: WalletBook, outbox: Outbox, agent: str, price: int, ref: str, when: float) -> bool:
    """Take ``price`` for redemption ``ref`` and hold it until a manager decides;
    False (nothing taken) if the wallet holds less."""
    held = wallet(book, agent)
    if held.balance < price:
        return False
    move(book, outbox, agent, -price, REDEMPTION, ref, when)
    held.reserved += price
    return True


def settle(
    book: WalletBook,
    outbox: Outbox,
    agent: str,
    price: int,
    ref: str,
    when: float,
    *,
    approved: bool,
    by: str | None,
    note: str,
) -> None:
    """A manager decided redemption ``ref``: the held coins are spent for good, or
    (rejected) go back into the wallet."""
    held = wallet(book, agent)
    held.reserved -= price
    outbox.dirty.add(agent)
    if not approved:
        move(book, outbox, agent, price, REFUND, ref, when, by=by, note=note)


def contest_decided(
    state: State, outbox: Outbox, contest_id: str, places: Mapping[str, int]
) -> dict[str, int]:
    """Coins for the places of a contest decided for good, at the rule set in force
    (``coins.places``): the one line a contest's module calls."""
    coins = state.timeline.rules_at(state.clock).coins.places
    return grant_for_places(state.slice(WalletBook), outbox, contest_id, places, coins, state.clock)


def challenge_won(state: State, outbox: Outbox, contest_id: str, winner: str) -> int:
    """Coins for the winner of a challenge decided for good (``coins.challenge_won``)."""
    coins = state.timeline.rules_at(state.clock).coins.challenge_won
    return grant_for_challenge(
        state.slice(WalletBook), outbox, contest_id, winner, coins, state.clock
    )


def grant_for_places(
    book: WalletBook,
    outbox: Outbox,
    contest_id: str,
    places: Mapping[str, int],
    coins_per_place: Sequence[int],
    when: float,
) -> dict[str, int]:
    """Give each agent the coins of their place (1 is first) in ``contest_id``:
    ``coins_per_place[0]`` for first, and so on; a place past the list earns none,
    agents sharing a place earn its coins each. Once per contest: a second call
    gives nothing. Returns the coins (whole) given, by agent."""
    marker = f"places:{contest_id}"
    if marker in book.contests_paid:
        return {}
    book.contests_paid[marker] = when
    given = {}
    for agent, place in sorted(places.items(), key=lambda item: (item[1], item[0])):
        if 1 <= place <= len(coins_per_place) and coins_per_place[place - 1] > 0:
            coins = coins_per_place[place - 1]
            move(book, outbox, agent, coins * 100, PLACE, contest_id, when, note=f"place {place}")
            given[agent] = coins
    return given


def grant_for_challenge(
    book: WalletBook, outbox: Outbox, contest_id: str, winner: str, coins: int, when: float
) -> int:
    """Give the winner of challenge ``contest_id`` its ``coins``, once."""
    marker = f"challenge:{contest_id}"
    if marker in book.contests_paid or coins <= 0:
        return 0
    book.contests_paid[marker] = when
    move(book, outbox, winner, coins * 100, CHALLENGE, contest_id, when, note="won")
    return coins


class Wallets(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(WalletBook)
        self.contests = core.state.slice(ContestBook)
        #: whether any rule set of the timeline pays coins for points, and how many
        #: sets that was asked of (most logs never pay any: every sale asks)
        self._paying = False
        self._asked = 0

    def _pays(self) -> bool:
        rules = self.state.timeline.rules
        if len(rules) != self._asked:
            self._asked = len(rules)
            self._paying = any(each.coins.per_point for _, each in rules)
        return self._paying

    def handlers(self) -> dict[str, Handler]:
        return {"coins": self.grant}

    def grant(self, event: Event) -> None:
        """A manager's grant, or (a negative amount) a correction, taking at most
        what the wallet holds."""
        agent, amount, reason = event["agent"], event["amount"] * 100, event["reason"]
        by, ref, clock = event.get("by"), event["id"], self.state.clock
        if amount > 0:
            move(self.book, self.outbox, agent, amount, GRANT, ref, clock, by=by, note=reason)
            return
        held = wallet(self.book, agent)
        taken = min(-amount, held.balance)
        record = move(
            self.book, self.outbox, agent, -taken, CORRECTION, ref, clock, by=by, note=reason
        )
        if taken != -amount:
            record.asked = amount
        self.outbox.emit(
            {
                "kind": "coins_corrected",
                "agent": agent,
                "coins": -taken,
                "asked": amount,
                "balance": held.balance,
            }
        )

    # Contests ---------------------------------------------------------------
    def pay_contests(self) -> None:
        """Coins for each contest run decided for good since the last call: places
        among agents (``coins.places``), a challenge's winner (``coins.challenge_won``)
        and its ``stake``, moved from the loser (at most what the loser holds). A
        contest of teams or sites pays no one; a hidden one pays nothing."""
        if len(self.contests.finals) <= self.book.decisions_read:
            return
        for decided in final_decisions(self.contests, self.book.decisions_read):
            self.book.decisions_read += 1
            if not decided.hidden and decided.kind == "agents":
                self._pay(decided)

    def _pay(self, decided: Decision) -> None:
        run = f"{decided.contest}#{decided.run}"
        places = {
            agent: place
            for ranked in decided.places.values()
            for place, sharing in _numbered(ranked)
            for agent in sharing
        }
        if decided.format != "challenge":
            contest_decided(self.state, self.outbox, run, places)
            return
        winners = [agent for agent, place in places.items() if place == 1]
        if len(winners) != 1:
            return  # a draw: no winner, no stake moves
        [winner] = winners
        challenge_won(self.state, self.outbox, run, winner)
        losers = [agent for agent in places if agent != winner]
        if decided.stake > 0 and losers:
            staked = min(decided.stake * 100, wallet(self.book, losers[0]).balance)
            if staked > 0:
                clock = self.state.clock
                move(
                    self.book, self.outbox, losers[0], -staked, CHALLENGE, run, clock, note="stake"
                )
                move(self.book, self.outbox, winner, staked, CHALLENGE, run, clock, note="stake")

    def reached(self, when: float) -> None:
        self._pay_decided()

    def _pay_decided(self) -> None:
        if len(self.contests.finals) > self.book.decisions_read:  # every event asks
            self.pay_contests()

    # Hooks -----------------------------------------------------------------
    def counted(self, sale: Sale) -> None:
        if not self._pays():
            return
        per_point = self.state.timeline.rules_for(sale.agent, sale.ts).coins.per_point
        if per_point and sale.points > 0:
            coins = round(sale.points * per_point)
            if coins > 0:
                self.book.pending_sales[sale.key] = coins
                wallet(self.book, sale.agent).pending += coins
                self.outbox.dirty.add(sale.agent)

    def confirmed(self, sale: Sale) -> None:
        self._pay_decided()  # the sale may have made a contest's result final
        if not self.book.pending_sales:
            return
        coins = self.book.pending_sales.pop(sale.key, 0)
        if coins:
            wallet(self.book, sale.agent).pending -= coins
            move(self.book, self.outbox, sale.agent, coins, SALE, sale.key, self.state.clock)

    def revoked(self, sale: Sale) -> None:
        self._pay_decided()
        if not self.book.pending_sales:
            return
        coins = self.book.pending_sales.pop(sale.key, 0)
        if coins:
            wallet(self.book, sale.agent).pending -= coins
            self.outbox.dirty.add(sale.agent)

    def contact_counted(self, agent: str, day: str) -> None:
        if not self._pays():
            return
        # The contact just counted is the agent's latest remembered event
        # (contacts.py): ["contact", id, ts, points, ...].
        remembered = self.state.recent[agent][-1]
        ts, points = remembered[2], remembered[3]
        per_point = self.state.timeline.rules_for(agent, ts).coins.per_point
        if not per_point or points <= 0:
            return
        coins = round(points * per_point)
        if coins <= 0:
            return
        held = wallet(self.book, agent)
        latest = held.history[-1] if held.history else None
        if latest is not None and latest.cause == SUPPORT and latest.ref == day:
            latest.amount += coins
            latest.ts = self.state.clock
            held.balance += coins
            self.outbox.dirty.add(agent)
        else:
            move(self.book, self.outbox, agent, coins, SUPPORT, day, self.state.clock)


def _numbered(ranked: Sequence[Sequence[str]]) -> list[tuple[int, Sequence[str]]]:
    """Places as the contest gives them (each the participants sharing it, best
    first) numbered as a table is: 1, 1, 3."""
    numbered, place = [], 1
    for sharing in ranked:
        numbered.append((place, sharing))
        place += len(sharing)
    return numbered
