"""Hostile strings in every name field: stored or refused cleanly, shown as inert text.

The corpus holds what an integration, a manager or an agent might send by
mistake or on purpose: markup and script, template syntax, control characters,
bidi overrides that make a name read backwards on a wall screen, joiners and
combining marks, emoji beyond the BMP, a 100 KB name, an empty and a blank one.
Every text field of the event contract (found in its JSON Schema, so a new field
is covered without touching this file) gets every string; each is either stored
exactly as sent or refused with a 4xx that names the field and the problem.
The strings that are stored then appear on every page in Chromium, as text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import orjson
import pytest

from scoring.events import EVENT_TYPES, json_schema
from tests.conftest import chromium
from tests.helpers import Running, running, sale
from wallboard import screens

NOW = "2025-06-02T09:30:00Z"  # in the past on any clock that runs these tests


@dataclass(frozen=True)
class Hostile:
    key: str
    value: str
    #: what the refusal names (a code point, "only whitespace"), None if the string is fine
    refused: str | None = None


CORPUS = (
    Hostile("script", "<script>alert(1)</script>"),
    Hostile("img", "<img src=x onerror=alert(2)>"),
    Hostile("svg", '"><svg onload=alert(3)>'),
    Hostile("javascript-url", "javascript:alert(4)"),
    Hostile("template", "{{7*7}} ${7*7} <%= 7*7 %>"),
    Hostile("entity", "Tom &amp; Jerry &lt;b&gt;"),
    Hostile("nul", "Anna\x00Berg", refused="U+0000"),
    Hostile("escape", "Anna\x1b[2J", refused="U+001B"),
    Hostile("next-line", "Anna\x85Berg", refused="U+0085"),
    Hostile("right-to-left-override", "Anna\u202egreB", refused="U+202E"),
    Hostile("isolate", "\u2066Anna\u2069", refused="U+2066"),
    Hostile("zero-width-joiner", "👩\u200d💻 Dev\u200dOps"),
    Hostile("astral", "🦄 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🀄"),
    Hostile("combining", "Ze\u0301ro Z\u0338\u0322\u0354a\u0334l\u0337g\u0336o"),
    Hostile("huge", "x" * 100_000),
    Hostile("empty", ""),
    Hostile("blank", " \t ", refused="only whitespace"),
)
ACCEPTED = [h for h in CORPUS if h.refused is None and 0 < len(h.value) <= 40]

SEED_HASH = "0" * 64

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
    "tick": {},
    "rules": {"rules": {}},
    "season": {"season": "q4", "name": "Q4", "starts": "2026-10-01", "ends": "2026-12-31"},
    "goal": {"agent": "a-1", "title": "Vespa", "price": "3000.00", "picture": "/vespa.png"},
    "prize": {"prize": "champagne", "name": "Champagne", "stock": 5, "picture": "/bottle.png"},
    "prize_rule": {"rule": "r1", "kind": "instant", "prize": "champagne", "min_revenue": "100"},
    "handover": {"award": "s-1:champagne"},
    "tombola_open": {
        "tombola": "friday",
        "name": "Friday Draw",
        "prizes": ["cinema"],
        "closes": "2026-11-27T16:00:00Z",
        "products": ["mobile-upgrade"],
        "seed_hash": SEED_HASH,
    },
    "tombola_draw": {
        "tombola": "friday",
        "seed": SEED_HASH,
        "ledger_hash": SEED_HASH,
        "winners": ["a-1"],
    },
}

FieldPath = tuple[str | int, ...]


def is_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and "maxLength" in schema and "format" not in schema


def text_fields() -> Iterator[tuple[str, FieldPath, dict[str, Any]]]:
    """Every free-text field of the contract: (event type, where in the event, schema)."""
    for type_name, schema in json_schema().items():
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
    assert set(BASE) == set(EVENT_TYPES)
    assert len(FIELDS) > 30
    for type_name, path, _ in FIELDS:
        if type_name != "sale" or path != ("id",):
            get(BASE[type_name], path)  # a KeyError names a field the corpus would miss


def test_every_hostile_string_in_every_text_field_is_stored_as_sent_or_refused_by_name() -> None:
    with running() as app:
        log = Log(app)
        stored = refused = 0
        for number, (type_name, path, schema) in enumerate(FIELDS):
            for hostile in CORPUS:
                event_id = f"h-{number}-{hostile.key}"
                base = {"id": event_id, "type": type_name, "ts": NOW, **BASE[type_name]}
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
        topics += [f"board:{site}" for site in scorer.sites]
        topics += [f"agent:{agent}" for agent in scorer.agents]
        for topic in topics:
            orjson.dumps(screens.render(scorer, topic))
        reads = ["/api/prizes", "/api/seasons"]
        reads += [f"/api/leaderboard?by={by}&period=day" for by in ("agent", "team", "site")]
        reads += [f"/api/agents/{quote(a, safe='')}" for a in scorer.agents]
        reads += [f"/api/tombolas/{quote(t, safe='')}" for t in scorer.tombolas]
        for season in scorer.league.seasons:
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
            rules = {"sale": {"groups": {"mobile-upgrade": hostile.value}}}
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
            writer.writerow(["a-ok", "Anna Berg", "t1", "ber"])
            writer.writerow([f"r-{number}", hostile.value, "t1", "ber"])
            response = app.client.post(
                "/api/manage/roster?commit=1", content=out.getvalue(), headers=headers
            )
            # The import trims each cell, as spreadsheets leave spaces around values.
            value = hostile.value.strip()
            problem = expected_problem(value, hostile if value else Hostile("", ""), schema)
            if problem is None:
                assert response.status_code == 201, f"{hostile.key}: {response.text[:300]}"
                kept = log.new()
                assert [e["name"] for e in kept] == ["Anna Berg", value]
            else:
                assert response.status_code == 422, hostile.key
                [error] = response.json()["errors"]
                assert error["line"] == 3 and "name" in error["error"], error
                assert problem in error["error"], f"{hostile.key}: {error}"
                assert log.new() == []


# In Chromium ---------------------------------------------------------------------

SCRIPT, IMG, SVG, JS_URL, TEMPLATE, ENTITY, ZWJ, ASTRAL, COMBINING = (h.value for h in ACCEPTED)
MANAGER = "{{7*7}}<b>boss</b>"
PASSWORD = "correct horse battery"

#: Set before any page script runs: CSP violations and what the celebration overlay showed.
RECORDER = """
window.__seen = { csp: [], celebrations: [] };
document.addEventListener("securitypolicyviolation", (event) => window.__seen.csp.push(
  `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`));
