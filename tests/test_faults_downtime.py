"""Moments that pass while the scorer is down, with the process really killed: a
cancellation window, a matchday and a tombola that end meanwhile are settled
when the scorer comes back, as a clean replay of the log settles them."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from scoring import snapshot
from scoring.log import format_ts
from scoring.model import CONFIRMED, REVOKED
from tests.faults import (
    TICK_SECONDS,
    Process,
    Replay,
    add_tokens,
    assert_same_state,
    saved_state,
    scorer_process,
    start_web,
    wait_until_ticking,
    web_process,
)
from wallboard.engine import collector_paused
from wallboard.store import open_store


def sale_event(event_id: str, agent: str, ts: datetime, revenue: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "sale",
        "ts": format_ts(ts),
        "agent": agent,
        "product": "mobile-upgrade",
        "channel": "phone",
        "revenue": revenue,
    }


def roster_and_cup(now: datetime, moment: datetime) -> list[dict[str, Any]]:
    """Two sites with an agent each, a prize, and a cup whose first matchday ends at
    ``moment`` with no grace."""
    events: list[dict[str, Any]] = [
        {"id": "prize-p", "type": "prize", "prize": "p", "name": "Cinema voucher"},
        {"id": "site-ber", "type": "site", "site": "ber", "name": "Berlin"},
        {"id": "site-ham", "type": "site", "site": "ham", "name": "Hamburg"},
        {"id": "team-ber", "type": "team", "team": "ber-1", "name": "Spree", "site": "ber"},
        {"id": "team-ham", "type": "team", "team": "ham-1", "name": "Elbe", "site": "ham"},
        {
            "id": "agent-a-1",
            "type": "agent",
            "agent": "a-1",
            "name": "Anna Berg",
            "team": "ber-1",
            "site": "ber",
        },
        {
            "id": "agent-a-2",
            "type": "agent",
            "agent": "a-2",
            "name": "Ben Ohl",
            "team": "ham-1",
            "site": "ham",
        },
        {
            "id": "cup",
            "type": "league_season",
            "season": "cup",
            "name": "Cup",
            "clubs": [
                {"club": "ber", "name": "Berlin", "heads": 1},
                {"club": "ham", "name": "Hamburg", "heads": 1},
            ],
            "goal_every": 10,
            "grace_minutes": 0,
            "windows": [
                [format_ts(now - timedelta(hours=1)), format_ts(moment)],
                [format_ts(moment), format_ts(moment + timedelta(days=1))],
            ],
        },
    ]
    return [{**event, "ts": format_ts(now - timedelta(days=1))} for event in events]


@pytest.mark.timeout(90)
async def test_windows_that_end_while_the_scorer_is_down_close_when_it_returns(
    processes: list[Process], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'log.db'}"
    scorer = scorer_process(processes, url, tmp_path, tick_seconds=TICK_SECONDS)
    web = web_process(processes, url, tmp_path, engine="reader")
    async with open_store(url) as store:
        tokens = await add_tokens(store, "ingest", "manager")
        start_web(web)
        started = time.time()
        scorer.start()
        with httpx.Client(base_url=web.url, timeout=30) as client:

            def post(events: list[dict[str, Any]], role: str = "ingest") -> None:
                headers = {"Authorization": f"Bearer {tokens[role]}"}
                response = client.post("/api/events", json=events, headers=headers)
                assert response.status_code == 202, response.text

            def get(path: str) -> Any:
                headers = {"Authorization": f"Bearer {tokens['manager']}"}
                response = client.get(path, headers=headers)
                assert response.status_code == 200, response.text
                return response.json()

            # The moment: a sale's cancellation window, the first matchday and a tombola
            # end at once, a few seconds from now, while the scorer is down.
            now = datetime.now(UTC).replace(microsecond=0)
            moment = now + timedelta(seconds=10)
            post(roster_and_cup(now, moment), "manager")
            # A second tombola closes two seconds after the moment: only the restarted
            # scorer's ticks carry the clock there.
            for tombola, closes in (("t", moment), ("t2", moment + timedelta(seconds=2))):
                opened = client.post(
                    "/api/tombolas",
                    json={
                        "tombola": tombola,
                        "name": "Draw",
                        "prizes": ["p"],
                        "ts": format_ts(now - timedelta(minutes=1)),
                        "closes": format_ts(closes),
                    },
                    headers={"Authorization": f"Bearer {tokens['manager']}"},
                )
                assert opened.status_code == 201, opened.text
            # The default rules: 10 points a sale and 0.1 a euro, 14 days' window; the
            # cup: a goal every 10 points a head.
            post(
                [
                    # made 14 days ago, reported late: its window ends at the moment
                    sale_event("s-due", "a-1", moment - timedelta(days=14), "50.00"),
                    sale_event("s-ber", "a-1", now, "100.00"),  # 20 points: 2 goals, a ticket
                    sale_event("s-ham", "a-2", now, "100.00"),  # 20 points: 2 goals, a ticket
                ]
            )
            # A deploy, whose snapshot holds the pending sale, the live match and the open
            # tombola; then a crash.
            await wait_until_ticking(store, started, TICK_SECONDS)
            scorer.stop()
            started = time.time()
            scorer.start()
            await wait_until_ticking(store, started, TICK_SECONDS)
            scorer.kill()

            # Down, before the moment: a sale that plays and earns a ticket, and a
            # cancellation inside the window, which takes back a sale, its goals and ticket.
            post(
                [
                    sale_event("s-ham-2", "a-2", now, "0.00"),  # 10 points: a goal
                    {"id": "c-ber", "type": "cancellation", "ts": format_ts(now), "sale": "s-ber"},
                ]
            )
            assert datetime.now(UTC) < moment, "the setup took longer than the moment gives it"
            await asyncio.sleep((moment - datetime.now(UTC)).total_seconds() + 0.2)
            # Down, after it: a sale inside the matchday by its time but too late for the
            # final whistle and the draw, and a cancellation inside its sale's window that
            # reaches the log after the window passed: it counts in the rate only.
            late = moment - timedelta(minutes=1)
            post(
                [
                    sale_event("s-ber-late", "a-1", late, "100.00"),
                    {"id": "c-due", "type": "cancellation", "ts": format_ts(late), "sale": "s-due"},
                ]
            )
            last_sent = await store.last_offset()
            scorer.start()

            deadline = time.monotonic() + 30
            for tombola_id in ("t", "t2"):
                while (tombola := get(f"/api/tombolas/{tombola_id}"))["state"] != "drawn":
                    assert time.monotonic() < deadline, f"not drawn: {tombola}"
                    await asyncio.sleep(0.1)
                assert tombola["verified"] is True
            # The late sale came after the first tombola closed, before the second did.
            assert get("/api/tombolas/t")["tickets"] == {"a-2": 2}
            assert get("/api/tombolas/t2")["tickets"] == {"a-1": 1, "a-2": 2}

            [first, _] = get("/api/seasons/cup/matches")["matches"]
            assert first["state"] == "final"
            scores = {first["home"]: first["home_goals"], first["away"]: first["away_goals"]}
            assert scores == {"ber": 0, "ham": 3}
            disallowed = [g for g in first["goals"] if g["disallowed"]]
            assert [(g["club"], g["reason"]) for g in disallowed] == [
                ("ber", "sale s-ber cancelled")
            ] * 2

            recent = {row["event"]: row for row in get("/api/agents/a-1")["recent"]}
            assert recent["s-due"]["state"] == "confirmed"
            assert "counts in the cancellation rate" in recent["c-due"]["why"]
            assert recent["s-ber"]["state"] == "revoked"
            assert recent["s-ber-late"]["state"] == "pending"

        # The scorer, stopped, saved what it folded: what a clean replay gives.
        scorer.stop()
        with collector_paused():
            saved = await saved_state(store)
            assert saved["offset"] >= last_sent
            assert_same_state(saved, await Replay(store).to(saved["offset"]))
            restored = snapshot.from_data(saved)
        assert restored.state.sales["crm:s-due"].state == CONFIRMED
        assert restored.state.sales["crm:s-due"].cancelled
        assert restored.state.sales["crm:s-ber"].state == REVOKED
        assert restored.league.league.seasons["cup"].matches[0].state == "final"
        assert [t.state for t in restored.tombolas.book.tombolas.values()] == ["drawn", "drawn"]
    # Both starts after the first restored the snapshot of the one before.
    assert scorer.output().count("restored snapshot at offset") == 2
