"""The roster in the fold: sites, teams, agents and the choices agents make.

An agent's team and site are kept per local day from the day of the roster
event, so a move counts the agent's later sales for the new team and site and
leaves the earlier ones where they were made. Agents choose a public name and
may opt out of public boards; a choice made before the roster names the agent
waits for it.
"""

from __future__ import annotations

from bisect import insort
from typing import Any

from .feature import Event, Feature, Handler
from .model import Agent


class Roster(Feature):
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
        # A new list, never the old one changed: caches of a placement know it by
        # the list they read it from (see ``league.py``).
        history = [h for h in record.history if h[0] != day]
        insort(history, (day, event["team"], event["site"]))
        record.history = history
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
