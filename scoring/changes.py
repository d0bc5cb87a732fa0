"""What the fold tells screens: one typed record per kind of change.

The core emits these through the ``Outbox`` and nothing else; the shell (which
topics show what) and the browser (``config.kinds``) take the kinds from
``KINDS`` here rather than keeping lists of their own. They are ``TypedDict``s:
plain dicts at run time, so a change costs the fold no more than before and goes
to a screen as it is.
"""

from __future__ import annotations

from typing import Literal, TypedDict, get_args, get_type_hints


class SaleCounted(TypedDict):
    kind: Literal["sale"]
    agent: str
    id: str
    product: str
    revenue: str
    channel: str
    points: int


class SaleRevoked(TypedDict):
    kind: Literal["revoked"]
    agent: str
    id: str
    points: int
    reason: str


class GoalReached(TypedDict):
    """An agent's savings goal is covered by confirmed commission."""

    kind: Literal["goal_reached"]
    agent: str
    goal: str
    title: str


class PrizeAwarded(TypedDict):
    kind: Literal["prize"]
    award: str
    agent: str
    prize: str
    reason: str


class PrizeOutOfStock(TypedDict):
    kind: Literal["prize_out_of_stock"]
    rule: str
    prize: str
    agent: str


class PrizeRevoked(TypedDict):
    kind: Literal["prize_revoked"]
    award: str
    agent: str


class TombolaClosed(TypedDict):
    kind: Literal["tombola_closed"]
    tombola: str
    ledger_hash: str


class TombolaDrawn(TypedDict):
    kind: Literal["tombola_drawn"]
    tombola: str
    winners: list[str]


class RecordDay(TypedDict):
    """The local day that ended sold more than any day before (``records.py``)."""

    kind: Literal["record_day"]
    day: str
    sales: int
    revenue: str
    previous: int


class LeagueRefused(TypedDict):
    """A ``league_season`` event that does not make a season, and why."""

    kind: Literal["league_error"]
    season: str
    error: str


class MatchGoal(TypedDict):
    """A goal in a league match, scored by the sale that crossed the line."""

    kind: Literal["goal"]
    season: str
    match: str
    club: str
    agent: str
    sale: str
    minute: int
    score: list[int]


class GoalDisallowed(TypedDict):
    kind: Literal["goal_disallowed"]
    season: str
    match: str
    club: str
    agent: str
    minute: int
    reason: str
    score: list[int]


class _MatchFinalBase(TypedDict):
    kind: Literal["match_final"]
    season: str
    match: str
    score: list[int]


class MatchFinal(_MatchFinalBase, total=False):
    #: the club that forfeited, for a match ended by a forfeit
    forfeit: str


class SeasonEnded(TypedDict):
    kind: Literal["season_ended"]
    season: str
    champion: str | None


class CoinsEarned(TypedDict):
    """Coins came into a wallet: a confirmed sale's, a manager's grant, a contest
    place's or a won challenge's (``cause``); in hundredths of a coin, as points."""

    kind: Literal["coins_earned"]
    agent: str
    coins: int
    cause: str
    balance: int


class CoinsCorrected(TypedDict):
    """A manager's correction took ``-coins`` of the ``-asked`` (at most the balance)."""

    kind: Literal["coins_corrected"]
    agent: str
    coins: int
    asked: int
    balance: int


class RedemptionRequested(TypedDict):
    """An agent's redemption is held, its price reserved, waiting for a manager."""

    kind: Literal["redemption_requested"]
    redemption: str
    agent: str
    reward: str
    name: str
    price: int


class RedemptionRefused(TypedDict):
    """A redemption the store refused: ``reason`` is one of ``reward_store.REASONS``."""

    kind: Literal["redemption_refused"]
    redemption: str
    agent: str
    reward: str
    reason: str


class RedemptionDecided(TypedDict):
    kind: Literal["redemption_decided"]
    redemption: str
    agent: str
    reward: str
    approved: bool
    reason: str


