"""Channels in a browser: a manager plans a screen from the console, and a board
opened on the channel shows it and follows a change without anyone at the TV."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_browser import Server, company
from tests.test_console_walk import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with company(tmp_path) as running:
        yield running


def shown_scenes(board: Any) -> list[str]:
    return list(
        board.eval_on_selector_all("#scene-dots .dot", "dots => dots.map(d => d.textContent)")
    )


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_manager_plans_a_channel_and_the_screen_on_it_follows(
    server: Server, browser: Any, lang: str
) -> None:
    console = sign_in(browser, server, lang)
    console.tab("access")
    console.page.wait_for_selector("[data-testid=no-channels]")
    form = console.page.locator("#channel-form")
    form.locator("input[name=name]").fill("Foyer Berlin")
    form.locator("input[value=league]").uncheck()
    form.locator("input[value=charts]").uncheck()
    form.locator("select[name=site]").select_option("ber")
    form.locator("button[type=submit]").click()
    row = console.page.locator("#channels tr[data-channel=foyer-berlin]")
    row.wait_for(timeout=5000)
    assert "Berlin" in row.inner_text()
    address = row.locator("a").get_attribute("href")
    assert address is not None and address.endswith("/board?channel=foyer-berlin")
    console.shot(f"{lang}-access-channels")

    board = browser.new_page(viewport={"width": 1920, "height": 1080})
    board.goto(f"{address}&token={server.tokens['display']}&lang={lang}")
    board.wait_for_selector(".status.online")
    assert board.is_visible("#scene-leaders") and not board.is_visible("#scene-league")
    assert len(shown_scenes(board)) == 1
    assert "Berlin" in board.inner_text("#title")

    # Re-planned from the desk: the league and the charts, everywhere.
    row.locator("button", has_text="Edit" if lang == "en" else "Bearbeiten").click()
    form.locator("input[value=leaders]").uncheck()
    form.locator("input[value=league]").check()
    form.locator("input[value=charts]").check()
    form.locator("select[name=site]").select_option("")
    form.locator("button[type=submit]").click()
    board.locator("#scene-dots .dot").nth(1).wait_for(timeout=15000)
    assert len(shown_scenes(board)) == 2
    assert board.is_visible("#scene-league")
    assert "Berlin" not in board.inner_text("#title")

    # Removed: the screen says what is wrong rather than going blank or stale.
    console.page.locator("#channels tr[data-channel=foyer-berlin] button").nth(1).click()
    console.page.wait_for_selector("[data-testid=no-channels]")
    board.wait_for_selector("text=foyer-berlin", timeout=15000)
    assert console.page.errors == []
