"""The board's celebrations in Chromium: who scored or won, in a card that leaves the
board readable, the big moments full screen, their share of the time, their sounds.

Pages run on Playwright's page clock where a test covers minutes: the server and the
push are real and run in real time, and the page's own timers (which show, hold and
hide each celebration) run on a clock the test moves, so two minutes of a rush are
measured in the page in seconds. Screenshots land in ``screenshots/``.
"""

from __future__ import annotations

import html
import io
import re
import wave
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests.conftest import chromium
from tests.helpers import running
from tests.scoring_helpers import whole_rules
from tests.test_browser import SHOTS, Server, iso
from wallboard import sounds
from wallboard.assets import assets
from wallboard.i18n import STRINGS
from wallboard.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
LONG_NAME = "Maximiliane Schwarzenberger-Oberholzer"
#: agent, public name (None: opted out), site
AGENTS = [
    ("a-1", "Anna K.", "ham"),
    ("a-2", "Ben O.", "ber"),
    ("a-3", LONG_NAME, "muc"),
    ("a-4", "Deniz Y.", "cgn"),
    ("a-5", None, "ham"),
]
NAMES = [name for _, name, _ in AGENTS if name]
SITES = [
    ("ham", "Hamburg", "#d62728"),
    ("ber", "Berlin", "#1f77b4"),
    ("muc", "München", "#2ca02c"),
    ("cgn", "Köln", "#ff7f0e"),
]
SIZES = [(1920, 1080, "1080p"), (3840, 2160, "4k")]

#: Before any page script: count the events each push frame brings (by id), and
#: record each celebration shown and whether it covers the scene area, sampled on
#: the page's own clock.
RECORDER = """
window.__ids = new Set();
window.__shows = [];
window.__samples = [];
const Native = window.WebSocket;
window.WebSocket = class extends Native {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", (message) => {
      const frame = JSON.parse(message.data);
      for (const event of frame.events || []) if (event.id) window.__ids.add(event.id);
    });
  }
};
document.addEventListener("DOMContentLoaded", () => {
  const node = document.getElementById("celebration");
  let last = null;
  new MutationObserver(() => {
    const key = node.hidden ? null : node.dataset.kind + "|" + node.className.split(" ")[1];
    if (key && key !== last) {
      window.__shows.push({ kind: node.dataset.kind, text: node.textContent, at: Date.now() });
    }
    last = key;
  }).observe(node, { attributes: true, attributeFilter: ["hidden", "data-kind"] });
  setInterval(() => {
    const scenes = document.getElementById("scenes").getBoundingClientRect();
    const box = node.getBoundingClientRect();
    const shown = !node.hidden && getComputedStyle(node).display !== "none";
    const overlap = Math.min(box.right, scenes.right) > Math.max(box.left, scenes.left)
      && Math.min(box.bottom, scenes.bottom) > Math.max(box.top, scenes.top);
    window.__samples.push([Date.now(), shown && overlap]);
  }, 100);
});
"""
#: Instead of playing: note which file was asked to play.
SOUND_RECORDER = """
window.__played = [];
HTMLMediaElement.prototype.play = function () {
  window.__played.push(this.src);
  return Promise.resolve();
};
"""


