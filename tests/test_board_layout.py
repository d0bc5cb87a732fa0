"""The TV board laid out for a wall, checked in Chromium from the DOM's boxes.

Two companies: the demo's (six sites, three live matches, a season four
matchdays in) and one of eighteen sites (nine live matches, five matchdays
played), branded with a logo, an accent colour and the light theme. At
1920x1080 and 3840x2160, in English and German, on every scene: no text or
panel lies outside the viewport, is cut off by a box it sits in, or overlaps
another, and no text is smaller than the board's least size (``--type-min``:
2.6vh, 28 px at 1080p). And one site has one colour in the table, the matches,
both charts and their key.

Screenshots of every scene land in ``screenshots/`` for a person to look at.
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from scoring.events import validate
from scoring.log import format_ts
from tests.conftest import chromium, free_port, serving
from wallboard.history import stamped, tick
from wallboard.simulator import FIRST, LAST, RULES
from wallboard.store import open_store
from wallboard.tokens import MANAGER_SOURCE

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
#: the board's least text size at 1080p (board.css: --type-min, 2.6vh)
MIN_PX_AT_1080 = 28.0
SIZES = [(1920, 1080), (3840, 2160)]
SCENES = ["league", "leaders", "charts", "contests"]
COMPANY = "Nordlicht Telecom"
CITIES = [
    "Aachen",
    "Bremen",
    "Dresden",
    "Erfurt",
    "Freiburg",
    "Göttingen",
    "Hannover",
    "Jena",
    "Kassel",
    "Lübeck",
    "Mainz",
    "Nürnberg",
    "Oldenburg",
    "Potsdam",
    "Rostock",
    "Stuttgart",
    "Ulm",
    "Würzburg",
]
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">'
    '<circle cx="20" cy="20" r="18" fill="#0b5cad"/></svg>'
)


@dataclass
class Board:
    name: str
    base: str
    #: the board's address with its token, opened once to set the cookie
    link: str
    #: a manager's token, to ask the API what the board should show
    manager: str

    def live_matches(self) -> int:
        """The matches the league says are live: the demo's day's three, and in the
        half hour of grace after midnight, yesterday's three as well."""
        auth = {"Authorization": f"Bearer {self.manager}"}
        seasons = httpx.get(f"{self.base}/api/seasons", headers=auth).json()["seasons"]
        [season] = [s["season"] for s in seasons if not s["ended"]]
        matches = httpx.get(f"{self.base}/api/seasons/{season}/matches", headers=auth).json()
        return sum(m["state"] == "live" for m in matches["matches"])


def eighteen_sites(now: datetime) -> list[dict[str, Any]]:
    """A company of eighteen sites, four agents each, in a season of seventeen
    matchdays: five played in the last twelve hours, the sixth live (nine matches),
    with sales in every window and some cancelled (disallowed goals)."""
    rng = random.Random(18)
    day_before = format_ts(now - timedelta(days=1))
    events: list[dict[str, Any]] = [
        {"id": "rules", "type": "rules", "ts": day_before, "rules": RULES}
    ]
    agents = []
    for n, city in enumerate(CITIES):
        site = f"s{n + 1:02d}"
        # A few sites with their own colour; the rest take the board's.
        colour = {"colour": ("#c0392b", "#1e8449", "#7d3c98")[n]} if n < 3 else {}
        events.append(
            {"id": f"site-{site}", "type": "site", "ts": day_before, "site": site}
            | {"name": city, **colour}
        )
        events.append(
            {"id": f"team-{site}", "type": "team", "ts": day_before, "team": f"{site}-1"}
            | {"name": f"{city} 1", "site": site}
        )
        for a in range(4):
            agent = f"{site}-{a + 1}"
            first, last = rng.choice(FIRST), rng.choice(LAST)
            agents.append(agent)
            events.append(
                {"id": f"agent-{agent}", "type": "agent", "ts": day_before, "agent": agent}
                | {"name": f"{first} {last}", "public_name": f"{first} {last[0]}."}
                | {"team": f"{site}-1", "site": site}
                # One agent who opted out of boards: their name never shows on one.
                | ({"opt_out": True} if agent == OPTED_OUT else {})
            )
    windows = [
        (now - timedelta(hours=12 - 2 * w), now - timedelta(hours=10 - 2 * w)) for w in range(5)
    ]
    windows.append((now - timedelta(hours=1), now + timedelta(hours=6)))
    windows += [(now + timedelta(days=d), now + timedelta(days=d, hours=8)) for d in range(1, 12)]
    events.append(
        {
            "id": "season",
            "type": "league_season",
            "ts": format_ts(now - timedelta(hours=13)),
            "season": "big",
            "name": "Autumn League",
            "double": False,
            "goal_every": 40,
            "windows": [[format_ts(a), format_ts(b)] for a, b in windows],
            "clubs": [
                {"club": f"s{n + 1:02d}", "name": city, "heads": 4} for n, city in enumerate(CITIES)
            ],
        }
    )
    events += contests(now)
    sales: list[dict[str, Any]] = []
    for opens, closes in windows[:6]:
        last = min(closes, now - timedelta(minutes=1))
        for agent in agents:
            for _ in range(rng.randint(2, 6)):
                when = opens + (last - opens) * rng.random()
                sales.append(
                    {
                        "id": f"sale-{len(sales)}",
                        "type": "sale",
                        "ts": format_ts(when),
                        "agent": agent,
                        "product": rng.choice(["mobile-upgrade", "dsl-100", "tv-basic"]),
                        "revenue": f"{rng.uniform(15, 90):.2f}",
                        "channel": "phone",
                    }
                )
    cancellations = [
        {
            "id": f"cancel-{sale['id']}",
            "type": "cancellation",
            "ts": format_ts(datetime.fromisoformat(sale["ts"]) + timedelta(minutes=5)),
            "sale": sale["id"],
        }
        for sale in sales[::17]
        if datetime.fromisoformat(sale["ts"]) + timedelta(minutes=5) < now
    ]
    return events + sales + cancellations


