"""Rule sets: a partial one is refused at the door; logs that hold one fold as before."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from tests.helpers import running, sale
from tests.scoring_helpers import whole_rules
from wallboard.backup import import_lines
from wallboard.engine import fold
from wallboard.store import open_store

PARTIAL = {"cancellation_window_days": 7, "sale": {"products": {"mobile": {"base": 30}}}}
V1 = whole_rules(
    sale={"products": {"mobile": {"base": 20, "per_euro": 0}, "*": {"base": 5, "per_euro": 0}}},
    commission={"mobile": {"fixed": 4}},
    gates={"month": {"min_sales": 5}},
)
V2 = whole_rules(
    sale={"products": {"mobile": {"base": 30, "per_euro": 0}, "*": {"base": 5, "per_euro": 0}}},
    commission={"mobile": {"fixed": 4}, "dsl": {"percent": 5}},
    gates={},
)


def rules_event(version: str, ts: str, rule_set: dict[str, Any]) -> dict[str, Any]:
    return {"id": version, "type": "rules", "ts": ts, "rules": rule_set}


def test_a_partial_rule_set_is_refused_and_names_what_it_leaves_out() -> None:
    with running() as app:
        assert app.post(rules_event("v1", "2026-11-01T00:00:00Z", V1), role="manager").is_success
        app.settle()
        before = app.events()
        answer = app.post(rules_event("v2", "2026-11-02T00:00:00Z", PARTIAL), role="manager")
        assert answer.status_code == 422
        [invalid] = answer.json()["invalid"]
        said = invalid["problems"]["rules"]
        assert said == (
            "missing weights, contact, commission, gates: a rules event replaces the whole "
            "rule set; start from GET /api/rules"
        )
        assert app.events() == before, "nothing was stored"


def test_a_rule_set_may_leave_out_the_time_zone_and_the_exchange_rates() -> None:
    rule_set = {k: v for k, v in V1.items() if k not in ("timezone", "exchange_rates")}
    with running() as app:
        answer = app.post(rules_event("v1", "2026-11-01T00:00:00Z", rule_set), role="manager")
        assert answer.status_code == 202, answer.text


def test_a_log_holding_a_partial_rule_set_imports_and_folds_as_it_always_did(
    tmp_path: Path,
) -> None:
    """Older logs took partial sets: the fold reads them as before (the sections left
    out take their defaults), and an export of such a log imports."""
    partial = {
        **rules_event("old", "2026-11-01T00:00:00Z", PARTIAL),
        "source": "manage",
        "received": "2026-11-01T00:00:00Z",
        "by": "boss",
    }
    tv = {
        **sale("s-1", product="tv", revenue="100.00", ts="2026-11-02T10:00:00Z"),
        "source": "crm",
        "received": "2026-11-02T10:00:00Z",
    }
    lines = [orjson.dumps(partial), orjson.dumps(tv)]

    async def imported() -> Any:
        async with open_store(f"sqlite:///{tmp_path / 'log.db'}") as store:
            assert await import_lines(store, lines) == (2, 0)
            return await fold(store)

    scorer = asyncio.run(imported())
    # tv is not named: with products given, it earns nothing, as it did.
    assert scorer.state.sales["crm:s-1"].points == 0
    assert scorer.state.timeline.rules_at(scorer.clock).cancellation_window_days == 7
