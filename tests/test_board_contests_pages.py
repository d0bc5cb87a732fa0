"""The contests scene with more contests than one screen holds, in Chromium.

The eighteen sites of ``test_board_layout`` play three more contests beside their
cup, battle, race and challenges: a battle of all eighteen sites, one of twelve
teams and a second race of twelve agents, and three more challenges. At 1920x1080
that is more than one page holds at the board's least size, so the scene shows
its panels a page at a time within its turn: every contest on some page, each
page laid out legibly (``tests/board_layout.js``), the header saying which page
is shown ("Contests 1/3"). A live sale leaves the page on screen as it is. A list
too long for a page of its own shows its first rows and how many more there are.

The board's clock is Playwright's: the test moves it on to turn the pages, so
that no page turns by itself while the test looks at it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from scoring.log import format_ts
from tests.conftest import chromium, serving
from tests.helpers import sale, until
from tests.test_board_layout import (
    COMPANY,
    LAYOUT,
    MIN_PX_AT_1080,
    SHOTS,
    SIZES,
    eighteen_sites,
    wallboard,
    write_log,
)
from tests.test_browser import Server, iso, open_page, server

pytestmark = pytest.mark.browser
__all__ = ["server"]  # the fixture this module borrows

#: seconds the scene stays on screen: far longer than the test looks at a page,
#: whose turns it makes itself with the page's clock
ROTATE = 600
#: the challenges the board shows (the third has an agent who opted out)
DUELS = {"duel-1", "duel-2", "duel-4", "duel-5", "duel-6"}
#: the panels: one per contest, one for all the challenges
PANELS = {"battle", "cup", "race", "all-sites", "teams", "second-race", "challenges"}


def more_contests(now: datetime) -> list[dict[str, Any]]:
    """Beside the eighteen sites' own: a battle of all of them, one of twelve teams,
    a second race of twelve agents and three more challenges, from twelve hours ago
    to six hours ahead."""

    def contest(ident: str, **fields: Any) -> dict[str, Any]:
        return {
            "id": f"contest-{ident}",
            "type": "contest",
            "ts": format_ts(now - timedelta(hours=13)),
            "contest": ident,
            "metric": "points",
            "starts": format_ts(now - timedelta(hours=12)),
            "ends": format_ts(now + timedelta(hours=6)),
        } | fields

    sites = [f"s{n:02d}" for n in range(1, 19)]
    return [
        contest("all-sites", format="team_battle", name="All eighteen sites", sites=sites),
        contest("teams", format="team_battle", name="Team battle", metric="sales")
        | {"teams": [f"{site}-1" for site in sites[6:]]},
        contest("second-race", format="race", name="Second to 20", metric="sales")
        | {"agents": [f"s{n}-{a}" for n in (10, 11, 12) for a in (1, 2, 3, 4)], "target": 20},
        contest("duel-4", format="challenge", name="Duel", agents=["s13-1", "s14-1"]),
        contest("duel-5", format="challenge", name="Duel", agents=["s15-2", "s16-2"]),
        contest("duel-6", format="challenge", name="Duel", agents=["s17-3", "s18-3"]),
    ]


@dataclass
class Wall:
    base: str
    #: the board's address with its token, opened once to set the cookie
    link: str
    ingest: str


@pytest.fixture(scope="module")
def wall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wall]:
    tmp = tmp_path_factory.mktemp("pages")
    now = datetime.now(UTC).replace(microsecond=0)
    url = f"sqlite:///{tmp / 'log.db'}"
    events = eighteen_sites(now) + more_contests(now)
    # In a thread of its own: Playwright's loop may run in this one already.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(lambda: asyncio.run(write_log(url, events, now))).result()
    env = {**os.environ, "WALLBOARD_STORE": url, "WALLBOARD_COMPANY": COMPANY}
    display = wallboard(env, "token", "create", "--role", "display")
    ingest = wallboard(env, "token", "create", "--role", "ingest", "--source", "crm")
    with serving(env, tmp) as base:
        yield Wall(base, f"{base}/board?token={display}", ingest)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


#: what the scene shows: the page's number, its panels and duels, and how many
#: lists say they left rows out
SHOWN = """() => ({
  page: document.querySelector('[data-testid=scene-page]')?.textContent || '',
  panels: [...document.querySelectorAll('#contest-panels .panel')].map((p) => p.dataset.contest),
  duels: [...document.querySelectorAll('#contest-panels .duel')].map((d) => d.dataset.contest),
  more: document.querySelectorAll('[data-testid=contest-more].room').length,
})"""


def open_contests(browser: Any, wall: Wall, size: tuple[int, int], lang: str) -> Any:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    context.clock.install()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    page.goto(wall.link)  # the token into the cookie
    page.goto(f"{wall.base}/board?scenes=contests&rotate={ROTATE}&lang={lang}")
    page.wait_for_selector(".status.online")
    page.wait_for_selector("#contest-panels .panel")
    return page


def pages_of(page: Any) -> int:
    """How many pages the scene has, from the header's "1/3"."""
    label = until(page, "document.querySelector('[data-testid=scene-page]')?.textContent")
    first, count = (int(n) for n in label.split("/"))
    assert first == 1, label
    return count