#: the agent of the eighteen sites who opted out of public boards
OPTED_OUT = "s08-1"


def contests(now: datetime) -> list[dict[str, Any]]:
    """What the eighteen sites play beside the league: a team battle of three sites
    per head, two challenges (and a third with an agent who opted out), a cup of six
    sites whose final is being played, and a race to 20 sales."""
    launched = format_ts(now - timedelta(hours=13))

    def at(hours: float) -> str:
        return format_ts(now + timedelta(hours=hours))

    def contest(ident: str, **fields: Any) -> dict[str, Any]:
        base = {"id": f"contest-{ident}", "type": "contest", "ts": launched, "contest": ident}
        return base | {"metric": "points", "starts": at(-12), "ends": at(6)} | fields

    return [
        contest("battle", format="team_battle", name="North vs South vs West")
        | {"sites": ["s01", "s02", "s03"], "fairness": "per_head"},
        contest("duel-1", format="challenge", name="Duel", agents=["s04-1", "s05-1"]),
        contest("duel-2", format="challenge", name="Duel", agents=["s06-2", "s07-3"]),
        contest("duel-3", format="challenge", name="Duel", agents=[OPTED_OUT, "s09-1"]),
        contest("cup", format="cup", name="Autumn Cup", metric="revenue")
        | {"sites": ["s10", "s11", "s12", "s13", "s14", "s15"]}
        | {"rounds": [[at(-12), at(-8)], [at(-7), at(-3)], [at(-2), at(6)]]},
        contest("race", format="race", name="First to 20", metric="sales")
        | {"agents": [f"s0{n}-{a}" for n in (1, 2, 3) for a in (1, 2, 3, 4)], "target": 20},
    ]


async def write_log(url: str, events: list[dict[str, Any]], now: datetime) -> None:
    """The events as if the service had taken each at its time, the engine's ticks
    between them every quarter of an hour."""
    records = []
    first = datetime.fromisoformat(events[0]["ts"])
    quarter = first.replace(minute=0, second=0, microsecond=0)
    ticks = []
    while quarter < now:
        quarter += timedelta(minutes=15)
        ticks.append(quarter)
    timeline = sorted(
        [(datetime.fromisoformat(e["ts"]), 1, e) for e in events]
        + [(t, 0, None) for t in ticks if t < now],
        key=lambda item: (item[0], item[1]),
    )
    for moment, _, event in timeline:
        if event is None:
            records.append(tick(moment))
        else:
            source = "crm" if event["type"] in ("sale", "cancellation") else MANAGER_SOURCE
            records += stamped([validate(event)], source)
    async with open_store(url) as store:
        await store.append(records)


def wallboard(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "wallboard", *args],
        env=env,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return done.stdout.decode().strip()


