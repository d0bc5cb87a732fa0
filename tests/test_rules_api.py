"""Rule sets: a partial one is refused at the door, and ``GET /api/rules`` shows the
set in force and every version with what it changed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson

from scoring.rule_history import changes
from scoring.rules import DEFAULT_RULES, as_json, parse_rules
from tests.helpers import running, sale
from tests.scoring_helpers import whole_rules
from tests.test_manage import sign_in
from wallboard.backup import import_lines
from wallboard.engine import fold
from wallboard.settings import Settings
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
        app.settle()
        assert app.get("/api/rules").json()["in_force"]["version"] == "v1"


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
    with running(f"sqlite:///{tmp_path / 'log.db'}") as app:
        app.settle()
        in_force = app.get("/api/rules").json()["in_force"]
    # Shown whole: what held for the sections it left out is written in.
    assert in_force["rules"] == {
        **{k: DEFAULT_RULES[k] for k in ("weights", "contact", "commission", "gates")},
        **PARTIAL,
    }
    assert in_force["by"] == "boss"


def test_the_rules_in_force_and_their_history_newest_first() -> None:
    with running() as app:
        csrf = sign_in(app)
        assert app.post(rules_event("v1", "2026-11-01T00:00:00Z", V1), role="manager").is_success
        app.post(sale("s-1", ts="2026-11-03T10:00:00Z"))
        # Through the console: the event carries the signed-in manager's name.
        posted = app.client.post(
            "/api/events",
            json=rules_event("v2", "2026-11-05T00:00:00Z", V2),
            headers={"X-CSRF-Token": csrf},
        )
        assert posted.status_code == 202
        future = whole_rules(cancellation_window_days=21)
        assert app.post(rules_event("v3", "2030-01-01T00:00:00Z", future), role="manager")
        app.tick("tick-1", "2026-11-06T00:00:00Z")
        app.settle()
        answer = app.client.get("/api/rules")
        assert answer.status_code == 200
        body = answer.json()
        received = {orjson.loads(e)["id"]: orjson.loads(e)["received"] for e in app.events()}

    assert body["in_force"] == {
        "version": "v2",
        "effective_from": "2026-11-05T00:00:00Z",
        "received": received["v2"],
        "by": "boss",
        "rules": V2,
        "hidden": False,
    }
    assert [v["version"] for v in body["history"]] == ["v3", "v2", "v1", "default"]
    assert [v["scheduled"] for v in body["history"]] == [True, False, False, False]
    v3, v2, v1, default = body["history"]
    assert v1["by"] == "test" and v1["received"] == received["v1"]
    assert v2["changes"] == [
        {"path": "commission.dsl", "from": None, "to": {"fixed": 0, "percent": 5}},
        {"path": "gates.month", "from": {"min_sales": 5}, "to": None},
        {"path": "sale.products.mobile.base", "from": 20, "to": 30},
    ]
    assert v3["changes"] == [
        {"path": "cancellation_window_days", "from": 14, "to": 21},
        {"path": "commission.dsl", "from": {"fixed": 0, "percent": 5}, "to": None},
        {"path": "commission.mobile", "from": {"fixed": 4, "percent": 0}, "to": None},
        {"path": "sale.products.*.base", "from": 5, "to": 10},
        {"path": "sale.products.*.per_euro", "from": 0, "to": 0.1},
        {
            "path": "sale.products.mobile",
            "from": {"base": 30, "per_euro": 0, "channel_bonus": {}},
            "to": None,
        },
    ]
    assert default["rules"] == DEFAULT_RULES and default["changes"] == []


def test_a_trial_rule_set_scores_nothing_live_and_waits_in_the_history() -> None:
    """A ``hidden`` rules event is a trial: every sale is still scored by the set in
    force, the trial is listed with what it would change, and the next version's
    changes count from the set that was in force, not from the trial."""
    with running(settings=Settings(store="memory://", tick_seconds=0)) as app:
        app.post(rules_event("v1", "2026-11-01T00:00:00Z", V1), role="manager")
        trial = {**rules_event("trial", "2026-11-02T00:00:00Z", V2), "hidden": True}
        assert app.post(trial, role="manager").status_code == 202
        app.post(sale("s-1", ts="2026-11-03T10:00:00Z", product="mobile", revenue="0"))
        app.post(rules_event("v3", "2026-11-04T00:00:00Z", V1), role="manager")
        app.tick("tick-1", "2026-11-05T00:00:00Z")
        app.settle()
        body = app.get("/api/rules").json()
        scored = {s.id: (s.points, s.rules) for s in app.engine.scorer.state.sales.values()}
        refused = app.post({**trial, "id": "trial-2", "hidden": "yes"}, role="manager")

    assert scored == {"s-1": (2000, "v1")}  # 20 points by v1, not 30 by the trial
    assert [v["version"] for v in body["history"]] == ["v3", "trial", "v1", "default"]
    assert [v["hidden"] for v in body["history"]] == [False, True, False, False]
    assert body["in_force"]["version"] == "v3"
    v3, trial_row, _, _ = body["history"]
    assert {c["path"] for c in trial_row["changes"]} >= {"sale.products.mobile.base"}
    assert v3["changes"] == []  # v3 repeats v1: the trial in between changed nothing
    assert refused.status_code == 422 and "hidden" in refused.text


def test_before_any_rule_set_the_defaults_are_in_force() -> None:
    with running() as app:
        body = app.get("/api/rules").json()
    assert body["in_force"]["version"] == "default"
    assert body["in_force"]["rules"] == DEFAULT_RULES == as_json(parse_rules({}))
    assert [v["version"] for v in body["history"]] == ["default"]


def test_a_rule_set_published_with_an_earlier_date_takes_its_place_in_the_history() -> None:
    """Versions are in the order they take effect, as the fold scores by them."""
    with running(settings=Settings(store="memory://", tick_seconds=0)) as app:
        for version, ts in (("late", "2026-11-10T00:00:00Z"), ("early", "2026-11-02T00:00:00Z")):
            app.post(rules_event(version, ts, V1), role="manager")
        app.tick("tick-1", "2026-11-20T00:00:00Z")
        app.settle()
        body = app.get("/api/rules").json()
        in_force = app.engine.scorer.state.timeline.rules_at(app.engine.scorer.clock)
    assert [v["version"] for v in body["history"]] == ["late", "early", "default"]
    assert body["in_force"]["version"] == in_force.version == "late"


def test_changes_name_each_leaf_in_dot_form_with_null_for_a_missing_side() -> None:
    before = {"a": {"b": 1, "c": [1, 2]}, "gone": True}
    after = {"a": {"b": 1.0, "c": [1, 3], "new": {"x": 1}}}
    assert changes(before, after) == [
        {"path": "a.c", "from": [1, 2], "to": [1, 3]},
        {"path": "a.new", "from": None, "to": {"x": 1}},
        {"path": "gone", "from": True, "to": None},
    ]
