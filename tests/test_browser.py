"""The screens in a real browser: Debian's Chromium driven by Playwright.

The server runs as a subprocess on a free port, as a user runs it; screenshots
land in ``screenshots/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import chromium, free_port, wait_until_up
from tests.helpers import contact, sale
from tests.scoring_helpers import whole_rules

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
XSS = "<img src=x onerror=alert(1)>"
#: 10 points a sale and 0.1 a euro, 10 % commission
RULES = whole_rules(
    sale={"products": {"*": {"base": 10, "per_euro": 0.1}}},
    commission={"*": {"percent": 10}},
)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class Server:
    def __init__(self, tmp: Path) -> None:
        self.store = f"sqlite:///{tmp / 'log.db'}"
        self.log = tmp / "server.log"
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # A tombola test moves the clock with a tick, as a simulator does.
        self.env = {**os.environ, "WALLBOARD_STORE": self.store, "WALLBOARD_SIMULATED_CLOCK": "1"}
        self.process: subprocess.Popen[bytes] | None = None
        self.tokens: dict[str, str] = {}

    def cli(self, *args: str, stdin: bytes | None = None) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "wallboard", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            timeout=60,
            check=True,
        )
        return result.stdout.decode().strip()

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "wallboard", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(self.base, self.process, self.log)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(20)
            self.process = None

    def post(self, body: Any, role: str = "ingest") -> None:
        response = httpx.post(
            f"{self.base}/api/events",
            json=body,
            headers={"Authorization": f"Bearer {self.tokens[role]}"},
        )
        assert response.status_code == 202, response.text


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with company(tmp_path) as running:
        yield running


@contextmanager
def company(tmp_path: Path) -> Iterator[Server]:
    """A server with two sites, a team and an agent in each, and a manager "boss"."""
    server = Server(tmp_path)
    for role, extra in (
        ("display", []),
        ("ingest", []),
        ("manager", []),
        ("agent:a-1", ["--agent", "a-1"]),
        ("agent:a-2", ["--agent", "a-2"]),
    ):
        server.tokens[role] = server.cli("token", "create", "--role", role.split(":")[0], *extra)
    server.cli("manager", "add", "boss", "--password-stdin", stdin=b"correct horse battery\n")
    server.start()
    now = datetime.now(UTC)
    roster: list[dict[str, Any]] = [
        {
            "id": "rules",
            "type": "rules",
            "ts": iso(now - timedelta(days=1)),
            "rules": RULES,
        },
        {"id": "site-ber", "type": "site", "site": "ber", "name": "Berlin", "colour": "#1f77b4"},
        {"id": "site-lei", "type": "site", "site": "lei", "name": "Leipzig", "colour": "#d62728"},
        {"id": "team-1", "type": "team", "team": "t1", "name": "Spree", "site": "ber"},
        {"id": "team-2", "type": "team", "team": "t2", "name": "Pleisse", "site": "lei"},
        {
            "id": "ag-1",
            "type": "agent",
            "agent": "a-1",
            "name": "Anna Berg",
            "team": "t1",
            "site": "ber",
            "public_name": "Anna",
        },
        {
            "id": "ag-2",
            "type": "agent",
            "agent": "a-2",
            "name": "Ben Ohl",
            "team": "t2",
            "site": "lei",
            "public_name": XSS,
        },
    ]
    for event in roster:
        event.setdefault("ts", iso(now - timedelta(days=1)))
    server.post(roster, role="manager")
    try:
        yield server
    finally:
        server.stop()


def start_season(server: Server) -> None:
    now = datetime.now(UTC)
    windows = [
        [iso(now - timedelta(hours=1)), iso(now + timedelta(hours=23))],
        [iso(now + timedelta(days=1)), iso(now + timedelta(days=2))],
    ]
    server.post(
        {
            "id": "season",
            "type": "league_season",
            "ts": iso(now),
            "season": "s1",
            "name": "Winter Cup",
            "windows": windows,
            "goal_every": 10,
            "clubs": [
                {"club": "ber", "name": "Berlin", "heads": 1},
                {"club": "lei", "name": "Leipzig", "heads": 1},
            ],
        },
        role="manager",
    )


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def open_page(browser: Any, url: str, width: int = 1920, height: int = 1080) -> Any:
    page = browser.new_page(viewport={"width": width, "height": height})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    # what a person would see in the browser's console: errors, and requests that failed
    problems: list[str] = []

    def console(message: Any) -> None:
        if message.type == "error":
            problems.append(message.text)

    def response(answer: Any) -> None:
        if answer.status >= 400:
            problems.append(f"{answer.status} {answer.url}")

    page.on("console", console)
    page.on("response", response)
    page.problems = problems
    page.goto(url)
    page.wait_for_selector(".status.online")
    return page


def test_a_sale_shows_on_the_board_within_a_second_and_a_goal_is_celebrated(
    server: Server,
    browser: Any,
) -> None:
    start_season(server)
    page = open_page(browser, f"{server.base}/board?token={server.tokens['display']}")
    assert "token=" not in page.url
    started = time.monotonic()
    server.post(sale("s-1", agent="a-1", revenue="49.90", ts=iso(datetime.now(UTC))))
    page.wait_for_selector("#ticker >> text=Anna sold mobile-upgrade", timeout=1000)
    assert time.monotonic() - started < 1.0
    page.wait_for_selector("#celebration:not([hidden])[data-kind=goal]", timeout=2000)
    assert "Anna" in page.inner_text("#celebration-text")  # who scored
    assert "Berlin" in page.inner_text("#celebration-text") and "Leipzig" in page.inner_text(
        "#celebration-text"
    )
    assert page.problems == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "board-goal-1080p.png"))


def test_the_board_at_1080p_and_4k_has_no_scrollbars(server: Server, browser: Any) -> None:
    start_season(server)
    server.post(
        [
            sale(
                f"s-{n}",
                agent=("a-1", "a-2")[n % 2],
                revenue=f"{20 + n}.00",
                ts=iso(datetime.now(UTC)),
            )
            for n in range(6)
        ]
    )
    SHOTS.mkdir(exist_ok=True)
    for width, height, name in ((1920, 1080, "1080p"), (3840, 2160, "4k")):
        for scene in ("league", "leaders", "charts"):
            page = open_page(
                browser,
                f"{server.base}/board?token={server.tokens['display']}&scenes={scene}",
                width,
                height,
            )
            page.wait_for_selector("#ticker .tick")
            if scene == "charts":
                page.wait_for_selector("#chart-race .main-svg")
            scroll = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            assert scroll == [width, height], f"{scene} at {name} scrolls: {scroll}"
            page.screenshot(path=str(SHOTS / f"board-{scene}-{name}.png"))
            page.close()


def test_a_hostile_name_is_shown_as_text(server: Server, browser: Any) -> None:
    page = open_page(
        browser, f"{server.base}/board?token={server.tokens['display']}&scenes=leaders"
    )
    server.post(sale("s-1", agent="a-2", revenue="10.00", ts=iso(datetime.now(UTC))))
    page.wait_for_selector(f"#leaderboards >> text={XSS}")
    page.wait_for_selector(f"#ticker >> text={XSS} sold")
    assert page.locator("#leaderboards img").count() == 0
    assert page.dialogs == []


def test_the_agent_widget_follows_its_goal_and_shows_nobody_else(
    server: Server,
    browser: Any,
) -> None:
    start_season(server)
    server.post(
        {
            "id": "goal-1",
            "type": "goal",
            "ts": iso(datetime.now(UTC)),
            "agent": "a-1",
            "title": "Vespa",
            "price": "3000.00",
        },
        role="manager",
    )
    page = open_page(browser, f"{server.base}/me?token={server.tokens['agent:a-1']}", 360, 640)
    page.wait_for_selector("text=Vespa")
    progress = page.locator("[data-testid=goal-progress]")
    assert progress.inner_text() == "€0.00 confirmed · €0.00 pending"
    server.post(sale("s-1", agent="a-1", revenue="200.00", ts=iso(datetime.now(UTC))))
    page.wait_for_selector("[data-testid=goal-progress] >> text=€20.00 pending", timeout=2000)
    server.post(sale("s-2", agent="a-2", revenue="999.00", ts=iso(datetime.now(UTC))))
    time.sleep(0.5)
    text = page.inner_text("body")
    assert "999" not in text and "Ben" not in text and "s-2" not in text
    assert "= 30 points" in page.inner_text("[data-testid=why]")
    assert page.inner_text("[data-testid=commission]").endswith("€20.00 pending")
    assert page.problems == []
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "me-360x640.png"))
    foreign = httpx.get(
        f"{server.base}/api/agents/a-1",
        headers={"Authorization": f"Bearer {server.tokens['agent:a-2']}"},
    )
    assert foreign.status_code == 403 and "Vespa" not in foreign.text


def test_the_agent_widget_names_each_gate_with_where_the_agent_stands(
    server: Server,
    browser: Any,
) -> None:
    now = datetime.now(UTC)
    gated = {
        "id": "rules-gated",
        "type": "rules",
        "ts": iso(now - timedelta(hours=1)),
        "rules": {
            **RULES,
            "gates": {"month": {"min_sales": 2, "min_quality": 75, "max_cancellation_rate": 0.5}},
        },
    }
    server.post(gated, role="manager")
    page = open_page(browser, f"{server.base}/me?token={server.tokens['agent:a-1']}", 360, 640)
    server.post(sale("s-1", agent="a-1", revenue="20.00", ts=iso(now)))
    server.post(contact("c-1", agent="a-1", quality=90, ts=iso(now)))
    page.wait_for_selector("[data-gate=min_quality] >> text=Quality 90% of 75%", timeout=2000)

    def lines() -> list[str]:
        return [line.strip() for line in page.inner_text("#gates").splitlines() if line.strip()]

    assert lines() == [
        "This month · not yet eligible",
        "✘ 1 more sale (1 of 2)",
        "✔ Quality 90% of 75%",
        "✔ Cancellation rate 0%, at most 50%",
    ]
    assert page.locator("[data-gate=min_sales]").get_attribute("class") == "gate missing"
    server.post(sale("s-2", agent="a-1", revenue="20.00", ts=iso(now)))
    # every minimum met: one line, nothing missing
    page.wait_for_selector("[data-period=month] >> text=✔ eligible", timeout=2000)
    assert lines() == ["This month · ✔ eligible"]
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "me-gates-360x640.png"))


def test_a_manager_launches_a_season_in_the_console_and_the_board_shows_it(
    server: Server,
    browser: Any,
) -> None:
    board = open_page(
        browser, f"{server.base}/board?token={server.tokens['display']}&scenes=league"
    )
    board.wait_for_selector("text=No season running")
    console = browser.new_page(viewport={"width": 1400, "height": 1000})
    console.goto(f"{server.base}/manage")
    console.fill("input[name=name]", "boss")
    console.fill("input[name=password]", "correct horse battery")
    console.click("button[type=submit]")
    console.click("#nav a[data-tab=league]")
    console.wait_for_selector("#season-clubs input[type=number]")
    console.fill("#season-form input[name=season]", "spring")
    console.fill("#season-form input[name=name]", "Spring League")
    console.click("#season-preview")
    console.wait_for_selector("#season-result tbody tr")
    assert console.locator("#season-result tbody tr").count() == 2  # Berlin and Leipzig, twice
    console.click("#season-launch")
    console.wait_for_selector("[data-testid=season-launched]")
    board.wait_for_selector("#league-table >> text=Leipzig", timeout=3000)
    assert "Berlin" in board.inner_text("#league-table")


def test_a_board_whose_server_restarts_reconnects_and_shows_current_data(
    server: Server,
    browser: Any,
) -> None:
    page = open_page(browser, f"{server.base}/board?token={server.tokens['display']}")
    server.stop()
    page.wait_for_selector(".status.offline", timeout=5000)
    server.start()
    server.post(sale("s-9", agent="a-1", revenue="77.00", ts=iso(datetime.now(UTC))))
    page.wait_for_selector(".status.online", timeout=15000)
    page.wait_for_selector("#ticker >> text=€77.00", timeout=5000)


def test_the_tombola_is_drawn_live_on_the_board_and_ends_on_the_winner(
    server: Server,
    browser: Any,
) -> None:
    now = datetime.now(UTC)
    opened = httpx.post(
        f"{server.base}/api/tombolas",
        json={
            "tombola": "friday",
            "name": "Friday Draw",
            "prizes": ["cinema"],
            "every": 1,
            "closes": iso(now + timedelta(minutes=5)),
        },
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    )
    assert opened.status_code == 201
    server.post(sale("s-1", agent="a-1", revenue="10.00", ts=iso(datetime.now(UTC))))
    page = open_page(browser, f"{server.base}/board?token={server.tokens['display']}")
    server.post(
        {"id": "tick-later", "type": "tick", "ts": iso(now + timedelta(minutes=6))}, role="manager"
    )
    page.wait_for_selector("#celebration:not([hidden]) .stage-title >> text=Friday Draw")
    page.wait_for_selector(".draw-results li >> text=Anna", timeout=8000)
    assert "cinema" in page.inner_text(".draw-results li")  # the prize she wins
    drawn = httpx.get(
        f"{server.base}/api/tombolas/friday",
        headers={"Authorization": f"Bearer {server.tokens['display']}"},
    ).json()
    assert drawn["verified"] is True and drawn["winners"] == ["Anna"]  # as the board names her


def test_the_fast_forward_demo_shows_a_live_match_scoring_goals_within_a_minute(
    browser: Any,
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {**os.environ, "WALLBOARD_STORE": f"sqlite:///{tmp_path / 'demo.db'}"}
    log = tmp_path / "demo.log"
    started = time.monotonic()
    with log.open("ab") as out:
        demo = subprocess.Popen(
            [sys.executable, "-m", "wallboard", "demo", "--port", str(port), "--speed", "240"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        while "board:" not in log.read_text():
            assert demo.poll() is None, log.read_text()
            time.sleep(0.1)
        url = next(
            line.split()[-1]
            for line in log.read_text().splitlines()
            if line.strip().startswith("board:")
        )
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        deadline = time.monotonic() + 20
        while True:
            try:
                page.goto(url)
                break
            except Exception:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
        page.wait_for_selector("#live-matches .match .minute")
        remaining = 60 - (time.monotonic() - started)
        page.wait_for_selector(
            # a goal's card, or a card of several moments with a goal among them
            "#celebration:not([hidden])[data-kind=goal],"
            " #celebration:not([hidden]) li[data-kind=goal]",
            timeout=max(1, remaining) * 1000,
        )
        assert time.monotonic() - started < 60
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "demo-goal.png"))
        assert "Traceback" not in log.read_text()
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(20)
