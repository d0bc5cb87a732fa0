"""The contest events' own field kinds, and what a ``contest`` event's fields must
say together (a race without ``target``, a cup of 3, ``ends`` before ``starts``):
``scoring.events`` declares the types and asks ``contest_problems`` at the door
and on import alike, since the fold relies on every answer."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..validators import MAX_ID_LENGTH, Kind, Problem, describe, names, number, text
from .model import FAIRNESS_OF, MIXED

#: the most participants a cup takes, and the fewest
CUP_SIZES = (4, 64)
#: the longest run each repeat allows, in days: a run must end before the next begins
REPEAT_DAYS = {"daily": 1, "weekly": 7, "monthly": 31}
_REPEAT_SPANS = {"daily": "a day", "weekly": "a week", "monthly": "31 days"}
#: the fields only some formats take
ONLY_FOR = {
    "target": ("race",),
    "places": ("race",),
    "legs": ("cup",),
    "seeding": ("cup",),
    "away_goals": ("cup",),
    "rounds": ("cup",),
    "stake": ("challenge",),
    "groups": ("team_battle",),
}


def groups() -> Kind:
    """Custom groups of agents: {name: [agent ids]}, 2 to 64 groups, no agent twice."""
    name_kind, members_kind = text(1, MAX_ID_LENGTH), names(1000)

    def check(value: Any) -> dict[str, list[str]]:
        if not isinstance(value, dict) or not 2 <= len(value) <= 64:
            raise Problem(f"expected an object of 2 to 64 groups of agents, got {describe(value)}")
        checked: dict[str, list[str]] = {}
        seen: dict[str, str] = {}
        for name, members in value.items():
            try:
                checked[name_kind.check(name)] = members_kind.check(members)
            except Problem as problem:
                raise Problem(f"group {str(name)[:64]!r}: {problem}") from None
            for agent in checked[name]:
                if agent in seen:
                    raise Problem(
                        f"expected each agent in one group, got {agent[:64]!r} "
                        f"in {seen[agent][:64]!r} and {name[:64]!r}"
                    )
                seen[agent] = name
        return checked

    schema = {
        "type": "object",
        "additionalProperties": dict(members_kind.schema),
        "minProperties": 2,
        "maxProperties": 64,
    }
    return Kind(check, schema)


def amounts(keys: tuple[str, ...] | None, minimum: float, description: str) -> Kind:
    """An object of numbers by id (``keys`` limits the ids, if given)."""
    amount = number(minimum, 1e9)
    key_kind = text(1, MAX_ID_LENGTH)

    def check(value: Any) -> dict[str, float]:
        if not isinstance(value, dict) or not 1 <= len(value) <= 1000:
            raise Problem(f"expected an object of numbers by id, got {describe(value)}")
        checked = {}
        for key, each in value.items():
            try:
                key_kind.check(key)
                if keys is not None and key not in keys:
                    raise Problem(f"expected one of {', '.join(keys)}")
                checked[key] = amount.check(each)
            except Problem as problem:
                raise Problem(f"{str(key)[:64]!r}: {problem}") from None
        return checked

    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": dict(amount.schema),
        "minProperties": 1,
        "description": description,
    }
    if keys is not None:
        schema["propertyNames"] = {"enum": list(keys)}
    return Kind(check, schema)


def seeding() -> Kind:
    """The participants in seed order, or a league season's id to seed from its table."""
    order, season = names(64, 4), text(1, MAX_ID_LENGTH)

    def check(value: Any) -> list[str] | str:
        if isinstance(value, str):
            return str(season.check(value))
        if isinstance(value, list):
            return list(order.check(value))
        raise Problem(f"expected a list of participants or a season id, got {describe(value)}")

    return Kind(check, {"oneOf": [dict(order.schema), dict(season.schema)]})


WEIGHTS = amounts(MIXED, 0, "what each metric weighs in `mix`")
TARGETS = amounts(None, 0.01, "each participant's target, in the metric's unit")


def _epoch(ts: str) -> float:
    return datetime.fromisoformat(ts).timestamp()


