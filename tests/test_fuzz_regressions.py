"""What the API fuzzer (``test_schema_fuzz``) found, each kept as a plain request:
a clear 4xx naming what was wrong, and nothing stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from tests.helpers import Running, running
from wallboard import openapi
from wallboard.ingest import to_records


def manager_headers(app: Running) -> dict[str, str]:
    return {"Authorization": f"Bearer {app.tokens['manager']}"}


SEASON_WITHOUT_DAYS = {
    "season": "s-1",
    "name": "Autumn",
    "clubs": [
        {"club": "ber", "name": "Berlin", "heads": 3},
        {"club": "lei", "name": "L", "heads": 2},
    ],
    "goal_every": 10,
}


def test_a_season_with_neither_starts_nor_windows_is_refused_and_names_starts() -> None:
    with running() as app:
        preview = app.client.post(
            "/api/seasons/preview", json=SEASON_WITHOUT_DAYS, headers=manager_headers(app)
        )
        assert preview.status_code == 422
        [invalid] = preview.json()["invalid"]
        assert invalid["problems"] == {"starts": "required unless windows is given"}
        event = {"id": "season-1", "type": "league_season", "ts": "2026-11-01T00:00:00Z"}
        posted = app.post({**event, **SEASON_WITHOUT_DAYS}, role="manager")
        assert posted.status_code == 422 and app.events() == []


def test_a_season_with_neither_already_in_the_log_does_not_stop_the_scorer() -> None:
    """Such an event got in before ingest refused it; the fold must carry on past it."""
    event = {"id": "season-1", "type": "league_season", "ts": "2026-11-01T00:00:00Z"}
    with running() as app:
        now = datetime.now(UTC).isoformat()
        app.call(app.store.append, to_records([{**event, **SEASON_WITHOUT_DAYS}], "manage", now))
        site = {"id": "site-1", "type": "site", "ts": "2026-11-01T00:00:00Z", "site": "ber"}
        assert app.post({**site, "name": "Berlin"}, role="manager").status_code == 202
        app.settle()
        assert app.engine.scorer.offset == 2
        assert "ber" in app.engine.scorer.state.sites
        assert app.get("/api/seasons").json()["seasons"] == []


@pytest.mark.parametrize(
    ("csv", "problem"),
    [
        ("agent,name,team,site\na-1,An\rna,t1,ber\n", "line 2 is not valid CSV: new-line"),
        ("agent,name,team,site\na-1," + "x" * 200_000 + ",t1,ber\n", "line 2 is not valid CSV"),
    ],
    ids=["carriage return", "huge field"],
)
def test_a_roster_the_csv_reader_cannot_read_is_refused_by_line(csv: str, problem: str) -> None:
    with running() as app:
        response = app.client.post(
            "/api/manage/roster?commit=1", content=csv, headers=manager_headers(app)
        )
        assert response.status_code == 422
        assert response.json()["error"].startswith(problem)
        assert app.events() == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"role": "ingest", "source": 7}, "expected source to be text"),
        ({"role": "agent", "agent": ["a-1"]}, "expected agent to be text"),
        ({"role": "agent", "agent": "a" * 129}, "expected agent to be text of at most 128"),
        ({"role": "display", "label": "x" * 201}, "expected label to be text of at most 200"),
        ({"role": "display", "lable": "lobby"}, "unknown field 'lable'"),
        (["display"], "expected a JSON object with a role"),
    ],
    ids=["numeric source", "agent list", "long agent", "long label", "typo", "not an object"],
)
def test_a_token_request_with_a_bad_field_makes_no_token_and_names_the_field(
    body: Any, problem: str
) -> None:
    with running() as app:
        before = app.call(app.store.list_tokens)
        response = app.client.post("/api/manage/tokens", json=body, headers=manager_headers(app))
        assert response.status_code == 422
        assert problem in response.json()["error"]
        assert app.call(app.store.list_tokens) == before


def test_the_console_s_empty_fields_still_make_a_token() -> None:
    body = {"role": "display", "label": "lobby", "agent": "", "source": ""}
    with running() as app:
        response = app.client.post("/api/manage/tokens", json=body, headers=manager_headers(app))
        assert response.status_code == 201 and response.json()["role"] == "display"


@pytest.mark.parametrize(
    ("method", "path", "error"),
    [
        ("PUT", "/api/leaderboard", "PUT is not allowed on /api/leaderboard; expected GET, HEAD"),
        ("GET", "/api/agentz/a", "no page or endpoint at /api/agentz/a"),
    ],
)
def test_routing_refusals_say_what_was_asked(method: str, path: str, error: str) -> None:
    with running() as app:
        response = app.client.request(method, path, headers=manager_headers(app))
        assert response.status_code in (404, 405)
        assert response.json()["error"].startswith(error)


@pytest.mark.parametrize(
    "picture", ["/{x}.png", "/%zz.png", "https://a@b@c/x.png", "https://cdn\U000f417d/x.png"]
)
def test_a_picture_that_is_no_iri_reference_is_refused(picture: str) -> None:
    with running() as app:
        goal = {"title": "Vespa", "price": "3000", "picture": picture}
        headers = {"Authorization": f"Bearer {app.tokens['agent']}"}
        response = app.client.post("/api/me/goal", json=goal, headers=headers)
        assert response.status_code == 422, response.text
        assert "expected an https:// URL or a /path" in response.text


def test_an_optional_field_sent_as_null_is_taken_as_left_out() -> None:
    """As the document says: every optional event field is nullable."""
    sale = {
        "id": "s-1",
        "type": "sale",
        "ts": "2026-11-23T09:30:00Z",
        "agent": "a-1",
        "product": "mobile",
        "revenue": "49.90",
        "channel": "phone",
    }
    schema = openapi.document()["components"]["schemas"]["sale"]
    assert {"type": "null"} in schema["properties"]["currency"]["anyOf"]
    with running() as app:
        assert app.post({**sale, "currency": None, "quantity": None}).status_code == 202
        [stored] = [orjson.loads(e) for e in app.events()]
        assert "currency" not in stored and "quantity" not in stored


@pytest.mark.parametrize(
    ("windows", "problem"),
    [
        ([[]], "expected a list of 2 to 2"),
        ([["2026-11-02T00:00:00Z"]], "expected a list of 2 to 2"),
    ],
    ids=["empty window", "window without an end"],
)
def test_a_season_window_that_is_not_a_pair_is_refused_and_named(
    windows: list[list[str]], problem: str
) -> None:
    with running() as app:
        body = {**SEASON_WITHOUT_DAYS, "windows": windows}
        preview = app.client.post("/api/seasons/preview", json=body, headers=manager_headers(app))
        assert preview.status_code == 422, preview.text
        [invalid] = preview.json()["invalid"]
        assert problem in invalid["problems"]["windows"]


def test_a_season_window_that_ends_before_it_starts_is_refused() -> None:
    later, earlier = "2026-11-03T00:00:00Z", "2026-11-02T00:00:00Z"
    with running() as app:
        body = {**SEASON_WITHOUT_DAYS, "double": False, "windows": [[later, earlier]]}
        preview = app.client.post("/api/seasons/preview", json=body, headers=manager_headers(app))
        assert preview.status_code == 422, preview.text
        assert preview.json()["error"] == "expected every window to end after it starts"


@pytest.mark.parametrize("starts", ["0001-01-01", "1999-12-31", "2100-01-01"])
def test_a_season_starting_outside_the_logs_years_is_refused_not_a_500(starts: str) -> None:
    with running() as app:
        season = {**SEASON_WITHOUT_DAYS, "starts": starts}
        preview = app.client.post("/api/seasons/preview", json=season, headers=manager_headers(app))
        assert preview.status_code == 422, preview.text
        [invalid] = preview.json()["invalid"]
        assert invalid["problems"]["starts"].startswith("expected a date after 2000-01-01")
