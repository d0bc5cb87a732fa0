"""What a feature of the fold is: a slice of state it owns, the events it takes,
and the hooks it implements of a sale's lifecycle and of the clock.

The sales module (``sales.py``) calls each hook once per transition, in the
order the features are registered (``scorer.py``):

- ``counted(sale)``: a sale entered the log and counts, pending;
- ``confirmed(sale)``: its cancellation window passed; it stands for good;
- ``revoked(sale)``: a cancellation inside the window took it back;
- ``contact_counted(agent, day)``: a handled contact earned support points;
- ``reached(when)``: the log's clock reached ``when``. A feature that also
  follows confirmations hears of each moment a pending sale falls due, just
  before that sale is confirmed, so one closing at ``when`` counts none of the
  sales confirmed after it; every feature hears of the new time once.
- ``new_day(day)``: the clock's local day turned; periods before ``day`` ended.

A feature gets the core (the state's shared facts, the outbox, the timestamp
parser), never the scorer or another feature; what it shares with one is a
function of the other's module that takes the other's slice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .log import Epochs
from .model import Sale
from .outbox import Outbox
from .placements import Placements
from .state import State

Event = dict[str, Any]
Handler = Callable[[Event], None]
HOOKS = ("counted", "confirmed", "revoked", "contact_counted", "reached", "new_day")


@dataclass(slots=True)
class Core:
    """What every feature may use."""

    state: State
    outbox: Outbox
    epoch: Epochs
    #: where each agent works on a day (the league and the contests both ask)
    placements: Placements


class Feature:
    """A feature with no hooks; subclasses override the ones they need."""

    def __init__(self, core: Core) -> None:
        self.state = core.state
        self.outbox = core.outbox
        self.epoch = core.epoch
        self.placements = core.placements

    def handlers(self) -> dict[str, Handler]:
        """The event types this feature takes, and what takes each."""
        return {}

    def counted(self, sale: Sale) -> None:
        pass

    def confirmed(self, sale: Sale) -> None:
        pass

    def revoked(self, sale: Sale) -> None:
        pass

    def contact_counted(self, agent: str, day: str) -> None:
        pass

    def reached(self, when: float) -> None:
        pass

    def new_day(self, day: str) -> None:
        pass


def implements(feature: Feature, hook: str) -> bool:
    return getattr(type(feature), hook) is not getattr(Feature, hook)


def hooked(features: list[Feature], hook: str) -> list[Callable[..., None]]:
    """The features' ``hook`` methods, leaving out those that do nothing: the fold
    calls these for every sale."""
    return [getattr(feature, hook) for feature in features if implements(feature, hook)]
