"""What a contest keeps: its definition, its runs, and each run's tallies.

Plain slotted dataclasses of strings, numbers, lists and dicts, so that a
contest stores as JSON and hashes the same on every run (``codec.py``).

A run's tallies are kept per window (a cup has one per round and leg, every
other format one) and per participant, as the ``components`` below; every
metric is computed from them (``metrics.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FORMATS = ("team_battle", "challenge", "cup", "race")
METRICS = ("points", "confirmed_sales", "sales", "revenue", "contacts_resolved", "mix")
#: what ``mix`` may weigh
MIXED = ("points", "confirmed_sales", "sales", "revenue", "contacts_resolved")
FAIRNESS = ("none", "target", "improvement", "per_head", "cohort")
#: the fairness options each format takes (see the README's contests section)
FAIRNESS_OF = {
    "team_battle": FAIRNESS,
    "challenge": ("none", "target", "improvement"),
    "race": ("none", "target", "per_head"),
    "cup": ("none", "target", "per_head"),
}
REPEATS = ("daily", "weekly", "monthly")
COHORTS = ("tenure", "team")
KINDS = ("agents", "teams", "sites", "groups")

#: default minutes after a run's end in which a sale made inside it still counts:
#: the league's grace, so that one integration's delay plays the same everywhere
GRACE_MINUTES = 30
#: default number of earlier windows an improvement is measured against
BASELINE_WINDOWS = 4
#: default places of a race
RACE_PLACES = 3

# Indexes of a participant's components in a window's tallies.
POINTS, SALES, CONFIRMED, REVENUE, RESOLVED = range(5)
COMPONENTS = 5

# A run's states.
RUNNING, DECIDED, FINAL = "running", "decided", "final"
#: a challenge waiting for its opponent's answer, and the ways one ends unplayed
ISSUED, DECLINED, WITHDRAWN, EXPIRED = "issued", "declined", "withdrawn", "expired"
#: a run ended before it started (a ``contest_end`` before ``starts``)
CANCELLED = "cancelled"
UNPLAYED = frozenset({DECLINED, WITHDRAWN, EXPIRED, CANCELLED})


@dataclass(slots=True)
class Tie:
    """A cup tie: two sides (None until the round before decides, ``"-"`` a bye),
    the first the higher seed."""

    round: int
    number: int
    home: str | None
    away: str | None
    winner: str | None = None
    #: how it was decided: bye, aggregate, away_goals, lots
    by: str = ""
    #: each side's score in each leg, [[home, away], ...], kept when decided
    legs: list[list[float]] = field(default_factory=list)


@dataclass(slots=True)
class Run:
    number: int
    starts: float
    ends: float
    #: the windows sales are tallied in: [[from, to], ...]
    windows: list[list[float]]
    #: per window: participant -> components. Until a window is taken (``taken``)
    #: these are only what was counted sale by sale (see ``tally.py``)
    totals: list[dict[str, list[int]]]
    state: str = RUNNING
    #: per window: its tallies are taken whole (its end plus the grace passed)
    taken: list[bool] = field(default_factory=list)
    #: screens heard that it started
    announced: bool = False
    #: sales made in a window that reached the log after it was taken: they count
    #: in nothing, and a revocation of one changes nothing
    late: list[str] = field(default_factory=list)
    #: once decided, when the last of its sales leaves its cancellation window
    final_at: float | None = None
    #: participant -> the metric over the baseline windows (improvement)
    baseline: dict[str, float] = field(default_factory=dict)
    #: side -> head count when the run began (per_head)
    heads: dict[str, int] = field(default_factory=dict)
    #: cohort -> places (participants sharing each), once decided; "" without cohorts
    places: dict[str, list[list[str]]] = field(default_factory=dict)
    decided_at: float | None = None
    #: a race: participant -> [ts at the line, score then]
    finishes: dict[str, list[float]] = field(default_factory=dict)
    #: a race: participant -> the keys of the sales counted for them, in turn
    counted: dict[str, list[str]] = field(default_factory=dict)
    #: a race: participant -> {contact: [ts, value]} of the contacts counted
    entries: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    #: a cup: the ties, round by round
    ties: list[Tie] = field(default_factory=list)
    #: a cup: participants by seed, best first
    seeds: list[str] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.state == RUNNING


@dataclass(slots=True)
class Contest:
    id: str
    format: str
    name: str
    metric: str
    starts: float
    ends: float
    kind: str
    participants: list[str]
    #: the source of the event that launched it (``agent`` for an agent's challenge)
    source: str
    grace: float
    groups: dict[str, list[str]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    fairness: str = "none"
    targets: dict[str, float] = field(default_factory=dict)
    baseline_windows: int = BASELINE_WINDOWS
    cohort: str | None = None
    repeat: str | None = None
    hidden: bool = False
    #: a race's line and places
    target: float = 0.0
    places: int = RACE_PLACES
    #: a cup's shape
    legs: int = 1
    away_goals: bool = False
    seeding: list[str] | str | None = None
    rounds: list[list[float]] = field(default_factory=list)
    #: a challenge's stake in coins, and its answer: None waiting, True, False
    stake: int = 0
    accepted: bool | None = None
    #: when a ``contest_end`` ended it (its ``ts``), if one did
    ended: float | None = None
    runs: list[Run] = field(default_factory=list)

    @property
    def challenger(self) -> str:
        return self.participants[0]

    @property
    def opponent(self) -> str:
        return self.participants[1]

    def open_runs(self) -> list[Run]:
        return [run for run in self.runs if run.open]


@dataclass(frozen=True, slots=True)
class Decision:
    """A run's result as another feature reads it (the wallet pays coins from it):
    ``places`` by cohort ("" when the contest has none), each place the
    participants sharing it, best first; ``final`` once no sale it counted can
    be revoked any more."""

    contest: str
    run: int
    format: str
    kind: str
    places: dict[str, list[list[str]]]
    stake: int
    hidden: bool
    final: bool


def decision(contest: Contest, run: Run) -> Decision:
    return Decision(
        contest.id,
        run.number,
        contest.format,
        contest.kind,
        {cohort: [list(p) for p in places] for cohort, places in run.places.items()},
        contest.stake,
        contest.hidden,
        run.state == FINAL,
    )


def winners(run: Run) -> list[str]:
    """Everyone in first place, in every cohort."""
    return sorted({p for places in run.places.values() if places for p in places[0]})


Data = dict[str, Any]


def watched_by(contest: Contest) -> frozenset[str]:
    """The agents whose own pages show ``contest``: a challenge's two (a hidden
    one shows nowhere)."""
    if contest.format == "challenge" and not contest.hidden:
        return frozenset(contest.participants)
    return frozenset()
