"""The Experiments tab in a browser: a manager sets up an experiment with two arms
in the console (the power estimate shown before the launch), the simulator plays a
month in which arm B's agents sell 8 % more, and the report shows the effect with
its interval, the charts, and an assignment that verifies from the published seed."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conftest import chromium
from tests.experiment_helpers import HISTORY, STARTS, fixed_seed
from tests.helpers import serving, until
from tests.test_console_walk import PASSWORD, SHOTS, Console, sign_in
from wallboard.app import create_app
from wallboard.experiments.simulate import Effect, days
from wallboard.session import add_manager
from wallboard.settings import Settings
from wallboard.simulator import Company, company
from wallboard.store import open_store
from wallboard.tokens import new_token

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


class Clock:
    """The app's clock: where the simulator has played to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Served:
    base: str
    token: str
    clock: Clock
    firm: Company

    def post(self, events: list[dict[str, Any]]) -> None:
        for first in range(0, len(events), 1000):
            answer = httpx.post(
                f"{self.base}/api/events",
                json=events[first : first + 1000],
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=60,
            )
            assert answer.status_code == 202, answer.text

    def get(self, path: str) -> Any:
        answer = httpx.get(
            f"{self.base}{path}", headers={"Authorization": f"Bearer {self.token}"}, timeout=60
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def play(self, start: datetime, count: int, effect: Effect | None, seed: int) -> None:
        for batch in days(self.firm, start, count, effect, seed=seed):
            self.clock.now = datetime.fromisoformat(batch[-1]["ts"])
            self.post(batch)

    def folded(self) -> None:
        """Until the scorer has folded the log to its end twice running: the second
        time after what the engine wrote itself (an assignment, a seed) on the first."""
        caught_up = 0
        deadline = time.monotonic() + 60
        while caught_up < 2:
            assert time.monotonic() < deadline, "the scorer did not catch up"
            lag = httpx.get(f"{self.base}/readyz").json().get("scorer_lag")
            caught_up = caught_up + 1 if lag == 0 else 0
            time.sleep(0.05)


async def _prepare(url: str) -> str:
    async with open_store(url) as store:
        await add_manager(store, "boss", PASSWORD)
        token, record = new_token("manager", label="simulator")
        await store.add_token(record)
        return token


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    url = f"sqlite:///{tmp_path_factory.mktemp('experiments') / 'log.db'}"
    token = asyncio.run(_prepare(url))
    clock = Clock(HISTORY - timedelta(days=1))
    settings = Settings(store=url, tick_seconds=0, simulated_clock=True, ingest_rate=0)
    with fixed_seed(), serving(create_app(settings, clock=clock)) as host:
        firm, roster = company()
        served = Served(f"http://{host}", token, clock, firm)
        served.post([{**event, "ts": clock.now.isoformat()} for event in roster])
        served.play(HISTORY, 28, None, seed=1)
        served.folded()
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def drawn(page: Any, experiment: str, status: str) -> None:
    """Until the report of ``experiment`` is drawn whole, charts included, in ``status``."""
    until(
        page,
        "(id) => document.querySelector('#experiment-report').dataset.shown === id",
        experiment,
    )
    shown = page.inner_text("[data-testid=experiment-status]")
    assert shown == status


def whole_page(console: Console, name: str) -> None:
    """The tab from top to bottom, for a person to look at (``SHOTS``)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    console.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def set_up(console: Console) -> None:
    page = console.page
    console.tab("experiments")
    form = "#experiment-form"
    page.fill(f"{form} input[name=name]", "Commission on every sale")
    # Arm A keeps the rules in force; arm B takes the built-in defaults.
    page.locator(f"{form} select[name=arm-rules]").nth(1).select_option("version:default")
    page.fill(f"{form} input[name=starts]", STARTS.strftime("%Y-%m-%dT%H:%M"))
    page.fill(f"{form} input[name=ends]", (STARTS + timedelta(weeks=4)).strftime("%Y-%m-%dT%H:%M"))
    page.locator(f"{form} input[name=ends]").dispatch_event("change")
    page.wait_for_selector("[data-testid=power-weeks]")
    assert "8" in console.text("[data-testid=power-weeks]")
    assert "150" in console.text("[data-testid=power]")
    page.click(f"{form} button[type=submit]")
    page.click(f"{form} .confirm button.danger")
    page.wait_for_selector("[data-testid=experiment-launched]")


def test_a_manager_sets_up_an_experiment_and_reads_its_report(served: Served, browser: Any) -> None:
    console = sign_in(browser, served, "en")  # type: ignore[arg-type]
    set_up(console)
    served.folded()
    [listed] = served.get("/api/experiments")["experiments"]
    started = served.get(f"/api/experiments/{listed['experiment']}")
    assert started["status"] == "running" and started["assignment"]
    # The report while it runs warns against stopping early.
    console.page.click(f"tr[data-experiment='{listed['experiment']}'] button")
    console.page.wait_for_selector("[data-testid=early-warning]")

    treated = frozenset(a for a, arm in started["assignment"].items() if arm == "B")
    served.play(STARTS, 28, Effect(treated), seed=2)
    served.folded()
    report = served.get(f"/api/experiments/{listed['experiment']}")
    assert report["status"] == "ended" and report["seed"]

    page = console.page
    page.reload()
    page.wait_for_selector(".status.online")
    console.tab("experiments")  # the newest experiment's report shows first
    drawn(page, listed["experiment"], "Ended")
    row = "#experiment-results tr[data-metric=sales_per_agent_day][data-arm=B]"
    low, high = report["results"]["sales_per_agent_day"]["B"]["ci"]
    assert console.text(f"{row} [data-testid=effect]").startswith("+")
    interval = console.text(f"{row} [data-testid=interval]")
    shown = [float(n) for n in re.findall(r"[+−-]?\d+\.\d+", interval.replace("−", "-"))]
    assert shown == pytest.approx([low, high], abs=0.001)
    assert "clear of zero" in interval
    assert page.locator("#experiment-over-time .scatterlayer .trace").count() == 2
    assert page.locator("#experiment-effect .scatterlayer .trace").count() == 2
    assert page.locator("#experiment-counterfactual tr[data-arm=B]").count() == 1
    assert page.locator("[data-testid=early-warning]").count() == 0

    page.click("#experiment-assignment button")
    until(page, "() => document.querySelector('[data-testid=verify-result] .ok')")
    assert "Verified" in console.text("[data-testid=verify-result]")
    whole_page(console, "experiments-en")
    assert page.errors == []  # type: ignore[attr-defined]

    german = sign_in(browser, served, "de")  # type: ignore[arg-type]
    german.tab("experiments")
    drawn(german.page, listed["experiment"], "Beendet")
    assert "ohne die Null" in german.text(f"{row} [data-testid=interval]")
    german.page.click("#experiment-assignment button")
    until(german.page, "() => document.querySelector('[data-testid=verify-result] .ok')")
    assert "Geprüft" in german.text("[data-testid=verify-result]")
    whole_page(german, "experiments-de")
