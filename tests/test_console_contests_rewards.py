"""The console's Contests and Rewards tabs in a browser: a manager launches a cup and
a race from the forms and sees them listed with standings; an agent's redemption
waits for a decision, an approval takes it off the list, a rejection refunds; a
grant with a reason reaches the agent's wallet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.conftest import chromium
from tests.helpers import sale, until
from tests.test_browser import Server, company, iso
from tests.test_console_walk import Console, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with company(tmp_path) as running:
        now = datetime.now(UTC)
        running.post(
            [
                {
                    "id": f"ag-{n}",
                    "type": "agent",
                    "agent": f"a-{n}",
                    "name": name,
                    "team": "t1",
                    "site": "ber",
                    "ts": iso(now - timedelta(days=1)),
                }
                for n, name in ((3, "Cem Dura"), (4, "Dora Eck"))
            ],
            role="manager",
        )
        yield running


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def read(server: Server, path: str) -> dict[str, Any]:
    """What a manager reads at ``path``."""
    answer = httpx.get(
        f"{server.base}{path}", headers={"Authorization": f"Bearer {server.tokens['manager']}"}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def wallet(server: Server, agent: str) -> dict[str, Any]:
    return read(server, f"/api/agents/{agent}/wallet")


def started(console: Console) -> None:
    """The form's start an hour ago, Berlin time: its default, 08:00 today, is still
    to come in the night."""
    local = datetime.now(ZoneInfo("Europe/Berlin")) - timedelta(hours=1)
    console.page.fill("#contest-form input[name=starts]", local.strftime("%Y-%m-%dT%H:%M"))


def launch(console: Console, name: str, fmt: str, participants: str, **fields: str) -> None:
    form = "#contest-form"
    started(console)
    console.page.fill(f"{form} input[name=name]", name)
    console.page.select_option(f"{form} select[name=format]", fmt)
    console.page.select_option(f"{form} select[name=kind]", "agents")
    console.page.fill(f"{form} input[name=participants]", participants)
    for field, value in fields.items():
        console.page.fill(f"{form} input[name={field}]", value)
    console.page.click("#contest-launch")
    # this launch's answer, not the one before it: a refusal fails here, with the form
    until(
        console.page,
        f"document.querySelector('#contest-result').innerText.includes({name!r})"
        " || !!document.querySelector('#contest-result .error')",
    )
    assert name in console.text("#contest-result"), console.text("#contest-form")


def test_a_manager_launches_a_cup_and_a_race_and_sees_their_standings(
    server: Server, browser: Any
) -> None:
    now = datetime.now(UTC)
    server.post(sale("s-1", ts=iso(now - timedelta(minutes=5)), agent="a-2"))
    console = sign_in(browser, server, "en")
    console.tab("contests")
    launch(console, "Winter cup", "cup", "a-1, a-2, a-3, a-4")
    launch(console, "Race to 5", "race", "a-1, a-2", target="5")
    console.tab("overview")
    until(console.page, "document.querySelectorAll('#overview li[data-contest]').length === 2")
    assert "Knockout cup" in console.text("#overview")
    console.tab("contests")
    cup = console.page.locator('#contests-running [data-contest="winter-cup"]')
    race = console.page.locator('#contests-running [data-contest="race-to-5"]')
    cup.wait_for()
    race.wait_for()
    assert "Round 1" in cup.inner_text()
    assert "Anna Berg" in cup.inner_text()
    # Ben's sale is still in its cancellation window: he leads, provisionally.
    first = race.locator(".standings tbody tr").first
    assert first.inner_text().split()[:3] == ["1.", "Ben", "Ohl"]
    assert "provisional" in first.inner_text()
    console.shot("contests-en")
    console.page.goto(f"{server.base}/manage?lang=de#contests")
    console.page.wait_for_selector('#contests-running [data-contest="race-to-5"]')
    assert "Knockout" not in console.text("#tab-contests")
    assert "vorläufig" in console.text("#tab-contests")
    console.shot("contests-de")
    assert console.page.errors == []


def contest(server: Server, contest_id: str) -> dict[str, Any]:
    return read(server, f"/api/contests/{contest_id}")


def test_named_groups_a_weighted_mix_own_targets_and_a_cups_own_round_windows(
    server: Server, browser: Any
) -> None:
    now = datetime.now(UTC)
    server.post(sale("s-1", ts=iso(now - timedelta(minutes=5)), agent="a-2", revenue="100.00"))
    console = sign_in(browser, server, "en")
    console.tab("contests")
    page, form = console.page, "#contest-form"
    # A battle between two named groups, by a weighted mix, each against its own target
    started(console)
    page.fill(f"{form} input[name=name]", "Early versus late")
    page.select_option(f"{form} select[name=kind]", "groups")
    assert not page.is_visible(f"{form} input[name=participants]")
    page.fill(f"{form} textarea[name=groups]", "Early: a-1, a-2\nLate: a-3, a-4")
    page.select_option(f"{form} select[name=metric]", "mix")
    page.fill(f"{form} input[name=weight_sales]", "10")
    page.select_option(f"{form} select[name=fairness]", "target")
    assert page.locator("#contest-targets input").count() == 2  # one per group, named
    page.click("#contest-launch")  # no target yet: held back, beside each input
    assert page.locator("#contest-targets .field-error").count() == 2
    page.fill("#contest-targets input[data-side=Early]", "50")
    page.fill("#contest-targets input[data-side=Late]", "40")
    console.shot("contest-groups-mix-targets-en")
    page.click("#contest-launch")
    page.wait_for_selector("[data-testid=contest-launched]")
    battle = contest(server, "early-versus-late")
    assert battle["metric"] == "mix" and battle["fairness"] == "target"
    # Ben's 100-euro sale: 20 points and 10 for the sale; 60 % of Early's 50
    early = next(row for row in battle["standings"] if row["id"] == "Early")
    assert (early["score"], early["ranked_by"], early["rank"]) == (30.0, 60.0, 1), early
    card = '#contests-running [data-contest="early-versus-late"]'
    page.locator(card).wait_for()
    assert "60 % (raw 30)" in page.locator(f"{card} .standings tbody tr").first.inner_text()

    # A cup whose rounds the manager times: the windows shown are the equal shares
    page.fill(f"{form} input[name=name]", "Timed cup")
    page.select_option(f"{form} select[name=format]", "cup")
    page.select_option(f"{form} select[name=kind]", "agents")
    page.fill(f"{form} input[name=participants]", "a-1, a-2, a-3, a-4")
    page.select_option(f"{form} select[name=fairness]", "none")
    page.select_option(f"{form} select[name=metric]", "sales")
    page.check(f"{form} input[name=own_rounds]")
    assert page.locator("#cup-rounds fieldset").count() == 2  # four agents: two rounds
    page.fill('#cup-rounds [data-round="0:1"]', page.input_value('#cup-rounds [data-round="1:0"]'))
    console.shot("contest-cup-rounds-en")
    page.click("#contest-launch")
    page.wait_for_selector("[data-testid=contest-launched]")
    cup = contest(server, "timed-cup")
    rounds = cup["cup"]["rounds"]
    assert len(rounds) == 2
    # the same form in German
    page.goto(f"{server.base}/manage?lang=de#contests")
    page.select_option(f"{form} select[name=kind]", "groups")
    page.select_option(f"{form} select[name=metric]", "mix")
    page.select_option(f"{form} select[name=fairness]", "target")
    page.fill(f"{form} textarea[name=groups]", "Früh: a-1, a-2\nSpät: a-3, a-4")
    page.locator("#contest-targets input[data-side=Früh]").wait_for()
    # what shows only with a mix and with targets chosen, in German
    assert "Wie stark jede Kennzahl" in console.text(form)
    assert "Das eigene Ziel jedes Teilnehmers" in console.text(form)
    console.shot("contest-groups-mix-targets-de")
    assert console.page.errors == []


def redeem(server: Server, agent: str, redemption: str, reward: str) -> None:
    server.post(
        {
            "id": redemption,
            "ts": iso(datetime.now(UTC)),
            "type": "redemption",
            "redemption": redemption,
            "agent": agent,
            "reward": reward,
        },
        role=f"agent:{agent}",
    )


def test_redemptions_wait_for_the_manager_who_approves_or_rejects_and_grants(
    server: Server, browser: Any
) -> None:
    server.post(
        [
            {
                "id": "g-1",
                "ts": iso(datetime.now(UTC)),
                "type": "coins",
                "agent": "a-1",
                "amount": 100,
                "reason": "Start",
            },
            {
                "id": "r-1",
                "ts": iso(datetime.now(UTC)),
                "type": "reward",
                "reward": "cinema",
                "name": "Cinema voucher",
                "price": 30,
                "stock": 5,
            },
        ],
        role="manager",
    )
    redeem(server, "a-1", "red-1", "cinema")
    redeem(server, "a-1", "red-2", "cinema")
    assert wallet(server, "a-1")["balance"] == 40
    console = sign_in(browser, server, "en")
    # The overview says what waits for the manager.
    console.tab("overview")
    until(
        console.page,
        "document.querySelector('[data-testid=redemptions-waiting]')?.textContent"
        " === '2 redemption(s) waiting for your decision'",
    )
    console.tab("rewards")
    waiting = console.page.locator("#waiting tbody tr")
    until(
        console.page, "document.querySelectorAll('#waiting tbody tr[data-redemption]').length === 2"
    )
    assert "Cinema voucher" in waiting.first.inner_text()
    console.shot("rewards-en")
    console.page.click('#waiting tr[data-redemption="red-1"] button:has-text("Approve")')
    console.page.wait_for_selector('#waiting tr[data-redemption="red-1"]', state="detached")
    console.page.fill('#waiting tr[data-redemption="red-2"] input[name=reason]', "Out of season")
    console.page.click('#waiting tr[data-redemption="red-2"] button:has-text("Reject")')
    console.page.wait_for_selector("p#waiting")
    money = wallet(server, "a-1")
    assert money["balance"] == 70
    refund = next(m for m in money["history"] if m["cause"] == "refund")
    assert refund["coins"] == 30
    console.page.fill("#grant-form input[name=agent]", "a-2")
    console.page.fill("#grant-form input[name=amount]", "0")
    console.page.fill("#grant-form input[name=reason]", "Nothing")
    console.page.click("#grant-form button[type=submit]")
    refusal = console.page.locator("#grant-form label:has(input[name=amount]) .field-error")
    assert refusal.inner_text(timeout=5000)
    console.page.fill("#grant-form input[name=amount]", "25")
    console.page.fill("#grant-form input[name=reason]", "Helped the new starters")
    console.page.click("#grant-form button[type=submit]")
    console.page.wait_for_selector("#grant-result [data-testid=done]")
    granted = wallet(server, "a-2")
    assert granted["balance"] == 25
    assert granted["history"][0]["note"] == "Helped the new starters"
    console.page.goto(f"{server.base}/manage?lang=de#rewards")
    console.page.wait_for_selector("#store-panel")
    assert "Prämienshop" in console.text("#tab-rewards")
    console.shot("rewards-de")
    assert console.page.errors == []


def test_the_coin_rules_are_part_of_the_rules_a_manager_publishes(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    console.tab("rules")
    assert "Coins per confirmed point" in console.text("#rules-coins")
    console.rule("coins.per_point", 0.5)
    places = console.page.locator('[data-field="rules.coins.places"]')
    places.fill("50, 30, 20")
    places.press("Tab")
    console.page.wait_for_selector('[data-field="rules.coins.places"].changed')
    console.page.locator("#rules-coins").scroll_into_view_if_needed()
    console.shot("rules-coins-en")
    console.tab("publish")
    assert "Coins for 1st, 2nd, ... place" in console.text("#draft-changes")
    console.page.click("#publish")
    console.page.wait_for_selector("[data-testid=published]")
    server.post(sale("s-coins", ts=iso(datetime.now(UTC)), agent="a-1"))
    # The sale is in its cancellation window: its coins wait, as pending.
    deadline = datetime.now(UTC) + timedelta(seconds=10)
    while wallet(server, "a-1")["pending"] == 0 and datetime.now(UTC) < deadline:
        console.page.wait_for_timeout(100)
    assert wallet(server, "a-1")["pending"] > 0
    assert console.page.errors == []


def public_contests(server: Server) -> list[str]:
    answer = httpx.get(
        f"{server.base}/api/contests",
        headers={"Authorization": f"Bearer {server.tokens['display']}"},
    )
    assert answer.status_code == 200, answer.text
    return [c["name"] for c in answer.json()["contests"]]


def test_a_hidden_contest_is_revealed_then_ended_from_its_card(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    console.tab("contests")
    console.page.check("#contest-form input[name=hidden]")
    launch(console, "Secret battle", "team_battle", "a-1, a-2")
    card = '[data-contest="secret-battle"]'
    console.page.wait_for_selector(f"#contests-hidden {card}")
    console.shot("contests-hidden-en")
    assert public_contests(server) == []
    console.page.click(f'#contests-hidden {card} button:has-text("Reveal")')
    console.page.wait_for_selector(f"#contests-running {card}")
    assert public_contests(server) == ["Secret battle"]
    console.page.click(f'#contests-running {card} button:has-text("End")')
    console.page.click(f'#contests-running {card} .confirm button:has-text("End")')
    console.page.wait_for_selector(f"#contests-past {card}")
    assert "decided after the grace period" in console.text(f"#contests-past {card}")
    console.shot("contests-ended-en")
    assert console.page.errors == []


def test_a_draft_is_previewed_as_it_would_stand_now_and_nothing_is_launched(
    server: Server, browser: Any
) -> None:
    now = datetime.now(UTC)
    server.post(sale("s-1", ts=iso(now - timedelta(minutes=5)), agent="a-2"))
    server.post(sale("s-2", ts=iso(now - timedelta(minutes=4)), agent="a-2"))
    server.post(sale("s-3", ts=iso(now - timedelta(minutes=3)), agent="a-1"))
    console = sign_in(browser, server, "en")
    console.tab("contests")
    form = "#contest-form"
    console.page.fill(f"{form} input[name=name]", "Sprint")
    console.page.select_option(f"{form} select[name=format]", "race")
    console.page.select_option(f"{form} select[name=kind]", "agents")
    console.page.fill(f"{form} input[name=participants]", "a-1, a-2")
    console.page.select_option(f"{form} select[name=metric]", "sales")
    two_hours_ago = (now - timedelta(hours=2)).astimezone(ZoneInfo("Europe/Berlin"))
    console.page.fill(f"{form} input[name=starts]", two_hours_ago.strftime("%Y-%m-%dT%H:%M"))
    console.page.click("#contest-preview")
    preview = console.page.locator("[data-testid=contest-preview]")
    preview.wait_for(timeout=60_000)
    rows = [row.split() for row in preview.locator("tr").all_inner_texts()]
    # The sales made before the draft's start count: Ben's two, Anna's one.
    assert [row[:3] for row in rows] == [["1.", "Ben", "Ohl"], ["2.", "Anna", "Berg"]]
    assert [row[3] for row in rows] == ["2", "1"]
    assert "Sprint" in preview.inner_text()
    console.shot("contests-preview-en")
    listed = httpx.get(
        f"{server.base}/api/contests",
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    ).json()
    assert listed["contests"] == []
    assert console.page.errors == []