def contest_problems(event: Mapping[str, Any]) -> dict[str, str]:
    """What a ``contest`` event's fields, each valid alone, get wrong together."""
    problems: dict[str, str] = {}
    kinds = [k for k in ("agents", "teams", "sites", "groups") if k in event]
    if len(kinds) > 1:
        problems[kinds[1]] = (
            f"expected one of agents, teams, sites or groups, got {' and '.join(kinds)}"
        )
        return problems
    kind = kinds[0]
    participants = list(event[kind])
    starts, ends = _epoch(event["starts"]), _epoch(event["ends"])
    if ends <= starts:
        problems["ends"] = f"expected a time after starts ({event['starts']}), got {event['ends']}"
    twice = next((p for n, p in enumerate(participants) if p in participants[:n]), None)
    if twice is not None:
        problems[kind] = f"expected distinct participants, got {twice[:64]!r} twice"
    fmt = event["format"]
    for name, formats in ONLY_FOR.items():
        if name in event and fmt not in formats:
            problems[name] = f"expected only in a {' or '.join(formats)}, got it in a {fmt}"
    problems.update(_format_problems(event, fmt, kind, participants))
    problems.update(_metric_problems(event))
    problems.update(_fairness_problems(event, fmt, kind, participants))
    repeat = event.get("repeat")
    if repeat is not None and ends - starts > REPEAT_DAYS[repeat] * 86400 + 3600:
        problems["repeat"] = (
            f"expected a run of at most {_REPEAT_SPANS[repeat]} for a {repeat} contest, "
            f"got {(ends - starts) / 86400:.1f} days from starts to ends"
        )
    return problems


def _format_problems(
    event: Mapping[str, Any], fmt: str, kind: str, participants: list[str]
) -> dict[str, str]:
    count = len(participants)
    if fmt == "challenge":
        if kind != "agents":
            return {kind: "expected agents: a challenge is between two agents"}
        if count != 2:
            return {"agents": f"expected [challenger, opponent], two agents, got {count}"}
        if participants[0] == participants[1]:
            return {
                "agents": "expected [challenger, opponent], two different agents, "
                f"got {participants[0][:64]!r} twice"
            }
        return {}
    if fmt == "cup":
        return _cup_problems(event, kind, participants)
    if count < 2:
        return {kind: f"expected at least 2 participants, got {count}"}
    if fmt == "race" and "target" not in event and event.get("fairness") != "target":
        return {"target": "required for a race: the line to reach, in the metric's unit"}
    return {}


def _cup_problems(event: Mapping[str, Any], kind: str, participants: list[str]) -> dict[str, str]:
    least, most = CUP_SIZES
    if kind == "groups":
        return {"groups": "expected agents, teams or sites in a cup"}
    if not least <= len(participants) <= most:
        return {kind: f"expected {least} to {most} participants in a cup, got {len(participants)}"}
    problems: dict[str, str] = {}
    legs = event.get("legs", 1)
    if event.get("away_goals") and legs != 2:
        problems["away_goals"] = "expected only with legs: 2 (away scores need two legs)"
    seeds = event.get("seeding")
    if isinstance(seeds, list) and sorted(seeds) != sorted(participants):
        problems["seeding"] = f"expected the cup's {len(participants)} participants in seed order"
    rounds = event.get("rounds")
    if rounds is not None:
        needed = math.ceil(math.log2(len(participants))) * legs
        windows = [(_epoch(a), _epoch(b)) for a, b in rounds]
        if len(windows) != needed:
            problems["rounds"] = (
                f"expected {needed} windows (rounds times legs), got {len(windows)}"
            )
        elif any(b <= a for a, b in windows) or any(
            b[0] < a[1] for a, b in itertools.pairwise(windows)
        ):
            problems["rounds"] = "expected windows that each end after they start, in order"
        elif windows[0][0] < _epoch(event["starts"]) or windows[-1][1] > _epoch(event["ends"]):
            problems["rounds"] = "expected every window between starts and ends"
    return problems


def _metric_problems(event: Mapping[str, Any]) -> dict[str, str]:
    if event["metric"] == "mix" and "weights" not in event:
        return {"weights": "required for the mix metric: what each metric weighs"}
    if event["metric"] != "mix" and "weights" in event:
        return {"weights": f"expected only with the mix metric, got metric {event['metric']}"}
    return {}


def _fairness_problems(
    event: Mapping[str, Any], fmt: str, kind: str, participants: list[str]
) -> dict[str, str]:
    fairness = event.get("fairness", "none")
    if fairness not in FAIRNESS_OF[fmt]:
        return {
            "fairness": f"expected one of {', '.join(FAIRNESS_OF[fmt])} for a {fmt}, got {fairness}"
        }
    expected = {"targets": "target", "baseline_windows": "improvement", "cohort": "cohort"}
    for name, option in expected.items():
        if name in event and fairness != option:
            return {name: f"expected only with fairness {option}, got fairness {fairness}"}
    if fairness == "target":
        targets = event.get("targets", {})
        missing = [p[:64] for p in participants if p not in targets]
        other = [p[:64] for p in targets if p not in participants]
        if missing or other:
            return {
                "targets": "expected a target for each participant and no other, "
                f"got none for {missing[:5]} and one for {other[:5]}"
            }
    if fairness == "per_head" and kind == "agents":
        return {"fairness": "expected teams, sites or groups for per_head: an agent is one head"}
    if fairness == "cohort":
        if kind != "agents":
            return {"fairness": "expected agents for cohort: cohorts group agents"}
        if "cohort" not in event:
            return {"cohort": "required for fairness cohort: tenure or team"}
    return {}
