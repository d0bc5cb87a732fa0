"""An experiment as the fold holds it: its event, its assignment once made, and
each arm's rules, parsed once (a sale asks which rules are its agent's)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..codecs import Codec
from ..rules import Rules, parse_rules


@dataclass(slots=True)
class Experiment:
    #: the ``experiment`` event as the log holds it
    event: dict[str, Any]
    starts: float
    ends: float
    #: the ``experiment_assignment`` event's fields once written: ``assignment``
    #: (unit -> arm), ``strata`` (unit -> label), ``agents`` (agent -> arm)
    assigned: dict[str, Any] | None = None
    #: the seed, revealed at the end (hex)
    seed: str | None = None
    #: arm name -> its rules (derived from ``event``, not stored)
    rules: dict[str, Rules] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.rules:
            self.rules = {
                arm["arm"]: parse_rules(arm["rules"], version=arm_version(self.id, arm["arm"]))
                for arm in self.event["arms"]
            }

    @property
    def id(self) -> str:
        return str(self.event["experiment"])

    @property
    def arms(self) -> list[str]:
        return [arm["arm"] for arm in self.event["arms"]]

    def rules_of(self, agent: str, epoch: float) -> Rules | None:
        """The rules ``agent``'s arm scores by at ``epoch``; None outside the window
        or for an agent in no arm (joined after the start)."""
        if self.assigned is None or not self.starts <= epoch < self.ends:
            return None
        arm = self.assigned["agents"].get(agent)
        return None if arm is None else self.rules[arm]


def arm_version(experiment: str, arm: str) -> str:
    """The rule version a sale scored under an arm's rules names."""
    return f"{experiment}/{arm}"


EXPERIMENTS = Codec(
    lambda value: {
        key: [e.event, e.starts, e.ends, e.assigned, e.seed] for key, e in value.items()
    },
    lambda data: {
        key: Experiment(event, starts, ends, assigned, seed)
        for key, (event, starts, ends, assigned, seed) in data.items()
    },
    optional=True,
)
