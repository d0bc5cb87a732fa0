"""The event contract: every type the log holds, its fields, and their checks.

One declaration per type drives both the validator used at ingest and the JSON
Schema served at ``/openapi.json``, so the two cannot drift apart.

Validation checks shape only. An event for an agent the roster does not know yet
is valid: CRMs are often ahead of the roster, and the scorer counts such events
once the roster names the agent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from leagues.table import TIEBREAKERS

from .changes import NOTIFIABLE
from .channels import SCENES
from .contests.contract import TARGETS, WEIGHTS, contest_problems, groups, seeding
from .contests.model import COHORTS, FAIRNESS, FORMATS, METRICS, REPEATS
from .experiments import contract as experiments
from .rules import MAX_COINS, PERIODS, missing_sections
from .validators import (
    COLOUR,
    CURRENCY,
    MAX_ID_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    Kind,
    Problem,
    boolean,
    choice,
    clubs,
    coin_amount,
    day,
    describe,
    external_ids,
    hex_digest,
    integer,
    listing,
    money,
    names,
    nps_or_flag,
    number,
    pattern,
    picture,
    rule_set,
    stock,
    text,
    timestamp,
    triple,
)

_WORD = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
CHANNELS = ("phone", "chat", "email", "social", "shop", "web")
INTEGRATION_TYPES = frozenset({"sale", "cancellation", "contact"})
#: What the service's engine alone writes, as ``scoring.log.SYSTEM_SOURCE``: the
#: clock and the draws. The fold ignores them from any other source, so neither a
#: token nor an imported or hand-written log can move the clock or pick winners.
SYSTEM_TYPES = frozenset({"tick", "tombola_draw", "experiment_assignment", "experiment_seed"})
#: What the service writes when a manager acts through one of its endpoints: a
#: tombola opened with a seed the service keeps (posted directly, its draw could
#: never be made), a token made or revoked (the audit trail of access).
CONSOLE_TYPES = frozenset({"tombola_open", "experiment", "token_created", "token_revoked"})
#: Refused at ``POST /api/events`` from every token.
SERVICE_TYPES = SYSTEM_TYPES | CONSOLE_TYPES


class InvalidEvent(ValueError):
    """An event broke the contract; ``problems`` maps each field to what was wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {problem}" for name, problem in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    fields: tuple[Field, ...]
    #: optional fields of which an event must carry at least one
    one_of: tuple[str, ...] = ()
    #: what the fields, each valid alone, must say together: problems by field
    together: Callable[[dict[str, Any]], dict[str, str]] | None = None
    integration: bool = field(init=False)
    #: every field an event of this type may carry, ``type`` included
    known: frozenset[str] = field(init=False, repr=False)
    #: (name, check, required) of ``id``, ``ts`` and the fields, in order
    checks: tuple[tuple[str, Callable[[Any], Any], bool], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        specs = (_ID, _TS, *self.fields)
        object.__setattr__(self, "integration", self.name in INTEGRATION_TYPES)
        object.__setattr__(self, "known", frozenset({"type", *(f.name for f in specs)}))
        checks = tuple((f.name, f.kind.check, f.required) for f in specs)
        object.__setattr__(self, "checks", checks)


_ID = Field("id", text(1, MAX_ID_LENGTH), description="client-chosen, unique per source")
_TS = Field("ts", timestamp(), description="when it happened, ISO 8601 with a UTC offset")

EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType(
            "sale",
            "An agent sold something.",
            (
                Field("agent", text(1, MAX_ID_LENGTH), description="the agent's id in the CRM"),
                Field("product", text(1, MAX_ID_LENGTH)),
                Field("revenue", money()),
                Field("currency", pattern(CURRENCY, "EUR"), required=False),
                Field("channel", choice(CHANNELS)),
                Field("quantity", integer(1, 1_000_000), required=False),
                Field("customer", text(1, MAX_ID_LENGTH), required=False),
            ),
        ),
        EventType(
            "cancellation",
            "A sale was cancelled (storniert).",
            (
                Field("sale", text(1, MAX_ID_LENGTH), description="the id of the cancelled sale"),
                Field("reason", text(0, MAX_TEXT_LENGTH), required=False),
            ),
        ),
        EventType(
            "contact",
            "An agent handled a service contact.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("channel", choice(CHANNELS)),
                Field("duration_s", number(0, 86_400), required=False),
                Field("resolved", boolean(), description="resolved at first contact"),
                Field("quality", number(0, 100), required=False),
                Field("referral", nps_or_flag(), description="would recommend, or NPS 0-10"),
            ),
        ),
        EventType(
            "site",
            "A contact-center location was added or changed (manager).",
            (
                Field("site", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("short_name", text(1, 12), required=False),
                Field("colour", pattern(COLOUR, "#1f77b4"), required=False),
            ),
        ),
        EventType(
            "channel",
            "A named playlist of the board's scenes (manager): screens opened with "
            "`/board?channel=` show them in turn; `active: false` removes it.",
            (
                Field("channel", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("scenes", listing(choice(SCENES), len(SCENES), min_items=1)),
                Field("rotate", integer(5, 3600), required=False),
                Field("site", text(1, MAX_ID_LENGTH), required=False),
                Field("season", text(1, MAX_ID_LENGTH), required=False),
                Field("active", boolean(), required=False),
            ),
        ),
        EventType(
            "team",
            "A team was added or changed (manager).",
            (
                Field("team", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("site", text(1, MAX_ID_LENGTH)),
            ),
        ),
        EventType(
            "agent",
            "An agent joined, moved or changed (manager); effective from `ts`.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("team", text(1, MAX_ID_LENGTH)),
                Field("site", text(1, MAX_ID_LENGTH)),
                Field("public_name", text(1, 40), required=False),
                Field("opt_out", boolean(), required=False),
                Field("active", boolean(), required=False),
                Field(
                    "external_ids",
                    external_ids(),
                    required=False,
                    description="the agent's id in each other system, by the system's name: "
                    "connectors' lookups find the agent by it",
                ),
            ),
        ),
        EventType(
            "league_season",
            "A league season between clubs (sites): fixtures follow from it. Give `starts` "
            "(matchdays of `matchday_days` working days) or explicit `windows`.",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("clubs", clubs()),
                Field("starts", day(), required=False),
                Field(
                    "windows", listing(listing(timestamp(), 2, min_items=2), 200), required=False
                ),
                Field("matchday_days", integer(1, 60), required=False),
                Field("working_days", listing(integer(1, 7), 7), required=False),
                Field("holidays", listing(day(), 366), required=False),
                Field("double", boolean(), required=False),
                Field("points", triple(), required=False),
                Field("tiebreakers", listing(choice(TIEBREAKERS), 9), required=False),
                Field("goal_every", number(0.0001, 1e9)),
                Field("grace_minutes", integer(0, 1440), required=False),
            ),
            one_of=("starts", "windows"),
        ),
        EventType(
            "league_heads",
            "A club's head count changed; goals per head use it from now on.",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("club", text(1, MAX_ID_LENGTH)),
                Field("heads", integer(1, 100_000)),
            ),
        ),
        EventType(
            "forfeit",
            "A club forfeits a match (site closed or unstaffed): it ends 0:3 against it.",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("match", text(1, 3 * MAX_ID_LENGTH)),
                Field("club", text(1, MAX_ID_LENGTH)),
            ),
        ),
        EventType(
            "league_end",
            "A season ends: the table's leader is champion and the season is archived.",
            (Field("season", text(1, MAX_ID_LENGTH)),),
        ),
        EventType(
            "contest",
            "A contest launched (a manager, an integration, or an agent challenging from "
            "their widget): a team battle, a 1v1 challenge, a knockout cup or a race, scored "
            "from `starts` to `ends` by `metric`; see the README's contests section.",
            (
                Field("contest", text(1, MAX_ID_LENGTH)),
                Field("format", choice(FORMATS)),
                Field("name", text()),
                Field("metric", choice(METRICS)),
                Field("starts", timestamp()),
                Field("ends", timestamp()),
                Field("agents", names(1000), required=False),
                Field("teams", names(200), required=False),
                Field("sites", names(200), required=False),
                Field("groups", groups(), required=False),
                Field("weights", WEIGHTS, required=False),
                Field("target", number(0.01, 1e9), required=False),
                Field("places", integer(1, 10), required=False),
                Field("legs", integer(1, 2), required=False),
                Field("seeding", seeding(), required=False),
                Field("away_goals", boolean(), required=False),
                Field("rounds", listing(listing(timestamp(), 2, min_items=2), 12), required=False),
                Field("stake", integer(0, 1_000_000), required=False),
                Field("fairness", choice(FAIRNESS), required=False),
                Field("targets", TARGETS, required=False),
                Field("baseline_windows", integer(1, 12), required=False),
                Field("cohort", choice(COHORTS), required=False),
                Field("repeat", choice(REPEATS), required=False),
                Field("grace_minutes", integer(0, 1440), required=False),
                Field(
                    "hidden",
                    boolean(),
                    required=False,
                    description="scored, seen by managers only, until posted again without it",
                ),
            ),
            one_of=("agents", "teams", "sites", "groups"),
            together=contest_problems,
        ),
        EventType(
            "challenge_answer",
            "The opponent of an agent's challenge accepts or declines it.",
            (Field("contest", text(1, MAX_ID_LENGTH)), Field("accept", boolean())),
        ),
        EventType(
            "contest_end",
            "A contest ends at `ts`, early (its later runs with it); a challenge still "
            "waiting for its answer is withdrawn.",
            (Field("contest", text(1, MAX_ID_LENGTH)),),
        ),
        EventType(
            "profile",
            "An agent's own choices: a public name (empty: initials) and opting out of "
            "public boards.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("public_name", text(0, 40), required=False),
                Field("opt_out", boolean(), required=False),
            ),
        ),
        EventType("tick", "The clock moved to `ts` (written by the service).", ()),
        EventType(
            "rules",
            "A new rule set, in force for events from `ts` on; its `id` names the version. "
            "With `hidden`, a trial: scored nowhere live, shown to managers only, who see "
            "what it would have paid since `ts` and may publish it as a new version.",
            (Field("rules", rule_set()), Field("hidden", boolean(), required=False)),
        ),
        EventType(
            "season",
            "A scoring season: the `season` period runs from `starts` to `ends` (local days).",
            (
                Field("season", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("starts", day()),
                Field("ends", day()),
            ),
        ),
        EventType(
            "goal",
            "An agent's personal goal: what they save their commission for.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("title", text(1, 80)),
                Field("price", money()),
                Field("picture", picture(), required=False),
            ),
        ),
        EventType(
            "prize",
            "A prize in the catalog, added or restocked.",
            (
                Field("prize", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("stock", stock(), required=False),
                Field("picture", picture(), required=False),
                Field(
                    "value",
                    money(),
                    required=False,
                    description="what one costs, in euros (the what-if sums it)",
                ),
            ),
        ),
        EventType(
            "prize_rule",
            "When a prize is won: `instant` (min_revenue), `threshold` (points in a period) "
            "or `rank` (top of a period).",
            (
                Field("rule", text(1, MAX_ID_LENGTH)),
                Field("kind", choice(("instant", "threshold", "rank"))),
                Field("prize", text(1, MAX_ID_LENGTH)),
                Field("min_revenue", money(), required=False),
                Field("points", number(0, 1e9), required=False),
                Field("period", choice(PERIODS), required=False),
                Field("top", integer(1, 1000), required=False),
                Field("active", boolean(), required=False),
                Field(
                    "hidden",
                    boolean(),
                    required=False,
                    description="awards, seen by managers only, until posted again without it",
                ),
            ),
        ),
        EventType(
            "handover",
            "A manager handed an award over.",
            (Field("award", text(1, 3 * MAX_ID_LENGTH)),),
        ),
        EventType(
            "coins",
            "A manager gives an agent coins, or (a negative amount) takes some back: a "
            "correction takes at most what the wallet holds.",
            (
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("amount", coin_amount(MAX_COINS), description="whole coins, not 0"),
                Field("reason", text(1, MAX_NAME_LENGTH), description="shown in the history"),
            ),
        ),
        EventType(
            "reward",
            "An item of the reward store, added, edited or restocked.",
            (
                Field("reward", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("price", integer(1, MAX_COINS), description="in whole coins"),
                Field(
                    "stock",
                    stock(),
                    required=False,
                    description="how many there are in all; omit for unlimited",
                ),
                Field("picture", picture(), required=False),
                Field("active", boolean(), required=False, description="false: out of the store"),
            ),
        ),
        EventType(
            "redemption",
            "An agent redeems a reward with coins; the fold holds the coins or refuses it "
            "(balance, stock, the site's monthly budget).",
            (
                Field("redemption", text(1, MAX_ID_LENGTH), description="the redemption's id"),
                Field("agent", text(1, MAX_ID_LENGTH)),
                Field("reward", text(1, MAX_ID_LENGTH)),
            ),
        ),
        EventType(
            "redemption_decision",
            "A manager approves a held redemption, or rejects it: the coins and the stock "
            "come back.",
            (
                Field("redemption", text(1, MAX_ID_LENGTH)),
                Field("approve", boolean()),
                Field("reason", text(1, MAX_NAME_LENGTH), required=False),
            ),
        ),
        EventType(
            "reward_budget",
            "The most coins a site's agents may redeem in a month; omit `month_cap` to lift it.",
            (
                Field("site", text(1, MAX_ID_LENGTH)),
                Field("month_cap", integer(0, 1_000_000_000), required=False),
            ),
        ),
        EventType(
            "tombola_open",
            "A tombola opened; `seed_hash` is the SHA-256 of its secret seed.",
            (
                Field("tombola", text(1, MAX_ID_LENGTH)),
                Field("name", text()),
                Field("prizes", names()),
                Field("closes", timestamp()),
                Field("every", integer(1, 1000), required=False),
                Field("count_pending", boolean(), required=False),
                Field("exclude_prize_winners", boolean(), required=False),
                Field("products", names(1000), required=False),
                Field("seed_hash", hex_digest(64)),
            ),
        ),
        EventType(
            "tombola_draw",
            "A tombola was drawn: the revealed seed, the ledger's hash and the winners.",
            (
                Field("tombola", text(1, MAX_ID_LENGTH)),
                Field("seed", hex_digest(64)),
                Field("ledger_hash", hex_digest(64)),
                Field("winners", names(1000, min_items=0)),
            ),
        ),
        EventType(
            "notification_rule",
            "A manager's notification rule: which changes are told to which channel "
            "(`POST /api/notifications/channels` makes channels; their secrets stay "
            "out of the log), in which language. A later event with its id replaces it.",
            (
                Field("rule", text(1, MAX_ID_LENGTH), description="the rule's id"),
                Field(
                    "on",
                    listing(choice(NOTIFIABLE), len(NOTIFIABLE), min_items=1),
                    description="the kinds of change told: " + ", ".join(NOTIFIABLE),
                ),
                Field("channel", text(1, MAX_ID_LENGTH), description="the channel's id"),
                Field("language", choice(("en", "de")), required=False),
                Field("enabled", boolean(), required=False),
            ),
        ),
        EventType(
            "experiment",
            "An A/B experiment of rule sets (manager, through POST /api/experiments): units "
            "are assigned to `arms` at `starts`, each arm's agents scored by its rules until "
            "`ends`; `seed_hash` is the SHA-256 of the assignment's secret seed.",
            (
                Field("experiment", experiments.EXPERIMENT_ID),
                Field("name", text()),
                Field(
                    "arms", experiments.arms(), description="[{arm, rules}], the first the control"
                ),
                Field("unit", choice(experiments.UNITS), description="what is assigned"),
                Field("strata", listing(choice(experiments.STRATA), 3), required=False),
                Field("metric", choice(experiments.METRICS), description="the primary metric"),
                Field("guardrails", listing(choice(experiments.METRICS), 5), required=False),
                Field("starts", timestamp()),
                Field("ends", timestamp()),
                Field("seed_hash", hex_digest(64)),
            ),
            together=experiments.experiment_problems,
        ),
        EventType(
            "experiment_assignment",
            "An experiment's units assigned at its start (written by the service): each "
            "unit's arm and stratum, and each agent's arm.",
            (
                Field("experiment", experiments.EXPERIMENT_ID),
                Field("assignment", experiments.id_map(), description="unit id -> arm"),
                Field("strata", experiments.id_map(), description="unit id -> stratum label"),
                Field("agents", experiments.id_map(), description="agent id -> arm"),
            ),
        ),
        EventType(
            "experiment_seed",
            "An experiment ended: its seed revealed (written by the service).",
            (Field("experiment", experiments.EXPERIMENT_ID), Field("seed", hex_digest(64))),
        ),
        EventType(
            "token_created",
            "A manager made an access token (its id, never the token or its hash).",
            (
                Field("token", hex_digest(12), description="the token's id"),
                # The roles are the shell's (wallboard.tokens.ROLES); the service alone
                # writes this event, so the contract only keeps it a plain word.
                Field("role", pattern(_WORD, "display")),
                Field("label", text(0, MAX_NAME_LENGTH), required=False),
                Field("agent", text(1, MAX_ID_LENGTH), required=False),
                Field("source", pattern(_WORD, "crm"), required=False),
            ),
        ),
        EventType(
            "token_revoked",
            "A manager revoked an access token.",
            (Field("token", hex_digest(12), description="the token's id"),),
        ),
    )
}

