"""The console's Connectors tab, in Chromium at 1920x1080, in English and German.

A manager makes a CSV connector (its secret shown once, with a warning) and a
HubSpot one; signed HubSpot webhooks arrive at the address the tab shows: one is
stored, one whose amount comes under another property name and one whose owner
nobody has yet become dead letters with their reasons. The manager fixes the
mapping in the tab, tests it against the last payloads (nothing stored), saves
it, gives the agent their HubSpot id in the People tab, and replays: both sales
are stored. Screenshots land in ``screenshots/connectors/`` for a person to look at.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from tests import connector_senders as send
from tests.conftest import chromium
from tests.test_browser import ROOT, Server
from tests.test_notify_console import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

SHOTS = Path(os.environ.get("CONSOLE_SCREENSHOTS", ROOT / "screenshots" / "connectors"))
WORDS = {
    "en": {
        "tab": "Connectors",
        "copied": "Copied.",
        "test": "Test against",
        "replayed": "Replayed 2: 2 event(s)",
    },
    "de": {
        "tab": "Konnektoren",
        "copied": "Kopiert.",
        "test": "Mit den letzten",
        "replayed": "2 erneut verarbeitet",
    },
}


def roster() -> list[dict[str, Any]]:
    """Anna has her HubSpot owner id; Ben has none yet."""
    events = send.roster()
    del events[-1]["external_ids"]
    return events


def deliver(url: str, deal: dict[str, Any]) -> dict[str, Any]:
    """A deal-based workflow's webhook, signed as HubSpot signs it, to ``url``."""
    body = orjson.dumps(deal)
    response = httpx.post(url, content=body, headers=send.hubspot_headers(url, body))
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def recent_sales(server: Server, agent: str) -> set[str]:
    response = httpx.get(
        f"{server.base}/api/agents/{agent}",
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    )
    return {row["event"] for row in response.json()["recent"] if row["type"] == "sale"}


