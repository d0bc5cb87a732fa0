"""The widget's contests, coins and store (``/me``) in a real browser, at 360 x 640.

Anna (a-1) and Carla (a-3) work at the Berlin site: Anna challenges Carla from her
widget, Carla accepts in hers, and their sales move both widgets and the wall
board. Anna redeems a reward, a manager approves it, and a redemption over her
balance shows why it was refused. Screenshots in English and German land in ``screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import sale, until
from tests.test_browser import SHOTS, browser, company, iso, open_page
from tests.test_widget_desk import Desk

pytestmark = pytest.mark.browser
__all__ = ["browser"]


class Floor(Desk):
    """The desk widget, opened on a tab of the agent's play (contests, coins, store)."""

    def me(self, browser: Any, agent: str, lang: str = "en", tab: str = "play") -> Any:  # type: ignore[override]
        page = super().me(browser, agent, lang)
        page.click(f"#tab-{tab}")
        return page


@pytest.fixture
def floor(tmp_path: Path) -> Iterator[Floor]:
    """Anna (a-1) and Carla (a-3) in Berlin; a mug of 40 coins (2 in stock) and a
    day off of 300 in the store; 100 coins granted to Anna, 10 to Carla."""
    with company(tmp_path) as server:
        server.tokens["agent:a-3"] = server.cli(
            "token", "create", "--role", "agent", "--agent", "a-3"
        )
        earlier = iso(datetime.now(UTC) - timedelta(hours=2))
        server.post(
            [
                {
                    "id": "ag-3",
                    "type": "agent",
                    "ts": earlier,
                    "agent": "a-3",
                    "name": "Carla Neu",
                    "team": "t1",
                    "site": "ber",
                    "public_name": "Carla",
                },
                {
                    "id": "mug",
                    "type": "reward",
                    "ts": earlier,
                    "reward": "mug",
                    "name": "Mug",
                    "price": 40,
                    "stock": 2,
                },
                {
                    "id": "day",
                    "type": "reward",
                    "ts": earlier,
                    "reward": "day-off",
                    "name": "Day off",
                    "price": 300,
                },
                {
                    "id": "g-1",
                    "type": "coins",
                    "ts": earlier,
                    "agent": "a-1",
                    "amount": 100,
                    "reason": "top of the week",
                },
                # Carla holds the 10 a challenge of Anna's stakes.
                {
                    "id": "g-3",
                    "type": "coins",
                    "ts": earlier,
                    "agent": "a-3",
                    "amount": 10,
                    "reason": "welcome",
                },
            ],
            role="manager",
        )
        yield Floor(server)


def overflows(page: Any) -> Any:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def my_score(page: Any) -> Any:
    return page.evaluate(
        "() => { const s = document.querySelector('[data-contest] li.me .score');"
        " return s ? Number(s.dataset.score) : null; }"
    )


def their_score(page: Any) -> Any:
    return page.evaluate(
        "() => { const s = document.querySelector('[data-contest] li:not(.me) .score');"
        " return s ? Number(s.dataset.score) : null; }"
    )