@pytest.fixture(scope="module")
def eighteen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    """The eighteen sites' board, branded: light theme, a logo file, an accent."""
    tmp = tmp_path_factory.mktemp("eighteen")
    (tmp / "logo.svg").write_text(LOGO)
    now = datetime.now(UTC).replace(microsecond=0)
    url = f"sqlite:///{tmp / 'log.db'}"
    # In a thread of its own: Playwright's loop may run in this one already.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(lambda: asyncio.run(write_log(url, eighteen_sites(now), now))).result()
    env = {
        **os.environ,
        "WALLBOARD_STORE": url,
        "WALLBOARD_COMPANY": COMPANY,
        "WALLBOARD_LOGO": str(tmp / "logo.svg"),
        "WALLBOARD_ACCENT": "#0b5cad",
        "WALLBOARD_THEME": "light",
    }
    token = wallboard(env, "token", "create", "--role", "display")
    manager = wallboard(env, "token", "create", "--role", "manager")
    with serving(env, tmp) as base:
        yield Board("eighteen", base, f"{base}/board?token={token}", manager)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    """``wallboard demo`` with five days of history (the least it takes on the real
    clock: the season under way and the day before it), playing live."""
    tmp = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = {
        **os.environ,
        "WALLBOARD_STORE": f"sqlite:///{tmp / 'demo.db'}",
        "WALLBOARD_COMPANY": COMPANY,
    }
    log = tmp / "demo.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "wallboard", "demo", "--port", str(port), "--history", "5"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp,
        )
    try:
        deadline = time.monotonic() + 120
        while "Application startup complete" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        printed = {
            key.strip(): value.strip()
            for key, value in (
                line.split(": ", 1) for line in log.read_text().splitlines() if ": " in line
            )
        }
        link = printed["board"]
        yield Board("demo", link.split("/board")[0], link, printed["manager token"])
        assert "Traceback" not in log.read_text()
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(params=["demo", "eighteen"])
def company(request: pytest.FixtureRequest) -> Board:
    board: Board = request.getfixturevalue(request.param)
    return board


#: the page's own report of every problem a person would see, from the boxes
LAYOUT = "\n".join(
    line
    for line in (Path(__file__).parent / "board_layout.js").read_text().splitlines()
    if not line.startswith("//")
)

READY = {
    "league": "#league-table table tbody tr",
    "leaders": "#leaderboards .ranks li",
    "charts": "#chart-key li",
    "contests": "#contest-panels .panel, #contest-panels .no-contests",
}


def open_scene(browser: Any, board: Board, scene: str, size: tuple[int, int], lang: str) -> Any:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(board.link)  # the token into the cookie
    page.goto(f"{board.base}/board?scenes={scene}&lang={lang}")
    page.wait_for_selector(".status.online")
    page.wait_for_selector(READY[scene])
    page.wait_for_selector("#ticker .tick")
    if scene == "charts":
        page.wait_for_function(
            "document.querySelectorAll('#chart-race .scatterlayer .trace').length > 0"
            # today's bars may be none yet, a minute after midnight
            " && document.getElementById('chart-hours').data !== undefined"
        )
    page.errors = errors
    return page


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("size", SIZES, ids=["1080p", "4k"])
def test_every_scene_fits_the_screen_legibly(
    company: Board, browser: Any, size: tuple[int, int], lang: str
) -> None:
    SHOTS.mkdir(exist_ok=True)
    found = {}
    for scene in SCENES:
        page = open_scene(browser, company, scene, size, lang)
        problems = page.evaluate(LAYOUT, MIN_PX_AT_1080)
        page.screenshot(path=str(SHOTS / f"layout-{company.name}-{scene}-{lang}-{size[1]}p.png"))
        assert page.errors == []
        found[scene] = problems
        page.context.close()
    report = [f"{scene}: {problem}" for scene, problems in found.items() for problem in problems]
    assert report == [], "\n".join(report)


