"""The experiments in the fold: set up, assigned at the start, seed revealed at the end.

The service writes all three events: ``experiment`` when a manager sets one up
(with the seed's hash), ``experiment_assignment`` when the log's clock reaches
``starts`` (each unit's arm and stratum, and each agent's arm), and
``experiment_seed`` when it reaches ``ends``. The fold cannot hold the seed (a
replay of the log would have to know it before it is revealed), so the
assignment enters as an event of its own, which anyone checks against the
revealed seed (``assignment.verify``).

From the assignment on, an agent's sales and contacts in the window are scored
by their arm's rules (``Timeline.rules_for``); the ones before it stand.
"""

from __future__ import annotations

from ..feature import Event, Feature, Handler
from .record import Experiment


class Experiments(Feature):
    def handlers(self) -> dict[str, Handler]:
        return {
            "experiment": self.experiment,
            "experiment_assignment": self.assignment,
            "experiment_seed": self.seed,
        }

    def experiment(self, event: Event) -> None:
        experiments = self.state.timeline.experiments
        if event["experiment"] in experiments:
            return  # the service refuses a second one; an imported log may hold it
        fields = {k: v for k, v in event.items() if k != "source"}
        experiments[event["experiment"]] = Experiment(
            fields, self.epoch(event["starts"]), self.epoch(event["ends"])
        )

    def assignment(self, event: Event) -> None:
        experiment = self.state.timeline.experiments.get(event["experiment"])
        if experiment is None or experiment.assigned is not None:
            return
        experiment.assigned = {
            "assignment": dict(event["assignment"]),
            "strata": dict(event["strata"]),
            "agents": dict(event["agents"]),
            "ts": event["ts"],
        }
        self.outbox.dirty.update(event["agents"])

    def seed(self, event: Event) -> None:
        experiment = self.state.timeline.experiments.get(event["experiment"])
        if experiment is not None and experiment.seed is None:
            experiment.seed = event["seed"]
