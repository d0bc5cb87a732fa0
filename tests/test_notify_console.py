"""The console's Notifications tab, in Chromium at 1920x1080, in English and German:
a manager adds a signed webhook channel (its key shown once), sends it a test, adds
a rule by ticking what to tell, and sends a dead letter again once the receiver is
back. Screenshots land in ``screenshots/notify/`` for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import chromium
from tests.notify_helpers import receiver, roster_events, sale
from tests.test_browser import ROOT, Server

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SHOTS = Path(os.environ.get("CONSOLE_SCREENSHOTS", ROOT / "screenshots" / "notify"))
PASSWORD = "correct horse battery"
WORDS = {
    "en": {
        "tab": "Notifications",
        "sent": "Test message sent to Floor hook.",
        "retry": "Send again",
    },
    "de": {
        "tab": "Benachrichtigungen",
        "sent": "Testnachricht an Floor hook gesendet.",
        "retry": "Erneut senden",
    },
}


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_manager_sets_up_a_channel_and_a_rule_and_sends_a_dead_letter_again(
    tmp_path: Path, lang: str
) -> None:
    words = WORDS[lang]
    server = Server(tmp_path)
    server.env.update(WALLBOARD_NOTIFY_ATTEMPTS="1", WALLBOARD_TICK_SECONDS="0")
    for role in ("ingest", "manager"):
        server.tokens[role] = server.cli("token", "create", "--role", role)
    server.cli("manager", "add", "boss", "--password-stdin", stdin=PASSWORD.encode() + b"\n")
    with receiver() as peer, chromium() as browser:
        server.start()
        try:
            server.post(roster_events(), role="manager")
            page = sign_in(browser, server, lang)
            page.click("#nav a[data-tab=notify]")
            page.wait_for_selector("#notify-channel-form")
            assert words["tab"] in page.inner_text("#tab-notify h1")

            form = page.locator("#notify-channel-form")
            form.locator("input[name=name]").fill("Floor hook")
            form.locator("select[name=kind]").select_option("webhook")
            form.locator("input[name=url]").fill(peer.url + "/hook")
            form.locator("button[type=submit]").click()
            secret = page.locator("#notify-channel-result [data-testid=done]")
            secret.wait_for()
            assert len(secret.inner_text().rsplit(" ", 1)[1]) >= 40, "the key, shown once"
            row = page.locator("tr[data-notify-channel=floor-hook]")
            row.wait_for()
            assert peer.url + "/hook" in row.inner_text()
            row.locator("button").first.click()
            page.locator("#notify-channel-result", has_text=words["sent"]).wait_for()
            assert peer.got[-1].json()["kind"] == "test"

            rule_form = page.locator("#notify-rule-form")
            rule_form.wait_for()
            rule_form.locator("input[name=rule]").fill("Prizes to the floor")
            rule_form.locator("input[name=on][value=prize]").check()
            rule_form.locator("button[type=submit]").click()
            page.locator("tr[data-notify-rule=prizes-to-the-floor]").wait_for()

            peer.failing = 100
            server.post([sale("s-1")])
            dead = page.locator("#notify-dead tr[data-notify-entry]")
            while not dead.count():
                page.click("#notify-refresh")
                page.wait_for_timeout(200)
            assert "HTTP 500" in dead.first.inner_text()
            shoot(page, f"notify-{lang}")

            peer.failing = 0
            dead.first.locator("button", has_text=words["retry"]).click()
            page.locator("#notify-dead tr.empty").wait_for()
            told = [r.json() for r in peer.got if r.json()["kind"] == "prize"]
            while not told or page.locator("#notify-pending tr[data-notify-entry]").count():
                page.click("#notify-refresh")
                page.wait_for_timeout(200)
                told = [r.json() for r in peer.got if r.json()["kind"] == "prize"]
            assert told[-1]["language"] == lang
            assert page.problems == []
        finally:
            server.stop()


def sign_in(browser: Any, server: Server, lang: str) -> Any:
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.problems = problems
    page.goto(f"{server.base}/manage/login?lang={lang}")
    page.fill("input[name=name]", "boss")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".status.online")
    return page


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
