"""The board's contests scene on a real server: a manager launches a cup of four
sites as an integration would (``POST /api/events``), sales decide its ties as
the log's clock moves on (a manager's ticks, the simulated clock), and the
bracket on the board follows: the live score, who went through, the final, the
winner marked provisional while its sales are in their window, and a card."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import sale, until
from tests.test_browser import SHOTS, Server, browser, iso, open_page, server

pytestmark = pytest.mark.browser
__all__ = ["browser", "server"]  # the fixtures this module borrows

#: two more sites beside the fixture's Berlin (a-1) and Leipzig (a-2), one agent each
MORE = [
    {"id": "site-ham", "type": "site", "site": "ham", "name": "Hamburg", "colour": "#2ca02c"},
    {"id": "site-muc", "type": "site", "site": "muc", "name": "München", "colour": "#9467bd"},
    {"id": "team-3", "type": "team", "team": "t3", "name": "Alster", "site": "ham"},
    {"id": "team-4", "type": "team", "team": "t4", "name": "Isar", "site": "muc"},
    {"id": "ag-3", "type": "agent", "agent": "a-3", "name": "Cem Ay", "team": "t3", "site": "ham"},
    {"id": "ag-4", "type": "agent", "agent": "a-4", "name": "Dora Uhl", "team": "t4"}
    | {"site": "muc"},
]


def tick(server: Server, moment: datetime) -> None:
    server.post({"id": f"tick-{iso(moment)}", "type": "tick", "ts": iso(moment)}, role="manager")


def sales(server: Server, moment: datetime, counts: dict[str, int]) -> None:
    server.post(
        [
            sale(f"s-{agent}-{iso(moment)}-{n}", agent=agent, ts=iso(moment))
            for agent, count in counts.items()
            for n in range(count)
        ]
    )


#: each round's ties as the board shows them: [[[name, score, through], ...], ...]
TIES = """[...document.querySelectorAll('.cup-round')].map((round) =>
  [...round.querySelectorAll('.cup-tie')].map((tie) =>
    [...tie.querySelectorAll('.cup-side')].map((side) => [
      side.querySelector('.name') ? side.querySelector('.name').textContent : '',
      side.querySelector('.value') ? side.querySelector('.value').textContent : '',
      side.classList.contains('through')])))"""


def shows(page: Any, expected: list[Any]) -> None:
    """Wait until the bracket's rounds are ``expected``; fail naming what it shows."""
    try:
        until(page, f"(expected) => JSON.stringify({TIES}) === JSON.stringify(expected)", expected)
    except TimeoutError:
        assert page.evaluate(f"() => {TIES}") == expected


def test_a_cup_launched_by_post_advances_on_the_board_as_sales_decide_its_ties(
    server: Server, browser: Any
) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    server.post([{**event, "ts": iso(now - timedelta(days=1))} for event in MORE], role="manager")
    # Windows about now: a sale is refused more than five minutes ahead of the
    # machine's clock, whatever the log's.
    start = now - timedelta(minutes=30)
    minutes = [timedelta(minutes=m) for m in (2, 3, 5)]
    rounds = [[start, now + minutes[0]], [now + minutes[1], now + minutes[2]]]
    server.post(
        {
            "id": "launch-cup",
            "type": "contest",
            "ts": iso(now),
            "contest": "cup",
            "format": "cup",
            "name": "Winter Cup",
            "metric": "sales",
            "sites": ["ber", "lei", "ham", "muc"],
            "seeding": ["ber", "lei", "ham", "muc"],
            "starts": iso(start),
            "ends": iso(rounds[1][1]),
            "rounds": [[iso(a), iso(b)] for a, b in rounds],
            "grace_minutes": 0,
        },
        role="manager",
    )
    page = open_page(browser, f"{server.base}/board?token={server.tokens['display']}")
    page.goto(f"{server.base}/board?scenes=contests&lang=de")
    # Round one: Berlin (seed 1) plays München (4), Leipzig (2) plays Hamburg (3).
    page.wait_for_selector(".cup-tie")
    sales(server, now, {"a-1": 2, "a-4": 1, "a-2": 1, "a-3": 3})
    waiting = [[["", "", False], ["", "", False]]]  # the final, for both its sides
    shows(
        page,
        [
            [
                [["Berlin", "2", False], ["München", "1", False]],
                [["Leipzig", "1", False], ["Hamburg", "3", False]],
            ],
            waiting,
        ],
    )
    assert page.locator(".cup-tie.live").count() == 2
    assert page.text_content(".cup-round:last-child h3") == "Finale"
    page.screenshot(path=str(SHOTS / "contests-cup-round-1-de.png"))

    # The round's window ends: Berlin and Hamburg go through, into the final.
    tick(server, now + minutes[0] + timedelta(seconds=1))
    semis = [
        [["Berlin", "2", True], ["München", "1", False]],
        [["Leipzig", "1", False], ["Hamburg", "3", True]],
    ]
    shows(page, [semis, [[["Berlin", "", False], ["Hamburg", "", False]]]])
    # One leg: the score says how it was decided.
    assert "Gesamtergebnis" not in page.inner_text(".bracket")

    # The final: Hamburg sells more, and wins the cup, provisionally.
    tick(server, now + timedelta(minutes=4, seconds=30))
    sales(server, now + timedelta(minutes=4), {"a-1": 1, "a-3": 2})
    shows(page, [semis, [[["Berlin", "1", False], ["Hamburg", "2", False]]]])
    tick(server, now + minutes[2] + timedelta(seconds=1))
    shows(page, [semis, [[["Berlin", "1", False], ["Hamburg", "2", True]]]])
    until(page, "document.querySelector('[data-testid=contest-winners]')")
    winners = page.inner_text("[data-testid=contest-winners]")
    assert "Hamburg" in winners and "vorläufig" in winners
    # Its sales are still in their cancellation window: the result is provisional.
    assert "vorläufig" in page.inner_text("#contest-panels .panel h2")
    page.wait_for_selector("#celebration:not([hidden])[data-kind=contest_provisional]")
    assert "Hamburg" in page.inner_text("#celebration")
    page.screenshot(path=str(SHOTS / "contests-cup-won-de.png"))
    page.context.close()
