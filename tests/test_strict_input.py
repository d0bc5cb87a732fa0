"""Values a lenient parser would take and store in a form no one meant: names that
show blank, amounts in another script or with separators, a minus zero, a key
given twice. Each is refused at the real ingest endpoint with the field named,
and nothing is stored."""

from __future__ import annotations

import json
from typing import Any

import orjson
import pytest

from tests.helpers import Running, contact, running, sale

TS = "2026-11-01T00:00:00Z"


def admin(event_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": f"{event_type}-1", "type": event_type, "ts": TS, **fields}


def raw(pairs: list[tuple[str, Any]]) -> bytes:
    """A JSON object written pair by pair, so that a key may come twice."""
    return ("{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in pairs) + "}").encode()


SALE = list(sale().items())
NESTED = (
    b'{"id":"r-1","type":"rules","ts":"2026-11-01T00:00:00Z",'
    b'"rules":{"weights":{"sales":1,"sales":2}}}'
)

#: (what, role, body, the field named)
HOSTILE: list[tuple[str, str, Any, str]] = [
    ("zero-width id", "ingest", sale(id="\u200b"), "id"),
    ("zero-width agent", "ingest", sale(agent="\u200b\u200d\u2060"), "agent"),
    ("byte-order mark product", "ingest", sale(product="\ufeff"), "product"),
    ("hangul filler site name", "manager", admin("site", site="x", name="\u3164"), "name"),
    (
        "marks-only agent name",
        "manager",
        admin("agent", agent="a-9", name="\u0301\u0302", team="t", site="x"),
        "name",
    ),
    (
        "invisible public name",
        "manager",
        admin("profile", agent="a-1", public_name="\u200b"),
        "public_name",
    ),
    ("revenue with _", "ingest", sale(revenue="1_000"), "revenue"),
    ("revenue in Arabic-Indic digits", "ingest", sale(revenue="\u0665"), "revenue"),
    ("revenue with spaces", "ingest", sale(revenue=" 5 "), "revenue"),
    ("revenue -0", "ingest", sale(revenue="-0"), "revenue"),
    ("revenue -0.00", "ingest", sale(revenue="-0.00"), "revenue"),
    ("revenue -0.0 as a number", "ingest", sale(revenue=-0.0), "revenue"),
    ("revenue 1e3", "ingest", sale(revenue="1e3"), "revenue"),
    ("revenue 5.", "ingest", sale(revenue="5."), "revenue"),
    ("revenue in full-width digits", "ingest", sale(revenue="\uff15"), "revenue"),
    (
        "goal price with _",
        "manager",
        admin("goal", agent="a-1", title="Vespa", price="3_000"),
        "price",
    ),
    (
        "min_revenue with spaces",
        "manager",
        admin("prize_rule", rule="r", kind="instant", prize="p", min_revenue=" 100 "),
        "min_revenue",
    ),
    (
        "season starting on a week date",
        "manager",
        admin("season", season="q4", name="Q4", starts="2026-W40-4", ends="2026-12-31"),
        "starts",
    ),
    (
        "a gate of 2.5 sales",
        "manager",
        admin("rules", rules={"gates": {"month": {"min_sales": 2.5}}}),
        "rules",
    ),
    ("revenue given twice", "ingest", raw([*SALE, ("revenue", "1000.00")]), "revenue"),
    ("id given twice", "ingest", raw([*SALE, ("id", "s-2")]), "id"),
    ("a key twice inside the rules", "manager", NESTED, "rules.weights.sales"),
]


def body_of(value: Any) -> bytes:
    return value if isinstance(value, bytes) else orjson.dumps(value)


def post(app: Running, body: bytes, role: str) -> Any:
    headers = {"Authorization": f"Bearer {app.tokens[role]}", "Content-Type": "application/json"}
    return app.client.post("/api/events", content=body, headers=headers)


@pytest.mark.parametrize(
    ("role", "value", "field"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE]
)
def test_a_hostile_value_is_refused_with_its_field_named(role: str, value: Any, field: str) -> None:
    with running() as app:
        before = app.call(app.store.last_offset)
        response = post(app, body_of(value), role)
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error"].endswith("none was stored")
        [invalid] = body["invalid"]
        assert set(invalid["problems"]) == {field}, invalid
        problem = invalid["problems"][field]
        assert "expected" in problem or "more than once" in problem, problem
        assert app.call(app.store.last_offset) == before


def test_a_key_given_twice_in_a_batch_names_its_event() -> None:
    with running() as app:
        second = raw([*sale("s-2").items(), ("agent", "a-2")])
        body = b"[" + orjson.dumps(sale("s-1")) + b"," + second + b"]"
        response = post(app, body, "ingest")
        assert response.status_code == 422
        [invalid] = response.json()["invalid"]
        assert (invalid["index"], invalid["id"]) == (1, "s-2")
        assert invalid["problems"] == {
            "agent": "given more than once in one object; send each field once"
        }
        assert app.events() == []


def test_plain_amounts_and_a_minus_zero_measure_are_stored_canonically() -> None:
    with running() as app:
        events = [
            sale("s-1", revenue="007"),
            sale("s-2", revenue=49.9),
            sale("s-3", revenue="0"),
            contact("c-1", quality=-0.0, duration_s=-0.0),
        ]
        assert post(app, orjson.dumps(events), "ingest").status_code == 202
        stored = [orjson.loads(data) for data in app.events()]
        assert [e.get("revenue") for e in stored[:3]] == ["7.00", "49.90", "0.00"]
        assert b'"quality":0.0' in app.events()[3] and b"-0.0" not in app.events()[3]


def test_console_bodies_refuse_a_key_given_twice_and_deep_nesting_is_a_400() -> None:
    with running() as app:
        headers = {
            "Authorization": f"Bearer {app.tokens['manager']}",
            "Content-Type": "application/json",
        }
        twice = raw([("role", "display"), ("role", "manager")])
        response = app.client.post("/api/manage/tokens", content=twice, headers=headers)
        assert response.status_code == 422
        assert response.json()["error"].startswith("role: given more than once")
        assert len(app.call(app.store.list_tokens)) == len(app.tokens) - 1  # "agent" is an alias
        deep = b"[" * 1000 + b"]" * 1000
        response = post(app, deep, "manager")
        assert response.status_code == 400, response.text