def folded(check: Any, timeout: float = 10) -> None:
    """Wait until the server's scorer has folded what ``check`` looks for."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the scorer did not fold it in time"
        time.sleep(0.05)


def external_ids(server: Server, agent: str) -> dict[str, str]:
    response = httpx.get(
        f"{server.base}/api/manage/roster",
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    )
    found: dict[str, str] = next(
        a["external_ids"] for a in response.json()["agents"] if a["agent"] == agent
    )
    return found


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_manager_fixes_a_mapping_and_replays_its_dead_letters(tmp_path: Path, lang: str) -> None:
    words = WORDS[lang]
    server = Server(tmp_path)
    server.env.update(WALLBOARD_TICK_SECONDS="0")
    server.tokens["manager"] = server.cli("token", "create", "--role", "manager")
    server.cli("manager", "add", "boss", "--password-stdin", stdin=PASSWORD.encode() + b"\n")
    with chromium() as browser:
        server.start()
        try:
            server.post(roster(), role="manager")
            page = sign_in(browser, server, lang)
            page.click("#nav a[data-tab=connectors]")
            form = page.locator("#connector-form")
            form.wait_for()
            assert words["tab"] in page.inner_text("#tab-connectors h1")

            # A CSV connector: the server makes its secret and shows it this once.
            form.locator("input[name=connector]").fill("nightly")
            form.locator("select[name=preset]").select_option("csv")
            assert form.locator("input[name=secret]").is_hidden()
            form.locator("button[type=submit]").click()
            secret = page.locator("[data-testid=secret-once] input[data-testid=secret]")
            secret.wait_for()
            assert len(secret.input_value()) >= 40
            shoot(page, f"connectors-secret-{lang}")
            once = page.locator("[data-testid=secret-once]")
            once.locator(".copy-line button").click()
            once.locator("[role=status]", has_text=words["copied"]).wait_for()
            page.locator("[data-testid=secret-once] button").last.click()
            secret.wait_for(state="detached")

            # A HubSpot connector: HubSpot issues the secret; left out, the field says so.
            form.locator("input[name=connector]").fill("deals")
            form.locator("select[name=preset]").select_option("hubspot")
            form.locator("button[type=submit]").click()
            page.locator("#connector-form .field-error").wait_for()
            shoot(page, f"connectors-new-{lang}")
            form.locator("input[name=secret]").fill(send.HUBSPOT_SECRET)
            form.locator("button[type=submit]").click()
            page.locator("#connector-detail[data-connector=deals]").wait_for()
            assert page.locator("[data-testid=secret-once]").count() == 0
            hook = page.locator("input[data-testid=hook-url]").input_value()
            assert hook == f"{server.base}/hooks/deals"

            # The sending system posts to the address shown.
            assert deliver(hook, send.hubspot_deal(101))["accepted"] == 1
            renamed = send.hubspot_deal(102)
            renamed["amount_in_home_currency"] = renamed.pop("amount")
            assert "revenue: required" in deliver(hook, renamed)["dead_letter"]
            unknown = deliver(hook, send.hubspot_deal(103, owner="513"))
            assert "no agent has hubspot id '513'" in unknown["dead_letter"]

            page.click("#connectors-refresh")
            row = page.locator("#connectors-list tr[data-connector=deals]")
            page.locator("#connector-dead tr[data-dead-letter='3']").wait_for()
            assert "3" in row.locator("td").nth(1).inner_text()
            dead = page.locator("#connector-dead")
            assert "revenue: required" in dead.locator("tr[data-dead-letter='2']").inner_text()
            assert "513" in dead.locator("tr[data-dead-letter='3']").inner_text()

            # A mapping that is not JSON is refused beside the box, before it is sent.
            mapping = page.locator("#connector-mapping")
            fixed = orjson.loads(mapping.input_value())
            mapping.fill("{")
            page.click("#connector-test")
            page.locator("#connector-mapping-form .field-error").wait_for()

            # A field the event has not is refused by the server, named beside the box.
            typo = {**fixed, "event": {**fixed["event"], "revnue": "amount"}}
            mapping.fill(orjson.dumps(typo).decode())
            page.click("#connector-save")
            refused = page.locator("#connector-mapping-form .field-error")
            refused.wait_for()
            assert "mapping.event.revnue" in refused.inner_text()

            fixed["event"]["revenue"] = "amount || amount_in_home_currency"
            mapping.fill(orjson.dumps(fixed, option=orjson.OPT_INDENT_2).decode())
            page.click("#connector-test")
            results = page.locator("[data-testid=test-results]")
            results.wait_for()
            assert words["test"] in page.inner_text("#connector-test")
            assert "hubspot-deal-102" in results.locator("tr[data-tested='2']").inner_text()
            assert "513" in results.locator("tr[data-tested='3']").inner_text()
            folded(lambda: recent_sales(server, "a-1") == {"hubspot-deal-101"})
            shoot(page, f"connectors-test-{lang}")

            page.click("#connector-save")
            page.locator("[data-testid=mapping-saved]").wait_for()

            # Ben's HubSpot owner id, given in the People tab.
            page.click("#nav a[data-tab=people]")
            page.locator("details[data-site=ber]").locator("summary").click()
            page.locator("tr[data-agent=a-2] button").click()
            editor = page.locator("tr[data-editor=a-2] form.agent-form")
            editor.locator("[data-field=external_ids] button").last.click()
            editor.locator("input[name=external_system]").fill("hubspot")
            editor.locator("input[name=external_id]").fill("513")
            shoot(page, f"connectors-people-edit-{lang}")
            editor.locator("button[type=submit]").click()
            page.locator("tr[data-agent=a-2]", has_text="hubspot 513").wait_for()
            shoot(page, f"connectors-people-{lang}")
            folded(lambda: external_ids(server, "a-2") == {"hubspot": "513"})

            page.click("#nav a[data-tab=connectors]")
            page.click("#connector-replay")
            page.locator("[data-testid=replayed]", has_text=words["replayed"]).wait_for()
            page.locator("#connector-dead tr.empty").wait_for()
            shoot(page, f"connectors-replayed-{lang}")
            folded(lambda: recent_sales(server, "a-2") == {"hubspot-deal-103"})
            folded(lambda: recent_sales(server, "a-1") == {"hubspot-deal-101", "hubspot-deal-102"})
            # the one refusal asked for above is the only thing the page complains of
            assert [p for p in page.problems if "status of 422" not in p] == []
        finally:
            server.stop()


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
