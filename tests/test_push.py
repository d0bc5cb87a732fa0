"""The push protocol over /ws, in process: topics, snapshots, updates, resume, roles."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from starlette.websockets import WebSocketDisconnect

from tests.helpers import Running, running, sale
from tests.test_api_scoring import setup
from wallboard.publisher import Publisher
from wallboard.wire import Frame


def now() -> str:
    return datetime.now(UTC).isoformat()


class ManualClock:
    """Time for a publisher that moves only when it sleeps, or when a test moves it."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def frames(socket: Any, count: int) -> list[dict[str, Any]]:
    out = []
    while len(out) < count:
        frame = orjson.loads(socket.receive_text())
        if frame["type"] != "ping":
            out.append(frame)
    return out


def subscribe(socket: Any, *topics: str, since: dict[str, Any] | None = None) -> None:
    socket.send_text(
        orjson.dumps({"type": "subscribe", "topics": list(topics), "since": since or {}}).decode()
    )


def connect(app: Running, role: str) -> Any:
    return app.client.websocket_connect(f"/ws?token={app.tokens[role]}")


def test_a_board_gets_a_snapshot_then_numbered_updates_with_celebrations() -> None:
    with running() as app:
        setup(app)
        app.settle()
        with connect(app, "display") as socket:
            subscribe(socket, "board")
            [snapshot] = frames(socket, 1)
            assert snapshot["type"] == "snapshot" and snapshot["topic"] == "board"
            assert snapshot["state"]["ticker"] == []
            app.post(sale("s-1", agent="a-2", revenue="300.00", ts=now()))
            [update] = frames(socket, 1)
            assert update["type"] == "update"
            assert (update["version"], update["seq"]) == (snapshot["version"], snapshot["seq"] + 1)
            [tick] = update["state"]["ticker"]
            assert tick["agent"] == "Benno" and tick["product"] == "mobile-upgrade"
            assert [e["kind"] for e in update["events"]] == ["sale"]
            board = update["state"]["leaderboards"]["day"]["agent"]
            assert [(r["name"], r["points"]) for r in board] == [("Benno", 40.0)]


def test_public_boards_hide_opted_out_agents_and_customers() -> None:
    with running() as app:
        setup(app)
        app.post(sale("s-1", agent="a-3", revenue="500.00", ts=now(), customer="K-4711"))
        app.settle()
        with connect(app, "display") as socket:
            subscribe(socket, "board")
            [snapshot] = frames(socket, 1)
            text = orjson.dumps(snapshot).decode()
            assert "Cem" not in text and "K-4711" not in text and "C.D." not in text


def test_an_agent_subscribes_to_their_own_topic_only() -> None:
    with running() as app:
        setup(app)
        app.settle()
        with connect(app, "agent:a-1") as socket:
            subscribe(socket, "agent:a-2", "board", "agent:a-1")
            errors = frames(socket, 2)
            assert [e["type"] for e in errors] == ["error", "error"]
            assert errors[0]["error"] == "a agent token may not subscribe to 'agent:a-2'"
            [snapshot] = frames(socket, 1)
            assert snapshot["topic"] == "agent:a-1" and snapshot["state"]["agent"] == "a-1"
            app.post(sale("s-2", agent="a-2", revenue="100.00", ts=now()))
            app.post(sale("s-1", agent="a-1", revenue="100.00", ts=now()))
            [update] = frames(socket, 1)
            assert update["state"]["periods"]["day"]["points"]["total"] == 20.0
            assert "s-2" not in orjson.dumps(update).decode()


def test_a_screen_that_comes_back_gets_only_what_it_missed() -> None:
    with running() as app:
        setup(app)
        app.settle()
        with connect(app, "display") as keeper:
            subscribe(keeper, "board")
            [first] = frames(keeper, 1)
            with connect(app, "display") as socket:
                subscribe(socket, "board")
                frames(socket, 1)
            app.post(sale("s-1", agent="a-1", revenue="100.00", ts=now()))
            [missed] = frames(keeper, 1)
            with connect(app, "display") as socket:
                subscribe(socket, "board", since={"board": [first["version"], first["seq"]]})
                [resumed] = frames(socket, 1)
                assert resumed["type"] == "update" and resumed["seq"] == missed["seq"]
                assert [e["kind"] for e in resumed["events"]] == ["sale"]
            with connect(app, "display") as socket:
                subscribe(socket, "board", since={"board": ["other-server", 3]})
                [fresh] = frames(socket, 1)
                assert fresh["type"] == "snapshot" and fresh["seq"] == missed["seq"]


@pytest.mark.parametrize("token", ["ingest", None])
def test_a_socket_without_a_screen_token_is_closed(token: str | None) -> None:
    with running() as app:
        url = f"/ws?token={app.tokens[token]}" if token else "/ws"
        with pytest.raises(WebSocketDisconnect) as closed, app.client.websocket_connect(url) as s:
            s.receive_text()
        assert closed.value.code == 4401


