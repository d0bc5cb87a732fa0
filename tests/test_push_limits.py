"""What one client may make the server hold: topics that exist only, 16 of them a
connection, a bounded number of connections a token, topics freed when nobody
watches; and what a display token reads from the API: a public board's share."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.helpers import Running, running
from tests.test_api_scoring import admin, roster, setup, today_sale
from tests.test_push import ManualClock, connect, frames, subscribe
from tests.test_push import ParsedSink as Sink
from wallboard.clients import CLOSE_TOO_MANY
from wallboard.protocol import MAX_TOPICS
from wallboard.publisher import Publisher
from wallboard.settings import Settings


async def test_a_topic_nobody_watches_is_freed_and_a_screen_back_later_gets_a_snapshot() -> None:
    clock = ManualClock()
    publisher = Publisher(
        lambda topic: {"at": clock.now}, clock=clock, sleep=clock.sleep, keep_idle=60
    )
    screen = Sink()
    publisher.subscribe(screen, "board:ber", None)  # type: ignore[arg-type]
    for _ in range(3):
        clock.now += 1
        publisher.notify([], [])
        await publisher.drain()
    last = screen.frames[-1]
    publisher.unsubscribe(screen)  # type: ignore[arg-type]

    # Back within a minute: it resumes from the ring.
    clock.now += 30
    publisher.beat()
    back = Sink()
    publisher.subscribe(back, "board:ber", [last["version"], last["seq"]])  # type: ignore[arg-type]
    assert back.frames == []
    publisher.unsubscribe(back)  # type: ignore[arg-type]

    # Away longer: the topic, its state and its ring are gone; the screen gets a
    # snapshot, never a resume from a seq of the topic that was freed.
    clock.now += 61
    publisher.beat()
    assert publisher.topics == {}
    later = Sink()
    publisher.subscribe(later, "board:ber", [last["version"], last["seq"]])  # type: ignore[arg-type]
    [snapshot] = later.frames
    assert snapshot["type"] == "snapshot" and snapshot["seq"] > last["seq"]


def errors_and_snapshots(socket: Any, count: int) -> tuple[list[str], list[str]]:
    got = frames(socket, count)
    return (
        [f["error"] for f in got if f["type"] == "error"],
        [f["topic"] for f in got if f["type"] == "snapshot"],
    )


def test_only_topics_the_roster_has_are_made_whoever_asks() -> None:
    with running() as app:
        app.post(
            [*roster(), admin("ag-x", "agent", agent="a-x", name="X Y", team="t1", site="ber")],
            role="manager",
        )
        app.settle()
        with connect(app, "manager") as socket:
            subscribe(socket, "board:nowhere", "agent:nobody", "board:ber", "agent:a-1")
            errors, snapshots = errors_and_snapshots(socket, 4)
        assert snapshots == ["board:ber", "agent:a-1"]
        assert errors == [
            "no topic 'board:nowhere': the roster names no such site",
            "no topic 'agent:nobody': the roster names no such agent",
        ]
        assert set(app.services.publisher.topics) == {"board:ber", "agent:a-1"}
        # An agent's own page opens before the roster names them.
        with app.client.websocket_connect("/ws?token=" + app.tokens["agent:a-2"]) as socket:
            subscribe(socket, "agent:a-2")
            assert frames(socket, 1)[0]["type"] == "snapshot"


def test_a_connection_holds_at_most_16_topics() -> None:
    with running() as app:
        agents = [f"x-{n}" for n in range(MAX_TOPICS + 4)]
        app.post(
            [
                *roster(),
                *(
                    admin(f"ag-{a}", "agent", agent=a, name=a, team="t1", site="ber")
                    for a in agents
                ),
            ],
            role="manager",
        )
        app.settle()
        with connect(app, "manager") as socket:
            # Read between messages: a connection's queue keeps the newest 16 frames.
            subscribe(socket, *(f"agent:{a}" for a in agents[:10]))
            assert errors_and_snapshots(socket, 10)[0] == []
            subscribe(socket, *(f"agent:{a}" for a in agents[10:]))
            errors, snapshots = errors_and_snapshots(socket, 10)
            assert len(snapshots) == MAX_TOPICS - 10
            assert errors == [f"a connection may hold at most {MAX_TOPICS} topics"] * 4
            # One it holds already may be asked for again (a resync).
            subscribe(socket, f"agent:{agents[0]}")
            assert frames(socket, 1)[0]["type"] == "snapshot"


def test_a_token_holds_a_bounded_number_of_connections() -> None:
    settings = Settings(store="memory://", connections_per_token=2)
    with running(settings=settings) as app:
        with connect(app, "display") as first, connect(app, "display") as second:
            for socket in (first, second):
                subscribe(socket, "board")
                assert frames(socket, 1)[0]["type"] == "snapshot"
            with pytest.raises(WebSocketDisconnect) as refused, connect(app, "display") as third:
                third.receive_text()
            assert refused.value.code == CLOSE_TOO_MANY
            # Another token is counted apart.
            with connect(app, "manager") as other:
                subscribe(other, "board")
                assert frames(other, 1)[0]["type"] == "snapshot"
        # Both gone: the token may connect again.
        with connect(app, "display") as again:
            subscribe(again, "board")
            assert frames(again, 1)[0]["type"] == "snapshot"
        assert app.services.publisher.admitted == {}


def sales_today(app: Running) -> None:
    setup(app)
    for n, agent in enumerate(("a-1", "a-2", "a-3")):
        today_sale(app, f"s-{n}", agent, "100.00")
    app.settle()


def test_a_display_token_reads_the_leaderboards_its_board_shows_and_no_more() -> None:
    with running() as app:
        sales_today(app)
        board = app.get("/api/leaderboard?by=agent&top=100", role="display")
        assert board.status_code == 200
        rows = board.json()["rows"]
        assert [(r["id"], r["name"]) for r in rows] == [(None, "A.B."), (None, "Benno")]
        for period in ("month", "season"):
            refused = app.get(f"/api/leaderboard?period={period}", role="display")
            assert refused.status_code == 403, refused.text
        assert app.get("/api/leaderboard?by=nobody", role="agent").status_code == 422
        # "²" passes isdigit() and int() refuses 4,300 digits: both were a 500
        for top in ("%C2%B2", "9" * 5000):
            assert app.get(f"/api/leaderboard?top={top}").status_code == 422, top
        full = app.get("/api/leaderboard?by=agent&period=month&top=100").json()["rows"]
        assert {r["id"] for r in full} == {"a-1", "a-2", "a-3"}


def test_with_the_works_council_setting_a_display_token_reads_no_agent() -> None:
    settings = Settings(store="memory://", works_council=True)
    with running(settings=settings) as app:
        sales_today(app)
        refused = app.get("/api/leaderboard?by=agent&top=100", role="display")
        assert refused.status_code == 403
        assert "teams and sites only" in refused.json()["error"]
        teams = app.get("/api/leaderboard?by=team", role="display").json()["rows"]
        assert [r["name"] for r in teams] == ["Pleisse", "Spree"]
        for path in ("/api/prizes", "/api/leaderboard?by=site&period=week"):
            text = app.get(path, role="agent").text
            assert not any(word in text for word in ("a-1", "a-2", "A.B.", "Benno", "Anna")), path