class RewardOutOfStock(TypedDict):
    kind: Literal["reward_out_of_stock"]
    reward: str
    name: str


class ContestRefused(TypedDict):
    """A ``contest`` event for a contest id that exists (and does not reveal it)."""

    kind: Literal["contest_error"]
    contest: str
    error: str


class ContestStarted(TypedDict):
    """A run of a contest began (its ``starts`` passed on the log's clock)."""

    kind: Literal["contest_started"]
    contest: str
    name: str
    format: str
    run: int


class ChallengeIssued(TypedDict):
    kind: Literal["challenge_issued"]
    contest: str
    challenger: str
    opponent: str
    stake: int


class ChallengeAnswered(TypedDict):
    kind: Literal["challenge_answered"]
    contest: str
    accept: bool


class ContestSaleRevoked(TypedDict):
    """A sale a contest counted was revoked: taken off its participant's score
    (``amount``, in the metric's unit), as a league's goal is disallowed."""

    kind: Literal["contest_revoked"]
    contest: str
    run: int
    participant: str
    agent: str
    sale: str
    amount: float


class RaceFinish(TypedDict):
    """A participant reached a race's line (or, after a revocation, no longer has:
    ``reached`` false)."""

    kind: Literal["race_finish"]
    contest: str
    run: int
    participant: str
    reached: bool


class CupTieDecided(TypedDict):
    kind: Literal["cup_tie"]
    contest: str
    run: int
    round: int
    tie: int
    winner: str
    by: str
    legs: list[list[float]]


class ContestProvisional(TypedDict):
    """A run was decided while sales it counts are still in their window."""

    kind: Literal["contest_provisional"]
    contest: str
    run: int
    winners: list[str]


class ContestResult(TypedDict):
    """A provisional result changed: a revoked (or, by confirmed sales, a confirmed)
    sale moved the places."""

    kind: Literal["contest_result"]
    contest: str
    run: int
    winners: list[str]


class ContestFinal(TypedDict):
    kind: Literal["contest_final"]
    contest: str
    run: int
    winners: list[str]


class ContestDecided(TypedDict):
    """A run's result is final: its places (by cohort, "" without), for whatever
    pays for them (coins per place, a challenge's stake)."""

    kind: Literal["contest_decided"]
    contest: str
    run: int
    format: str
    places: dict[str, list[list[str]]]
    stake: int


class ContestEnded(TypedDict):
    """A run ended unplayed: declined, withdrawn, expired or cancelled."""

    kind: Literal["contest_ended"]
    contest: str
    run: int
    state: str


Change = (
    SaleCounted
    | SaleRevoked
    | GoalReached
    | PrizeAwarded
    | PrizeOutOfStock
    | PrizeRevoked
    | TombolaClosed
    | TombolaDrawn
    | RecordDay
    | LeagueRefused
    | MatchGoal
    | GoalDisallowed
    | MatchFinal
    | SeasonEnded
    | CoinsEarned
    | CoinsCorrected
    | RedemptionRequested
    | RedemptionRefused
    | RedemptionDecided
    | RewardOutOfStock
    | ContestRefused
    | ContestStarted
    | ChallengeIssued
    | ChallengeAnswered
    | ContestSaleRevoked
    | RaceFinish
    | CupTieDecided
    | ContestProvisional
    | ContestResult
    | ContestFinal
    | ContestDecided
    | ContestEnded
)

RECORDS: tuple[type, ...] = get_args(Change)

#: every kind of change, in the order above
KINDS: tuple[str, ...] = tuple(get_args(get_type_hints(r)["kind"])[0] for r in RECORDS)

#: the kinds a manager's notification rule may name (``notification_rule`` events)
NOTIFIABLE: tuple[str, ...] = (
    "prize",
    "goal_reached",
    "tombola_drawn",
    "contest_final",
    "goal",
    "record_day",
)
