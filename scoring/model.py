"""The records the scorer keeps. Plain slotted dataclasses of ints, floats and
strings, so that a state serialises to JSON and hashes the same on every run.

Money is in cents and points in hundredths of a point, both as integers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar

PENDING, CONFIRMED, REVOKED = "pending", "confirmed", "revoked"
AWARDED, HANDED_OVER = "awarded", "handed_over"

T = TypeVar("T")


@dataclass(slots=True)
class Sale:
    key: str
    id: str
    agent: str
    product: str
    channel: str
    ts: float
    day: str
    revenue: int
    quantity: int
    points: int
    commission: int
    rules: str
    due: float
    state: str = PENDING
    cancelled: bool = False
    award: str | None = None
    note: str = ""


@dataclass(slots=True)
class Bucket:
    """What one agent did on one local day."""

    sales_pending: int = 0
    sales_confirmed: int = 0
    support: int = 0
    commission_pending: int = 0
    commission_confirmed: int = 0
    sales: int = 0
    revoked: int = 0
    cancelled: int = 0
    revenue: int = 0
    contacts: int = 0
    #: the quality scores of the contacts that had one, summed (hundredths)
    quality: int = 0
    referrals: int = 0
    resolved: int = 0
    #: contacts with a quality score (a phone system's calls may have none)
    rated: int = 0

    def add(self, other: Bucket) -> None:
        # Field by field rather than a loop over the fields: every leaderboard and
        # agent's page sums buckets, and this is several times faster.
        self.sales_pending += other.sales_pending
        self.sales_confirmed += other.sales_confirmed
        self.support += other.support
        self.commission_pending += other.commission_pending
        self.commission_confirmed += other.commission_confirmed
        self.sales += other.sales
        self.revoked += other.revoked
        self.cancelled += other.cancelled
        self.revenue += other.revenue
        self.contacts += other.contacts
        self.quality += other.quality
        self.referrals += other.referrals
        self.resolved += other.resolved
        self.rated += other.rated

    @property
    def points(self) -> int:
        """Points that stand: confirmed and pending sales, and support."""
        return self.sales_pending + self.sales_confirmed + self.support

    @property
    def confirmed_points(self) -> int:
        return self.sales_confirmed + self.support


@dataclass(slots=True)
class Agent:
    id: str
    name: str
    public_name: str | None = None
    opt_out: bool = False
    active: bool = True
    #: (effective local day, team, site), sorted by day.
    history: list[tuple[str, str, str]] = field(default_factory=list)

    def placement(self, day: str) -> tuple[str, str]:
        """(team, site) on ``day``; before the first entry, the first entry's."""
        team, site = self.history[0][1], self.history[0][2]
        for effective, entry_team, entry_site in self.history:
            if effective > day:
                break
            team, site = entry_team, entry_site
        return team, site


@dataclass(slots=True)
class SavingsGoal:
    """What an agent saves their commission up for (not a league's goal)."""

    agent: str
    id: str
    title: str
    price: int
    since: float
    picture: str | None = None
    pending: int = 0
    confirmed: int = 0
    reached: bool = False


@dataclass(slots=True)
class Prize:
    id: str
    name: str
    stock: int | None
    picture: str | None = None
    awarded: int = 0
    #: what one costs the company, in cents, when the manager gave it
    value: int | None = None

    @property
    def available(self) -> bool:
        return self.stock is None or self.awarded < self.stock


@dataclass(slots=True)
class PrizeRule:
    id: str
    kind: str
    prize: str
    min_revenue: int = 0
    points: int = 0
    period: str = "day"
    top: int = 1
    active: bool = True
    out_of_stock: bool = False
    #: the local day the rule was set; a rank rule plays for periods ending on or after it
    since: str = ""
    #: it awards, but only managers see it and its awards until it is revealed
    hidden: bool = False


@dataclass(slots=True)
class Award:
    id: str
    prize: str
    rule: str
    agent: str
    ts: float
    reason: str
    period: str | None = None
    sale: str | None = None
    state: str = AWARDED


@dataclass(slots=True)
class Tombola:
    id: str
    name: str
    prizes: list[str]
    opens: float
    closes: float
    every: int
    count_pending: bool
    exclude_prize_winners: bool
    seed_hash: str
    products: list[str] | None = None
    #: qualifying sales per agent, as the ledger counts them
    counts: dict[str, int] = field(default_factory=dict)
    state: str = "open"
    ledger: dict[str, int] | None = None
    excluded: list[str] = field(default_factory=list)
    winners: list[str] = field(default_factory=list)
    seed: str | None = None
    computed_winners: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def tickets(self, agent: str) -> int:
        return self.counts.get(agent, 0) // self.every


@dataclass(slots=True)
class SeasonPeriod:
    """A season as a period of the leaderboards (a league's season is another thing)."""

    id: str
    name: str
    starts: str
    ends: str


def dump(record: Any) -> list[Any]:
    """A record's fields in order, as a list (a snapshot dumps a million of them)."""
    getter = _GETTERS.get(type(record))
    if getter is None:
        getter = _GETTERS[type(record)] = attrgetter(*(f.name for f in fields(record)))
    return list(getter(record))


#: every record has two fields or more, so each getter returns a tuple
_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def load(cls: type[T], values: list[Any]) -> T:
    return cls(*values)
