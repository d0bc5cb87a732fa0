"""What the service writes for an experiment: its assignment when the log's clock
reaches ``starts``, and its seed when it reaches ``ends``.

The seed is fixed when a manager sets the experiment up (``api.py``) and kept in
the store's metadata; the fold never sees it before the end. Each event has a
fixed id, so a second try (after a restart, or a failed append) writes nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from scoring.experiments.assignment import assign
from scoring.experiments.record import Experiment
from scoring.experiments.units import members, strata
from scoring.log import format_ts, system_record
from scoring.scorer import Scorer

from ..store import EventLog, Record

log = logging.getLogger(__name__)

SEED_PREFIX = "experiment-seed:"


def starts_day(scorer: Scorer, experiment: Experiment) -> str:
    return scorer.state.timeline.calendar_at(experiment.starts).day(experiment.starts)


def assignment_event(scorer: Scorer, experiment: Experiment, seed: bytes) -> dict[str, object]:
    """The ``experiment_assignment`` event: units and strata as the roster stood at
    ``starts``, each agent with their unit's arm."""
    event = experiment.event
    day = starts_day(scorer, experiment)
    labels = strata(scorer.state, event["unit"], event.get("strata", []), day)
    arms = assign(seed, labels, experiment.arms)
    agents = {
        agent: arms[unit] for agent, unit in members(scorer.state, event["unit"], day).items()
    }
    return {
        "id": f"experiment-assignment-{experiment.id}",
        "type": "experiment_assignment",
        "ts": format_ts(datetime.fromtimestamp(experiment.starts, UTC)),
        "experiment": experiment.id,
        "assignment": arms,
        "strata": labels,
        "agents": dict(sorted(agents.items())),
    }


class Writer:
    """Writes what falls due; remembers experiments whose seed is missing."""

    def __init__(self) -> None:
        self.seedless: set[str] = set()

    async def write_due(self, scorer: Scorer, store: EventLog) -> None:
        for experiment in list(scorer.state.timeline.experiments.values()):
            if experiment.id in self.seedless:
                continue
            if experiment.assigned is None and scorer.clock >= experiment.starts:
                seed = await self._seed(store, experiment)
                if seed is not None:
                    event = assignment_event(scorer, experiment, seed)
                    await store.append([Record(*system_record(event))])
            elif experiment.seed is None and scorer.clock >= experiment.ends:
                seed = await self._seed(store, experiment)
                if seed is not None:
                    await store.append([Record(*system_record(self._reveal(experiment, seed)))])

    async def _seed(self, store: EventLog, experiment: Experiment) -> bytes | None:
        seed = await store.get_meta(SEED_PREFIX + experiment.id)
        if seed is None:
            log.error("experiment %s: its seed is missing; it cannot be assigned", experiment.id)
            self.seedless.add(experiment.id)
        return seed

    def _reveal(self, experiment: Experiment, seed: bytes) -> dict[str, object]:
        return {
            "id": f"experiment-seed-{experiment.id}",
            "type": "experiment_seed",
            "ts": format_ts(datetime.fromtimestamp(experiment.ends, UTC)),
            "experiment": experiment.id,
            "seed": seed.hex(),
        }
