"""The audit log shows what managers did, apart from the integrations' traffic."""

from __future__ import annotations

import lzma
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.helpers import Running, contact, running, sale
from tests.test_api_scoring import admin, roster
from wallboard.audit_index import ACTION_TYPES, AuditIndex
from wallboard.store import Entry

DEMO_LOG = Path(__file__).parent / "data" / "demo-log.jsonl.xz"


class Clock:
    """The arrival stamps ingest gives, moved by the test."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def app() -> Iterator[tuple[Running, Clock]]:
    clock = Clock(datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    with running(clock=clock) as run:
        yield run, clock


def manager_sales(count: int) -> list[dict[str, Any]]:
    """Sales a manager's token posts, as the demo's simulator does."""
    return [sale(f"sim-{n}", ts="2026-11-02T07:00:00Z") for n in range(count)]


def test_the_audit_log_lists_manager_actions_and_leaves_sales_out_even_from_a_manager(
    app: tuple[Running, Clock],
) -> None:
    run, clock = app
    assert run.post(roster(), role="manager").status_code == 202
    clock.now += timedelta(hours=1)
    assert run.post(manager_sales(300), role="manager").status_code == 202
    early = "2026-11-02T07:00:00Z"
    assert run.post([sale("s-1", ts=early), contact("c-1", ts=early)]).status_code == 202
    clock.now += timedelta(hours=1)
    prize = admin("prize-mug", "prize", prize="mug", name="Mug")
    assert run.post(prize, role="manager").status_code == 202
    assert run.post(manager_sales(300)[:5], role="manager").status_code == 202

    body = run.get("/api/manage/audit").json()
    actions = body["actions"]
    assert [a["type"] for a in actions] == [
        "prize",
        "agent",
        "agent",
        "agent",
        "team",
        "team",
        "site",
        "site",
        "rules",
    ]
    assert {a["by"] for a in actions} == {"test"} and body["next_before"] is None
    assert "sale" not in body["types"] and "tick" not in body["types"]
    assert set(body["types"]) == ACTION_TYPES
    assert body["timezone"] == "Europe/Berlin" and body["actors"] == ["test"]
    refused = run.get("/api/manage/audit?type=sale")
    assert refused.status_code == 422 and "expected type among" in refused.json()["error"]


def test_each_action_names_what_it_refers_to_and_its_local_time(
    app: tuple[Running, Clock],
) -> None:
    run, _clock = app
    assert run.post(roster(), role="manager").status_code == 202
    run.settle()
    [moved] = run.get("/api/manage/audit?type=agent&limit=1").json()["actions"]
    assert moved["id"] == "ag-3" and moved["received"] == "2026-11-02T08:00:00Z"
    assert moved["received_local"] == "2026-11-02T09:00:00+01:00"
    assert moved["names"] == {"agent": "Cem Demir", "team": "Pleisse", "site": "Leipzig"}
    assert moved["fields"] == {
        "agent": "a-3",
        "name": "Cem Demir",
        "team": "t2",
        "site": "lei",
        "opt_out": True,
    }
    assert moved["source"] == "manage" and moved["ts"] == "2026-11-01T00:00:00Z"


def test_actions_filter_by_actor_type_and_time_and_come_a_page_at_a_time(
    app: tuple[Running, Clock],
) -> None:
    run, clock = app
    for day in range(5):
        clock.now = datetime(2026, 11, 2 + day, 8, 0, tzinfo=UTC)
        site = admin(f"site-{day}", "site", site=f"s{day}", name=f"Site {day}")
        team = admin(f"team-{day}", "team", team=f"t{day}", name=f"Team {day}", site=f"s{day}")
        assert run.post([site, team], role="manager").status_code == 202

    def ids(query: str) -> list[str]:
        response = run.get(f"/api/manage/audit?{query}")
        assert response.status_code == 200, response.text
        return [a["id"] for a in response.json()["actions"]]

    assert ids("type=site&since=2026-11-03&until=2026-11-04") == ["site-2", "site-1"]
    assert ids("type=site,team&since=2026-11-05") == ["team-4", "site-4", "team-3", "site-3"]
    assert ids("type=team,site&since=2026-11-05T10:00:00%2B01:00") == ["team-4", "site-4"]
    # An offset's "+" sent unencoded arrives as a space, and is read as meant.
    assert ids("type=team&until=2026-11-03T09:00:00+01:00") == ["team-0"]
    assert ids("actor=test&type=team&limit=2") == ["team-4", "team-3"]
    assert ids("actor=someone-else") == []

    first = run.get("/api/manage/audit?limit=4").json()
    second = run.get(f"/api/manage/audit?limit=4&before={first['next_before']}").json()
    last = run.get(f"/api/manage/audit?limit=4&before={second['next_before']}").json()
    pages = [first, second, last]
    seen = [a["id"] for page in pages for a in page["actions"]]
    assert [len(page["actions"]) for page in pages] == [4, 4, 2]
    assert seen == [f"{kind}-{day}" for day in range(4, -1, -1) for kind in ("team", "site")]
    assert last["next_before"] is None


def test_bad_filters_are_refused_with_what_was_expected(app: tuple[Running, Clock]) -> None:
    run, _clock = app
    for query, problem in [
        ("since=yesterday", "expected since as a date"),
        ("until=2026-13-01", "expected until as a date"),
        ("since=2026-11-02T09:00:00", "expected since as a date"),
        ("since=2026-11-03&until=2026-11-02", "expected until to be later than since"),
        ("limit=0", "expected limit to be a whole number 1 to 500"),
        ("limit=²", "expected limit to be a whole number"),
        ("before=-3", "expected before to be a whole number"),
        ("type=rules,tick", "'tick'"),
        ("limit=", "expected limit to be a whole number"),
        ("type=rules&type=site", "expected type once, got it 2 times"),
    ]:
        response = run.get(f"/api/manage/audit?{query}")
        assert response.status_code == 422, query
        assert problem in response.json()["error"], (query, response.json())
    assert run.get("/api/manage/audit", role="display").status_code == 403


def test_integration_traffic_is_counted_per_local_day_source_and_type(
    app: tuple[Running, Clock],
) -> None:
    run, clock = app
    assert run.post(roster(), role="manager").status_code == 202
    # 23:30 UTC is already the next day in Berlin.
    for stamp, count in [((2026, 11, 2, 8, 0), 3), ((2026, 11, 2, 23, 30), 2)]:
        clock.now = datetime(*stamp, tzinfo=UTC)
        sales = [sale(f"s-{stamp[3]}-{n}", ts=clock.now.isoformat()) for n in range(count)]
        assert run.post(sales).status_code == 202
    assert run.post([contact("c-1", ts=clock.now.isoformat())]).status_code == 202
    assert run.post(manager_sales(4), role="manager").status_code == 202
    run.settle()

    body = run.get("/api/manage/traffic?since=2026-11-01").json()
    assert body["days"] == [
        {"day": "2026-11-03", "source": "crm", "type": "contact", "count": 1},
        {"day": "2026-11-03", "source": "crm", "type": "sale", "count": 2},
        {"day": "2026-11-03", "source": "manage", "type": "sale", "count": 4},
        {"day": "2026-11-02", "source": "crm", "type": "sale", "count": 3},
    ]
    assert body["totals"] == [
        {"source": "crm", "type": "contact", "count": 1},
        {"source": "crm", "type": "sale", "count": 5},
        {"source": "manage", "type": "sale", "count": 4},
    ]
    assert body["sources"] == ["crm", "manage"]
    [latest] = run.get("/api/manage/traffic?source=crm&type=contact").json()["latest"]
    assert latest["id"] == "c-1" and latest["names"] == {"agent": "Anna Berg"}
    assert latest["received_local"] == "2026-11-03T00:30:00+01:00"
    newest = run.get("/api/manage/traffic?latest=2").json()["latest"]
    assert [e["id"] for e in newest] == ["sim-3", "sim-2"]
    assert newest[0]["by"] == "test" and newest[0]["source"] == "manage"
    only_sales = run.get("/api/manage/traffic?type=sale&since=2026-11-03").json()
    assert [row["count"] for row in only_sales["days"]] == [2, 4]
    refused = run.get("/api/manage/traffic?type=rules")
    assert refused.status_code == 422 and "expected type among" in refused.json()["error"]


def test_the_index_reads_only_what_was_appended_since_the_last_request(
    app: tuple[Running, Clock], monkeypatch: pytest.MonkeyPatch
) -> None:
    run, _clock = app
    assert run.post(roster(), role="manager").status_code == 202
    assert run.post(manager_sales(50), role="manager").status_code == 202
    assert len(run.get("/api/manage/audit").json()["actions"]) == 8
    read: list[int] = []
    add = AuditIndex.add

    def counted(index: AuditIndex, entries: list[Entry]) -> None:
        read.append(len(entries))
        add(index, entries)

    monkeypatch.setattr(AuditIndex, "add", counted)
    prize = admin("prize-mug", "prize", prize="mug", name="Mug")
    assert run.post(prize, role="manager").status_code == 202
    assert run.get("/api/manage/audit").json()["actions"][0]["id"] == "prize-mug"
    assert read == [1]
    assert run.services.audit.offset == run.call(run.store.last_offset)


def test_the_demo_logs_nine_weeks_hold_289_actions_and_no_sale_among_them() -> None:
    with lzma.open(DEMO_LOG) as lines:
        entries = [Entry(n, line.rstrip(b"\n")) for n, line in enumerate(lines, 1)]
    index = AuditIndex()
    index.add(entries)
    assert len(entries) == 303_391 and len(index.actions) == 289
    kinds = {action.type for action in index.actions}
    assert not kinds & {"sale", "cancellation", "contact", "tick", "tombola_draw"}
    assert sum(index.traffic.values()) == 135_224 + 23_899 + 140_762
    assert len(index.handovers) == 73
    first = orjson.loads(next(index.newest_first()).data)
    assert first["type"] == "handover" and first["by"] == "ops-lead"


def test_a_tombola_opened_through_the_api_says_who_opened_it(app: tuple[Running, Clock]) -> None:
    run, _clock = app
    opened = run.client.post(
        "/api/tombolas",
        headers={"Authorization": f"Bearer {run.tokens['manager']}"},
        json={
            "tombola": "t-1",
            "name": "Week",
            "prizes": ["mug"],
            "closes": "2030-01-01T00:00:00Z",
        },
    )
    assert opened.status_code == 201, opened.text
    [action] = run.get("/api/manage/audit").json()["actions"]
    assert (action["type"], action["by"], action["fields"]["tombola"]) == (
        "tombola_open",
        "test",
        "t-1",
    )
