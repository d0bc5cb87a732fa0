"""``wallboard demo`` on the real clock: its history, its live play, its banner.

The demo is started in process over ``memory://`` (the store the server shares),
with a clock the test moves: ten minutes pass in a step, not in ten minutes.
"""

from __future__ import annotations

import gc
import math
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest
from starlette.testclient import TestClient

from scoring.snapshot import state_hash
from wallboard import demo, screens
from wallboard.app import create_app
from wallboard.engine import SNAPSHOT_KEY, fold, restore_snapshot
from wallboard.history import HistoryWriter
from wallboard.player import Poster
from wallboard.services import Services
from wallboard.settings import Settings
from wallboard.simulator import REAL_TIME_PRIZES, Simulator, company
from wallboard.store import open_store
from wallboard.timetable import GRACE_MINUTES, ZONE, Timetable, at_local, local_midnight


class ClientPoster(Poster):
    """The player's poster, over the app in process."""

    def __init__(self, client: TestClient, token: str) -> None:
        super().__init__("", token)
        self.client = client

    def request(self, path: str, body: Any) -> dict[str, Any]:
        answer = self.client.post(path, json=body, headers=self.headers)
        assert answer.status_code in (201, 202), answer.text
        result: dict[str, Any] = answer.json()
        return result

    def get(self, path: str) -> dict[str, Any]:
        answer = self.client.get(path, headers=self.headers)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Clock:
    now: float

    def __call__(self) -> float:
        return self.now

    def utc(self) -> datetime:
        return datetime.fromtimestamp(self.now, UTC)


