"""Two seasons at once on real boards: one pinned to each season by its setting, one
taking turns; a season's goal is celebrated only over that season's table."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import sale
from tests.test_browser import SHOTS, Server, browser, iso, open_page, server

pytestmark = pytest.mark.browser
__all__ = ["browser", "server"]  # the fixtures this module borrows


def launch(server: Server, season: str, name: str, goal_every: float) -> None:
    now = datetime.now(UTC)
    server.post(
        {
            "id": f"launch-{season}",
            "type": "league_season",
            "ts": iso(now),
            "season": season,
            "name": name,
            "windows": [[iso(now - timedelta(hours=1)), iso(now + timedelta(hours=23))]],
            "double": False,
            "goal_every": goal_every,
            "clubs": [
                {"club": "ber", "name": "Berlin", "heads": 1},
                {"club": "lei", "name": "Leipzig", "heads": 1},
            ],
        },
        role="manager",
    )


def board(browser: Any, server: Server, settings: str) -> Any:
    url = f"{server.base}/board?token={server.tokens['display']}&scenes=league&{settings}"
    page = open_page(browser, url)
    page.wait_for_selector("#league-table table")
    return page


def celebrates_within(page: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not page.locator("#celebration").is_hidden():
            return True
        time.sleep(0.05)
    return False


def test_boards_pinned_and_rotating_show_their_seasons_and_only_their_goals(
    server: Server, browser: Any
) -> None:
    # A sale of 10 points scores in the autumn league (a goal every 10 points a
    # head) and not in the cup (every 1,000).
    launch(server, "autumn", "Autumn League", 10)
    launch(server, "cup", "Winter Cup", 1000)
    pinned_cup = board(browser, server, "season=cup")
    pinned_autumn = board(browser, server, "season=autumn")
    turns = board(browser, server, "rotate=5")

    assert pinned_cup.text_content("#table-title") == "Table · Winter Cup"
    assert pinned_autumn.text_content("#table-title") == "Table · Autumn League"
    # The board that takes turns shows the first season launched, then the next.
    assert turns.text_content("#table-title") == "Table · Autumn League"
    assert turns.text_content("#scene-dots .dot.active") == "League · Autumn League"
    turns.wait_for_selector("#table-title >> text=Table · Winter Cup", timeout=7000)
    assert turns.text_content("#scene-dots .dot.active") == "League · Winter Cup"
    assert "season=cup" in pinned_cup.url and "token=" not in pinned_cup.url

    # An autumn goal, while the rotating board shows the cup.
    server.post(sale("s-1", agent="a-1", revenue="0.00", ts=iso(datetime.now(UTC))))
    pinned_autumn.wait_for_selector("#celebration:not([hidden])[data-kind=goal]", timeout=2000)
    assert "Berlin 1 : 0 Leipzig" in pinned_autumn.inner_text("#celebration-text")
    assert pinned_autumn.get_attribute("#celebration", "data-season") == "autumn"
    assert not celebrates_within(pinned_cup, 1.5)
    assert not celebrates_within(turns, 0.5)
    assert turns.text_content("#table-title") == "Table · Winter Cup"
    # The goal is in the autumn table's live match, where the board shows it in turn.
    pinned_autumn.wait_for_selector("#live-matches >> text=1 : 0")
    assert "0 : 0" in pinned_cup.inner_text("#live-matches")

    SHOTS.mkdir(exist_ok=True)
    turns.screenshot(path=str(SHOTS / "board-two-seasons-turns-1080p.png"))
    pinned_cup.screenshot(path=str(SHOTS / "board-pinned-cup-1080p.png"))
    pinned_autumn.screenshot(path=str(SHOTS / "board-pinned-autumn-goal-1080p.png"))
    turns.wait_for_selector("#table-title >> text=Table · Autumn League", timeout=7000)
    turns.wait_for_selector("#live-matches >> text=1 : 0")
    scroll = turns.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert scroll == [1920, 1080]
    for page in (pinned_cup, pinned_autumn, turns):
        assert page.problems == []