document.addEventListener("DOMContentLoaded", () => {
  const overlay = document.getElementById("celebration");
  if (!overlay) return;
  new MutationObserver(() => window.__seen.celebrations.push(overlay.textContent))
    .observe(overlay, { subtree: true, childList: true, characterData: true });
});
"""

#: Elements no name may bring: inline handlers, images, frames, inline scripts,
#: javascript: links, and SVG other than the charts plotly draws (and measures text in).
INJECTED = """
() => {
  const found = [];
  const svg = "http://www.w3.org/2000/svg";
  for (const node of document.querySelectorAll("*")) {
    const what = node.outerHTML.slice(0, 120);
    for (const attr of node.attributes) {
      if (/^on/i.test(attr.name)) found.push(`handler ${attr.name}: ${what}`);
      if (/^\\s*javascript:/i.test(attr.value)) found.push(`javascript: ${what}`);
    }
    if (["IMG", "IFRAME", "OBJECT", "EMBED"].includes(node.tagName)) found.push(what);
    if (node.tagName === "SCRIPT" && !node.src) found.push(`inline script: ${what}`);
    if (node.namespaceURI === svg && !node.closest(".plot, #js-plotly-tester")) {
      found.push(`svg: ${what}`);
    }
  }
  return found;
}
"""


@dataclass
class Watched:
    """A page, and everything it did that a hostile string could have caused."""

    page: Any
    dialogs: list[str]
    errors: list[str]
    console: list[str]

    def shows(self, selector: str, *texts: str, timeout: float = 5000) -> None:
        """Wait until ``selector``'s text holds each of ``texts`` literally."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(
                """([selector, texts]) => {
                  const node = document.querySelector(selector);
                  return node !== null && texts.every((text) => node.textContent.includes(text));
                }""",
                arg=[selector, list(texts)],
                timeout=timeout,
            )
        except PlaywrightTimeout:
            actual = self.page.evaluate(
                "(s) => document.querySelector(s) && document.querySelector(s).textContent",
                selector,
            )
            pytest.fail(f"{selector} does not show {texts!r} as text; it shows {actual!r}")

    def assert_inert(self) -> None:
        assert self.dialogs == [], "a name ran script"
        assert self.errors == [], "a page script failed"
        assert self.page.evaluate(INJECTED) == [], "a name became markup"
        seen = self.page.evaluate("window.__seen.csp")
        assert seen == [] and self.console == [], f"CSP violations: {seen} {self.console}"


