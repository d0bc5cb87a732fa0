"""A contest edited from its card in the console: one not started changes in every
field, a running one only its name and end, the other fields shown locked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import until
from tests.test_browser import Server, iso
from tests.test_console_contests_rewards import browser, contest, launch, server
from tests.test_console_walk import Console, sign_in

__all__ = ["browser", "server"]  # the fixtures, used by name

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

BERLIN = ZoneInfo("Europe/Berlin")
FORM = "#contest-form"


def local(moment: datetime) -> str:
    """``moment`` as the form's datetime-local value, Berlin time."""
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def edit(console: Console, contest_id: str, word: str = "Edit") -> None:
    console.page.click(f'article[data-contest="{contest_id}"] button:has-text("{word}")')
    console.page.wait_for_selector("#contest-edit-note:not([hidden])")


def save(console: Console, name: str) -> None:
    console.page.click("#contest-launch")
    until(
        console.page,
        "!!document.querySelector('[data-testid=contest-saved]')"
        " || !!document.querySelector('#contest-result .error')",
    )
    assert name in console.text("#contest-result"), console.text(FORM)


def test_a_running_contest_changes_its_name_and_end_and_one_to_come_changes_whole(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    console.tab("contests")
    launch(console, "Friday battle", "team_battle", "a-1, a-2")
    edit(console, "friday-battle")
    assert console.page.input_value(f"{FORM} input[name=name]") == "Friday battle"
    assert console.page.input_value(f"{FORM} input[name=participants]") == "a-1, a-2"
    assert "only its name and end can change" in console.text("#contest-edit-note")
    locked = console.page.evaluate(
        "[...document.querySelectorAll('#contest-form [name]')]"
        ".filter((f) => !f.disabled).map((f) => f.name)"
    )
    assert sorted(locked) == ["ends", "name"]
    assert console.page.locator("#contest-launch").inner_text() == "Save changes"
    console.shot("contest-edit-running-en")
    later = datetime.now(BERLIN).replace(hour=20, minute=0, second=0, microsecond=0)
    later += timedelta(days=9)
    console.page.fill(f"{FORM} input[name=name]", "Weekend battle")
    console.page.fill(f"{FORM} input[name=ends]", local(later))
    save(console, "Weekend battle")
    until(
        console.page,
        "document.querySelector('article[data-contest=friday-battle] h3')"
        ".innerText.includes('Weekend')",
    )
    saved = contest(server, "friday-battle")
    assert saved["name"] == "Weekend battle"
    assert datetime.fromisoformat(saved["ends"]) == later
    assert saved["definition"]["agents"] == ["a-1", "a-2"]
    # The form is the launch form again.
    assert console.page.locator("#contest-launch").inner_text() == "Launch"
    assert console.page.locator("#contest-edit-note").is_hidden()

    tomorrow = datetime.now(BERLIN).replace(hour=9, minute=0, second=0, microsecond=0)
    tomorrow += timedelta(days=1)
    console.page.fill(f"{FORM} input[name=name]", "Monday sprint")
    console.page.fill(f"{FORM} input[name=participants]", "a-1, a-2")
    console.page.fill(f"{FORM} input[name=starts]", local(tomorrow))
    console.page.click("#contest-launch")
    console.page.wait_for_selector("article[data-contest=monday-sprint]")
    edit(console, "monday-sprint")
    assert "everything can change" in console.text("#contest-edit-note")
    console.page.fill(f"{FORM} input[name=participants]", "a-3, a-4")
    console.page.select_option(f"{FORM} select[name=metric]", "sales")
    save(console, "Monday sprint")
    changed = contest(server, "monday-sprint")["definition"]
    assert (changed["agents"], changed["metric"]) == (["a-3", "a-4"], "sales")
    assert datetime.fromisoformat(changed["starts"]) == tomorrow
    assert console.page.errors == []


def test_the_edit_speaks_german_and_a_refusal_is_shown_beside_the_end(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "de")
    console.tab("contests")
    launch(console, "Derby", "team_battle", "a-1, a-2")
    edit(console, "derby", "Bearbeiten")
    assert "nur Name und Ende" in console.text("#contest-edit-note")
    assert console.page.locator("#contest-launch").inner_text() == "Änderungen speichern"
    earlier = datetime.now(BERLIN) - timedelta(minutes=30)
    console.page.fill(f"{FORM} input[name=ends]", local(earlier))
    console.page.click("#contest-launch")
    error = console.page.locator("#contest-form .field-error")
    error.wait_for()
    assert "Das Ende muss noch bevorstehen" in error.inner_text()
    assert "Derby bearbeiten" in console.text("#contest-form-title")
    console.shot("contest-edit-refused-de")
    assert contest(server, "derby")["name"] == "Derby"
    console.page.click("#contest-edit-cancel")
    assert console.page.locator("#contest-launch").inner_text() == "Starten"
    assert console.text("#contest-form-title") == "Wettbewerb starten"
    assert console.page.errors == []


def test_an_improvement_is_measured_against_the_windows_the_manager_sets(
    server: Server, browser: Any
) -> None:
    console = sign_in(browser, server, "en")
    console.tab("contests")
    baseline = console.page.locator(f"{FORM} input[name=baseline_windows]")
    assert baseline.is_hidden()  # only with fairness by improvement
    console.page.select_option(f"{FORM} select[name=fairness]", "improvement")
    assert "earlier runs of the same length" in console.text(FORM)
    baseline.fill("6")
    launch(console, "Better than before", "team_battle", "a-1, a-2")
    stated = contest(server, "better-than-before")["definition"]
    assert (stated["fairness"], stated["baseline_windows"]) == ("improvement", 6)
    edit(console, "better-than-before")
    assert baseline.input_value() == "6" and baseline.is_disabled()
    console.shot("contest-edit-improvement-en")
    assert console.page.errors == []


def test_a_daily_contest_is_edited_on_the_run_under_way(server: Server, browser: Any) -> None:
    """Launched three days ago, a daily battle is in its fourth run: the form shows
    that run's hours, and an end moved by two hours moves every run's end by two."""
    now = datetime.now(BERLIN).replace(second=0, microsecond=0)
    first = now - timedelta(days=3, hours=1)
    server.post(
        {
            "id": "daily-launch",
            "type": "contest",
            "ts": iso(now - timedelta(days=3, hours=2)),
            "contest": "daily",
            "format": "team_battle",
            "name": "Daily duel of the desks",
            "metric": "sales",
            "starts": iso(first),
            "ends": iso(first + timedelta(hours=5)),
            "agents": ["a-1", "a-2"],
            "repeat": "daily",
        },
        role="manager",
    )
    console = sign_in(browser, server, "en")
    console.tab("contests")
    console.page.wait_for_selector("article[data-contest=daily]")
    assert "Run 4" in console.text("article[data-contest=daily]")
    edit(console, "daily")
    assert console.page.input_value(f"{FORM} input[name=starts]") == local(now - timedelta(hours=1))
    assert console.page.input_value(f"{FORM} input[name=ends]") == local(now + timedelta(hours=4))
    console.page.fill(f"{FORM} input[name=ends]", local(now + timedelta(hours=6)))
    save(console, "Daily duel of the desks")
    view = contest(server, "daily")
    assert datetime.fromisoformat(view["ends"]) == now + timedelta(hours=6)
    assert datetime.fromisoformat(view["definition"]["ends"]) == first + timedelta(hours=7)
    assert console.page.errors == []
