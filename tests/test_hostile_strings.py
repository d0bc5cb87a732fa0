"""Hostile strings in every name field: stored or refused cleanly, shown as inert text.

The corpus holds what an integration, a manager or an agent might send by
mistake or on purpose: markup and script, template syntax, control characters,
bidi overrides that make a name read backwards on a wall screen, joiners and
combining marks, emoji beyond the BMP, a 100 KB name, an empty and a blank one.
Every text field of the event contract (found in its JSON Schema, so a new field
is covered without touching this file) gets every string; each is either stored
exactly as sent or refused with a 4xx that names the field and the problem.
``test_hostile_pages.py`` shows the stored ones on every page in Chromium.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import orjson
import pytest

from scoring.events import MANAGER_TYPES, json_schema
from tests.helpers import Running, running
from tests.hostile import CORPUS, Hostile
from tests.scoring_helpers import whole_rules
from wallboard.topics import Board, parse, render

NOW = "2025-06-02T09:30:00Z"  # in the past on any clock that runs these tests


#: A valid event of every type, with every optional text field filled in.
BASE: dict[str, dict[str, Any]] = {
    "sale": {
        "agent": "a-1",
        "product": "mobile-upgrade",
        "revenue": "49.90",
        "currency": "EUR",
        "channel": "phone",
        "quantity": 1,
        "customer": "c-77",
    },
    "cancellation": {"sale": "s-1", "reason": "changed their mind"},
    "contact": {"agent": "a-1", "channel": "chat", "resolved": True, "quality": 80, "referral": 9},
    "site": {"site": "ber", "name": "Berlin", "short_name": "BER", "colour": "#1f77b4"},
    "team": {"team": "t1", "name": "Spree", "site": "ber"},
    "channel": {
        "channel": "lobby",
        "name": "Lobby",
        "scenes": ["league"],
        "site": "ber",
        "season": "cup",
    },
    "agent": {
        "agent": "a-1",
        "name": "Anna Berg",
        "team": "t1",
        "site": "ber",
        "public_name": "Anna",
    },
    "league_season": {
        "season": "s1",
        "name": "Winter Cup",
        "clubs": [
            {"club": "ber", "name": "Berlin", "short_name": "BER", "heads": 3},
            {"club": "lei", "name": "Leipzig", "short_name": "LEI", "heads": 3},
        ],
        "starts": "2026-11-23",
        "goal_every": 10,
    },
    "league_heads": {"season": "s1", "club": "ber", "heads": 4},
    "forfeit": {"season": "s1", "match": "1:ber-lei", "club": "ber"},
    "league_end": {"season": "s1"},
    "profile": {"agent": "a-1", "public_name": "Ace"},
    "rules": {"rules": whole_rules()},
    "season": {"season": "q4", "name": "Q4", "starts": "2026-10-01", "ends": "2026-12-31"},
    "goal": {"agent": "a-1", "title": "Vespa", "price": "3000.00", "picture": "/vespa.png"},
    "prize": {"prize": "champagne", "name": "Champagne", "stock": 5, "picture": "/bottle.png"},
    "prize_rule": {"rule": "r1", "kind": "instant", "prize": "champagne", "min_revenue": "100"},
    "handover": {"award": "s-1:champagne"},
    "contest": {
        "contest": "derby",
        "format": "team_battle",
        "name": "Derby",
        "metric": "revenue",
        "starts": "2025-06-02T08:00:00Z",
        "ends": "2025-06-02T16:00:00Z",
        "agents": ["a-1", "a-2"],
    },
    "challenge_answer": {"contest": "derby", "accept": True},
    "contest_end": {"contest": "derby"},
    "coins": {"agent": "a-1", "amount": 10, "reason": "well done"},
    "notification_rule": {"rule": "r-1", "on": ["prize"], "channel": "floor", "language": "en"},
    "reward": {"reward": "mug", "name": "Mug", "price": 40, "stock": 3, "picture": "/mug.png"},
    "redemption": {"redemption": "r-1", "agent": "a-1", "reward": "mug"},
    "redemption_decision": {"redemption": "r-1", "approve": False, "reason": "none left"},
    "reward_budget": {"site": "ber", "month_cap": 500},
}
#: a contest names its participants one way: the other ways' fields, each in a base of its own
ALTERNATIVES: dict[tuple[str, str], dict[str, Any]] = {
    ("contest", kind): {
        **{k: v for k, v in BASE["contest"].items() if k != "agents"},
        kind: ["x", "y"],
    }
    for kind in ("teams", "sites")
}


def base_of(type_name: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    return ALTERNATIVES.get((type_name, str(path[0])), BASE[type_name])


FieldPath = tuple[str | int, ...]


def is_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and "maxLength" in schema and "format" not in schema


def text_fields() -> Iterator[tuple[str, FieldPath, dict[str, Any]]]:
    """Every free-text field of the contract: (event type, where in the event, schema)."""
    for type_name, schema in json_schema().items():
        if type_name not in MANAGER_TYPES:
            continue  # written by the service only: no token may post them
        for name, prop in schema["properties"].items():
            if name == "id" and type_name != "sale":
                continue  # the same envelope field on every type
            if is_text(prop):
                yield type_name, (name,), prop
            elif prop.get("type") == "array" and is_text(prop["items"]):
                yield type_name, (name, 0), prop["items"]
            elif prop.get("type") == "array" and prop["items"].get("type") == "object":
                for sub, sub_prop in prop["items"]["properties"].items():
                    if is_text(sub_prop):
                        yield type_name, (name, 0, sub), sub_prop


FIELDS = list(text_fields())


def put(event: dict[str, Any], path: FieldPath, value: str) -> dict[str, Any]:
    """A deep copy of ``event`` with ``value`` at ``path``."""
    copy = orjson.loads(orjson.dumps(event))
    target: Any = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return dict(copy)


def get(event: dict[str, Any], path: FieldPath) -> Any:
    target: Any = event
    for step in path:
        target = target[step]
    return target


def expected_problem(value: str, hostile: Hostile, schema: dict[str, Any]) -> str | None:
    """What a refusal must say, or None when the value must be stored as sent."""
    low, high = schema.get("minLength", 0), schema["maxLength"]
    if not low <= len(value) <= high:
        return f"expected {low} to {high} characters, got {len(value)}"
    return hostile.refused


class Log:
    """Reads what a request added to the log."""

    def __init__(self, app: Running) -> None:
        self.app = app
        self.offset = app.call(app.store.last_offset)

    def new(self) -> list[dict[str, Any]]:
        entries = self.app.call(self.app.store.read, self.offset, 100)
        if entries:
            self.offset = entries[-1].offset
        return [orjson.loads(entry.data) for entry in entries]


def test_the_contract_has_a_base_event_for_every_type_and_every_text_field_is_in_it() -> None:
    assert set(BASE) == MANAGER_TYPES
    assert len(FIELDS) > 30
    for type_name, path, _ in FIELDS:
        if type_name != "sale" or path != ("id",):
            get(base_of(type_name, path), path)  # a KeyError names a field the corpus would miss


def test_every_hostile_string_in_every_text_field_is_stored_as_sent_or_refused_by_name() -> None:
    with running() as app:
        log = Log(app)
        stored = refused = 0
        for number, (type_name, path, schema) in enumerate(FIELDS):
            for hostile in CORPUS:
                event_id = f"h-{number}-{hostile.key}"
                base = {"id": event_id, "type": type_name, "ts": NOW, **base_of(type_name, path)}
                if type_name == "league_season":
                    base["season"] = event_id  # a season is launched once
                if type_name == "contest" and path != ("contest",):
                    base["contest"] = event_id  # so is a contest
                if type_name == "redemption" and path != ("redemption",):
                    base["redemption"] = event_id  # and a redemption made once
                event = put(base, path, hostile.value)
                companion = {
                    "id": f"c-{number}-{hostile.key}",
                    "type": "site",
                    "ts": NOW,
                    "site": "x",
                    "name": "X",
                }
                response = app.post([companion, event], role="manager")
                where = f"{type_name}.{'.'.join(map(str, path))} = {hostile.key}"
                assert response.status_code < 500, where
                problem = expected_problem(hostile.value, hostile, schema)
                if problem is None:
                    assert response.status_code == 202, f"{where}: {response.text[:300]}"
                    assert response.json()["accepted"] == 2, where
                    kept = log.new()
                    assert [e["id"] for e in kept] == [companion["id"], event["id"]], where
                    assert get(kept[1], path) == hostile.value, where
                    stored += 1
                else:
                    assert response.status_code == 422, f"{where}: stored"
                    body = response.json()
                    assert body["error"] == "1 of 2 events are invalid; none was stored", where
                    [invalid] = body["invalid"]
                    assert invalid["index"] == 1, where
                    field = str(path[0])
                    assert set(invalid["problems"]) == {field}, f"{where}: {invalid}"
                    assert problem in invalid["problems"][field], f"{where}: {invalid}"
                    assert len(response.content) < 2000, f"{where}: the refusal echoes the value"
                    assert log.new() == [], f"{where}: a refused batch stored something"
                    refused += 1
        assert stored and refused
        app.settle()
        scorer = app.engine.scorer
        assert scorer.offset == app.call(app.store.last_offset)
        topics = ["board", "manage"]
        topics += [f"board:{site}" for site in scorer.state.sites]
        topics += [Board(None, season).name for season in scorer.league.league.seasons]
        topics += [f"agent:{agent}" for agent in scorer.state.agents]
        for topic in topics:
            assert parse(topic).name == topic
            orjson.dumps(render(scorer, topic))
        reads = ["/api/prizes", "/api/seasons"]
        reads += [f"/api/leaderboard?by={by}&period=day" for by in ("agent", "team", "site")]
        reads += [f"/api/agents/{quote(a, safe='')}" for a in scorer.state.agents]
        reads += [f"/api/tombolas/{quote(t, safe='')}" for t in scorer.tombolas.book.tombolas]
        for season in scorer.league.league.seasons:
            for what in ("table", "matches", "scorers"):
                reads.append(f"/api/seasons/{quote(season, safe='')}/{what}")
        for url in reads:
            answer = app.get(url)
            assert answer.status_code == 200, f"{url}: {answer.text[:300]}"


def test_a_rule_group_name_is_checked_like_any_name() -> None:
    """Groups name products in the reasons an agent reads on their widget."""
    schema = {"minLength": 1, "maxLength": 128}
    with running() as app:
        log = Log(app)
        for hostile in CORPUS:
            rules = whole_rules(sale={"groups": {"mobile-upgrade": hostile.value}})
            event = {"id": f"rules-{hostile.key}", "type": "rules", "ts": NOW, "rules": rules}
            response = app.post(event, role="manager")
            problem = expected_problem(hostile.value, hostile, schema)
            if not hostile.value:
                problem = "expected a group name"  # refused by the rule set's own parser
            if problem is None:
                assert response.status_code == 202, f"{hostile.key}: {response.text[:300]}"
                [kept] = log.new()
                assert kept["rules"] == rules
            else:
                assert response.status_code == 422, hostile.key
                [invalid] = response.json()["invalid"]
                said = invalid["problems"]["rules"]
                assert said.startswith("sale.groups.mobile-upgrade: ") and problem in said, said
                assert log.new() == []


PICTURES_STORED = ("https://cdn.example.com/prizes/champagne.png", "/static/vespa.jpg")
PICTURES_REFUSED = (
    "javascript:alert(5)",
    "JavaScript:alert(6)",
    "data:text/html,<script>alert(7)</script>",
    "//evil.example/x.png",
    "/\\evil.example/x.png",
    "http://intranet/x.png",
    " https://cdn.example.com/x.png",
    "https://cdn.example.com/x.png\x00",
    "vespa.png",
    *(hostile.value for hostile in CORPUS),
)


def test_a_picture_is_an_https_address_or_a_path_on_this_server() -> None:
    with running() as app:
        log = Log(app)
        for type_name in ("goal", "prize"):
            for number, value in enumerate(PICTURES_STORED + PICTURES_REFUSED):
                event = {
                    "id": f"{type_name}-{number}",
                    "type": type_name,
                    "ts": NOW,
                    **BASE[type_name],
                    "picture": value,
                }
                response = app.post(event, role="manager")
                if value in PICTURES_STORED:
                    assert response.status_code == 202, response.text
                    assert [e["picture"] for e in log.new()] == [value]
                else:
                    assert response.status_code == 422, f"{value[:40]!r} was stored"
                    [invalid] = response.json()["invalid"]
                    assert list(invalid["problems"]) == ["picture"], invalid
                    assert log.new() == []


@pytest.mark.parametrize(
    ("endpoint", "body", "field"),
    [
        ("/api/me/profile", {}, "public_name"),
        ("/api/me/goal", {"price": "2500"}, "title"),
    ],
)
def test_an_agent_setting_a_hostile_name_or_goal_is_stored_or_refused_by_name(
    endpoint: str, body: dict[str, Any], field: str
) -> None:
    schema = json_schema()["profile" if field == "public_name" else "goal"]["properties"][field]
    with running() as app:
        headers = {"Authorization": f"Bearer {app.tokens['agent:a-1']}"}
        log = Log(app)
        for hostile in CORPUS:
            response = app.client.post(
                endpoint, json={**body, field: hostile.value}, headers=headers
            )
            problem = expected_problem(hostile.value, hostile, schema)
            if problem is None:
                assert response.status_code == 202, f"{hostile.key}: {response.text[:300]}"
                [kept] = log.new()
                assert kept["agent"] == "a-1" and kept[field] == hostile.value
            else:
                assert response.status_code == 422, hostile.key
                [invalid] = response.json()["invalid"]
                assert problem in invalid["problems"][field], f"{hostile.key}: {invalid}"
                assert log.new() == []


def test_a_roster_csv_with_a_hostile_name_is_imported_or_refused_by_line() -> None:
    from tests.test_manage import sign_in

    schema = json_schema()["agent"]["properties"]["name"]
    with running() as app:
        headers = {"X-CSRF-Token": sign_in(app)}
        log = Log(app)
        for number, hostile in enumerate(CORPUS):
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(["agent", "name", "team", "site"])
            writer.writerow([f"ok-{number}", "Anna Berg", "t1", "ber"])
            writer.writerow([f"r-{number}", hostile.value, "t1", "ber"])
            # The import creates the team and the site it does not know yet, on
            # confirmation; each line names a new agent, so each is stored.
            response = app.client.post(
                "/api/manage/roster?confirm=1", content=out.getvalue(), headers=headers
            )
            # The import trims each cell, as spreadsheets leave spaces around values.
            value = hostile.value.strip()
            problem = expected_problem(value, hostile if value else Hostile("", ""), schema)
            if problem is None:
                assert response.status_code == 201, f"{hostile.key}: {response.text[:300]}"
                kept = [e for e in log.new() if e["type"] == "agent"]
                assert [e["name"] for e in kept] == ["Anna Berg", value]
            else:
                assert response.status_code == 422, hostile.key
                [error] = response.json()["errors"]
                assert error["line"] == 3 and "name" in error["error"], error
                assert problem in error["error"], f"{hostile.key}: {error}"
                assert log.new() == []