def watch(
    browser: Any, url: str, width: int = 1920, height: int = 1080, live: bool = True
) -> Watched:
    page = browser.new_page(viewport={"width": width, "height": height})
    watched = Watched(page, [], [], [])
    page.add_init_script(RECORDER)
    page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            watched.console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(url)
    if live:
        page.wait_for_selector(".status.online")
    return watched


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A running server whose every shown name is one of the accepted hostile strings."""
    from tests.test_browser import Server

    server = Server(tmp_path_factory.mktemp("hostile"))
    for role, extra in (
        ("display", ["--label", IMG]),
        ("manager", []),
        ("agent:a-1", ["--agent", "a-1"]),
    ):
        server.tokens[role] = server.cli("token", "create", "--role", role.split(":")[0], *extra)
    server.cli("manager", "add", MANAGER, "--password-stdin", stdin=f"{PASSWORD}\n".encode())
    server.start()
    now = datetime.now(UTC)
    earlier = iso(now - timedelta(days=1))
    rules = {
        "sale": {"products": {"*": {"base": 10, "per_euro": 0.1}}, "groups": {TEMPLATE: ASTRAL}},
        "commission": {"*": {"percent": 10}},
    }
    server.post(
        [
            {"id": ENTITY, "type": "rules", "ts": earlier, "rules": rules},
            {"id": IMG, "type": "site", "ts": earlier, "site": "ber", "name": SCRIPT},
            {"id": "site-2", "type": "site", "ts": earlier, "site": SVG, "name": ENTITY},
            {
                "id": "t1",
                "type": "team",
                "ts": earlier,
                "team": "t1",
                "name": JS_URL,
                "site": "ber",
            },
            {
                "id": "t2",
                "type": "team",
                "ts": earlier,
                "team": "t2",
                "name": COMBINING,
                "site": SVG,
            },
            {
                "id": "a-1",
                "type": "agent",
                "ts": earlier,
                "agent": "a-1",
                "name": "Anna Berg",
                "team": "t1",
                "site": "ber",
                "public_name": IMG,
            },
            {
                "id": "a-2",
                "type": "agent",
                "ts": earlier,
                "agent": "a-2",
                "name": "Ben Ohl",
                "team": "t2",
                "site": SVG,
                "public_name": ASTRAL,
            },
            {"id": "p", "type": "prize", "ts": earlier, "prize": "champagne", "name": ZWJ},
            {
                "id": "pr",
                "type": "prize_rule",
                "ts": earlier,
                "rule": "r1",
                "kind": "instant",
                "prize": "champagne",
                "min_revenue": "10",
            },
            {
                "id": "g",
                "type": "goal",
                "ts": earlier,
                "agent": "a-1",
                "title": COMBINING,
                "price": "3000",
            },
            {
                "id": "season",
                "type": "league_season",
                "ts": iso(now - timedelta(days=3)),
                "season": "s1",
                "name": TEMPLATE,
                # a matchday played (for the results and the points race) and one live
                "windows": [
                    [iso(now - timedelta(days=2)), iso(now - timedelta(days=1))],
                    [iso(now - timedelta(hours=1)), iso(now + timedelta(hours=23))],
                ],
                "goal_every": 10,
                "clubs": [
                    {"club": "ber", "name": SCRIPT, "heads": 1},
                    {"club": SVG, "name": ENTITY, "heads": 1},
                ],
            },
        ],
        role="manager",
    )
    opened = httpx.post(
        f"{server.base}/api/tombolas",
        json={
            "tombola": "friday",
            "name": JS_URL,
            "prizes": ["champagne"],
            "every": 1,
            "closes": iso(now + timedelta(hours=2)),
        },
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    )
    assert opened.status_code == 201, opened.text
    for number, (agent, revenue) in enumerate((("a-1", "49.90"), ("a-2", "20.00"))):
        server.post(
            sale(f"s-{number}", agent=agent, revenue=revenue, product=TEMPLATE, ts=iso(now)),
            role="manager",
        )
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.browser
def test_the_board_shows_every_hostile_name_as_text(world: Any, browser: Any) -> None:
    board = watch(
        browser, f"{world.base}/board?token={world.tokens['display']}&scenes=league,leaders"
    )
    board.shows("#table-title", TEMPLATE)
    board.shows("#league-table", SCRIPT, ENTITY)
    board.shows("#results", SCRIPT, ENTITY)
    board.shows("#live-matches", SCRIPT, ENTITY, IMG, ASTRAL)
    board.shows("#scorers", IMG, ASTRAL)
    board.shows("#leaderboards", IMG, ASTRAL, JS_URL, COMBINING, SCRIPT, ENTITY)
    board.shows(
        "#ticker", f"{IMG} sold {TEMPLATE}", f"{ASTRAL} sold {TEMPLATE}", f"{IMG} won {ZWJ}"
    )
    now = iso(datetime.now(UTC))
    world.post(sale("s-live", agent="a-1", product=TEMPLATE, ts=now), role="manager")
    board.page.wait_for_function(
        "(prize) => window.__seen.celebrations.some((text) => text.includes(prize))",
        arg=ZWJ,
        timeout=10_000,
    )
    board.assert_inert()


@pytest.mark.browser
def test_a_board_for_a_site_with_a_hostile_id_shows_that_site_only(
    world: Any, browser: Any
) -> None:
    site = quote(SVG, safe="")
    board = watch(
        browser, f"{world.base}/board/{site}?token={world.tokens['display']}&scenes=leaders"
    )
    board.shows("#title", ENTITY)
    board.shows("#leaderboards", ASTRAL, COMBINING)
    board.shows("#ticker", f"{ASTRAL} sold {TEMPLATE}")
    assert IMG not in board.page.text_content("#leaderboards"), "another site's agent"
    board.assert_inert()


@pytest.mark.browser
def test_the_charts_name_sites_and_clubs_as_text(world: Any, browser: Any) -> None:
    board = watch(browser, f"{world.base}/board?token={world.tokens['display']}&scenes=charts")
    board.shows("#chart-hours", SCRIPT, ENTITY)
    board.shows("#chart-race", SCRIPT, ENTITY)
    board.assert_inert()


@pytest.mark.browser
def test_the_console_shows_hostile_names_as_text_and_says_why_one_is_refused(
    world: Any, browser: Any
) -> None:
    console = watch(browser, f"{world.base}/manage/login", 1400, 1000, live=False)
    console.page.fill("input[name=name]", MANAGER)
    console.page.fill("input[name=password]", PASSWORD)
    console.page.click("button[type=submit]")
    console.page.wait_for_selector(".status.online")
    console.shows(".me-header", MANAGER)
    console.shows("#overview", TEMPLATE, JS_URL)
    console.shows("#season-clubs", SCRIPT, ENTITY)
    console.shows("#tokens", IMG)
    console.page.click("#season-preview")
    console.shows("#season-result", SVG)
    send = console.page.locator("#event-json")
    send.fill(json.dumps({"type": "prize", "prize": "cake", "name": SVG}))
    console.page.click("#event-send")
    console.shows("#event-result", "1 stored")
    send.fill(json.dumps({"type": "prize", "prize": "cake", "name": "Cake\u202e"}))
    console.page.click("#event-send")
    console.shows("#event-result", "U+202E", "none was stored")
    console.page.click("#audit-load")
    console.shows("#audit", MANAGER, IMG)
    # The schema /openapi.json publishes refuses exactly what the server refuses.
    schemas = httpx.get(f"{world.base}/openapi.json").json()["components"]["schemas"]
    pattern = schemas["agent"]["properties"]["name"]["pattern"]
    matches = console.page.evaluate(
        "([pattern, values]) => values.map((value) => new RegExp(pattern).test(value))",
        [pattern, [hostile.value for hostile in CORPUS]],
    )
    assert matches == [hostile.refused is None for hostile in CORPUS]
    console.assert_inert()


@pytest.mark.browser
def test_the_agent_widget_shows_hostile_names_as_text_and_says_why_one_is_refused(
    world: Any, browser: Any
) -> None:
    me = watch(browser, f"{world.base}/me?token={world.tokens['agent:a-1']}", 360, 640)
    me.shows("#name", f"Anna Berg ({IMG})")
    me.shows("#goal", COMBINING)
    me.shows("#tickets", JS_URL)
    me.shows("#match", SCRIPT, ENTITY)
    me.shows("#why", f"{ASTRAL}: ", f"(rules {ENTITY})")
    form = me.page.locator("#profile")
    form.locator("input[name=public_name]").fill(SVG)
    form.locator("button[type=submit]").click()
    me.shows("#name", f"Anna Berg ({SVG})")
    form.locator("input[name=public_name]").fill("\u202eAnna")
    form.locator("button[type=submit]").click()
    me.shows("#form-error", "public_name", "U+202E")
    assert me.page.text_content("#name") == f"Anna Berg ({SVG})"
    me.assert_inert()
