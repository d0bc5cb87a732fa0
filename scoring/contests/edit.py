"""A contest changed after its launch: a ``contest`` event with the id of one that
exists, carrying the whole definition as it should now stand.

- **Before it starts** (the clock before its first run's start), the event
  replaces it whole, as if it had been launched so. A challenge is the two
  agents' agreement: its agents and stake stay, whenever it is changed.
- **Once it has started**, what its tallies rest on stays: format, metric,
  participants, start, fairness, targets and the rest. Its ``name`` can change,
  and, while its current run has not reached its end, its ``ends`` (not a
  cup's: its rounds are set): later, to extend it, or earlier but after the
  clock (to end it now, ``contest_end``). A recurring contest's later runs
  then end at that time of day too.
- ``hidden`` comes off (the contest is revealed); once it has started and is
  shown, it does not go back on.
- **Once it is over** (ended, or its last run decided), only its name.

``refusal`` says why a change cannot be made, in the words the API answers with
(409) and the fold notes (``contest_error``) for an event that reached the log
another way. ``declared`` is the event that launches a contest as it stands:
the console edits it, and without ``hidden`` it reveals the contest.
"""

from __future__ import annotations

import math
from typing import Any
from zoneinfo import ZoneInfo

from ..log import epoch_ts
from ..state import State
from .model import Contest
from .recurring import shifted

#: a contest's definition: what its ``contest`` event declares (``launch.build``)
DEFINITION = (
    "format",
    "name",
    "metric",
    "starts",
    "ends",
    "kind",
    "participants",
    "grace",
    "groups",
    "weights",
    "fairness",
    "targets",
    "baseline_windows",
    "cohort",
    "repeat",
    "hidden",
    "target",
    "places",
    "legs",
    "away_goals",
    "seeding",
    "rounds",
    "stake",
)
#: the event's name for a definition field where it differs
_EVENT_NAME = {"grace": "grace_minutes", "kind": "participants"}


def zone_of(state: State, contest: Contest) -> ZoneInfo:
    """The time zone a contest's days and repeats are counted in (its start's rules)."""
    return state.timeline.calendar_at(contest.starts).zone


def changed(known: Contest, new: Contest) -> list[str]:
    """The definition fields in which ``new`` differs from ``known``."""
    return [name for name in DEFINITION if getattr(known, name) != getattr(new, name)]


def started(contest: Contest, clock: float) -> bool:
    return contest.runs[0].starts <= clock


def replaces(known: Contest, clock: float) -> bool:
    """Whether a change replaces the contest whole (it has not started)."""
    return known.format != "challenge" and not started(known, clock)


def refusal(known: Contest, new: Contest, clock: float, zone: ZoneInfo) -> str | None:
    """Why ``known`` cannot become ``new`` at ``clock`` (None: it can)."""
    fields = changed(known, new)
    if replaces(known, clock):
        return None
    if not known.hidden and new.hidden:
        return f"contest {known.id!r} has started and is shown: it cannot be hidden again"
    running = [run for run in known.runs if run.open and clock < run.ends]
    allowed = {"name", "hidden", "ends"} if running else {"name", "hidden"}
    frozen = list(dict.fromkeys(_EVENT_NAME.get(n, n) for n in fields if n not in allowed))
    if frozen:
        if known.format == "challenge" and {"participants", "stake"} & set(frozen):
            why = "a challenge's agents and stake are agreed"
        elif known.format == "challenge" and not started(known, clock):
            why = "a challenge is played as it was issued"
        else:
            why = "it has started" if running else "it is over or past its end"
        can = "its name and end can" if running else "only its name can"
        return f"contest {known.id!r} cannot change its {', '.join(frozen)}: {why} ({can} change)"
    if "ends" not in fields:
        return None
    if known.format == "cup":
        return f"cup {known.id!r} has started: its rounds are set, so its end cannot change"
    run = running[-1] if running else known.runs[-1]
    end = shifted(new.ends, zone, known.repeat, run.number - 1)
    if end <= clock:
        return (
            f"expected ends after the contest clock ({epoch_ts(math.floor(clock))}) "
            f"for run {run.number}, "
            f"got {epoch_ts(end)}; to end it now, post a contest_end"
        )
    if end <= run.starts:
        return f"expected ends after run {run.number}'s start ({epoch_ts(run.starts)})"
    return None


def declared(contest: Contest) -> dict[str, Any]:
    """The ``contest`` event (without ``id`` and ``ts``) that launches ``contest`` as it
    stands; it passes the contract's checks."""
    event: dict[str, Any] = {
        "type": "contest",
        "contest": contest.id,
        "format": contest.format,
        "name": contest.name,
        "metric": contest.metric,
        "starts": epoch_ts(contest.starts),
        "ends": epoch_ts(contest.ends),
    }
    if contest.kind == "groups":
        event["groups"] = {name: list(members) for name, members in contest.groups.items()}
    else:
        event[contest.kind] = list(contest.participants)
    optional: dict[str, Any] = {
        "grace_minutes": round(contest.grace / 60),
        "weights": dict(contest.weights),
        "fairness": contest.fairness,
        "targets": dict(contest.targets),
        "baseline_windows": contest.baseline_windows,
        "cohort": contest.cohort,
        "repeat": contest.repeat,
        "hidden": contest.hidden,
        "stake": contest.stake,
    }
    if contest.format == "race":
        optional["places"] = contest.places
        if contest.fairness != "target":  # each side's line is its own target
            optional["target"] = contest.target
    if contest.format == "cup":
        optional |= {
            "legs": contest.legs,
            "away_goals": contest.away_goals,
            "seeding": contest.seeding,
            "rounds": [[epoch_ts(a), epoch_ts(b)] for a, b in contest.rounds],
        }
    defaults = {"fairness": "none", "baseline_windows": 4, "hidden": False, "stake": 0}
    for name, value in optional.items():
        if value in (None, {}, []) or defaults.get(name, object()) == value:
            continue
        event[name] = value
    return event
