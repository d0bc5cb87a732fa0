"""POST /api/events: every path a user can take, and what the log holds after."""

from __future__ import annotations

import logging

import orjson
import pytest

from tests.conftest import RedisServer
from tests.helpers import contact, running, sale


@pytest.fixture
def app(any_store_url: str):  # type: ignore[no-untyped-def]
    with running(any_store_url) as run:
        yield run


def test_a_single_event_is_stored_in_canonical_form(app) -> None:  # type: ignore[no-untyped-def]
    response = app.post(sale(revenue=49.9))
    assert response.status_code == 202
    assert response.json() == {"accepted": 1, "duplicates": 0, "duplicate_ids": []}
    [stored] = [orjson.loads(e) for e in app.events()]
    assert stored["revenue"] == "49.90"
    assert stored["ts"] == "2026-11-23T08:30:00Z"
    assert stored["source"] == "crm"
    assert stored["received"].endswith("Z")


def test_a_batch_reports_accepted_and_duplicates(app) -> None:  # type: ignore[no-untyped-def]
    assert app.post([sale("s-1"), contact("c-1")]).json()["accepted"] == 2
    response = app.post(
        [
            sale("s-1"),
            sale("s-2"),
            {"id": "x-1", "type": "cancellation", "ts": "2026-11-23T10:00:00Z", "sale": "s-1"},
        ]
    )
    assert response.status_code == 202
    assert response.json() == {"accepted": 2, "duplicates": 1, "duplicate_ids": ["s-1"]}
    assert len(app.events()) == 4


def test_one_invalid_event_rejects_the_whole_batch(app) -> None:  # type: ignore[no-untyped-def]
    batch = [sale("s-1"), sale("s-2", revenue=-5), contact("c-1", quality=120, channel="fax")]
    response = app.post(batch)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "2 of 3 events are invalid; none was stored"
    assert body["invalid"] == [
        {"index": 1, "id": "s-2", "problems": {"revenue": "expected an amount >= 0, got -5"}},
        {
            "index": 2,
            "id": "c-1",
            "problems": {
                "channel": "expected one of phone, chat, email, social, shop, web, got 'fax'",
                "quality": "expected 0 to 100, got 120",
            },
        },
    ]
    assert app.events() == []


@pytest.mark.parametrize(
    ("event", "field", "problem"),
    [
        ({"type": "sale"}, "id", "required"),
        (sale(id=""), "id", "expected 1 to 128 characters, got 0"),
        (sale(id="x" * 129), "id", "expected 1 to 128 characters, got 129"),
        (sale(ts="2026-11-23T09:30:00"), "ts", "expected a UTC offset"),
        (sale(ts="yesterday"), "ts", "expected an ISO 8601 timestamp"),
        (sale(revenue="12.345"), "revenue", "expected at most 2 decimal places"),
        (sale(revenue="abc"), "revenue", "expected a decimal amount"),
        (sale(quantity=0), "quantity", "expected 1 to 1000000, got 0"),
        (sale(revenu=10), "revenu", "unknown field"),
        (
            sale(type="refund"),
            "type",
            "expected one of cancellation, contact, contest, contest_end, sale",
        ),
        (sale(type="site"), "type", "'site' events are written by managers"),
        (contact(referral=11), "referral", "expected true, false or an NPS answer 0 to 10"),
        (contact(resolved="yes"), "resolved", "expected true or false"),
        ({"id": "x", "type": "cancellation", "ts": "2026-11-23T09:30:00Z"}, "sale", "required"),
    ],
)
def test_each_field_problem_is_named(app, event, field, problem) -> None:  # type: ignore[no-untyped-def]
    response = app.post(event)
    assert response.status_code == 422
    [invalid] = response.json()["invalid"]
    assert problem in invalid["problems"][field]
    assert app.events() == []


def test_a_body_that_is_not_json_is_400_naming_where(app) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {app.tokens['ingest']}"}
    response = app.client.post("/api/events", content=b'{"id": "a",,}', headers=headers)
    assert response.status_code == 400
    assert "line 1 column 12" in response.json()["error"]
    assert app.events() == []


def test_an_empty_or_oversized_array_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    assert app.post([]).json()["error"] == "expected 1 to 1000 events, got 0"
    response = app.post([sale(f"s-{i}") for i in range(1001)])
    assert response.status_code == 422
    assert response.json()["error"] == "expected 1 to 1000 events, got 1001"
    assert app.events() == []


