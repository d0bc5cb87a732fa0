"""Catching up on a long log: the engine folds it in batches with the garbage
collector kept off the state it has built, and gives the collector back as it
found it; the state is the one a plain fold of the same events gives."""

from __future__ import annotations

import gc

from scoring.scorer import Scorer
from scoring.snapshot import state_hash
from tests.scoring_helpers import cancellation, contact, logged, roster, sale
from wallboard.engine import Engine, fold
from wallboard.ingest import to_records
from wallboard.store import EventLog, open_store


def events(count: int) -> list[dict[str, object]]:
    out = [logged(roster(f"a{n}", "2026-11-01T00:00:00Z", team="t", site="s")) for n in range(5)]
    for n in range(count):
        ts = f"2026-11-{2 + n // 1000:02d}T{8 + n % 10:02d}:{n % 60:02d}:00Z"
        if n % 7 == 6:
            out.append(logged(cancellation(f"c{n}", f"s{n - 3}", ts)))
        elif n % 2:
            out.append(logged(contact(f"k{n}", ts, agent=f"a{n % 5}", resolved=n % 3 == 0)))
        else:
            out.append(logged(sale(f"s{n}", ts, agent=f"a{n % 5}", revenue=f"{n % 90 + 10}.00")))
    return out


async def append(store: EventLog, log: list[dict[str, object]]) -> None:
    for event in log:
        event = dict(event)
        source, received = str(event.pop("source")), str(event.pop("received"))
        await store.append(to_records([event], source, received))


def plain(log: list[dict[str, object]]) -> str:
    scorer = Scorer()
    for offset, event in enumerate(log, 1):
        scorer.apply(dict(event), offset)
    return state_hash(scorer)


async def test_a_replay_in_batches_ends_where_a_plain_fold_does() -> None:
    log = events(12_000)
    async with open_store("memory://") as store:
        await append(store, log)
        scorer = await fold(store, batch=5000)
    assert state_hash(scorer) == plain(log)
    assert scorer.offset == len(log)
    assert gc.isenabled() and gc.get_freeze_count() == 0


async def test_the_engine_catches_up_and_hands_the_collector_back() -> None:
    log = events(12_000)
    async with open_store("memory://") as store:
        await append(store, log)
        async with Engine(store, writer=False, tick_seconds=0) as engine:
            assert await engine.catch_up() == len(log)
            assert state_hash(engine.scorer) == plain(log)
            assert gc.isenabled() and gc.get_freeze_count() > 0  # the state, out of sight
        assert gc.get_freeze_count() == 0
