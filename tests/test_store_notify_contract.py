"""The notification part of the store contract, on every backend: channels kept
apart from the log, an outbox that takes a key once, leases one process at a time,
and keeps what it could not deliver."""

from __future__ import annotations

import asyncio
import dataclasses

from wallboard.store import EventLog, OutboxEntry


def entry(key: str, channel: str = "slack", due: float = 100.0) -> OutboxEntry:
    return OutboxEntry(
        key=key,
        channel=channel,
        rule="r-1",
        offset=7,
        message='{"title":"Prize für Ana 🎉"}'.encode(),
        due=due,
        created=due,
        updated=due,
    )


async def test_channels_are_stored_replaced_and_deleted(store: EventLog) -> None:
    await store.put_channel("ops", b'{"kind":"slack","secret":"x"}')
    await store.put_channel("ops", b'{"kind":"slack","secret":"y"}')
    await store.put_channel("mail", b"{}")
    assert await store.get_channels() == {"mail": b"{}", "ops": b'{"kind":"slack","secret":"y"}'}
    assert await store.delete_channel("mail")
    assert not await store.delete_channel("mail")
    assert list(await store.get_channels()) == ["ops"]
    assert await store.read() == [], "a channel never enters the log"


async def test_an_outbox_key_is_taken_once(store: EventLog) -> None:
    assert await store.outbox_add([entry("k1"), entry("k2")]) == [True, True]
    assert await store.outbox_add([entry("k2"), entry("k3")]) == [False, True]
    assert await store.outbox_counts() == {"pending": 3, "delivered": 0, "dead": 0}


async def test_a_claim_leases_due_entries_to_one_holder(store: EventLog) -> None:
    await store.outbox_add([entry("late", due=300.0), entry("b", due=110.0), entry("a")])
    first = await store.outbox_claim(200.0, 30.0, "p1", 10)
    assert [e.key for e in first] == ["a", "b"], "due ones, oldest first"
    assert all(e.holder == "p1" and e.due == 230.0 for e in first)
    assert first[0].message.decode() == '{"title":"Prize für Ana 🎉"}'
    assert await store.outbox_claim(200.0, 30.0, "p2", 10) == [], "held by p1"
    # p1 died holding them: once the lease is over, another process takes them.
    again = await store.outbox_claim(231.0, 30.0, "p2", 10)
    assert [e.key for e in again] == ["a", "b"]
    stale = dataclasses.replace(first[0], state="delivered", updated=232.0)
    assert not await store.outbox_settle(stale), "p1 lost its lease"
    done = dataclasses.replace(again[0], state="delivered", updated=232.0)
    assert await store.outbox_settle(done)
    assert await store.outbox_counts() == {"pending": 2, "delivered": 1, "dead": 0}


async def test_concurrent_claims_never_share_an_entry(store: EventLog) -> None:
    await store.outbox_add([entry(f"k{n:02}") for n in range(40)])
    claims = await asyncio.gather(*(store.outbox_claim(200.0, 30.0, f"p{n}", 7) for n in range(8)))
    keys = [e.key for claim in claims for e in claim]
    assert len(keys) == len(set(keys)) == 40


async def test_a_claim_leaves_out_the_channels_asked(store: EventLog) -> None:
    await store.outbox_add([entry("s", "slack"), entry("t", "teams")])
    claimed = await store.outbox_claim(200.0, 30.0, "p1", 10, ["slack"])
    assert [e.key for e in claimed] == ["t"]


async def test_a_retry_waits_and_a_dead_entry_is_revived(store: EventLog) -> None:
    await store.outbox_add([entry("k")])
    [held] = await store.outbox_claim(200.0, 30.0, "p1", 10)
    retry = dataclasses.replace(held, attempts=1, due=260.0, error="HTTP 500", updated=200.0)
    assert await store.outbox_settle(retry)
    assert await store.outbox_claim(259.0, 30.0, "p1", 10) == []
    [held] = await store.outbox_claim(260.0, 30.0, "p1", 10)
    assert (held.attempts, held.error) == (1, "HTTP 500")
    dead = dataclasses.replace(held, state="dead", attempts=2, error="HTTP 503", updated=261.0)
    assert await store.outbox_settle(dead)
    assert await store.outbox_claim(10_000.0, 30.0, "p1", 10) == []
    [listed] = await store.outbox_list("dead", 10)
    assert (listed.key, listed.attempts, listed.error, listed.holder) == ("k", 2, "HTTP 503", "")
    assert await store.outbox_revive("k", 300.0)
    assert not await store.outbox_revive("k", 300.0), "pending already"
    [held] = await store.outbox_claim(300.0, 30.0, "p1", 10)
    assert held.attempts == 0
    assert await store.outbox_counts() == {"pending": 1, "delivered": 0, "dead": 0}