def test_a_body_over_one_mebibyte_is_413(app) -> None:  # type: ignore[no-untyped-def]
    big = [sale(f"s-{i}", customer="c" * 128) for i in range(1000)]
    big_body = orjson.dumps([{**e, "product": "p" * 128} for e in big] * 4)
    assert len(big_body) > 1024 * 1024
    headers = {"Authorization": f"Bearer {app.tokens['ingest']}"}
    response = app.client.post("/api/events", content=big_body, headers=headers)
    assert response.status_code == 413
    assert "body too large" in response.json()["error"]
    assert app.events() == []


@pytest.mark.parametrize("header", [None, "Bearer nope", "Basic abc", "Bearer "])
def test_a_missing_or_wrong_token_is_401(app, header) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": header} if header else {}
    response = app.client.post("/api/events", json=sale(), headers=headers)
    assert response.status_code == 401
    assert "Bearer" in response.json()["error"]
    assert response.headers["www-authenticate"] == "Bearer"
    assert app.events() == []


def test_a_revoked_token_is_401(app) -> None:  # type: ignore[no-untyped-def]
    [record] = [t for t in app.call(app.store.list_tokens) if t.role == "ingest"]
    app.call(app.store.revoke_token, record.id)
    assert app.post(sale()).status_code == 401


def test_a_display_token_may_not_post_events(app) -> None:  # type: ignore[no-untyped-def]
    response = app.post(sale(), role="display")
    assert response.status_code == 403
    assert response.json()["error"] == "a display token may not post events"


def test_an_agent_token_may_not_post_a_sale(app) -> None:  # type: ignore[no-untyped-def]
    response = app.post([sale()], role="agent")
    assert response.status_code == 403
    assert response.json()["error"] == (
        "an agent token posts only its own challenges (contest, challenge_answer, "
        "contest_end) and redemptions; event 0 is a 'sale' event; nothing was stored"
    )


def test_a_manager_may_post_roster_events(app) -> None:  # type: ignore[no-untyped-def]
    site = {
        "id": "site-ber",
        "type": "site",
        "ts": "2026-11-01T00:00:00Z",
        "site": "ber",
        "name": "Berlin",
    }
    response = app.post(site, role="manager")
    assert response.status_code == 202
    [stored] = [orjson.loads(e) for e in app.events()]
    assert stored["source"] == "manage"


def test_ids_are_unique_per_source(app) -> None:  # type: ignore[no-untyped-def]
    site = {
        "id": "s-1",
        "type": "site",
        "ts": "2026-11-01T00:00:00Z",
        "site": "ber",
        "name": "Berlin",
    }
    assert app.post(sale("s-1")).json()["accepted"] == 1
    assert app.post(site, role="manager").json()["accepted"] == 1


def test_one_log_line_per_request_says_what_it_stored(app, caplog) -> None:  # type: ignore[no-untyped-def]
    app.post(sale("s-1"))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="wallboard.ingest"):
        app.post([sale("s-1"), sale("s-2"), contact("c-1"), sale("s-3")])
    [line] = [r for r in caplog.records if r.name == "wallboard.ingest"]
    assert (
        line.getMessage() == "stored 3 from crm (contact 1, sale 2), ids s-2 to s-3; 1 duplicates"
    )
    assert line.event_types == {"sale": 2, "contact": 1}  # type: ignore[attr-defined]


@pytest.mark.redis
def test_an_unreachable_store_is_503_and_nothing_is_half_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    server = RedisServer(tmp_path, "--appendonly", "yes", "--appendfsync", "always")
    server.start()
    try:
        with running(server.url) as app:
            assert app.post([sale("s-1"), sale("s-2")]).status_code == 202
            assert app.client.get("/healthz").json() == {"status": "alive", "store": "reachable"}
            assert app.client.get("/readyz").json()["status"] == "ready"
            server.stop()
            response = app.post([sale("s-3"), sale("s-4")])
            assert response.status_code == 503
            assert response.json()["error"].startswith("the store is unavailable")
            assert "Traceback" not in response.text
            health = app.client.get("/healthz")
            assert health.status_code == 200, "the process itself is alive"
            assert health.json() == {"status": "alive", "store": "unreachable"}
            ready = app.client.get("/readyz")
            assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
            metrics = app.client.get("/metrics").text
            assert 'wallboard_requests_rejected_total{reason="store_unavailable"} 1' in metrics
            server.start()
            assert len(app.events()) == 2
            assert app.post([sale("s-2"), sale("s-3")]).json()["accepted"] == 1
    finally:
        server.stop()


def test_the_openapi_document_describes_every_event_type(app) -> None:  # type: ignore[no-untyped-def]
    document = app.client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    for name in ("sale", "cancellation", "contact", "site", "team", "agent"):
        assert schemas[name]["properties"]["type"] == {"const": name}
    assert set(document["paths"]["/api/events"]["post"]["responses"]) >= {
        "202",
        "400",
        "401",
        "413",
        "422",
        "503",
    }
