"""The agent's desk widget (``/me``) in a real browser, at a phone's 360 x 640.

A busy agent (sales, a contact, a goal, a prize, a tombola ticket, a live match)
and a brand-new one (on the roster, nothing else yet), in English and German.
Screenshots land in ``screenshots/`` for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import contact, sale
from tests.scoring_helpers import whole_rules
from tests.test_browser import SHOTS, Server, browser, company, iso, open_page, start_season

pytestmark = pytest.mark.browser
__all__ = ["browser"]

#: a machine-made rule set id, as the API makes one when a manager gives none
MACHINE_ID = "rules-1796238919856-c80738"
MOBILE = "Mobilfunk-Vertrag"
#: 30 points a contract and 0.2 a euro, 4 € fixed; anything else 10 + 0.1/€, 10 %
RULES = whole_rules(
    sale={
        "products": {MOBILE: {"base": 30, "per_euro": 0.2}, "*": {"base": 10, "per_euro": 0.1}},
        "groups": {"mobile-upgrade": MOBILE},
    },
    commission={MOBILE: {"fixed": 4}, "*": {"percent": 10}},
    gates={"month": {"min_sales": 5, "min_quality": 75}},
)
VIEWPORTS = ((360, 640), (400, 800))


class Desk:
    def __init__(self, server: Server) -> None:
        self.server = server

    def me(self, browser: Any, agent: str, lang: str, width: int = 360, height: int = 640) -> Any:
        token = self.server.tokens[f"agent:{agent}"]
        page = open_page(browser, f"{self.server.base}/me?token={token}&lang={lang}", width, height)
        page.wait_for_selector("[data-testid=today] [data-value]")
        return page

    def manager(self, method: str, path: str, body: Any = None) -> httpx.Response:
        return httpx.request(
            method,
            f"{self.server.base}{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.server.tokens['manager']}"},
        )


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    """Anna (a-1) busy today; Carla (a-3) on the roster since this morning, nothing else."""
    with company(tmp_path) as server:
        server.tokens["agent:a-3"] = server.cli(
            "token", "create", "--role", "agent", "--agent", "a-3"
        )
        now = datetime.now(UTC)
        earlier = now - timedelta(hours=20)
        server.post(
            [
                {"id": MACHINE_ID, "type": "rules", "ts": iso(earlier), "rules": RULES},
                {
                    "id": "ag-3",
                    "type": "agent",
                    "ts": iso(earlier),
                    "agent": "a-3",
                    "name": "Carla Neu",
                    "team": "t1",
                    "site": "ber",
                },
                {
                    "id": "p-cinema",
                    "type": "prize",
                    "ts": iso(earlier),
                    "prize": "cinema",
                    "name": "Cinema voucher",
                    "stock": 10,
                },
                {
                    "id": "r-cinema",
                    "type": "prize_rule",
                    "ts": iso(earlier),
                    "rule": "big-sale",
                    "kind": "instant",
                    "prize": "cinema",
                    "min_revenue": "40.00",
                },
                {
                    "id": "goal-1",
                    "type": "goal",
                    "ts": iso(earlier),
                    "agent": "a-1",
                    "title": "Vespa",
                    "price": "3000.00",
                },
            ],
            role="manager",
        )
        start_season(server)
        opened = Desk(server).manager(
            "POST",
            "/api/tombolas",
            {
                "tombola": "weekly",
                "name": "Weekly tombola",
                "prizes": ["cinema"],
                "ts": iso(now - timedelta(hours=1)),
                "closes": iso(now + timedelta(days=3)),
            },
        )
        assert opened.status_code == 201, opened.text
        server.post(
            [
                sale("s-1", agent="a-1", revenue="45.53", ts=iso(now)),
                sale("s-2", agent="a-1", product="tv-basic", revenue="20.00", ts=iso(now)),
                contact("c-1", agent="a-1", quality=72, ts=iso(now)),
            ]
        )
        yield Desk(server)


TOP = ("points-today", "commission", "goal", "gates")


def boxes(page: Any) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, float]] = page.evaluate(
        """(names) => Object.fromEntries(names.map((name) => {
            const box = document.querySelector(`[data-testid=${name}]`).getBoundingClientRect();
            return [name, { top: box.top, bottom: box.bottom, left: box.left, right: box.right }];
        }))""",
        list(TOP),
    )
    return found


@pytest.mark.parametrize("lang", ["en", "de"])
def test_at_360_by_640_the_top_figures_fit_without_scrolling(
    desk: Desk, browser: Any, lang: str
) -> None:
    page = desk.me(browser, "a-1", lang)
    # 39.11 + 12 points of sales and 4 of a contact; 4 € fixed and 10 % of 20 €
    shown = {
        "en": ("55.11", "€6.00", "€3,000.00", "3 more sales (2 of 5)", "Quality 72% of 75%"),
        "de": (
            "55,11",
            "6,00 €",
            "3.000,00 €",
            "noch 3 Verkäufe (2 von 5)",
            "Qualität 72 % von 75 %",
        ),
    }[lang]
    today, commission, price, sales, quality = shown
    assert page.inner_text("#points-today") == today
    assert page.inner_text("#commission").replace("\u00a0", " ") == commission
    text = page.inner_text("body").replace("\u00a0", " ").replace("\u202f", " ")
    for words in (price, sales, quality):
        assert words in text, (words, text)
    for name, box in boxes(page).items():
        assert box["top"] >= 0 and box["bottom"] <= 640, (name, box)
        assert box["left"] >= 0 and box["right"] <= 360, (name, box)
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.problems == []


def test_six_figure_points_and_commission_stay_inside_their_half_at_360(
    desk: Desk, browser: Any
) -> None:
    now = iso(datetime.now(UTC))
    desk.server.post(
        [
            sale("big-1", agent="a-3", revenue="999999.99", ts=now),
            sale("big-2", agent="a-3", product="tv-basic", revenue="999999.99", ts=now),
        ]
    )
    page = desk.me(browser, "a-3", "de")
    page.wait_for_selector("#commission >> text=100.004,00")
    # 30 + 0.2 a euro and 10 + 0.1 a euro of 999,999.99 each, to the cent
    assert page.inner_text("#points-today") == "300.040"
    overflow = page.evaluate(
        """() => ["points-today", "commission"].map((id) => {
            const figure = document.getElementById(id);
            return figure.scrollWidth > figure.parentElement.clientWidth;
        })"""
    )
    assert overflow == [False, False]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(SHOTS / "me-large-de-360x640.png"))


def test_an_opted_out_agent_sees_the_box_checked_and_their_public_name(
    desk: Desk, browser: Any
) -> None:
    desk.server.post(
        {
            "id": "choice",
            "type": "profile",
            "ts": iso(datetime.now(UTC)),
            "agent": "a-1",
            "public_name": "Anni",
            "opt_out": True,
        },
        role="manager",
    )
    page = desk.me(browser, "a-1", "de")
    page.click("#tab-profile")
    page.wait_for_function("!document.querySelector('#profile button').disabled")
    form = page.locator("#profile")
    assert form.locator("input[name=opt_out]").is_checked()
    assert form.locator("input[name=public_name]").input_value() == "Anni"
    assert page.problems == []


def test_my_prizes_lists_a_prize_won_and_shows_it_handed_over(desk: Desk, browser: Any) -> None:
    page = desk.me(browser, "a-1", "en")
    page.click("#tab-prizes")
    won = page.locator("#prizes li", has_text="Cinema voucher")
    assert won.get_attribute("data-state") == "awarded"
    assert "to collect" in won.inner_text() and "for a sale of €45.53" in won.inner_text()
    assert page.inner_text("#tab-prizes .count") == "1"
    listed = desk.manager("GET", "/api/manage/awards?agent=a-1").json()["awards"]
    [award] = [a for a in listed if a["prize"] == "cinema"]
    assert desk.manager("POST", award["handover"]).status_code == 201
    page.wait_for_selector("#prizes li[data-state=handed_over] >> text=handed over")
    assert "Cinema voucher" in page.inner_text("#prizes li[data-state=handed_over]")
    assert page.problems == []


def test_why_these_points_speaks_german_with_the_rules_name_not_its_id(
    desk: Desk, browser: Any
) -> None:
    page = desk.me(browser, "a-1", "de")
    page.click("#tab-why")
    why = page.inner_text("[data-testid=why]").replace("\u00a0", " ")
    assert f"{MOBILE}: 30 Punkte + 0,20 je € × 45,53 € = 39,11 Punkte · Provision 4,00 €" in why, (
        why
    )
    assert "Provision 2,00 € (10 % vom Umsatz)" in why.replace("\u202f", " ")
    assert "Kontakt: 1 bearbeitet" in why
    assert MACHINE_ID not in page.content()
    for english in ("points", "commission", "rules", "contact"):
        assert english not in why.lower(), english
    assert page.problems == []


def test_a_brand_new_agent_reads_sentences_where_figures_are_missing(
    desk: Desk, browser: Any
) -> None:
    page = desk.me(browser, "a-3", "en")
    assert page.inner_text("#points-today") == "0"
    assert page.inner_text("#today-note") == (
        f"No sales yet today: the first one ({MOBILE}) counts 30 points + 0.20 per €."
    )
    assert page.inner_text("#goal").startswith("No goal yet")
    assert "5 more sales (0 of 5)" in page.inner_text("#gates")
    page.click("#tab-prizes")
    assert page.inner_text("#prizes") == "No prizes yet."
    assert page.inner_text("#chances") == "A sale of €40.00 or more wins: Cinema voucher."
    assert "—" not in page.inner_text("body")
    assert page.problems == []


def test_between_tombolas_and_matchdays_the_widget_says_what_comes_next(
    tmp_path: Path, browser: Any
) -> None:
    with company(tmp_path) as server:
        now = datetime.now(UTC)
        tomorrow = now + timedelta(days=1)
        server.post(
            {
                "id": "season",
                "type": "league_season",
                "ts": iso(now),
                "season": "s1",
                "name": "Winter Cup",
                "goal_every": 10,
                "windows": [
                    [iso(tomorrow), iso(tomorrow + timedelta(hours=8))],
                    [iso(now + timedelta(days=2)), iso(now + timedelta(days=3))],
                ],
                "clubs": [
                    {"club": "ber", "name": "Berlin", "heads": 1},
                    {"club": "lei", "name": "Leipzig", "heads": 1},
                ],
            },
            role="manager",
        )
        opened = Desk(server).manager(
            "POST",
            "/api/tombolas",
            {
                "tombola": "monday",
                "name": "Monday tombola",
                "prizes": ["none"],
                "ts": iso(tomorrow),
                "closes": iso(now + timedelta(days=8)),
            },
        )
        assert opened.status_code == 201, opened.text
        page = Desk(server).me(browser, "a-1", "de")
        at = page.evaluate(
            "(iso) => new Intl.DateTimeFormat('de', {timeZone: 'Europe/Berlin', "
            "hour: 'numeric', minute: '2-digit'}).format(new Date(iso))",
            iso(tomorrow),
        )
        page.click("#tab-match")
        assert page.inner_text("#match") == (
            f"Gerade kein Spiel. Als Nächstes: 1. Spieltag, Berlin – Leipzig, morgen um {at}."
        )
        page.click("#tab-tombola")
        assert page.inner_text("#tickets") == (
            f"Gerade keine Tombola. Die nächste, Monday tombola, öffnet morgen um {at}."
        )
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "me-between-de-360x640.png"))
        assert "—" not in page.inner_text("body")
        assert page.problems == []


def test_screenshots_busy_and_new_in_both_languages(desk: Desk, browser: Any) -> None:
    SHOTS.mkdir(exist_ok=True)
    for agent, who in (("a-1", "busy"), ("a-3", "new")):
        for lang in ("en", "de"):
            for width, height in VIEWPORTS:
                page = desk.me(browser, agent, lang, width, height)
                page.screenshot(path=str(SHOTS / f"me-{who}-{lang}-{width}x{height}.png"))
                for tab in ("prizes", "tombola", "match", "profile"):
                    page.click(f"#tab-{tab}")
                    page.screenshot(
                        path=str(SHOTS / f"me-{who}-{lang}-{width}x{height}-{tab}.png"),
                        full_page=True,
                    )
                    assert page.evaluate("document.documentElement.scrollWidth") <= width
                page.click("#tab-why")
                assert page.problems == []
                page.close()
