"""The connectors' part of the store, one contract for every backend: connectors
kept and replaced, payloads recorded in order per connector, dead letters set
and cleared; and all of it kept across reopening a durable store."""

from __future__ import annotations

from wallboard.backup import export_backup, import_backup
from wallboard.store import EventLog, InboxEntry, open_store


async def test_a_connector_is_kept_replaced_and_listed(store: EventLog) -> None:
    assert await store.get_connector("crm") is None
    assert await store.connector_names() == []
    await store.put_connector("crm", b'{"v": 1}')
    await store.put_connector("desk", b'{"v": 1}')
    await store.put_connector("crm", b'{"v": 2}')
    assert await store.get_connector("crm") == b'{"v": 2}'
    assert await store.connector_names() == ["crm", "desk"]


async def test_payloads_are_numbered_per_connector_and_read_back_whole(store: EventLog) -> None:
    body = bytes(range(256))  # any bytes, not only UTF-8
    assert await store.record_payload("crm", "2026-11-02T09:00:00Z", "text/csv", body) == 1
    assert (
        await store.record_payload("desk", "2026-11-02T09:00:01Z", "application/json", b"{}") == 1
    )
    assert await store.record_payload("crm", "2026-11-02T09:00:02Z", "application/json", b"[]") == 2
    assert await store.payload_count("crm") == 2
    assert await store.payload_count("none") == 0
    assert await store.payloads("crm") == [
        InboxEntry(1, "2026-11-02T09:00:00Z", "text/csv", body),
        InboxEntry(2, "2026-11-02T09:00:02Z", "application/json", b"[]"),
    ]
    assert [e.seq for e in await store.payloads("crm", after=1)] == [2]
    assert [e.seq for e in await store.payloads("crm", limit=1)] == [1]
    assert [e.seq for e in await store.latest_payloads("crm", 1)] == [2]
    assert await store.payloads("none") == []


async def test_dead_letters_are_set_replaced_and_cleared(store: EventLog) -> None:
    assert await store.dead_letters("crm") == {}
    await store.set_dead_letter("crm", 3, "no agent")
    await store.set_dead_letter("crm", 1, "filter failed")
    await store.set_dead_letter("crm", 3, "still no agent")
    await store.set_dead_letter("desk", 1, "other")
    assert await store.dead_letters("crm") == {1: "filter failed", 3: "still no agent"}
    await store.set_dead_letter("crm", 1, None)
    await store.set_dead_letter("crm", 9, None)  # clearing what is not there is no error
    assert await store.dead_letters("crm") == {3: "still no agent"}


async def test_durable_backends_keep_connectors_across_reopening(durable_store_url: str) -> None:
    async with open_store(durable_store_url) as store:
        await store.put_connector("crm", b"{}")
        await store.record_payload("crm", "2026-11-02T09:00:00Z", "application/json", b"[1]")
        await store.set_dead_letter("crm", 1, "why")
    async with open_store(durable_store_url) as store:
        assert await store.connector_names() == ["crm"]
        assert [e.body for e in await store.payloads("crm")] == [b"[1]"]
        assert await store.dead_letters("crm") == {1: "why"}
        # the log itself holds none of it
        assert await store.last_offset() == 0


async def test_a_full_backup_carries_the_connectors_not_what_they_received(store: EventLog) -> None:
    await store.put_connector("crm", b'{"secret": "s"}')
    await store.record_payload("crm", "2026-11-02T09:00:00Z", "application/json", b"[]")
    lines = [line async for line in export_backup(store)]
    async with open_store("memory://") as restored:
        counts = await import_backup(restored, lines)
        assert counts["connectors"] == 1
        assert await restored.get_connector("crm") == b'{"secret": "s"}'
        assert await restored.payload_count("crm") == 0
