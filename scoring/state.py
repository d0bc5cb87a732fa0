"""The scorer's state: one typed dataclass.

``State`` holds the facts every feature reads: the log's clock, the timeline
of rules and seasons, the roster, and the sales book (each sale, each agent's
day buckets, the confirmation queue). Each feature (goals, prizes, tombolas,
the league, ...) keeps its own slice, a dataclass of its own kept in
``slices``; only that feature writes it.

Every field says how it is stored (``codecs.py``): a snapshot is the state's
stored fields, its timeline's and every slice's, in one JSON object.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, TypeVar

from .codecs import PART, PLAIN, SLICES, Codec, keyed, records, stored
from .model import Agent, Bucket, Sale, dump, load
from .timeline import Timeline

RECENT_PER_AGENT = 50
T = TypeVar("T")


def _load_agents(data: dict[str, Any]) -> dict[str, Agent]:
    agents = {k: load(Agent, v) for k, v in data.items()}
    for agent in agents.values():
        agent.history = [(day, team, site) for day, team, site in agent.history]
    return agents


AGENTS = Codec(records(Agent).dump, _load_agents)
BUCKETS = Codec(
    lambda value: {a: {d: dump(b) for d, b in days.items()} for a, days in value.items()},
    lambda data: {a: {d: load(Bucket, b) for d, b in days.items()} for a, days in data.items()},
)
WAITING = Codec(
    lambda value: {k: list(v) for k, v in value.items()},
    lambda data: {k: (v[0], v[1], v[2]) for k, v in data.items()},
)
DUE = Codec(
    lambda value: [list(entry) for entry in value],
    lambda data: [(due, key) for due, key in data],
)
RECENT = Codec(
    lambda value: {agent: list(rows) for agent, rows in value.items()},
    lambda data: {a: deque(rows, maxlen=RECENT_PER_AGENT) for a, rows in data.items()},
)


@dataclass(slots=True)
class State:
    offset: int = 0
    #: the log's clock: the latest ``received`` or ``tick`` folded, never the machine's
    clock: float = 0.0
    #: the clock's local day, as far as ended periods have been settled
    clock_day: str = ""
    timeline: Timeline = stored(PART, Timeline)
    # The roster.
    agents: dict[str, Agent] = stored(AGENTS)
    #: agents' own choices, waiting for the roster to name them
    profiles: dict[str, dict[str, Any]] = stored(PLAIN)
    teams: dict[str, dict[str, str]] = stored(PLAIN)
    sites: dict[str, dict[str, Any]] = stored(PLAIN)
    # The sales book.
    buckets: dict[str, dict[str, Bucket]] = stored(BUCKETS)
    sales: dict[str, Sale] = stored(keyed(Sale))
    #: cancellations of sales not yet in the log: sale key -> (id, ts, reason)
    waiting_cancellations: dict[str, tuple[str, float, str]] = stored(WAITING)
    #: (due, sale key): a heap of pending sales by the end of their window
    due: list[tuple[float, str]] = stored(DUE, list)
    #: each agent's latest events, for their page's explanations
    recent: dict[str, deque[list[Any]]] = stored(RECENT)
    #: each feature's slice, by the slice's type (stored field by field too)
    slices: dict[type, Any] = stored(SLICES)

    def slice(self, kind: type[T]) -> T:
        """The slice of type ``kind``, made empty the first time it is asked for."""
        found = self.slices.get(kind)
        if found is None:
            found = self.slices[kind] = kind()
        return found

    def bucket(self, agent: str, day: str) -> Bucket:
        days = self.buckets.get(agent)
        if days is None:
            days = self.buckets[agent] = {}
        bucket = days.get(day)
        if bucket is None:
            bucket = days[day] = Bucket()
        return bucket

    def remember(self, agent: str, row: list[Any]) -> None:
        recent = self.recent.get(agent)
        if recent is None:
            recent = self.recent[agent] = deque(maxlen=RECENT_PER_AGENT)
        recent.append(row)
