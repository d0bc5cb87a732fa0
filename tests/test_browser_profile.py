"""The agent's widget loads the agent's own choices, as the probe found it did not:
an opted-out agent opened /me, changed their public name, saved, and was back on
the public boards."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.helpers import until
from tests.test_browser import Server, browser, iso, open_page, server

pytestmark = pytest.mark.browser
__all__ = ["browser", "server"]  # the fixtures, shared with the other browser tests


def profile_of(server: Server, agent: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{server.base}/api/agents/{agent}",
        headers={"Authorization": f"Bearer {server.tokens['manager']}"},
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_an_opted_out_agent_saves_a_new_name_and_stays_opted_out(
    server: Server, browser: Any
) -> None:
    server.post(
        {
            "id": "opt-out",
            "type": "profile",
            "ts": iso(datetime.now(UTC)),
            "agent": "a-1",
            "opt_out": True,
        },
        role="manager",
    )
    page = open_page(browser, f"{server.base}/me?token={server.tokens['agent:a-1']}", 360, 640)
    page.click("#tab-profile")
    form = page.locator("#profile")
    until(page, "!document.querySelector('#profile button').disabled")
    assert form.locator("input[name=opt_out]").is_checked(), "the form shows the opt-out"
    assert form.locator("input[name=public_name]").input_value() == "Anna"
    form.locator("input[name=public_name]").fill("Anni")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#name >> text=(Anni)", timeout=2000)
    assert form.locator("input[name=opt_out]").is_checked()
    saved = profile_of(server, "a-1")
    assert saved["opt_out"] is True and saved["public_name"] == "Anni"
    board = httpx.get(
        f"{server.base}/api/leaderboard",
        headers={"Authorization": f"Bearer {server.tokens['display']}"},
    )
    assert "Anni" not in board.text
    # A reload shows the choices as saved.
    page.reload()
    page.wait_for_selector(".status.online")
    until(page, "document.querySelector('#profile input[name=public_name]').value")
    assert form.locator("input[name=public_name]").input_value() == "Anni"
    assert form.locator("input[name=opt_out]").is_checked()
    assert page.problems == []
