"""What an ``experiment`` event may say: its metrics, units, strata and arms."""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRules
from ..rules import missing_sections, parse_rules
from ..validators import MAX_ID_LENGTH, Kind, Problem, describe, text

#: the metrics an experiment measures, per agent over the window (README: "Experiments")
METRICS = (
    "sales_per_agent_day",
    "revenue_per_agent_day",
    "cancellation_rate",
    "quality",
    "first_contact_resolution",
    "referral_rate",
)
UNITS = ("agent", "team", "site")
STRATA = ("site", "team", "tenure", "last_month_sales")
#: the strata each unit of assignment may be balanced on: a team lies in one site,
#: a site is its own stratum
STRATA_OF_UNIT = {
    "agent": STRATA,
    "team": ("site", "last_month_sales"),
    "site": ("last_month_sales",),
}
MAX_ARMS = 6
#: arm names are short words: they name rule versions and columns of the export
_ARM_NAME = text(1, 32)


def arms() -> Kind:
    """Two or more ``{"arm": NAME, "rules": <a whole rule set>}``, names unique."""

    def check(value: Any) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not 2 <= len(value) <= MAX_ARMS:
            raise Problem(f"expected a list of 2 to {MAX_ARMS} arms, got {describe(value)}")
        seen: set[str] = set()
        clean = []
        for index, arm in enumerate(value):
            where = f"arms[{index}]"
            if not isinstance(arm, dict) or set(arm) != {"arm", "rules"}:
                raise Problem(f"{where}: expected {{arm, rules}}, got {describe(arm)}")
            try:
                name = _ARM_NAME.check(arm["arm"])
            except Problem as problem:
                raise Problem(f"{where}.arm: {problem}") from None
            if name in seen:
                raise Problem(f"{where}.arm: {name!r} names two arms")
            seen.add(name)
            clean.append({"arm": name, "rules": _rule_set(where, arm["rules"])})
        return clean

    schema = {
        "type": "array",
        "minItems": 2,
        "maxItems": MAX_ARMS,
        "items": {
            "type": "object",
            "required": ["arm", "rules"],
            "additionalProperties": False,
            "properties": {
                "arm": {"type": "string", "maxLength": 32},
                "rules": {"type": "object", "description": "a whole rule set, as a rules event's"},
            },
        },
    }
    return Kind(check, schema)


def _rule_set(where: str, value: Any) -> dict[str, Any]:
    """A whole rule set, checked as a ``rules`` event's (every section present)."""
    if not isinstance(value, dict):
        raise Problem(f"{where}.rules: expected a rule set object, got {describe(value)}")
    missing = missing_sections(value)
    if missing:
        raise Problem(f"{where}.rules: missing {', '.join(missing)}; start from GET /api/rules")
    try:
        parse_rules(value)
    except InvalidRules as invalid:
        first = "; ".join(f"{k}: {v}" for k, v in invalid.problems.items())
        raise Problem(f"{where}.rules.{first}") from None
    return dict(value)


def experiment_problems(event: dict[str, Any]) -> dict[str, str]:
    """What the fields, each valid alone, must say together."""
    problems: dict[str, str] = {}
    if event["ends"] <= event["starts"]:
        problems["ends"] = f"expected after starts ({event['starts']}), got {event['ends']}"
    allowed = STRATA_OF_UNIT[event["unit"]]
    for stratum in event.get("strata", []):
        if stratum not in allowed:
            problems["strata"] = (
                f"a {event['unit']} unit is balanced by {', '.join(allowed)}, got {stratum!r}"
            )
    if len(set(event.get("strata", []))) != len(event.get("strata", [])):
        problems["strata"] = "expected each stratum once"
    guardrails = event.get("guardrails", [])
    if event["metric"] in guardrails:
        problems["guardrails"] = f"{event['metric']} is the primary metric already"
    if len(set(guardrails)) != len(guardrails):
        problems["guardrails"] = "expected each metric once"
    return problems


EXPERIMENT_ID = text(1, MAX_ID_LENGTH)


def id_map(max_items: int = 100_000) -> Kind:
    """An object of ids to short strings (an arm, a stratum's label)."""

    def check(value: Any) -> dict[str, str]:
        if not isinstance(value, dict) or len(value) > max_items:
            raise Problem(f"expected an object of at most {max_items} ids, got {describe(value)}")
        for key, item in value.items():
            if not isinstance(item, str) or len(key) > MAX_ID_LENGTH or len(item) > 1000:
                raise Problem(f"expected strings, got {describe(key)}: {describe(item)}")
        return dict(value)

    return Kind(check, {"type": "object", "additionalProperties": {"type": "string"}})