def test_a_challenge_from_one_widget_accepted_in_another_and_scored_live(
    floor: Floor, browser: Any
) -> None:
    anna = floor.me(browser, "a-1")
    # Only Berlin colleagues are offered, by public name.
    assert anna.locator("#challenge select[name=opponent] option").all_inner_texts() == ["Carla"]
    anna.select_option("#challenge select[name=metric]", "sales")
    anna.fill("#challenge input[name=stake]", "10")
    anna.click("#challenge button[type=submit]")
    anna.locator("[data-contest] .challenge.waiting").wait_for()
    assert "Carla" in anna.inner_text("[data-contest]")
    assert anna.inner_text("#play-error") == ""
    until(anna, "document.querySelector('#challenge input[name=stake]').value === ''")

    carla = floor.me(browser, "a-3", "de")
    incoming = carla.locator("[data-testid=incoming]")
    incoming.wait_for()
    assert "Anna fordert dich heraus" in incoming.inner_text()
    assert "Einsatz: 10 Coins" in incoming.inner_text()
    assert carla.inner_text("#tab-play .count") == "1"
    shot(carla, "me-play-incoming-de-360x640")
    incoming.get_by_role("button", name="Annehmen").click()
    until(carla, "document.querySelectorAll('[data-contest] li').length === 2")
    until(anna, "document.querySelectorAll('[data-contest] li').length === 2")
    assert (my_score(anna), their_score(anna)) == (0, 0)
    # The wall board shows the running challenge too, by public names only.
    board = open_page(
        browser, f"{floor.server.base}/board?token={floor.server.tokens['display']}", 1920, 1080
    )
    board.goto(f"{floor.server.base}/board?scenes=contests")
    duel = board.locator("li.duel")
    duel.wait_for()
    assert (duel.locator(".home").inner_text(), duel.locator(".away").inner_text()) == (
        "Anna",
        "Carla",
    )
    assert duel.locator(".score").inner_text() == "0 : 0"

    now = datetime.now(UTC)
    floor.server.post(
        [sale("s-a1", agent="a-1", ts=iso(now)), sale("s-a2", agent="a-1", ts=iso(now))]
    )
    floor.server.post([sale("s-c1", agent="a-3", ts=iso(now))])
    until(anna, "document.querySelector('[data-contest] li.me .score')?.dataset.score === '2'")
    until(carla, "document.querySelector('[data-contest] li.me .score')?.dataset.score === '1'")
    # Each widget also follows the other's sales, as they come.
    until(
        anna, "document.querySelector('[data-contest] li:not(.me) .score')?.dataset.score === '1'"
    )
    until(
        carla, "document.querySelector('[data-contest] li:not(.me) .score')?.dataset.score === '2'"
    )
    assert (my_score(anna), their_score(anna), my_score(carla), their_score(carla)) == (2, 1, 1, 2)
    until(board, "document.querySelector('li.duel .score')?.textContent === '2 : 1'")
    assert "Neu" not in board.inner_text("body")  # Carla's full name stays off the wall
    # Sales in their cancellation window make the score provisional, and it says so.
    assert "provisional" in anna.inner_text("[data-contest] li.me")
    assert "vorläufig" in carla.inner_text("[data-contest] li.me")
    for page, lang in ((anna, "en"), (carla, "de")):
        assert not overflows(page)
        shot(page, f"me-play-running-{lang}-360x640")


def test_a_redemption_waits_is_approved_and_a_short_balance_says_why(
    floor: Floor, browser: Any
) -> None:
    anna = floor.me(browser, "a-1", tab="coins")
    until(anna, "document.querySelector('[data-testid=balance]')?.dataset.value === '100'")
    assert "+100 granted: top of the week" in anna.inner_text("#coin-history")

    anna.click("#tab-store")
    anna.locator("[data-reward=mug] button").click()
    assert "Spend 40 coins?" in anna.inner_text("[data-reward=mug]")  # asked first
    shot(anna, "me-store-confirm-en-360x640")
    anna.locator("[data-reward=mug] button.redeem-yes").click()
    held = anna.locator("#redemptions [data-state=held]")
    held.wait_for()
    assert "Mug" in held.inner_text() and "waiting for approval" in held.inner_text()
    anna.click("#tab-coins")
    until(anna, "document.querySelector('[data-testid=balance]')?.dataset.value === '60'")
    assert "40 held for redemptions" in anna.inner_text("#coins")
    assert "−40 Mug (waiting for approval)" in anna.inner_text("#coin-history")

    waiting = floor.manager("GET", "/api/rewards").json()["waiting"]
    [asked] = waiting
    decided = floor.manager(
        "POST",
        "/api/events",
        {
            "id": "decide-1",
            "type": "redemption_decision",
            "ts": iso(datetime.now(UTC)),
            "redemption": asked["redemption"],
            "approve": True,
        },
    )
    assert decided.status_code == 202, decided.text
    anna.click("#tab-store")
    anna.locator("#redemptions [data-state=approved]").wait_for()
    assert "approved" in anna.inner_text("#redemptions")
    anna.click("#tab-coins")
    until(anna, "!document.querySelector('#coins').innerText.includes('40 held')")
    assert anna.get_attribute("[data-testid=balance]", "data-value") == "60"

    # 300 coins for a day off, with 60: the button waits, and the price says why.
    anna.click("#tab-store")
    day_off = anna.locator("[data-reward=day-off]")
    assert day_off.locator("button").is_disabled()
    assert "not enough coins yet" in day_off.locator("small.short").inner_text()
    assert not overflows(anna)
    shot(anna, "me-store-redeemed-en-360x640")


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_new_tabs_fit_a_phone(floor: Floor, browser: Any, lang: str) -> None:
    anna = floor.me(browser, "a-1", lang, tab="store")
    anna.locator("[data-reward=mug]").wait_for()
    text = anna.inner_text("[data-reward=mug]")
    assert ("40 coins" if lang == "en" else "40 Coins") in text
    for tab in ("play", "coins", "store"):
        anna.click(f"#tab-{tab}")
        assert not overflows(anna), tab
        shot(anna, f"me-{tab}-{lang}-360x640")
    tabs = anna.evaluate(
        "[...document.querySelectorAll('[role=tab]')].map((t) => t.scrollWidth <= t.clientWidth)"
    )
    assert all(tabs), "every tab's name fits its button"


