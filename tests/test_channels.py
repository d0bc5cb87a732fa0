"""Channels: a named playlist of the board's scenes, set by a manager, that a
screen opened with ``/board?channel=`` shows and follows."""

from __future__ import annotations

import html
import re
from typing import Any

import orjson

from scoring.channels import Channels
from scoring.snapshot import from_data, state_hash, to_data
from tests.helpers import Running, running
from tests.scoring_helpers import Board
from wallboard import screens

LOBBY = {
    "id": "ch-1",
    "type": "channel",
    "ts": "2026-11-02T08:00:00Z",
    "channel": "lobby",
    "name": "Lobby",
    "scenes": ["leaders", "league"],
    "rotate": 45,
}


def page_config(run: Running, address: str) -> dict[str, Any]:
    opened = run.client.get(f"{address}&token={run.tokens['display']}")
    assert opened.status_code == 200, opened.text
    found = re.search(r'data-config="([^"]*)"', opened.text)
    assert found
    return dict(orjson.loads(html.unescape(found.group(1))))


def test_a_channel_is_set_whole_replaced_and_removed_and_survives_a_snapshot() -> None:
    board = Board()
    board.feed(LOBBY)
    board.feed({**LOBBY, "id": "ch-2", "channel": "ber", "name": "Berlin", "site": "ber"})
    book = board.scorer.feature(Channels).book
    assert [c.scenes for c in book.channels.values()] == [
        ["leaders", "league"],
        ["leaders", "league"],
    ]
    board.feed({**LOBBY, "id": "ch-3", "scenes": ["charts"], "rotate": 10})
    assert (book.channels["lobby"].scenes, book.channels["lobby"].rotate) == (["charts"], 10)
    assert book.channels["lobby"].revision == "ch-3"
    restored = from_data(orjson.loads(orjson.dumps(to_data(board.scorer))))
    assert state_hash(restored) == state_hash(board.scorer)
    assert restored.feature(Channels).book.channels["lobby"].revision == "ch-3"
    board.feed({**LOBBY, "id": "ch-4", "active": False})
    assert list(book.channels) == ["ber"]
    assert [c["channel"] for c in screens.channels(board.scorer)] == ["ber"]


def test_a_channel_with_no_scene_or_one_the_board_lacks_is_refused() -> None:
    with running() as app:
        for scenes, said in (
            ([], "expected a list of 1 to 4, got []"),
            (["weather"], "expected one of league, leaders, charts, contests, got 'weather'"),
            ("league", "expected a list of 1 to 4"),
        ):
            answer = app.post({**LOBBY, "scenes": scenes}, role="manager")
            assert answer.status_code == 422, answer.text
            [invalid] = answer.json()["invalid"]
            assert invalid["problems"]["scenes"].startswith(said), invalid
        from_crm = app.post(LOBBY, role="ingest")
        assert from_crm.status_code == 422 and "written by managers" in from_crm.text
        assert app.engine.scorer.feature(Channels).book.channels == {}


def test_a_board_on_a_channel_takes_its_scenes_and_the_address_wins_where_it_says() -> None:
    with running() as app:
        assert app.post(LOBBY, role="manager").status_code == 202
        app.settle()
        config = page_config(app, "/board?channel=lobby")
        assert (config["scenes"], config["rotate"]) == (["leaders", "league"], 45)
        assert (config["channel"], config["channel_revision"]) == ("lobby", "ch-1")
        assert page_config(app, "/board?channel=lobby&rotate=5")["rotate"] == 5
        missing = app.client.get("/board?channel=foyer")
        assert missing.status_code == 404 and "foyer" in missing.text
        frame = app.engine.scorer
        assert screens.board(frame, None, works_council=False)["channels"] == {"lobby": "ch-1"}
