"""The events only the service writes (the clock, tombola draws, what its console
endpoints record) cannot be forged: not through ``POST /api/events`` with any
token, not through a log import, and not by a line written into the log by hand,
which the fold ignores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from scoring.events import SERVICE_TYPES, validate
from scoring.log import SYSTEM_SOURCE, records
from scoring.rules import DEFAULT_RULES
from tests.helpers import running
from tests.scoring_helpers import MANAGE, Board, logged, prize, roster, tombola_draw
from tests.test_api_scoring import open_tombola, setup, today_sale
from tests.test_scoring_tombola import (
    CLOSES,
    LEDGER,
    ROSTER,
    SEED,
    START,
    reference_draw,
    sales,
)
from tests.test_scoring_tombola import open_tombola as xmas_tombola
from wallboard.backup import LogImportError, import_lines
from wallboard.settings import Settings
from wallboard.store.memory import MemoryLog

HASH = "0" * 64
#: a valid body of each type the service alone writes
FORGED: dict[str, dict[str, Any]] = {
    "tick": {},
    "tombola_draw": {"tombola": "nov", "seed": HASH, "ledger_hash": HASH, "winners": ["a-2"]},
    "tombola_open": {
        "tombola": "fake",
        "name": "Fake",
        "prizes": ["cinema"],
        "closes": "2030-01-01T00:00:00Z",
        "seed_hash": HASH,
    },
    "experiment": {
        "experiment": "fake",
        "name": "Fake",
        "arms": [{"arm": "A", "rules": DEFAULT_RULES}, {"arm": "B", "rules": DEFAULT_RULES}],
        "unit": "agent",
        "metric": "sales_per_agent_day",
        "starts": "2030-01-01T00:00:00Z",
        "ends": "2030-02-01T00:00:00Z",
        "seed_hash": HASH,
    },
    "experiment_assignment": {
        "experiment": "fake",
        "assignment": {"a-1": "B"},
        "strata": {"a-1": ""},
        "agents": {"a-1": "B"},
    },
    "experiment_seed": {"experiment": "fake", "seed": HASH},
    "token_created": {"token": "0123456789ab", "role": "manager", "label": "me"},
    "token_revoked": {"token": "0123456789ab"},
}


def forged(event_type: str) -> dict[str, Any]:
    return {"id": f"forged-{event_type}", "type": event_type, "ts": "2026-11-01T00:00:00Z"} | (
        FORGED[event_type]
    )


def test_every_service_type_has_a_forgery_here() -> None:
    assert set(FORGED) == SERVICE_TYPES


def test_a_manager_cannot_forge_a_tombola_draw_and_the_real_draw_still_awards() -> None:
    with running() as app:
        setup(app)
        open_tombola(app, ["cinema"], every=1)
        today_sale(app, "s-1", "a-1", "10.00")
        app.settle()
        before = app.call(app.store.last_offset)

        response = app.post(forged("tombola_draw"), role="manager")

        assert response.status_code == 422
        body = response.json()
        assert body["error"] == "1 of 1 events are invalid; none was stored"
        assert body["invalid"][0]["problems"] == {
            "type": "tombola_draw is written by the service only"
        }
        assert app.call(app.store.last_offset) == before
        # Tickets still count, and the service's own draw picks the one agent who has them.
        today_sale(app, "s-2", "a-1", "10.00")
        app.settle()
        assert app.get("/api/tombolas/nov", role="manager").json()["tickets"] == {"a-1": 2}
        app.tick("tick-1", "2030-01-01T00:00:01Z")
        app.settle()
        drawn = app.get("/api/tombolas/nov", role="manager").json()
        assert (drawn["state"], drawn["winners"], drawn["verified"]) == ("drawn", ["a-1"], True)


@pytest.mark.parametrize("event_type", sorted(SERVICE_TYPES))
@pytest.mark.parametrize("role", ["manager", "ingest"])
def test_no_token_may_post_what_the_service_writes(event_type: str, role: str) -> None:
    with running() as app:
        before = app.call(app.store.last_offset)
        response = app.post(forged(event_type), role=role)
        assert response.status_code == 422, response.text
        [invalid] = response.json()["invalid"]
        assert invalid["problems"] == {"type": f"{event_type} is written by the service only"}
        assert app.call(app.store.last_offset) == before


def test_a_simulated_clock_takes_a_managers_tick_as_the_services_own() -> None:
    settings = Settings(store="memory://", simulated_clock=True)
    with running(settings=settings) as app:
        tick = forged("tick") | {"ts": "2026-11-02T00:00:00Z"}
        assert app.post([tick], role="manager").status_code == 202
        [stored] = [orjson.loads(data) for data in app.events()]
        assert (stored["type"], stored["source"], stored["by"]) == ("tick", SYSTEM_SOURCE, "test")
        # Still not from an integration, and still no draw from anyone.
        assert app.post(forged("tick") | {"id": "t-2"}).status_code == 422
        assert app.post(forged("tombola_draw"), role="manager").status_code == 422


def test_a_hand_written_draw_in_the_log_is_ignored_and_the_real_draw_awards() -> None:
    board = Board(
        *ROSTER,
        prize("cinema", START),
        prize("tshirt", START),
        xmas_tombola(),
        *sales("a1", 1),
        *sales("a2", 2),
    )
    fake = tombola_draw("xmas", "2026-11-05T00:00:00Z", seed=SEED, ledger={}, winners=["a4"])
    board.feed(logged(fake, source=MANAGE))
    assert board.tombola("xmas")["state"] == "open"
    assert board.awards() == []
    board.feed(*sales("a3", 3, day="2026-11-06"))  # later sales still earn tickets
    assert board.tombola("xmas")["tickets"] == LEDGER
    # A clock moved by hand does not close it either.
    board.feed(logged({"id": "t-hand", "type": "tick", "ts": CLOSES}, source=MANAGE))
    assert board.tombola("xmas")["state"] == "open"

    board.at(CLOSES)
    winners = reference_draw(LEDGER, SEED, 2)
    board.feed(
        tombola_draw("xmas", "2026-12-20T00:05:00Z", seed=SEED, ledger=LEDGER, winners=winners)
    )
    shown = board.tombola("xmas")
    assert (shown["state"], shown["verified"], shown["winners"]) == ("drawn", True, winners)
    assert {a["agent"]: a["prize"] for a in board.awards()} == {
        winners[0]: "cinema",
        winners[1]: "tshirt",
    }


def line(event: dict[str, Any], source: str) -> bytes:
    [(_, data)] = records([dict(event)], source, event["ts"])
    return data + b"\n"


async def test_an_import_takes_a_draw_only_from_the_service() -> None:
    store = MemoryLog()
    draw = validate(tombola_draw("xmas", CLOSES, seed=SEED, ledger={}, winners=["a1"]))
    agent = validate(roster("a1", START, team="t1", site="berlin"))
    with pytest.raises(LogImportError, match="line 2: tombola_draw is written by the service only"):
        await import_lines(store, [line(agent, MANAGE), line(draw, MANAGE)])
    assert await import_lines(store, [line(draw, SYSTEM_SOURCE)]) == (1, 0)


def test_the_cli_import_refuses_a_forged_tick(tmp_path: Path) -> None:
    from wallboard.cli import main

    forged_tick = {"id": "t-1", "type": "tick", "ts": "2099-01-01T00:00:00Z"}
    path = tmp_path / "forged.jsonl"
    path.write_bytes(line(forged_tick, "manage"))
    store = f"sqlite:///{tmp_path / 'log.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WALLBOARD_STORE", store)
        assert main(["log", "import", str(path)]) == 1
        path.write_bytes(line(forged_tick, SYSTEM_SOURCE))
        assert main(["log", "import", str(path)]) == 0


async def test_an_import_checks_what_the_log_adds_as_the_fold_will_read_it() -> None:
    agent = validate(roster("a1", START, team="t1", site="berlin"))
    good = orjson.loads(line(agent, MANAGE))
    for name, value, problem in [
        ("received", "yesterday", "received: expected an ISO 8601 timestamp"),
        ("source", "\u200b", "source: expected some visible text"),
        ("by", "boss\x1b[2J", "by: expected no control"),
    ]:
        with pytest.raises(LogImportError, match=f"line 1: {problem}"):
            await import_lines(MemoryLog(), [orjson.dumps(good | {name: value})])
    assert await import_lines(MemoryLog(), [orjson.dumps(good | {"by": "boss"})]) == (1, 0)