class World(Server):
    """A company of four sites (two live matches), agents by public name (a long one,
    one opted out), a prize with a picture and one without, a running season."""

    def __init__(self, tmp: Path) -> None:
        super().__init__(tmp)
        self.ids = count(1)

    def setup(self) -> None:
        for role in ("display", "ingest", "manager"):
            self.tokens[role] = self.cli("token", "create", "--role", role)
        self.start()
        now = datetime.now(UTC)
        day = iso(now - timedelta(days=1))
        events: list[dict[str, Any]] = [
            {
                "id": "rules",
                "type": "rules",
                "ts": day,
                # a mobile sale scores one goal (10 points, a goal every 10 a head);
                # other products score nothing, and from 100 EUR win a prize
                "rules": whole_rules(
                    sale={
                        "products": {
                            "mobile": {"base": 10, "per_euro": 0},
                            "*": {"base": 0, "per_euro": 0},
                        }
                    }
                ),
            },
            *(
                {"id": f"site-{s}", "type": "site", "ts": day, "site": s, "name": n, "colour": c}
                for s, n, c in SITES
            ),
            *(
                {"id": f"team-{s}", "type": "team", "ts": day, "team": s, "name": n, "site": s}
                for s, n, _ in SITES
            ),
            *(
                {
                    "id": f"agent-{agent}",
                    "type": "agent",
                    "ts": day,
                    "agent": agent,
                    "name": f"Agent {agent}",
                    "team": site,
                    "site": site,
                    **({"public_name": name} if name else {"opt_out": True}),
                }
                for agent, name, site in AGENTS
            ),
            {
                "id": "prize-cinema",
                "type": "prize",
                "ts": day,
                "prize": "cinema",
                "name": "Cinema voucher for two",
                "picture": assets().url("favicon.svg"),
            },
            {
                "id": "prize-bottle",
                "type": "prize",
                "ts": day,
                "prize": "bottle",
                "name": "Bottle of champagne",
            },
            {
                "id": "prize-basket",
                "type": "prize",
                "ts": day,
                "prize": "basket",
                "name": "Delicacies basket from the market hall in Hamburg-Altona",
            },
            *(
                {
                    "id": f"rule-{prize}",
                    "type": "prize_rule",
                    "ts": day,
                    "rule": f"instant-{prize}",
                    "kind": "instant",
                    "prize": prize,
                    "min_revenue": revenue,
                }
                for prize, revenue in (("bottle", "100"), ("cinema", "500"))
            ),
            {
                "id": "season",
                "type": "league_season",
                "ts": iso(now),
                "season": "s1",
                "name": "Spring League",
                # a matchday played (all draws: a table with a leader), one live
                "windows": [
                    [iso(now - timedelta(hours=3)), iso(now - timedelta(hours=2))],
                    [iso(now - timedelta(hours=1)), iso(now + timedelta(hours=23))],
                    [iso(now + timedelta(days=1)), iso(now + timedelta(days=2))],
                ],
                "double": False,
                "goal_every": 10,
                "clubs": [{"club": s, "name": n, "heads": 1} for s, n, _ in SITES],
            },
        ]
        self.post(events, role="manager")

    def sale(self, agent: str, product: str = "mobile", revenue: str = "20.00") -> dict[str, Any]:
        return {
            "id": f"s-{next(self.ids)}",
            "type": "sale",
            "ts": iso(datetime.now(UTC)),
            "agent": agent,
            "product": product,
            "revenue": revenue,
            "channel": "phone",
        }

    def cancel(self, sale_id: str) -> dict[str, Any]:
        return {
            "id": f"x-{next(self.ids)}",
            "type": "cancellation",
            "ts": iso(datetime.now(UTC)),
            "sale": sale_id,
        }


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    server = World(tmp_path)
    try:
        server.setup()
        yield server
    finally:
        server.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def board(browser: Any, world: World, query: str = "", size: tuple[int, int] = (1920, 1080)) -> Any:
    """A board on the page clock, with the recorder, online and drawn."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    # The page's time stands still but when the test moves it.
    page.clock.install()
    page.clock.pause_at(datetime.now(UTC) + timedelta(seconds=1))
    page.add_init_script(RECORDER)
    page.goto(f"{world.base}/board?token={world.tokens['display']}&{query}")
    page.wait_for_selector(".status.online")
    page.wait_for_selector("#league-table table")
    return page


def arrived(page: Any, event_id: str) -> None:
    """Wait until the page has taken the push frame holding ``event_id``."""
    page.wait_for_function("(id) => window.__ids.has(id)", arg=event_id, polling=20)


def still(page: Any) -> None:
    """The celebration as it stands after its entrance: CSS animations follow the
    frames Chromium draws, not the page clock, so the test ends them."""
    page.clock.run_for(500)
    page.evaluate("() => document.getAnimations().forEach((a) => a.finish())")


def shows(page: Any) -> list[dict[str, Any]]:
    return list(page.evaluate("window.__shows"))


def test_a_rush_is_celebrated_within_its_share_of_the_time_each_card_naming_who(
    world: World, browser: Any
) -> None:
    """Two minutes of a rush denser than the demo's busiest: a goal every 6 seconds
    over two matches, a burst of five prizes then one every 9 seconds, two goals
    disallowed and a savings goal reached. Celebrations cover the scene area at most
    MAX_SHARE of any rolling minute, and each card names an agent."""
    page = board(browser, world, "scenes=league,leaders")
    share, window = page.evaluate("[Celebrations.MAX_SHARE, Celebrations.WINDOW_MS]")
    step_ms = 2000
    goals: list[str] = []
    for step in range(120_000 // step_ms):
        second = step * step_ms // 1000
        batch = []
        if second % 6 == 0:
            agent = AGENTS[(second // 6) % 4][0]
            batch.append(world.sale(agent))
            goals.append(batch[-1]["id"])
        if second == 10:
            batch += [world.sale(AGENTS[n % 4][0], "insurance", "150.00") for n in range(5)]
        elif second % 9 == 4:
            batch.append(world.sale(AGENTS[second % 4][0], "insurance", "600.00"))
        if second in (40, 80):
            batch.append(world.cancel(goals[-3]))
        if second == 60:
            reached = {"id": "goal-a-2", "type": "goal", "ts": iso(datetime.now(UTC))}
            world.post(
                {**reached, "agent": "a-2", "title": "A weekend in Rome", "price": "0"}, "manager"
            )
        # The last of each batch: a sale that celebrates nothing, but marks the batch in.
        batch.append(world.sale(AGENTS[step % 4][0], "accessory", "5.00"))
        world.post(batch)
        arrived(page, batch[-1]["id"])
        page.clock.run_for(step_ms)

    samples = page.evaluate("window.__samples")
    covered = [bool(on) for _, on in samples]
    assert len(covered) >= 1190, len(covered)  # a sample every 100 ms for two minutes
    per_window = window // 100
    rolling = max(
        sum(covered[start : start + per_window]) / per_window
        for start in range(len(covered) - per_window + 1)
    )
    overall = sum(covered) / len(covered)
    print(f"celebrations on screen: {overall:.1%} of two minutes, {rolling:.1%} at most a minute")
    # Sampling every 100 ms can count a card's edge once more: a few samples a minute.
    assert rolling <= share + 0.01
    assert overall < share
    assert overall > share / 2, "a rush this dense fills most of the share"

    seen = shows(page)
    assert len(seen) >= 4
    kinds = {show["kind"] for show in seen}
    assert {"goal", "digest"} <= kinds, kinds  # shown alone, and merged when over budget
    for show in seen:
        assert any(name in show["text"] for name in NAMES), show
    assert page.errors == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "moments-rush-end-1080p.png"))


def test_each_moment_names_who_in_both_languages_at_1080p_and_4k(
    world: World, browser: Any
) -> None:
    """A goal, a goal disallowed, a prize with its picture and one without, a savings
    goal reached, an opted-out agent's goal and a season won, on four boards: a card
    over the foot of the scenes that names the agent (the club for an agent who opted
    out) and stays on the screen; the season won full screen."""
    pages = {
        (lang, name): board(browser, world, f"lang={lang}", (width, height))
        for lang in ("en", "de")
        for width, height, name in SIZES
    }
    scored = world.sale("a-3")

    moments: list[tuple[str, list[dict[str, Any]], str, str | None]] = [
        # name, events, the kind shown, who it must name
        ("goal", [scored], "goal", LONG_NAME),
        ("disallowed", [world.cancel(scored["id"])], "goal_disallowed", LONG_NAME),
        ("prize", [world.sale("a-1", "insurance", "150.00")], "prize", "Anna K."),
        ("prize-picture", [world.sale("a-4", "insurance", "600.00")], "prize", "Deniz Y."),
        ("opted-out-goal", [world.sale("a-5")], "goal", None),
    ]
    for shot, events, kind, who in moments:
        # a sale that celebrates nothing marks the batch in (a cancellation has no event of its own)
        marker = world.sale("a-2", "accessory", "1.00")
        world.post([*events, marker])
        for (lang, size), page in pages.items():
            arrived(page, marker["id"])
            page.wait_for_selector(f"#celebration:not([hidden])[data-kind={kind}]")
            still(page)
            text = page.inner_text("#celebration")
            if who is None:
                assert "Hamburg" in text and not any(name in text for name in NAMES), text
            else:
                assert who in page.text_content("#celebration"), text
            words = STRINGS[lang]
            label = {"goal": "moment_goal", "goal_disallowed": "moment_disallowed"}
            assert words[label.get(kind, "moment_prize")].upper() in text.upper()
            if kind.startswith("goal"):
                assert re.search(
                    r"(Hamburg|Berlin|München|Köln) \d : \d (Hamburg|Berlin|München|Köln)", text
                )
            card_fits_the_scene_area(page)
            page.screenshot(path=str(SHOTS / f"moments-{shot}-{lang}-{size}.png"))
            # over, and room in the minute for the next (less than the page's 40 s watchdog)
            page.clock.run_for(30_000)

    world.post(
        {
            "id": "goal-a-2",
            "type": "goal",
            "ts": iso(datetime.now(UTC)),
            "agent": "a-2",
            "title": "A weekend in Rome",
            "price": "0",
        },
        "manager",
    )
    world.post(marker := [world.sale("a-2", "accessory", "1.00")])
    for (lang, size), page in pages.items():
        arrived(page, marker[-1]["id"])
        page.wait_for_selector("#celebration:not([hidden])[data-kind=goal_reached]")
        still(page)
        assert "Ben O." in page.text_content("#celebration")
        assert "A weekend in Rome" in page.text_content("#celebration")
        card_fits_the_scene_area(page)
        page.screenshot(path=str(SHOTS / f"moments-goal-reached-{lang}-{size}.png"))
        page.clock.run_for(30_000)

    world.post(
        {"id": "end", "type": "league_end", "ts": iso(datetime.now(UTC)), "season": "s1"}, "manager"
    )
    world.post(marker := [world.sale("a-2", "accessory", "1.00")])
    for (lang, size), page in pages.items():
        arrived(page, marker[-1]["id"])
        page.wait_for_selector("#celebration:not([hidden])[data-kind=season_ended]")
        still(page)
        text = page.text_content("#celebration")
        assert "Spring League" in text and STRINGS[lang]["season_won"] in text
        assert page.text_content(".champion-name") in {name for _, name, _ in SITES}
        fills_the_screen(page)
        page.screenshot(path=str(SHOTS / f"moments-season-won-{lang}-{size}.png"))
    for page in pages.values():
        assert page.errors == []


def card_fits_the_scene_area(page: Any) -> None:
    """The card lies over the scene area (not the header), wholly on the screen, its
    text inside it."""
    found = page.evaluate(
        """() => {
          const card = document.getElementById("celebration").getBoundingClientRect();
          const scenes = document.getElementById("scenes").getBoundingClientRect();
          const outside = [...document.querySelectorAll("#celebration *")]
            .map((node) => node.getBoundingClientRect())
            .filter((box) => box.width && (box.left < card.left - 1 || box.right > card.right + 1
              || box.top < card.top - 1 || box.bottom > card.bottom + 1));
          return { card: [card.left, card.top, card.right, card.bottom],
                   scenes: [scenes.left, scenes.top, scenes.right, scenes.bottom],
                   outside: outside.length, width: innerWidth };
        }"""
    )
    left, top, right, bottom = found["card"]
    scenes_left, scenes_top, scenes_right, scenes_bottom = found["scenes"]
    assert scenes_left <= left and right <= scenes_right and bottom <= scenes_bottom, found
    assert top > scenes_top + (scenes_bottom - scenes_top) / 2, "a card, not a curtain"
    assert found["outside"] == 0, found


def fills_the_screen(page: Any) -> None:
    """Full screen, and nothing in it beyond an edge of the screen."""
    found = page.evaluate(
        """() => {
          const stage = document.getElementById("celebration").getBoundingClientRect();
          const beyond = [...document.querySelectorAll("#celebration *")].filter((node) => {
            const box = node.getBoundingClientRect();
            return box.width && (box.left < 0 || box.top < 0 || box.right > innerWidth + 0.5
              || box.bottom > innerHeight + 0.5);
          }).map((node) => node.className);
          const cut = [...document.querySelectorAll("#celebration .stage-title")].filter(
            (node) => node.scrollWidth > node.clientWidth + 1).map((node) => node.textContent);
          return { stage: [stage.left, stage.top, stage.width, stage.height],
                   screen: [0, 0, innerWidth, innerHeight], beyond, cut };
        }"""
    )
    assert found["stage"] == found["screen"], found
    assert found["beyond"] == [] and found["cut"] == [], found


def test_a_tombola_draw_shows_who_wins_which_prize_full_screen_at_1080p_and_4k(
    world: World, browser: Any
) -> None:
    title = (
        "Friday Draw of the Sales and Support Teams in Hamburg-Altona, "
        "Berlin-Charlottenburg and München-Schwabing"
    )
    opened = httpx.post(
        f"{world.base}/api/tombolas",
        json={
            "tombola": "friday",
            "name": title,
            "prizes": ["cinema", "basket", "bottle"],
            "every": 1,
            "closes": iso(datetime.now(UTC) + timedelta(minutes=5)),
        },
        headers={"Authorization": f"Bearer {world.tokens['manager']}"},
    )
    assert opened.status_code == 201, opened.text
    world.post([world.sale(agent, "accessory", "5.00") for agent, *_ in AGENTS[:4]])
    pages = {
        (lang, name): board(browser, world, f"lang={lang}", (width, height))
        for lang in ("en", "de")
        for width, height, name in SIZES
    }
    later = datetime.now(UTC) + timedelta(minutes=6)
    world.post({"id": "tick", "type": "tick", "ts": iso(later)}, role="manager")
    for page in pages.values():  # the service draws at closing time
        page.wait_for_selector("#celebration:not([hidden])[data-kind=tombola_drawn]")
    drawn = httpx.get(
        f"{world.base}/api/tombolas/friday",
        headers={"Authorization": f"Bearer {world.tokens['display']}"},
    ).json()
    winners = drawn["winners"]
    assert len(winners) == 3 and set(winners) <= set(NAMES), drawn
    prizes = [
        "Cinema voucher for two",
        "Delicacies basket from the market hall in Hamburg-Altona",
        "Bottle of champagne",
    ]

    for (lang, size), page in pages.items():
        page.wait_for_selector("#celebration:not([hidden])[data-kind=tombola_drawn]")
        assert page.inner_text(".stage-title") == title
        still(page)
        fills_the_screen(page)  # the drum turning
        # Three spins, one for each prize, each ending on its winner.
        page.clock.run_for(2600 + 2 * 1000)
        page.wait_for_selector("#celebration.drawn")
        still(page)
        rows = page.locator(".draw-results li")
        assert rows.count() == 3
        for row, prize, winner in zip(rows.all(), prizes, winners, strict=True):
            assert prize in row.text_content() and winner in row.text_content()
        fills_the_screen(page)
        picture = page.get_attribute(".draw-results li:first-child img", "src")
        assert picture == assets().url("favicon.svg")  # the prize's picture
        page.screenshot(path=str(SHOTS / f"moments-tombola-{lang}-{size}.png"))
        page.clock.run_for(30_000)
        # The winners' prizes are in the draw: no card of their own after it.
        assert [show["kind"] for show in shows(page)] == ["tombola_drawn"], shows(page)
        assert page.errors == []


def test_with_sound_on_a_goal_plays_the_goal_sound_and_with_it_off_nothing_is_fetched(
    world: World, browser: Any
) -> None:
    fetched: dict[str, list[str]] = {"on": [], "off": []}
    pages = {}
    for sound, query in (("on", "sound=1"), ("off", "")):
        page = browser.new_page()
        page.add_init_script(SOUND_RECORDER)
        page.add_init_script(RECORDER)
        page.on(
            "request",
            lambda request, heard=fetched[sound]: (
                heard.append(request.url) if "/sounds/" in request.url else None
            ),
        )
        page.goto(f"{world.base}/board?token={world.tokens['display']}&{query}")
        page.wait_for_selector("#league-table table")
        pages[sound] = page
    world.post([world.sale("a-1")])
    for page in pages.values():
        page.wait_for_selector("#celebration:not([hidden])[data-kind=goal]")
    goal = pages["on"]
    goal.wait_for_function("() => window.__played.length > 0")
    played = goal.evaluate("window.__played")
    assert played == [f"{world.base}{assets().url('sounds/goal.wav')}"]
    assert fetched["on"] == played  # fetched when first played
    answer = httpx.get(played[0])
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/x-wav"
    assert pages["off"].evaluate("window.__played") == []
    assert fetched["off"] == []


def test_the_board_sound_setting_and_the_address_that_overrides_it() -> None:
    for setting, query, heard in (
        (False, "", False),
        (True, "", True),
        (True, "&sound=0", False),
        (False, "&sound=1", True),
    ):
        with running(settings=Settings(store="memory://", board_sound=setting)) as app:
            page = app.client.get(f"/board?token={app.tokens['display']}{query}")
            assert page.status_code == 200
            config = re.search(r'data-config="([^"]*)"', page.text)
            assert config is not None
            found = orjson.loads(html.unescape(config.group(1)))
            assert found["sound"] is heard
            assert sorted(found["sounds"]) == (
                ["goal", "prize", "season", "tombola"] if heard else []
            )
    with running() as app:
        wrong = app.client.get(f"/board?token={app.tokens['display']}&sound=loud")
        assert wrong.status_code == 422
        assert "sound=0 or sound=1" in wrong.text and "loud" in wrong.text


def test_the_sounds_are_the_ones_their_module_makes_short_and_small() -> None:
    for kind, made in sounds.make().items():
        path = sounds.FOLDER / f"{kind}.wav"
        shipped = path.read_bytes()
        assert len(shipped) < 20_000, (kind, len(shipped))
        with wave.open(str(path)) as file:
            assert (file.getnchannels(), file.getsampwidth(), file.getframerate()) == (
                1,
                1,
                sounds.RATE,
            )
            assert 0.5 < file.getnframes() / sounds.RATE < 2.0
            frames = file.readframes(file.getnframes())
        # Made again here, the same to within a step of 8 bits (floating point may
        # round one sample the other way on another machine).
        with wave.open(io.BytesIO(made)) as file:
            again = file.readframes(file.getnframes())
        assert len(again) == len(frames)
        assert max(abs(a - b) for a, b in zip(frames, again, strict=True)) <= 1


def test_every_word_a_celebration_says_is_there_in_both_languages() -> None:
    english, german = STRINGS["en"], STRINGS["de"]
    assert english.keys() == german.keys()
    for key, text in english.items():
        assert re.findall(r"\{\w+\}", text) == re.findall(r"\{\w+\}", german[key]), key
    script = (ROOT / "wallboard" / "static" / "celebrations.js").read_text()
    used = set(re.findall(r"\bt\.(\w+)", script)) | set(re.findall(r'words\("(\w+)",', script))
    used |= {f"n_{kind}" for kind in ("goal", "goal_disallowed", "prize", "goal_reached")}
    assert used <= english.keys(), used - english.keys()
