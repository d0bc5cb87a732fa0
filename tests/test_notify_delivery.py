"""Delivery at least once: retries with backoff on the deliverer's own clock, dead
letters sent again from the console, a channel that is down delaying only itself,
messages in German, and an agent who opted out never named."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from scoring.log import format_ts
from tests.helpers import Running
from tests.notify_helpers import (
    auth,
    channel,
    deliver,
    derive,
    notifying,
    receiver,
    rule,
    sale,
)
from wallboard.notify.service import Notifications


class Clock:
    """The notifications' clock, moved by the test."""

    def __init__(self, run: Running) -> None:
        self.now = 1_800_000_000.0
        notifications(run).deliverer.clock = notifications(run).deriver.clock = self

    def __call__(self) -> float:
        return self.now


def notifications(run: Running) -> Notifications:
    found = run.services.notifications
    assert found is not None
    return found


def test_a_failing_receiver_is_retried_with_backoff_under_one_key() -> None:
    with receiver() as peer, notifying(notify_backoff=10) as run:
        clock = Clock(run)
        channel(run, {"id": "hook", "kind": "webhook", "url": peer.url})
        rule(run, "r-1", "hook", ["prize"])
        peer.failing = 2
        assert run.post([sale("s-1")]).status_code == 202
        deliver(run)
        assert len(peer.got) == 1
        [pending] = run.get("/api/notifications").json()["pending"]
        assert (pending["attempts"], pending["error"]) == (1, "HTTP 500: ok")

        clock.now += 9.9
        deliver(run)
        assert len(peer.got) == 1, "the channel rests 10 s after the first failure"
        clock.now += 0.1
        deliver(run)
        assert len(peer.got) == 2
        clock.now += 19.9
        deliver(run)
        assert len(peer.got) == 2, "then twice as long"
        clock.now += 0.1
        deliver(run)
        deliver(run)
        assert len(peer.got) == 3
        keys = {r.headers["Idempotency-Key"] for r in peer.got}
        assert len(keys) == 1, "every attempt carries the same key"
        assert len({r.body for r in peer.got}) == 1
        assert run.get("/api/notifications").json()["outbox"] == {
            "pending": 0,
            "delivered": 1,
            "dead": 0,
        }


def test_a_receiver_down_for_good_leaves_a_dead_letter_a_manager_sends_again() -> None:
    with receiver() as peer, notifying(notify_attempts=2, notify_backoff=1) as run:
        clock = Clock(run)
        channel(run, {"id": "slack", "kind": "slack", "url": peer.url})
        rule(run, "r-1", "slack", ["prize"])
        peer.failing = 100
        run.post([sale("s-1")])
        deliver(run)
        clock.now += 1
        deliver(run)
        clock.now += 3600
        deliver(run)
        assert len(peer.got) == 2, "two attempts, then it is given up"
        [dead] = run.get("/api/notifications/dead-letters").json()["dead_letters"]
        assert (dead["attempts"], dead["error"], dead["title"]) == (2, "HTTP 500: ok", "Prize won")

        peer.failing = 0
        path = f"/api/notifications/dead-letters/{dead['key']}/retry"
        assert run.client.post(path, headers=auth(run)).status_code == 200
        assert run.client.post(path, headers=auth(run)).status_code == 404
        deliver(run)
        assert len(peer.got) == 3
        assert run.get("/api/notifications/dead-letters").json()["dead_letters"] == []
        assert run.get("/api/notifications").json()["outbox"]["delivered"] == 1


def test_a_channel_that_hangs_does_not_hold_up_another() -> None:
    with receiver() as slow, receiver() as fast, notifying() as run:
        slow.holding = threading.Event()
        channel(run, {"id": "slow", "kind": "slack", "url": slow.url})
        channel(run, {"id": "fast", "kind": "teams", "url": fast.url})
        rule(run, "r-slow", "slow", ["prize"])
        rule(run, "r-fast", "fast", ["prize"])
        run.post([sale("s-1")])
        derive(run)
        deliverer = notifications(run).deliverer
        assert run.call(deliverer.step) == 2
        # The slow channel's request waits; the fast one's arrives meanwhile.
        while not fast.got:
            run.call(deliverer.wait_any)
        assert "slow" in deliverer.sending and slow.got == []
        run.post([sale("s-2")])
        derive(run)
        assert run.call(deliverer.step) == 1, "the fast channel's next; the slow one is busy"
        slow.holding.set()
        run.call(deliverer.run_to_idle)
        assert len(fast.got) == 2 and len(slow.got) == 2


def test_messages_in_german_and_an_agent_who_opted_out_is_never_named() -> None:
    with receiver() as peer, notifying() as run:
        channel(run, {"id": "hook", "kind": "webhook", "url": peer.url})
        rule(run, "r-de", "hook", ["prize"], language="de")
        run.post([sale("s-1", agent="a-1"), sale("s-2", agent="a-2")])
        deliver(run)
        [told] = [r.json() for r in peer.got]
        assert (told["title"], told["text"]) == (
            "Preis gewonnen",
            "Ana hat Kinogutschein gewonnen.",
        )
        assert "Bo" not in str(peer.got[0].body) and "a-2" not in str(peer.got[0].body)


def test_works_council_mode_names_no_agent() -> None:
    with receiver() as peer, notifying(works_council=True) as run:
        channel(run, {"id": "hook", "kind": "webhook", "url": peer.url})
        rule(run, "r-1", "hook", ["prize"])
        run.post([sale("s-1", agent="a-1")])
        deliver(run)
        assert peer.got == [], "a prize is personal: told for no one in works-council mode"


def test_a_tombola_draw_names_its_winners_as_the_board_does() -> None:
    with receiver() as peer, notifying() as run:
        channel(run, {"id": "hook", "kind": "webhook", "url": peer.url})
        rule(run, "r-draw", "hook", ["tombola_drawn"], language="de")
        now = datetime.now(UTC)
        tombola = {
            "tombola": "xmas",
            "name": "Weihnachtstombola",
            "prizes": ["cinema", "cinema"],
            "closes": format_ts(now + timedelta(hours=1)),
        }
        assert run.client.post("/api/tombolas", json=tombola, headers=auth(run)).status_code == 201
        sold = format_ts(datetime.now(UTC))
        assert (
            run.post([sale("s-1", ts=sold), sale("s-2", agent="a-2", ts=sold)]).status_code == 202
        )
        run.tick("tick-after", format_ts(now + timedelta(hours=2)))
        deliver(run)
        [told] = [r.json() for r in peer.got]
        assert told["title"] == "Tombola gezogen: Weihnachtstombola"
        winners = sorted(fact["value"] for fact in told["facts"])
        assert winners == ["(nicht genannt)", "Ana"], "Bo opted out: drawn, never named"
