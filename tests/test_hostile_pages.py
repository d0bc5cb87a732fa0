"""The hostile strings that are stored appear on every page in Chromium as inert
text: on the board, a site's board, the charts, the console and the agent's
widget (``test_hostile_strings.py`` holds what is stored and what is refused)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.conftest import chromium
from tests.helpers import sale, until
from tests.hostile import ACCEPTED, CORPUS
from tests.scoring_helpers import whole_rules

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
        try:
            until(
                self.page,
                """([selector, texts]) => {
                  const node = document.querySelector(selector);
                  return node !== null && texts.every((text) => node.textContent.includes(text));
                }""",
                [selector, list(texts)],
                timeout,
            )
        except TimeoutError:
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
    rules = whole_rules(
        sale={"products": {"*": {"base": 10, "per_euro": 0.1}}, "groups": {TEMPLATE: ASTRAL}},
        commission={"*": {"percent": 10}},
    )
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
    until(
        board.page,
        "(prize) => window.__seen.celebrations.some((text) => text.includes(prize))",
        ZWJ,
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
    # The charts' one key names the sites and clubs, in their colours.
    board.shows("#chart-key", SCRIPT, ENTITY)
    board.shows("#race-title", TEMPLATE)
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
    console.shows(".console-header", MANAGER)
    console.shows("#overview", TEMPLATE, JS_URL)
    console.shows("#season-clubs", SCRIPT, ENTITY)
    console.shows("#tokens", IMG)
    console.page.click("#nav a[data-tab=league]")
    console.page.click("#season-preview")
    console.shows("#season-result", SCRIPT, ENTITY)
    console.shows("#season-list", TEMPLATE, SCRIPT, ENTITY)
    console.page.click("#nav a[data-tab=rules]")
    console.shows("#rules-forms", TEMPLATE)
    group = console.page.locator(f'[data-field="rules.sale.groups.{TEMPLATE}"]')
    assert group.input_value() == ASTRAL
    console.page.click("#nav a[data-tab=prizes]")
    console.shows("#prizes-view", ZWJ)
    console.page.click("#nav a[data-tab=tombolas]")
    console.shows("#tombolas-view", JS_URL, ZWJ)
    console.page.click("#nav a[data-tab=audit]")
    console.page.click("#advanced summary")
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
    me.shows("#why", f"{ASTRAL}: ", f"rules {ENTITY}")
    me.page.click("#tab-profile")
    form = me.page.locator("#profile")
    form.locator("input[name=public_name]").fill(SVG)
    form.locator("button[type=submit]").click()
    me.shows("#name", f"Anna Berg ({SVG})")
    form.locator("input[name=public_name]").fill("\u202eAnna")
    form.locator("button[type=submit]").click()
    me.shows("#form-error", "public_name", "U+202E")
    assert me.page.text_content("#name") == f"Anna Berg ({SVG})"
    me.assert_inert()