def test_the_board_shows_as_much_as_fits_and_names_each_scorer(
    company: Board, browser: Any
) -> None:
    page = open_scene(browser, company, "league", SIZES[0], "en")
    state = page.evaluate(
        """() => ({
          clubs: document.querySelectorAll('#league-table tbody tr').length,
          live: document.querySelectorAll('#live-matches .match').length,
          results: document.querySelectorAll('#results .match').length,
          scorers: document.querySelectorAll('#scorers li').length,
          disallowed: [...document.querySelectorAll('.goals .disallowed')]
            .map((node) => node.textContent),
        })"""
    )
    clubs = 6 if company.name == "demo" else 18
    assert state["clubs"] == clubs  # the whole table, always
    # every live match: a matchday's (half the clubs), two in the grace after midnight
    assert state["live"] == company.live_matches() and state["live"] % (clubs // 2) == 0
    assert state["results"] >= 1 and state["scorers"] >= 3
    # A disallowed goal keeps its minute and its scorer: "54' Greta W. (disallowed)"
    # (an agent who opted out of boards: "54' (disallowed)").
    if company.name == "eighteen":  # its cancellations disallow goals; the demo's may not yet
        assert state["disallowed"], "no disallowed goal drawn"
    assert all(re.fullmatch(r"\d+'( \S.*)? \(disallowed\)", text) for text in state["disallowed"])
    named = [
        text for text in state["disallowed"] if re.fullmatch(r"\d+' \S.* \(disallowed\)", text)
    ]
    assert named or not state["disallowed"]
    page.context.close()


def rgb(colour: str) -> str:
    """``#rrggbb`` or ``rgb(r, g, b)`` as ``r,g,b``."""
    if colour.startswith("#"):
        return ",".join(str(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return ",".join(re.findall(r"\d+", colour)[:3])


def test_each_site_has_one_colour_in_the_table_the_matches_and_both_charts(
    company: Board, browser: Any
) -> None:
    page = open_scene(browser, company, "charts", SIZES[0], "en")
    seen = page.evaluate(
        """() => {
          const colour = (node) => getComputedStyle(node.querySelector('.swatch')).backgroundColor;
          const table = [...document.querySelectorAll('#league-table tbody tr')]
            .map((row) => ['table', row.dataset.club, colour(row)]);
          const matches = [...document.querySelectorAll('#live-matches .match [data-club]')]
            .map((side) => ['matches', side.dataset.club, colour(side)]);
          const key = [...document.querySelectorAll('#chart-key li')]
            .map((item) => ['key', item.dataset.site, colour(item)]);
          const race = document.getElementById('chart-race').data
            .map((trace) => ['race', trace.legendgroup, trace.line.color]);
          const hours = document.getElementById('chart-hours').data
            .map((trace) => ['hours', trace.legendgroup, trace.marker.color]);
          return [...table, ...matches, ...key, ...race, ...hours];
        }"""
    )
    page.context.close()
    colours: dict[str, set[str]] = {}
    places: dict[str, set[str]] = {}
    for place, site, colour in seen:
        colours.setdefault(site, set()).add(rgb(colour))
        places.setdefault(site, set()).add(place)
    clubs = 6 if company.name == "demo" else 18
    assert len(colours) == clubs
    assert {site: len(found) for site, found in colours.items()} == dict.fromkeys(colours, 1)
    assert len({next(iter(found)) for found in colours.values()}) == clubs  # apart
    # Every site in the table, the matches, the key and the race; in the bars of
    # today's sales, the sites that sold today (none, a minute after midnight).
    everywhere = {"table", "matches", "key", "race"}
    assert all(found - {"hours"} == everywhere for found in places.values()), places


def test_the_title_is_the_company_with_its_logo(eighteen: Board, browser: Any) -> None:
    page = open_scene(browser, eighteen, "league", SIZES[0], "de")
    assert page.title() == COMPANY
    assert page.text_content("#title") == COMPANY
    logo = page.locator("header img.logo")
    assert logo.evaluate("(img) => img.complete && img.naturalWidth > 0")
    accent = page.evaluate(
        "getComputedStyle(document.querySelector('#scene-dots .dot.active')).backgroundColor"
    )
    assert rgb(accent) == rgb("#0b5cad")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(int(c) for c in rgb(background).split(",")) > 600  # the light theme
    page.context.close()


def test_challenges_show_by_public_name_and_never_an_agent_who_opted_out(
    eighteen: Board, browser: Any
) -> None:
    agents = {
        e["agent"]: (e["name"], e["public_name"])
        for e in eighteen_sites(datetime.now(UTC))
        if e["type"] == "agent"
    }
    page = open_scene(browser, eighteen, "contests", SIZES[0], "en")
    duels = page.locator(".duels li").all_inner_texts()
    scene = page.inner_text("#scene-contests")
    page.context.close()
    # Two challenges run; the third, with the agent who opted out, is not shown.
    assert len(duels) == 2, duels
    for challenger, opponent in (("s04-1", "s05-1"), ("s06-2", "s07-3")):
        assert any(
            agents[challenger][1] in duel and agents[opponent][1] in duel for duel in duels
        ), (challenger, opponent, duels)
    full_names = [name for name, _ in agents.values()]
    assert not [name for name in full_names if name in scene]
    hidden_name, hidden_public = agents[OPTED_OUT]
    assert hidden_public not in scene and hidden_name not in scene