@dataclass
class Running:
    demo: demo.Demo
    client: TestClient
    clock: Clock
    start: datetime

    @property
    def services(self) -> Services:
        found: Services = self.client.app.state.services  # type: ignore[attr-defined]
        return found

    def settle(self) -> None:
        """Fold everything in the log, the engine's draws included."""
        assert self.client.portal is not None
        store, engine = self.services.store, self.services.engine
        while self.client.portal.call(engine.catch_up) < self.client.portal.call(store.last_offset):
            pass

    def get(self, path: str) -> Any:
        answer = self.client.get(
            path, headers={"Authorization": f"Bearer {self.tokens['manager']}"}
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    @property
    def tokens(self) -> dict[str, str]:
        return self.demo.tokens

    def board(self) -> dict[str, Any]:
        return screens.board(self.services.engine.scorer, None, works_council=False)


@contextmanager
def started(root: Path, clock: Clock) -> Iterator[Running]:
    options = demo.Options(port=0, rate=0.25, history=16)
    started = demo.start(
        Settings(store="memory://", tick_seconds=0),
        options,
        root=root,
        environ={"WALLBOARD_STORE": "memory://"},
        clock=clock,
    )
    started.sock.close()
    assert started.store is not None and started.live is not None
    app = create_app(started.settings, store=started.store, clock=clock.utc)
    with TestClient(app, raise_server_exceptions=False) as client:
        started.live.crm = ClientPoster(client, started.tokens["crm"])
        started.live.manager = ClientPoster(client, started.tokens["schedule"])
        yield Running(started, client, clock, started.live.timetable.start)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The demo started now, on the real clock (the banner's curl stamps its sale so)."""
    with started(tmp_path_factory.mktemp("demo"), Clock(time.time())) as run:
        yield run


#: the local times the league is checked at besides now: an afternoon, and ten
#: minutes after midnight, when yesterday's matchday is still in its grace
MOMENTS = {"afternoon": dt_time(14, 7), "after-midnight": dt_time(0, 10)}


@pytest.fixture(scope="module", params=["now", *MOMENTS])
def league_run(request: pytest.FixtureRequest, running: Running) -> Iterator[Running]:
    """The demo started now, or at the last of the ``MOMENTS`` that has passed."""
    if request.param == "now":
        yield running
        return
    today = datetime.now(ZONE).date()
    moment = at_local(today, MOMENTS[request.param])
    if moment > datetime.now(UTC):
        moment = at_local(today - timedelta(days=1), MOMENTS[request.param])
    root = Path(str(request.getfixturevalue("tmp_path_factory").mktemp(request.param)))
    with started(root, Clock(moment.timestamp())) as run:
        yield run


def in_grace(run: Running) -> bool:
    """Whether yesterday's matchday is still open at the start: it becomes final
    its grace minutes after local midnight."""
    midnight = local_midnight(run.start.astimezone(ZONE).date())
    return run.start < midnight + timedelta(minutes=GRACE_MINUTES + 1)


def live_season(run: Running) -> str:
    seasons = run.get("/api/seasons")["seasons"]
    [season] = [s["season"] for s in seasons if not s["ended"]]
    return str(season)


def test_the_history_has_finished_matchdays_a_champion_and_drawn_tombolas(
    league_run: Running,
) -> None:
    running = league_run
    seasons = running.get("/api/seasons")["seasons"]
    assert [s["champion"] is not None for s in seasons] == [True, False]
    matches = running.get(f"/api/seasons/{live_season(running)}/matches")["matches"]
    final = {m["matchday"] for m in matches if m["state"] == "final"}
    assert final == ({1, 2, 3} if in_grace(running) else {1, 2, 3, 4})
    assert sum(m["home_goals"] + m["away_goals"] for m in matches if m["state"] == "final") > 0
    weekly = [t for t in running.services.engine.scorer.tombolas.book.tombolas if "week" in t]
    drawn = [t for t in weekly if running.get(f"/api/tombolas/{t}")["state"] == "drawn"]
    assert len(drawn) >= 1
    assert all(running.get(f"/api/tombolas/{t}")["verified"] for t in drawn)


def test_the_history_has_confirmed_commission_settled_weeks_and_prizes_in_stock(
    running: Running,
) -> None:
    scorer = running.services.engine.scorer
    confirmed = sum(
        bucket.commission_confirmed
        for days in scorer.state.buckets.values()
        for bucket in days.values()
    )
    assert confirmed > 0
    agent = running.get(f"/api/agents/{widget_agent(running)}")
    assert agent["goal"]["confirmed"] > 0 and agent["goal"]["pending"] > 0
    prizes = running.get("/api/prizes")
    assert all(p["left"] is None or p["left"] > 0 for p in prizes["prizes"])
    weekly = [a for a in prizes["awards"] if a["prize"] == "voucher"]
    assert len(weekly) >= 3  # the top three of a week that ended


def widget_agent(run: Running) -> str:
    """The agent of the banner's widget link (and of its curl example)."""
    match = re.search(r'"agent":"([^"]+)"', run.demo.banner)
    assert match
    return match.group(1)


def test_the_live_match_minute_is_the_time_of_day(league_run: Running) -> None:
    running = league_run
    today = running.start.astimezone(ZONE).date()
    midnight, next_midnight = (local_midnight(today + timedelta(days=n)) for n in (0, 1))
    expected = math.ceil((running.start - midnight) / (next_midnight - midnight) * 90)
    matches = running.get(f"/api/seasons/{live_season(running)}/matches")["matches"]
    live = [m for m in matches if m["state"] == "live" and m["matchday"] == 5]
    assert len(live) == 3
    assert {m["minute"] for m in live} == {max(1, expected)}
    # Yesterday's matches stay live in the grace after midnight, at the final whistle.
    late = [m for m in matches if m["state"] == "live" and m["matchday"] != 5]
    assert {(m["matchday"], m["minute"]) for m in late} == (
        {(4, 90)} if in_grace(running) else set()
    )
    assert len(late) in (0, 3)
    assert f"they are in minute {max(1, expected)}" in running.demo.banner


def test_the_banners_curl_example_shows_on_the_board_at_once(running: Running) -> None:
    url, headers, body = pasted(running.demo.banner)
    answer = running.client.post(urlsplit(url).path, content=body, headers=headers)
    assert answer.status_code == 202, answer.text
    running.settle()
    sale = orjson.loads(body)
    ticker = running.board()["ticker"]
    assert ticker[0]["kind"] == "sale" and ticker[0]["id"] == sale["id"]


def pasted(banner: str) -> tuple[str, dict[str, str], bytes]:
    """The banner's curl command as a shell runs it: the address, the headers, and
    the body with the time and id the shell fills in."""
    lines = banner.splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip().startswith("curl "))
    command = lines[start].rstrip("\\") + lines[start + 1]
    url = re.search(r"curl -X POST (\S+)", command)
    assert url
    headers = dict(header.split(": ", 1) for header in re.findall(r"-H '([^']+)'", command))
    data = command.split(" -d ", 1)[1]
    body = subprocess.run(
        ["bash", "-c", f"printf %s {data}"], capture_output=True, check=True
    ).stdout
    return url.group(1), headers, body


def test_a_tombola_draws_within_ten_minutes_of_the_start(running: Running) -> None:
    tombolas = running.services.engine.scorer.tombolas.book.tombolas.values()
    [hourly] = [t for t in tombolas if t.state == "open" and t.id.startswith("hour-")]
    assert 8 * 60 <= hourly.closes - running.start.timestamp() <= 9 * 60
    assert hourly.ledger is None and sum(hourly.counts.values()) > 0  # opened before the start
    assert running.demo.live is not None
    for minute in range(1, 11):
        running.clock.now = running.start.timestamp() + minute * 60
        running.demo.live.step()
    running.settle()
    drawn = running.get(f"/api/tombolas/{hourly.id}")
    assert drawn["state"] == "drawn" and drawn["verified"] and drawn["winners"]
    # The next hour's drum is open.
    opened = [t for t in tombolas if t.state == "open" and t.id.startswith("hour-")]
    assert len(opened) == 1 and opened[0].closes == hourly.closes + 3600


async def test_the_history_in_the_store_folds_to_the_snapshot_it_saved(tmp_path: Path) -> None:
    """Made in memory and copied: the store's log must replay to the saved state,
    which the server restores instead of folding the weeks again."""
    firm, setup = company(7, REAL_TIME_PRIZES)
    start = datetime.fromtimestamp(int(time.time()), UTC)
    table = Timetable(firm, start, peak=0.1, history=timedelta(days=6))
    async with open_store(f"sqlite:///{tmp_path / 'demo.db'}") as store:
        written = await HistoryWriter(store, table, Simulator(firm, seed=3)).write(setup)
        replayed = await fold(store)
        saved = await store.get_meta(SNAPSHOT_KEY)
    assert saved is not None
    _, restored = restore_snapshot(saved)
    gc.unfreeze()  # as the engine does when it stops
    assert replayed.offset == written.offset == restored.offset
    assert state_hash(replayed) == state_hash(written) == state_hash(restored)


def test_the_demos_own_schedule_is_apart_from_the_person_in_the_console(
    running: Running,
) -> None:
    """Restocks, tombolas and the setup are by "demo schedule"; "demo" (the console's
    account and the printed manager token) stays free for what the person does."""
    actions = running.get("/api/manage/audit?limit=500")["actions"]
    by = {a["by"] for a in actions if a["type"] in ("prize", "tombola_open", "rules")}
    assert by == {"demo schedule"}, by
    mine = running.get("/api/manage/audit?actor=demo&limit=500")["actions"]
    assert {a["type"] for a in mine} <= {"token_created", "manager_added"}, mine[:3]
