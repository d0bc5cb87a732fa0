"""The console's forms in a browser: what they check before sending, the server's
refusals beside their field, a draft that keeps what another manager published
meanwhile and survives a reload, and the season form's preview and launch."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from scoring.rules import DEFAULT_RULES
from tests.conftest import chromium
from tests.helpers import sale, until
from tests.test_browser import RULES, Server, company, iso
from tests.test_console_walk import Console, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with company(tmp_path) as running:
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def error_beside(console: Console, field: str) -> str:
    named = console.page.locator(f'[data-field="{field}"]:visible, [name="{field}"]:visible').first
    holder = named.locator("xpath=ancestor-or-self::*[self::label or self::td][1]")
    return str(holder.locator(".field-error").first.inner_text(timeout=5000))


def test_a_value_the_server_refuses_is_named_beside_its_field_and_the_draft_stays(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    console.tab("rules")
    field = console.page.locator('[data-field="rules.timezone"]')
    field.fill("Mars/Olympus_Mons")
    field.press("Tab")
    console.tab("publish")
    console.page.click("#publish")
    console.page.wait_for_selector("#publish-result .error")
    assert "none was stored" in console.text("#publish-result")
    assert "IANA time zone" in console.text('#draft-changes [data-key="rules.timezone"]')
    assert console.text("#draft-count") == "1"
    console.tab("rules")
    assert "IANA time zone" in error_beside(console, "rules.timezone")
    assert console.page.errors == []


def test_forms_check_what_the_browser_can_before_anything_is_sent(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    posted: list[str] = []
    console.page.on(
        "request", lambda request: posted.append(request.url) if request.method == "POST" else None
    )
    console.tab("prizes")
    console.page.fill("#prize-form input[name=name]", "Cinema voucher")
    console.page.fill("#prize-form input[name=picture]", "ftp://example.com/cinema.png")
    console.page.click("#prize-form button[type=submit]")
    assert error_beside(console, "picture")
    console.tab("tombolas")
    console.page.fill("#tombola-form input[name=name]", "Yesterday's draw")
    console.page.fill("#tombola-form input[name=closes]", "2020-01-01T17:00")
    console.page.click("#tombola-form button[type=submit]")
    assert "future" in error_beside(console, "closes")
    console.tab("rules")
    console.page.fill('[data-field="rules.gates.month.min_quality"]', "120")
    console.page.press('[data-field="rules.gates.month.min_quality"]', "Tab")
    assert error_beside(console, "rules.gates.month.min_quality")
    assert console.text("#draft-count") == ""
    assert posted == []


def test_a_draft_keeps_what_another_manager_published_meanwhile_and_survives_a_reload(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    console.tab("rules")
    console.rule("sale.products.*.base", 20)
    # Another manager publishes a shorter cancellation window while this draft is open.
    server.post(
        {
            "id": "rules-meanwhile",
            "type": "rules",
            "ts": iso(datetime.now(UTC) - timedelta(minutes=1)),
            "rules": {**RULES, "cancellation_window_days": 3},
        },
        role="manager",
    )
    console.page.reload()
    console.page.wait_for_selector(".status.online")
    console.tab("rules")
    window = '[data-field="rules.cancellation_window_days"]'
    until(console.page, f"document.querySelector('{window}').value === '3'")
    assert console.page.input_value('[data-field="rules.sale.products.*.base"]') == "20"
    console.tab("publish")
    assert "Base points · All other products: 10 → 20" in console.text("#draft-rules")
    assert console.page.locator("#draft-rules li").count() == 1
    console.page.fill("#draft-version", "more-per-sale")
    console.page.press("#draft-version", "Tab")
    console.page.click("#publish")
    console.page.wait_for_selector("[data-testid=published]")
    console.tab("rules")
    console.page.wait_for_selector("#rules-history >> text=more-per-sale")
    assert console.page.input_value(window) == "3"
    assert console.page.input_value('[data-field="rules.sale.products.*.base"]') == "20"
    assert console.page.input_value('[data-field="rules.commission.*.percent"]') == "10"


def test_an_undone_change_leaves_the_draft(server: Server, browser: Any) -> None:
    console = sign_in(browser, server, "en")
    console.tab("rules")
    console.rule("contact.referral", 5)
    console.rule("gates.week.min_sales", 3)
    console.tab("publish")
    console.page.click('#draft-rules [data-key="rules.contact.referral"] button')
    until(console.page, "document.querySelectorAll('#draft-rules li').length === 1")
    assert console.text("#draft-count") == "1"
    console.tab("rules")
    referral = console.page.locator('[data-field="rules.contact.referral"]')
    assert referral.input_value() == "2"
    assert "changed" not in (referral.get_attribute("class") or "")


def test_a_season_previews_with_a_suggestion_taken_only_on_request_and_an_id_in_use_is_refused(
    server: Server, browser: Any
) -> None:
    now = datetime.now(UTC)
    server.post(
        [
            sale(f"s-{day}-{n}", agent=agent, revenue="40.00", ts=iso(now - timedelta(days=day)))
            for day in range(1, 8)
            for n, agent in enumerate(("a-1", "a-2", "a-1"))
        ]
    )
    console = sign_in(browser, server, "en")
    console.tab("league")
    console.page.wait_for_selector("#season-clubs input[type=number]")
    console.page.fill("#season-form input[name=name]", "Spring League")
    assert console.page.input_value("#season-form input[name=season]") == "spring-league"
    console.page.click("#season-preview")
    console.page.wait_for_selector("#season-result tbody tr")
    assert "Berlin – Leipzig" in console.text("#season-result")
    assert "null" not in console.text("#season-result")  # a season without byes
    assert console.page.input_value("#season-form input[name=goal_every]") == "10"
    console.page.click("#use-suggestion")
    assert console.page.input_value("#season-form input[name=goal_every]") != "10"
    console.page.click("#season-launch")
    console.page.wait_for_selector("[data-testid=season-launched]")
    console.page.wait_for_selector("#season-list >> text=Spring League")
    # the next id offered is free; one typed by hand may not be
    assert console.page.input_value("#season-form input[name=season]") == "spring-league-2"
    console.page.fill("#season-form input[name=season]", "spring-league")
    console.page.click("#season-launch")
    assert "exists already" in error_beside(console, "season")
    assert console.page.errors == []


def test_a_scoring_season_sets_the_season_period(server: Server, browser: Any) -> None:
    console = sign_in(browser, server, "de")
    console.tab("league")
    form = console.page.locator("#period-form")
    # The form's days are the rules' days (Berlin): after midnight there, UTC's
    # date is still yesterday, and a season ending then would be over.
    today = datetime.now(ZoneInfo(DEFAULT_RULES["timezone"])).date()
    form.locator("input[name=name]").fill("Winter")
    form.locator("input[name=starts]").fill((today + timedelta(days=30)).isoformat())
    form.locator("input[name=ends]").fill(today.isoformat())
    form.locator("button[type=submit]").click()
    assert "vor dem ersten" in error_beside(console, "ends")
    form.locator("input[name=starts]").fill((today - timedelta(days=3)).isoformat())
    form.locator("button[type=submit]").click()
    console.page.wait_for_selector("[data-testid=period-saved]")
    board = httpx.get(
        f"{server.base}/api/leaderboard?period=season&by=site",
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    )
    assert board.json()["key"] is not None, board.text


def test_a_hidden_trial_scores_nothing_live_shows_what_it_would_have_paid_and_goes_live_on_request(
    server: Server, browser: Any
) -> None:
    yesterday = iso(datetime.now(UTC) - timedelta(hours=20))
    server.post(sale("s-0", agent="a-1", product="mobile", revenue="50.00", ts=yesterday))
    console = sign_in(browser, server, "en")
    console.tab("rules")
    console.page.fill("#rules-products input[name=product]", "mobile")
    console.page.click("#rules-products form button[type=submit]")
    console.page.wait_for_selector("tr[data-product=mobile]")
    console.rule("sale.products.mobile.base", 30)
    console.tab("publish")
    console.page.fill("#draft-version", "trial-30")
    console.page.press("#draft-version", "Tab")
    console.page.check("#draft-hidden")
    console.page.click("#publish")
    console.page.wait_for_selector("[data-testid=published] >> text=hidden trial")

    widget = browser.new_page(viewport={"width": 360, "height": 640})
    widget.goto(f"{server.base}/me?token={server.tokens['agent:a-1']}")
    server.post(
        sale("s-1", agent="a-1", product="mobile", revenue="0.00", ts=iso(datetime.now(UTC)))
    )
    why = widget.locator("[data-testid=why]")
    # still 10 points a sale, as the rules in force say: the trial scores nowhere live
    why.locator("text== 10 points").first.wait_for(timeout=5000)
    assert "trial-30" not in why.inner_text()

    console.tab("rules")
    trial = console.page.locator("#rules-history li.version.trial[data-version=trial-30]")
    trial.wait_for(timeout=5000)
    assert "hidden trial" in trial.inner_text()
    assert "Base points · mobile" in trial.inner_text()
    trial.locator("button", has_text="What it would have paid").click()
    trial.locator("[data-testid=whatif-done]").wait_for(timeout=60_000)
    anna = trial.locator("tr[data-id=a-1]").first.inner_text()
    # 20 points more for the sale since the trial began; yesterday's is as it was
    assert "Anna Berg" in anna and "+20" in anna and "+40" not in anna, anna

    trial.locator("button", has_text="Take into the draft").click()
    console.page.wait_for_selector("#tab-publish:not([hidden])")
    assert "Base points · mobile" in console.text("#draft-changes")
    assert not console.page.is_checked("#draft-hidden")
    console.page.click("#publish")
    console.page.wait_for_selector("[data-testid=published]")
    server.post(
        sale("s-2", agent="a-1", product="mobile", revenue="0.00", ts=iso(datetime.now(UTC)))
    )
    why.locator("text== 30 points").first.wait_for(timeout=5000)
    assert console.page.errors == []
    widget.close()


def test_a_manager_edits_one_agent_and_sets_a_personal_goal_without_json(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    console.tab("people")
    console.page.click("details[data-site=ber] summary")
    console.page.click("tr[data-agent=a-1] button")
    editor = console.page.locator("tr[data-editor=a-1]")
    editor.locator("input[name=public_name]").fill("Anni")
    editor.locator("select[name=team]").select_option("t2")  # a move to Leipzig
    editor.locator("input[name=opt_out]").check()
    editor.locator(".agent-form button[type=submit]").click()
    console.page.wait_for_selector("details[data-site=lei] tr[data-agent=a-1]")
    editor = console.page.locator("tr[data-editor=a-1]")
    if not editor.count():
        console.page.click("details[data-site=lei] tr[data-agent=a-1] button")
    editor.locator("input[name=title]").fill("Bicycle")
    editor.locator("input[name=price]").fill("0")
    editor.locator(".goal-form button[type=submit]").click()
    assert "above 0" in error_beside(console, "price")
    editor.locator("input[name=price]").fill("499,90")
    editor.locator(".goal-form button[type=submit]").click()
    editor.locator(".goal-form .done").wait_for()

    assert stored_agent(server, "a-1", lambda a: a["opt_out"]) == {
        "public_name": "Anni",
        "team": "t2",
        "site": "lei",
        "opt_out": True,
    }
    widget = browser.new_page(viewport={"width": 360, "height": 640})
    widget.goto(f"{server.base}/me?token={server.tokens['agent:a-1']}")
    widget.wait_for_selector("[data-testid=goal] >> text=Bicycle")
    assert widget.is_checked("input[name=opt_out]")
    assert console.page.errors == []
    widget.close()


def stored_agent(server: Server, agent: str, folded: Any) -> dict[str, Any]:
    """The agent as the roster API gives it, once the edit is folded (``folded``)."""
    headers = {"Authorization": f"Bearer {server.tokens['manager']}"}
    deadline = time.monotonic() + 10
    while True:
        roster = httpx.get(f"{server.base}/api/manage/roster", headers=headers).json()
        [found] = [a for a in roster["agents"] if a["agent"] == agent]
        if folded(found) or time.monotonic() > deadline:
            return {k: found[k] for k in ("public_name", "team", "site", "opt_out")}