def turn(page: Any, to: int, count: int) -> dict[str, Any]:
    """Move the page's clock on by a page's share of the turn: page ``to`` shows."""
    page.clock.fast_forward(ROTATE * 1000 // count + 100)
    until(page, f"({SHOWN})().page === '{to}/{count}'")
    shown: dict[str, Any] = page.evaluate(SHOWN)
    return shown


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("size", SIZES, ids=["1080p", "4k"])
def test_every_contest_shows_on_a_page_of_its_own_that_fits(
    wall: Wall, browser: Any, size: tuple[int, int], lang: str
) -> None:
    page = open_contests(browser, wall, size, lang)
    count = pages_of(page)
    assert count >= 2
    seen: list[dict[str, Any]] = []
    problems: dict[str, list[str]] = {}
    shown = page.evaluate(SHOWN)
    for number in range(1, count + 1):
        if number > 1:
            shown = turn(page, number, count)
        assert shown["page"] == f"{number}/{count}"
        seen.append(shown)
        problems[shown["page"]] = page.evaluate(LAYOUT, MIN_PX_AT_1080)
        page.screenshot(path=str(SHOTS / f"contests-page-{number}-{lang}-{size[1]}p.png"))
    # Round again: the first page follows the last.
    assert turn(page, 1, count)["panels"] == seen[0]["panels"]
    assert page.errors == []
    page.context.close()
    panels = [panel for shown in seen for panel in shown["panels"]]
    assert sorted(panels) == sorted(PANELS)  # each on one page
    assert {duel for shown in seen for duel in shown["duels"]} == DUELS
    assert [shown["more"] for shown in seen] == [0] * count  # none cut short for room
    report = [f"page {n}: {problem}" for n, found in problems.items() for problem in found]
    assert report == [], "\n".join(report)


def test_a_live_sale_leaves_the_page_on_screen(wall: Wall, browser: Any) -> None:
    page = open_contests(browser, wall, SIZES[0], "en")
    count = pages_of(page)
    second = turn(page, 2, count)
    # A sale in the second race and the battle of all sites, on the board at once.
    now = datetime.now(UTC)
    response = httpx.post(
        f"{wall.base}/api/events",
        json=sale("live-sale", agent="s10-1", ts=iso(now), revenue="77.77"),
        headers={"Authorization": f"Bearer {wall.ingest}"},
    )
    assert response.status_code == 202, response.text
    until(page, "document.getElementById('ticker').textContent.includes('77.77')")
    assert page.evaluate(SHOWN) == second
    page.context.close()


def test_a_list_too_long_for_a_page_says_how_many_more(server: Server, browser: Any) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    duels = 40
    server.post(
        [
            {
                "id": f"launch-duel-{n}",
                "type": "contest",
                "ts": iso(now),
                "contest": f"duel-{n}",
                "format": "challenge",
                "name": "Duel",
                "metric": "sales",
                "agents": ["a-1", "a-2"],
                "starts": iso(now - timedelta(hours=1)),
                "ends": iso(now + timedelta(hours=1)),
            }
            for n in range(duels)
        ],
        role="manager",
    )
    page = open_page(browser, f"{server.base}/board?token={server.tokens['display']}")
    page.goto(f"{server.base}/board?scenes=contests&lang=de")
    page.wait_for_selector(".duels .duel")
    shown = page.locator(".duels .duel").count()
    assert 0 < shown < duels
    # One panel, alone on its one page: no page to turn to, its last line says
    # how many duels it left out, and no row is cut in half.
    assert page.locator("[data-testid=scene-page]").count() == 0
    assert page.inner_text("[data-testid=contest-more]") == f"+{duels - shown} weitere"
    assert page.evaluate(LAYOUT, MIN_PX_AT_1080) == []
    page.screenshot(path=str(SHOTS / "contests-more-de-1080p.png"))
    page.context.close()
