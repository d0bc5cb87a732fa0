"""A manager who never types JSON, in English and in German: signs in, sets a
product's points and commission, a gate and the cancellation window, adds a prize
with stock and an instant tier, opens a tombola with it, previews the draft,
publishes, and the board and an agent's widget follow.

Screenshots of every tab land in ``screenshots/console/`` (or
``$CONSOLE_SCREENSHOTS``) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import chromium
from tests.helpers import sale
from tests.test_browser import ROOT, Server, company, iso, open_page

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

SHOTS = Path(os.environ.get("CONSOLE_SCREENSHOTS", ROOT / "screenshots" / "console"))
PASSWORD = "correct horse battery"
TABS = ("overview", "rules", "prizes", "tombolas", "league", "people", "access", "audit", "publish")
#: what the manager reads on the way, in each language
WORDS = {
    "en": {
        "nav": "Rules",
        "labels": ("Cancellation window", "Base points", "Points per euro", "Minimum sales"),
        "change": "Base points · mobile: 10 (as all other products) → 30",
        "window": "Cancellation window: 14 days → 7 days",
        "unavailable": "no what-if preview",
        "handed_over": "✔ handed over",
        "left": "4 of 5 left",
        "tickets": "Tickets: 2 · agents: 1",
    },
    "de": {
        "nav": "Regeln",
        "labels": ("Stornofrist", "Grundpunkte", "Punkte pro Euro", "Mindestverkäufe"),
        "change": "Grundpunkte · mobile: 10 (wie alle anderen Produkte) → 30",
        "window": "Stornofrist: 14 Tage → 7 Tage",
        "unavailable": "keine Was-wäre-wenn-Vorschau",
        "handed_over": "✔ übergeben",
        "left": "4 von 5 übrig",
        "tickets": "Lose: 2 · Agenten: 1",
    },
}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with company(tmp_path) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


class Console:
    """The console in a browser tab, driven as a manager clicks and types."""

    def __init__(self, page: Any) -> None:
        self.page = page

    def tab(self, name: str) -> None:
        self.page.click(f"#nav a[data-tab={name}]")
        self.page.wait_for_selector(f"#tab-{name}:not([hidden])")

    def rule(self, path: str, value: float) -> None:
        field = self.page.locator(f'[data-field="rules.{path}"]')
        field.fill(str(value))
        field.press("Tab")
        self.page.wait_for_selector(f'[data-field="rules.{path}"].changed')

    def text(self, selector: str) -> str:
        return str(self.page.inner_text(selector))

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"))


def sign_in(browser: Any, server: Server, lang: str) -> Console:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(f"{server.base}/manage/login?lang={lang}")
    page.fill("input[name=name]", "boss")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".status.online")
    return Console(page)


def whatif_exists(server: Server) -> bool:
    answer = httpx.post(
        f"{server.base}/api/whatif",
        json={"events": [], "days": 1},
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    )
    return answer.status_code not in (404, 405)


def set_the_rules(console: Console, words: dict[str, Any]) -> None:
    console.tab("rules")
    for label in words["labels"]:
        assert label in console.text("#tab-rules"), label
    console.page.fill("#rules-products input[name=product]", "mobile")
    console.page.click("#rules-products form button[type=submit]")
    console.page.wait_for_selector("tr[data-product=mobile]")
    console.rule("sale.products.mobile.base", 30)
    console.rule("sale.products.mobile.per_euro", 0.5)
    console.page.select_option('[data-field="rules.commission.mobile"]', "fixed")
    console.rule("commission.mobile.fixed", 4)
    console.rule("gates.month.min_sales", 2)
    console.rule("cancellation_window_days", 7)
    console.shot(f"{console.page.lang}-rules-draft")


def add_prize_tier_and_tombola(console: Console) -> None:
    console.tab("prizes")
    console.page.fill("#prize-form input[name=name]", "Champagne")
    console.page.fill("#prize-form input[name=stock]", "5")
    console.page.click("#prize-form button[type=submit]")
    console.page.wait_for_selector("[data-testid=prize-drafted]")
    console.page.fill("#instant-form input[name=min_revenue]", "40")
    console.page.select_option("#instant-form select[name=prize]", "champagne")
    console.page.click("#instant-form button[type=submit]")
    console.page.wait_for_selector("[data-testid=instant-drafted]")
    console.tab("tombolas")
    console.page.fill("#tombola-form input[name=name]", "Friday draw")
    console.page.select_option("#tombola-form select[name=prize]", "champagne")
    console.page.click("#tombola-form button[type=submit]")
    console.page.wait_for_selector("[data-testid=tombola-drafted]")


def preview_and_publish(console: Console, server: Server, words: dict[str, Any]) -> None:
    console.tab("publish")
    changes = console.text("#draft-changes")
    assert words["change"] in changes and words["window"] in changes, changes
    assert "Champagne" in console.text("#draft-events")
    assert "Friday draw" in console.text("#draft-tombolas")
    console.page.click("#whatif-run")
    if whatif_exists(server):
        console.page.wait_for_selector("[data-testid=whatif-done]", timeout=60_000)
        # under the draft: 30 points and 0.5 a euro of 50 € make 55 (not 15), 4 € (not 5)
        anna = console.text("#whatif-agent tr[data-id=a-1]")
        assert "Anna Berg" in anna and "+40" in anna, anna
        console.page.wait_for_selector("#whatif-totals [data-total=prize_cost]")
        assert console.text("#whatif-totals [data-total=agents_winning]").endswith("+1")
    else:
        console.page.wait_for_selector(f"#whatif-result >> text={words['unavailable']}")
    console.shot(f"{console.page.lang}-publish-draft")
    console.page.fill("#draft-version", f"spring-{console.page.lang}")
    console.page.press("#draft-version", "Tab")
    console.page.click("#publish")
    console.page.wait_for_selector("[data-testid=published]")
    console.page.wait_for_selector("[data-testid=draft-empty]")


def the_screens_follow(browser: Any, server: Server, lang: str) -> None:
    board = open_page(
        browser, f"{server.base}/board?token={server.tokens['display']}&scenes=leaders"
    )
    widget = open_page(browser, f"{server.base}/me?token={server.tokens['agent:a-1']}", 360, 640)
    now = iso(datetime.now(UTC))
    server.post(sale("s-1", agent="a-1", product="mobile", revenue="50.00", ts=now))
    # 30 points a unit and 0.5 a euro under the new rules, 4 euros fixed commission
    why = widget.locator("[data-testid=why]")
    why.locator("text== 55 points").wait_for(timeout=5000)
    assert f"rules spring-{lang}" in why.inner_text()
    assert "commission €4.00" in why.inner_text()
    board.wait_for_selector("#ticker >> text=Anna won Champagne", timeout=5000)
    # untouched: any other product still earns 10 + 0.1/€ and 10 % commission
    server.post(sale("s-2", agent="a-1", product="tv", revenue="20.00", ts=now))
    why.locator("text=tv: 10 points + 0.10 per € × €20.00 = 12 points").wait_for(timeout=5000)
    assert "commission €2.00 (10% of revenue)" in why.inner_text()
    board.close()
    widget.close()


def the_console_shows_it(console: Console, words: dict[str, Any]) -> None:
    console.tab("prizes")
    console.page.wait_for_selector(f"#catalogue >> text={words['left']}", timeout=5000)
    award = console.page.locator("#awards tr", has_text="Anna Berg")
    award.locator("button").click()
    award.locator(".ok").wait_for()
    assert award.locator(".ok").inner_text() == words["handed_over"]
    console.tab("tombolas")
    console.page.wait_for_selector(f"#tombolas-open >> text={words['tickets']}")
    console.page.click("#tombolas-open button.tickets")
    console.page.wait_for_selector("#tombolas-open tr.ledger >> text=Anna Berg: 2")
    console.tab("rules")
    console.page.wait_for_selector(f"#rules-history >> text=spring-{console.page.lang}")
    assert console.page.input_value('[data-field="rules.sale.products.mobile.base"]') == "30"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_manager_sets_rules_prizes_and_a_tombola_and_the_screens_follow(
    server: Server, browser: Any, lang: str
) -> None:
    words = WORDS[lang]
    # yesterday's sale, for the what-if to replay: 10 points and 0.1 a euro, 10 % then
    yesterday = iso(datetime.now(UTC) - timedelta(hours=20))
    server.post(sale("s-0", agent="a-1", product="mobile", revenue="50.00", ts=yesterday))
    console = sign_in(browser, server, lang)
    console.page.lang = lang
    assert console.text("#nav a[data-tab=rules]") == words["nav"]
    set_the_rules(console, words)
    add_prize_tier_and_tombola(console)
    preview_and_publish(console, server, words)
    the_screens_follow(browser, server, lang)
    the_console_shows_it(console, words)
    for tab in TABS:
        console.tab(tab)
        console.page.wait_for_timeout(300)
        scroll = console.page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 1920, f"{tab} scrolls sideways: {scroll}"
        shown = console.text(f"#tab-{tab}")
        assert "null" not in shown and "undefined" not in shown and "[object" not in shown, tab
        console.shot(f"{lang}-{tab}")
    assert console.page.errors == []
