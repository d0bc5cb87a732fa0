"""One contract, every backend: memory, sqlite and redis."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import orjson
import pytest

from wallboard.engine import release_freed_memory
from wallboard.store import EventLog, Record, TokenRecord, open_store


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def records(*keys: str) -> list[Record]:
    return [Record(key, f'{{"id":"{key}"}}'.encode()) for key in keys]


async def test_an_empty_log_has_nothing(store: EventLog) -> None:
    assert await store.read() == []
    assert await store.last_offset() == 0
    assert await store.stats() == {"events": 0, "last_offset": 0}


async def test_append_assigns_dense_offsets_in_order(store: EventLog) -> None:
    assert await store.append(records("a", "b")) == [True, True]
    assert await store.append(records("c")) == [True]
    entries = await store.read()
    assert [e.offset for e in entries] == [1, 2, 3]
    assert [e.data for e in entries] == [r.data for r in records("a", "b", "c")]
    assert (await store.stats())["events"] == 3


async def test_duplicates_are_acknowledged_and_not_stored_again(store: EventLog) -> None:
    await store.append(records("a", "b"))
    assert await store.append(records("b", "c", "a")) == [False, True, False]
    assert [e.data for e in await store.read()] == [r.data for r in records("a", "b", "c")]


async def test_a_log_tells_which_keys_it_holds(store: EventLog) -> None:
    assert await store.logged([]) == []
    assert await store.logged(["a"]) == [False]
    await store.append(records("a", "b"))
    assert await store.logged(["b", "c", "a", "b"]) == [True, False, True, True]


async def test_a_key_repeated_inside_one_batch_is_stored_once(store: EventLog) -> None:
    assert await store.append(records("x", "x", "y", "x")) == [True, False, True, False]
    assert await store.last_offset() == 2


async def test_concurrent_appends_each_see_their_own_duplicates(store: EventLog) -> None:
    """Backends may commit concurrent appends together; each still answers for itself."""
    await store.append(records("old"))
    batches = [records(f"a{n}", "shared", "old", f"b{n}") for n in range(8)]
    answers = await asyncio.gather(*(store.append(batch) for batch in batches))
    assert all(answer[0] and answer[3] and not answer[2] for answer in answers)
    assert sum(answer[1] for answer in answers) == 1, "the shared key is stored once"
    entries = await store.read(limit=100)
    assert [e.offset for e in entries] == list(range(1, 19))
    keys = [orjson.loads(e.data)["id"] for e in entries]
    assert sorted(keys) == sorted({"old", "shared", *(f"{x}{n}" for x in "ab" for n in range(8))})
    for batch in batches:  # each batch's events stay in its order
        mine = [k for k in keys if k in {r.key for r in batch[:1] + batch[3:]}]
        assert mine == [batch[0].key, batch[3].key]


async def test_a_large_batch_is_appended_whole(store: EventLog) -> None:
    await store.append(records(*(f"k{i}" for i in range(0, 2500, 7))))
    before = await store.last_offset()
    stored = await store.append(records(*(f"k{i}" for i in range(2500))))
    assert stored == [i % 7 != 0 for i in range(2500)]
    entries = await store.read(after=before, limit=5000)
    assert [e.offset for e in entries] == list(range(before + 1, before + 1 + stored.count(True)))
    assert [orjson.loads(e.data)["id"] for e in entries] == [
        f"k{i}" for i in range(2500) if i % 7 != 0
    ]


async def test_data_comes_back_byte_for_byte(store: EventLog) -> None:
    data = orjson.dumps({"id": "ü", "text": 'quote " backslash \\ nul \x00 emoji 🎉 "},{"'})
    assert await store.append([Record("k", data), Record("k2", b"{}")]) == [True, True]
    assert [e.data for e in await store.read()] == [data, b"{}"]
    assert all(type(e.data) is bytes for e in await store.read())


async def test_read_from_an_offset_with_a_limit(store: EventLog) -> None:
    await store.append(records(*(f"k{i}" for i in range(10))))
    entries = await store.read(after=3, limit=4)
    assert [e.offset for e in entries] == [4, 5, 6, 7]
    assert await store.read(after=10) == []


async def test_follow_yields_entries_appended_later(store: EventLog) -> None:
    await store.append(records("first"))
    seen: list[int] = []

    async def consume() -> None:
        async for batch in store.follow(after=0):
            seen.extend(e.offset for e in batch)
            if len(seen) >= 3:
                return

    consumer = asyncio.create_task(consume())
    await asyncio.sleep(0.05)
    await store.append(records("second", "third"))
    await asyncio.wait_for(consumer, 5)
    assert seen == [1, 2, 3]


async def test_tokens_are_found_by_hash_listed_and_revoked(store: EventLog) -> None:
    token = TokenRecord(
        id="abc123",
        hash="h" * 64,
        role="ingest",
        label="crm",
        created="2026-11-22T10:00:00Z",
        source="crm",
    )
    await store.add_token(token)
    assert await store.find_token("h" * 64) == token
    assert await store.find_token("x" * 64) is None
    assert [t.id for t in await store.list_tokens()] == ["abc123"]
    assert await store.revoke_token("abc123") is True
    assert await store.revoke_token("nope") is False
    found = await store.find_token("h" * 64)
    assert found is not None and found.revoked


async def test_metadata_is_kept_and_replaced(store: EventLog) -> None:
    assert await store.get_meta("snapshot") is None
    await store.put_meta("snapshot", b"\x00one")
    await store.put_meta("snapshot", b"\x00two")
    assert await store.get_meta("snapshot") == b"\x00two"
    assert await store.last_offset() == 0, "metadata is not part of the log"


async def test_metadata_names_are_listed_sorted(store: EventLog) -> None:
    assert await store.meta_names() == []
    for name in ("manager:b", "session-secret", "manager:a"):
        await store.put_meta(name, b"x")
    await store.put_meta("manager:a", b"y")
    assert await store.meta_names() == ["manager:a", "manager:b", "session-secret"]


@pytest.mark.parametrize("size", [0, 1, 5_000_003])
async def test_metadata_of_any_size_reads_back_whole(store: EventLog, size: int) -> None:
    value = os.urandom(size)
    await store.put_meta("snapshot", b"\xffolder and longer" * 1000)
    await store.put_meta("snapshot", value)
    assert await store.get_meta("snapshot") == value


async def test_sqlite_keeps_no_copy_of_a_snapshot_it_stored(tmp_path: Path) -> None:
    """A snapshot is megabytes: the server's memory must not grow by one per save."""
    async with open_store(f"sqlite:///{tmp_path / 'log.db'}") as log:
        value = os.urandom(64 << 20)
        release_freed_memory()
        before = rss_mib()
        for _ in range(3):
            await log.put_meta("snapshot", value)
            release_freed_memory()
        assert rss_mib() - before < 16


async def test_durable_backends_keep_the_log_across_reopening(durable_store_url: str) -> None:
    async with open_store(durable_store_url) as log:
        await log.append(records("a", "b"))
    async with open_store(durable_store_url) as log:
        assert await log.last_offset() == 2
        assert await log.append(records("a", "c")) == [False, True]


async def test_two_connections_see_each_others_appends(durable_store_url: str) -> None:
    async with open_store(durable_store_url) as writer, open_store(durable_store_url) as reader:
        await writer.append(records("a"))
        assert [e.offset for e in await reader.read()] == [1]
        assert await reader.append(records("a")) == [False]


def test_an_unknown_store_url_is_refused_with_the_expected_forms() -> None:
    with pytest.raises(ValueError, match="memory://, sqlite:/// or redis://"):
        open_store("postgres://localhost/db")
