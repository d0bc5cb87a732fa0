"""What a TV downloads when it first opens the board, measured in Chromium.

A screen on a slow site network (or a cheap stick on hotel Wi-Fi) should be on
the wall within seconds: the page, its scripts and styles, plotly.js and the
first snapshot, as they travel (compressed, headers included), stay under
1.5 MB on the demo's company.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import chromium, free_port
from tests.helpers import until

pytestmark = pytest.mark.browser

BUDGET = 1_500_000


@pytest.fixture
def demo_board(tmp_path: Path) -> Iterator[str]:
    """``wallboard demo`` on a free port, with its history played: the board's link."""
    port = free_port()
    env = {**os.environ, "WALLBOARD_STORE": f"sqlite:///{tmp_path / 'demo.db'}"}
    log = tmp_path / "demo.log"
    with log.open("ab") as out:
        demo = subprocess.Popen(
            [sys.executable, "-m", "wallboard", "demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        # The demo writes its history before it serves: its server up, the board is full.
        while "Application startup complete" not in log.read_text():
            assert demo.poll() is None, log.read_text()
            time.sleep(0.1)
        yield next(
            line.split()[-1]
            for line in log.read_text().splitlines()
            if line.strip().startswith("board:")
        )
        assert "Traceback" not in log.read_text()
    finally:
        demo.send_signal(signal.SIGTERM)
        demo.wait(20)


class Transfers:
    """Bytes a page received, as they travelled: by address, and the websocket's
    frames, from Chromium's own network events."""

    def __init__(self, page: Any) -> None:
        self.received: dict[str, int] = {}
        self.urls: dict[str, str] = {}
        network = page.context.new_cdp_session(page)
        network.on("Network.requestWillBeSent", self.request)
        network.on("Network.loadingFinished", self.finished)
        network.on("Network.webSocketFrameReceived", self.frame)
        network.send("Network.enable")

    def request(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"].split("?")[0]
        redirect = event.get("redirectResponse")
        if redirect:  # the board's first answer: the token goes into a cookie
            self.received[redirect["url"].split("?")[0] + " (redirect)"] = int(
                redirect["encodedDataLength"]
            )

    def finished(self, event: dict[str, Any]) -> None:
        url = self.urls.get(event["requestId"], event["requestId"])
        self.received[url] = self.received.get(url, 0) + int(event["encodedDataLength"])

    def frame(self, event: dict[str, Any]) -> None:
        size = len(event["response"]["payloadData"].encode())
        self.received["websocket frames"] = self.received.get("websocket frames", 0) + size

    def total(self, title: str) -> int:
        for url, size in sorted(self.received.items(), key=lambda item: -item[1]):
            print(f"{size:>10,} B  {url}")
        total = sum(self.received.values())
        print(f"{total:>10,} B  in all: {title}")
        self.received.clear()
        return total


def show(page: Any, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_selector("#live-matches .match")
    until(page, "window.Plotly !== undefined")


def test_a_tv_loads_the_board_in_under_one_and_a_half_megabytes(demo_board: str) -> None:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        transfers = Transfers(page)
        show(page, demo_board)
        assert any("plotly" in url for url in transfers.received), transfers.received
        first = transfers.total("a TV's first load of the board")
        show(page, demo_board.split("?")[0])  # the token is in the cookie now
        fetched = [url for url, size in transfers.received.items() if "/static/" in url and size]
        again = transfers.total("the board again, its files from the cache")
        context.close()
    assert first < BUDGET, f"a TV downloads {first:,} bytes to show the board"
    assert fetched == [], f"fetched again although cached for a year: {fetched}"
    assert again < 50_000
