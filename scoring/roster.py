"""The roster in the fold: sites, teams, agents and the choices agents make.

An agent's team and site are kept per local day from the day of the roster
event, so a move counts the agent's later sales for the new team and site and
leaves the earlier ones where they were made. Agents choose a public name and
may opt out of public boards; a choice made before the roster names the agent
waits for it.
"""

from __future__ import annotations

from bisect import insort
from typing import TYPE_CHECKING, Any

from .model import Agent

if TYPE_CHECKING:
    from .scorer import Scorer


def site(scorer: Scorer, event: dict[str, Any]) -> None:
    scorer.sites[event["site"]] = {
        k: event[k] for k in ("name", "short_name", "colour") if k in event
    }


def team(scorer: Scorer, event: dict[str, Any]) -> None:
    scorer.teams[event["team"]] = {"name": event["name"], "site": event["site"]}


def agent(scorer: Scorer, event: dict[str, Any]) -> None:
    agent_id = event["agent"]
    ts = scorer.epoch(event["ts"])
    day = scorer.calendar_at(ts).day(ts)
    record = scorer.agents.get(agent_id)
    if record is None:
        record = scorer.agents[agent_id] = Agent(agent_id, event["name"])
        _apply(record, scorer.profiles.pop(agent_id, {}))
    record.name = event["name"]
    if "public_name" in event:
        record.public_name = event["public_name"]
    if "opt_out" in event:
        record.opt_out = event["opt_out"]
    if "active" in event:
        record.active = event["active"]
    scorer.forget_placement(agent_id)
    record.history = [h for h in record.history if h[0] != day]
    insort(record.history, (day, event["team"], event["site"]))
    scorer.dirty.add(agent_id)


def profile(scorer: Scorer, event: dict[str, Any]) -> None:
    """An agent's own choices: public name and opting out of public boards. For an
    agent the roster does not name yet, they wait for the roster."""
    choices: dict[str, Any] = {k: event[k] for k in ("public_name", "opt_out") if k in event}
    record = scorer.agents.get(event["agent"])
    if record is None:
        scorer.profiles.setdefault(event["agent"], {}).update(choices)
    else:
        _apply(record, choices)
    scorer.dirty.add(event["agent"])


def _apply(record: Agent, choices: dict[str, Any]) -> None:
    if "public_name" in choices:
        record.public_name = choices["public_name"] or None
    if "opt_out" in choices:
        record.opt_out = choices["opt_out"]