#: every type a manager's token may post
MANAGER_TYPES = frozenset(EVENT_TYPES) - SERVICE_TYPES
#: what an agent's token may post, each for its own agent only (from the widget)
AGENT_TYPES = frozenset({"redemption", "contest", "challenge_answer", "contest_end"})

ENVELOPE = frozenset({"id", "type", "ts", "source", "received"})
_ENVELOPE_CHECKS = tuple((f.name, f.kind.check, f.required) for f in (_ID, _TS))


def validate(
    raw: Any, *, allowed: frozenset[str] | None = None, imported: bool = False
) -> dict[str, Any]:
    """Check one event against the contract and return its canonical form.

    Unknown fields are refused rather than dropped, so a typo in an integration
    ("revenu") is caught on the first request instead of silently scoring zero.
    A new event must also pass what the door alone asks (``_door_problems``); an
    ``imported`` one, from a log that took it when those rules were not yet asked,
    is checked as the fold reads it.
    """
    if not isinstance(raw, dict):
        raise InvalidEvent({"event": f"expected a JSON object, got {describe(raw)}"})
    problems: dict[str, str] = {}
    type_name = raw.get("type")
    event_type = EVENT_TYPES.get(type_name) if isinstance(type_name, str) else None
    type_problem = _type_problem(type_name, event_type, allowed)
    if type_problem is not None:
        problems["type"] = type_problem
    # Without a known type, the envelope is still checked: all problems come at once.
    clean, field_problems = _checked(raw, event_type.checks if event_type else _ENVELOPE_CHECKS)
    problems.update(field_problems)
    if event_type is not None:
        problems.update(_shape_problems(raw, event_type))
        if event_type.together is not None and not problems:
            problems.update(event_type.together(clean))
        if not imported and not problems:
            problems.update(_door_problems(clean, event_type))
    if problems:
        raise InvalidEvent(problems)
    clean["type"] = type_name
    return clean


