"""The roster in the fold: sites, teams, agents and the choices agents make.

An agent's team and site are kept per local day from the day of the roster
event, so a move counts the agent's later sales for the new team and site and
leaves the earlier ones where they were made. Agents choose a public name and
may opt out of public boards; a choice made before the roster names the agent
waits for it.

An agent's ids in other systems (``external_ids``: the CRM's owner id, the help
desk's assignee id) are kept with an index from each system's id back to the
agent, which connectors' lookups read. An ``agent`` event that carries them
replaces the agent's whole set; one that leaves them out keeps it. An id that a
later event gives another agent moves to that agent.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass
from typing import Any

from .codecs import PLAIN, Codec, stored
from .feature import Core, Event, Feature, Handler
from .model import Agent

#: optional: a roster without external ids stores (and hashes) as it did before them
_OPTIONAL = Codec(PLAIN.dump, PLAIN.load, optional=True)


@dataclass(slots=True)
class ExternalIdBook:
    #: agent -> {system: that system's id for the agent}
    external_ids: dict[str, dict[str, str]] = stored(_OPTIONAL)
    #: system -> {that system's id: agent}
    agents_by_external_id: dict[str, dict[str, str]] = stored(_OPTIONAL)


def agent_for(book: ExternalIdBook, system: str, external_id: str) -> str | None:
    """The agent whom ``system`` knows as ``external_id``, or None."""
    return book.agents_by_external_id.get(system, {}).get(external_id)


def _set_external_ids(book: ExternalIdBook, agent: str, ids: dict[str, str]) -> None:
    for system, old in book.external_ids.pop(agent, {}).items():
        index = book.agents_by_external_id.get(system, {})
        if index.get(old) == agent:
            del index[old]
            if not index:
                del book.agents_by_external_id[system]
    for system, new in ids.items():
        index = book.agents_by_external_id.setdefault(system, {})
        previous = index.get(new)
        if previous is not None and previous != agent:
            # The id moves: the agent who had it no longer does.
            held = book.external_ids.get(previous, {})
            held.pop(system, None)
            if not held:
                book.external_ids.pop(previous, None)
        index[new] = agent
    if ids:
        book.external_ids[agent] = dict(ids)


class Roster(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.ids = core.state.slice(ExternalIdBook)

    def handlers(self) -> dict[str, Handler]:
        return {
            "site": self.site,
            "team": self.team,
            "agent": self.agent,
            "profile": self.profile,
        }

    def site(self, event: Event) -> None:
        self.state.sites[event["site"]] = {
            k: event[k] for k in ("name", "short_name", "colour") if k in event
        }

    def team(self, event: Event) -> None:
        self.state.teams[event["team"]] = {"name": event["name"], "site": event["site"]}

    def agent(self, event: Event) -> None:
        state = self.state
        agent_id = event["agent"]
        ts = self.epoch(event["ts"])
        day = state.timeline.calendar_at(ts).day(ts)
        record = state.agents.get(agent_id)
        if record is None:
            record = state.agents[agent_id] = Agent(agent_id, event["name"])
            _apply(record, state.profiles.pop(agent_id, {}))
        record.name = event["name"]
        if "public_name" in event:
            record.public_name = event["public_name"]
        if "opt_out" in event:
            record.opt_out = event["opt_out"]
        if "active" in event:
            record.active = event["active"]
        if "external_ids" in event:
            _set_external_ids(self.ids, agent_id, event["external_ids"])
        # A new list, never the old one changed: caches of a placement know it by
        # the list they read it from (see ``league.py``).
        history = [h for h in record.history if h[0] != day]
        insort(history, (day, event["team"], event["site"]))
        record.history = history
        self.placements.moved(agent_id)
        self.outbox.dirty.add(agent_id)

    def profile(self, event: Event) -> None:
        """An agent's own choices: public name and opting out of public boards. For an
        agent the roster does not name yet, they wait for the roster."""
        choices: dict[str, Any] = {k: event[k] for k in ("public_name", "opt_out") if k in event}
        record = self.state.agents.get(event["agent"])
        if record is None:
            self.state.profiles.setdefault(event["agent"], {}).update(choices)
        else:
            _apply(record, choices)
        self.outbox.dirty.add(event["agent"])


def _apply(record: Agent, choices: dict[str, Any]) -> None:
    if "public_name" in choices:
        record.public_name = choices["public_name"] or None
    if "opt_out" in choices:
        record.opt_out = choices["opt_out"]