def test_a_decided_challenge_shows_who_won_in_both_languages(floor: Floor, browser: Any) -> None:
    """A manager paired Anna and Carla for a window that ended over its grace
    period ago: the result stands, provisional while its sales are in their window."""
    now = datetime.now(UTC)
    floor.server.post(
        [
            sale("s-old-1", agent="a-3", ts=iso(now - timedelta(hours=3))),
            {
                "id": "paired",
                "type": "contest",
                "ts": iso(now),
                "contest": "duel-1",
                "format": "challenge",
                "name": "Morning duel",
                "metric": "sales",
                "starts": iso(now - timedelta(hours=4)),
                "ends": iso(now - timedelta(hours=2)),
                "agents": ["a-1", "a-3"],
            },
        ],
        role="manager",
    )
    carla = floor.me(browser, "a-3", "de")
    until(carla, "document.querySelector('[data-testid=result]')?.innerText.includes('gewonnen')")
    assert carla.inner_text("[data-testid=result]") == "Du hast gewonnen!"
    assert "vorläufig" in carla.inner_text("[data-contest]")
    anna = floor.me(browser, "a-1", "en")
    until(anna, "document.querySelector('[data-testid=result]')")
    assert anna.inner_text("[data-testid=result]") == "Won by Carla"
    assert "· ended " in anna.inner_text("[data-contest]")
    shot(anna, "me-play-decided-en-360x640")


def test_a_challenge_waiting_for_the_agents_answer_comes_first(floor: Floor, browser: Any) -> None:
    now = datetime.now(UTC)
    battle = {
        "id": "launch-floor",
        "type": "contest",
        "ts": iso(now - timedelta(minutes=5)),
        "contest": "floor",
        "format": "team_battle",
        "name": "Floor battle",
        "metric": "sales",
        "starts": iso(now - timedelta(minutes=5)),
        "ends": iso(now + timedelta(hours=2)),
        "agents": ["a-1", "a-3"],
    }
    assert floor.manager("POST", "/api/events", battle).status_code == 202
    anna = floor.me(browser, "a-1")
    anna.click("#challenge button[type=submit]")
    anna.locator("[data-contest] .challenge.waiting").wait_for()
    carla = floor.me(browser, "a-3")
    carla.locator("[data-testid=incoming]").wait_for()
    first = carla.locator("#contests [data-contest]").first
    assert first.locator("[data-testid=incoming]").count() == 1, carla.inner_text("#contests")
    assert carla.locator("#contests [data-contest]").count() == 2