def _type_problem(
    type_name: object, event_type: EventType | None, allowed: frozenset[str] | None
) -> str | None:
    if event_type is None:
        known = ", ".join(sorted(allowed if allowed is not None else EVENT_TYPES))
        return f"expected one of {known}, got {describe(type_name)}"
    if allowed is not None and type_name not in allowed:
        if type_name in SERVICE_TYPES:
            return f"{type_name} is written by the service only"
        return f"{type_name!r} events are written by managers, not integrations"
    return None


def _checked(
    raw: dict[str, Any], checks: Iterable[tuple[str, Callable[[Any], Any], bool]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Each field's canonical value, and the problems of those that failed."""
    clean: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, check, required in checks:
        value = raw.get(name)
        if value is None:
            if required:
                problems[name] = "required"
            continue
        try:
            clean[name] = check(value)
        except Problem as problem:
            problems[name] = str(problem)
    return clean, problems


def _shape_problems(raw: dict[str, Any], event_type: EventType) -> dict[str, str]:
    """A missing one-of-these field, and fields the type does not have."""
    problems: dict[str, str] = {}
    if event_type.one_of:
        first, *others = event_type.one_of
        if all(raw.get(name) is None for name in event_type.one_of):
            problems[first] = f"required unless {' or '.join(others)} is given"
    if not raw.keys() <= event_type.known:
        for name in raw:
            if name not in event_type.known:
                problems[str(name)[:64]] = "unknown field"
    return problems


def _door_problems(clean: dict[str, Any], event_type: EventType) -> dict[str, str]:
    """What a new event may not do that the log's older events did: a rule set that
    leaves out a section (it would fall back to its default without a word)."""
    if event_type.name != "rules":
        return {}
    missing = missing_sections(clean["rules"])
    if not missing:
        return {}
    return {
        "rules": f"missing {', '.join(missing)}: a rules event replaces the whole rule set; "
        "start from GET /api/rules"
    }


def json_schema() -> dict[str, Any]:
    """JSON Schema (2020-12 subset, as OpenAPI 3.1 uses) of every event type."""
    schemas: dict[str, Any] = {}
    for event_type in EVENT_TYPES.values():
        properties: dict[str, Any] = {"type": {"const": event_type.name}}
        required = ["type"]
        for spec in (_ID, _TS, *event_type.fields):
            properties[spec.name] = dict(spec.kind.schema)
            if spec.description:
                properties[spec.name]["description"] = spec.description
            if spec.required:
                required.append(spec.name)
        schemas[event_type.name] = {
            "type": "object",
            "description": event_type.description,
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if event_type.one_of:
            schemas[event_type.name]["anyOf"] = [{"required": [n]} for n in event_type.one_of]
    return schemas