def test_a_cross_origin_socket_is_refused() -> None:
    with running() as app:
        url = f"/ws?token={app.tokens['display']}"
        headers = {"origin": "https://evil.example"}
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            app.client.websocket_connect(url, headers=headers) as s,
        ):
            s.receive_text()
        assert closed.value.code == 4403


class Sink:
    """A screen that takes every frame at once."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.topics: set[str] = set()

    def push(self, frame: Frame) -> None:
        self.frames.append(frame.text)


class ParsedSink:
    """A screen as the publisher sees it: it keeps what it is sent, parsed."""

    def __init__(self) -> None:
        self.frames: list[dict[str, Any]] = []
        self.topics: set[str] = set()

    def push(self, frame: Frame) -> None:
        self.frames.append(orjson.loads(frame.text))


def coalescing() -> tuple[Publisher, Sink, ManualClock]:
    """A publisher of four frames a second at most, with one board screen."""
    clock = ManualClock(100.0)
    renders: list[str] = []

    def render(topic: str) -> dict[str, int]:
        renders.append(topic)
        return {"n": len(renders)}

    publisher = Publisher(render, clock=clock, sleep=clock.sleep, frames_per_second=4)
    sink = Sink()
    publisher.subscribe(sink, "board", None)  # type: ignore[arg-type]
    return publisher, sink, clock


async def test_updates_are_coalesced_and_sent_at_once_when_idle() -> None:
    publisher, sink, clock = coalescing()
    publisher.notify([{"kind": "sale"}], [])
    await publisher.drain()
    assert len(sink.frames) == 2, "an idle topic sends at once"
    for _ in range(5):
        publisher.notify([{"kind": "sale"}], [])
        assert publisher.send_due() == 0.25  # one round now: nothing is due yet
    assert len(sink.frames) == 2, "a busy topic waits for its interval"
    clock.now += 0.25
    await publisher.drain()
    assert len(sink.frames) == 3, "five changes, one frame"
    assert len(orjson.loads(sink.frames[-1])["events"]) == 5


async def test_a_drain_sleeps_until_the_topic_is_due_then_sends_and_returns() -> None:
    publisher, sink, clock = coalescing()
    publisher.notify([{"kind": "sale"}], [])
    await publisher.drain()
    publisher.notify([{"kind": "sale"}], [])
    await publisher.drain()
    assert len(sink.frames) == 3 and clock.now == 100.25
    await publisher.drain()
    assert len(sink.frames) == 3 and clock.now == 100.25, "nothing to send: no sleep"


def test_board_celebrations_name_agents_publicly_and_skip_hidden_ones() -> None:
    with running() as app:
        setup(app)
        app.settle()
        with connect(app, "display") as socket:
            subscribe(socket, "board")
            frames(socket, 1)
            app.post(sale("s-1", agent="a-3", revenue="10.00", ts=now()))  # opted out
            app.post(sale("s-2", agent="a-2", revenue="10.00", ts=now()))
            update = frames(socket, 1)[0]
            while not any(e.get("id") == "s-2" for e in update["events"]):
                update = frames(socket, 1)[0]
            text = orjson.dumps(update).decode()
            assert '"agent":"Benno"' in text
            assert "a-2" not in text and "a-3" not in text and '"s-1"' not in text


async def test_a_topic_nobody_watches_keeps_no_celebrations_for_the_next_screen() -> None:
    clock = ManualClock()
    publisher = Publisher(
        lambda topic: {"n": 1}, clock=clock, sleep=clock.sleep, frames_per_second=1000
    )

    evening, morning = ParsedSink(), ParsedSink()
    publisher.subscribe(evening, "board", None)  # type: ignore[arg-type]
    publisher.unsubscribe(evening)  # type: ignore[arg-type]
    for n in range(10_000):  # the night's sales, with the board switched off
        publisher.notify([{"kind": "sale", "id": f"s-{n}"}], [])
    assert publisher.topics["board"].pending_events == []
    publisher.subscribe(morning, "board", None)  # type: ignore[arg-type]
    publisher.notify([{"kind": "sale", "id": "s-morning"}], [])
    await publisher.drain()
    assert morning.frames[0]["type"] == "snapshot"
    celebrated = [e["id"] for f in morning.frames[1:] for e in f.get("events", [])]
    assert celebrated == ["s-morning"]


def test_a_server_without_the_fast_path_says_so_once(caplog: pytest.LogCaptureFixture) -> None:
    # The test client is not uvicorn: frames go through the ASGI send, and the
    # first screen's connection says so, naming what to run instead.
    with running() as app, caplog.at_level("INFO", logger="wallboard.wire"):
        for _ in range(2):
            with connect(app, "display") as socket:
                subscribe(socket, "board")
                frames(socket, 1)
    said = [r for r in caplog.records if r.name == "wallboard.wire"]
    assert [r.levelname for r in said] == ["WARNING"]
    assert "--ws wallboard.websocket_server:ServerProtocol" in said[0].getMessage()
