"""The fold does not drift: a fixed log of the demo company, about 300,000 events
over nine weeks, folds to the same state as it did when the log was made.

The log (``tests/data/demo-log.jsonl.xz``, made by ``tests/data/make_demo_log.py``)
holds every type of event and makes the fold emit every kind of change. Its
state hash is recorded below; so are figures a user would notice (sales by
state, awards, the league's champion, the tombolas' winners), so that when the
hash moves the other tests say what moved with it. Only the scorer and its
snapshot are used, as the engine uses them (``wallboard.engine.fold``).

A change of behaviour on purpose changes these constants, and says why.
"""

from __future__ import annotations

import functools
import gc
import json
import lzma
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from scoring import snapshot
from scoring.model import Award, Sale
from scoring.scorer import Scorer

LOG = Path(__file__).parent / "data" / "demo-log.jsonl.xz"
#: moved when each day's bucket began to count its contacts with a quality score
#: (``rated``): every figure below stayed as it was
STATE_HASH = "b6dbe217a2b8a60825137367a13720751a816d28050e4cb4513cd25af9353fbf"
#: changes are drained this often, as the engine drains a batch it read
DRAIN_EVERY = 5000
#: changes kept whole for the figures; the others are only counted
KEPT = frozenset(
    {
        "goal_reached",
        "prize_revoked",
        "tombola_drawn",
        "league_error",
        "match_final",
        "season_ended",
    }
)

EVENT_TYPES = {
    "agent": 154,
    "cancellation": 23899,
    "contact": 140762,
    "forfeit": 1,
    "goal": 6,
    "handover": 73,
    "league_end": 1,
    "league_heads": 1,
    "league_season": 2,
    "prize": 11,
    "prize_rule": 10,
    "profile": 3,
    "rules": 2,
    "sale": 135224,
    "season": 1,
    "site": 7,
    "team": 15,
    "tick": 3215,
    "tombola_draw": 2,
    "tombola_open": 2,
}
CHANGE_KINDS = {
    "sale": 135224,
    "revoked": 21881,
    "goal_reached": 3,
    "prize": 297,
    "prize_out_of_stock": 27193,
    "prize_revoked": 13,
    "tombola_closed": 2,
    "tombola_drawn": 2,
    "record_day": 24,
    "league_error": 1,
    "goal": 80,
    "goal_disallowed": 5,
    "match_final": 30,
    "season_ended": 1,
}

Event = dict[str, Any]


@dataclass
class Folded:
    scorer: Scorer
    types: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    kept: list[Mapping[str, Any]] = field(default_factory=list)

    def of(self, kind: str) -> list[Mapping[str, Any]]:
        return [change for change in self.kept if change["kind"] == kind]


@functools.cache
def lines() -> list[bytes]:
    """The log's entries as stored: one event's JSON each."""
    return lzma.decompress(LOG.read_bytes()).splitlines()


def setup_module() -> None:
    """The collector stays off while this module runs, as the engine keeps it off
    while it folds: the records the fold makes form no cycles, and collections
    walking a few million of them again and again would be most of the time."""
    gc.disable()


def teardown_module() -> None:
    lines.cache_clear()
    whole.cache_clear()
    state.cache_clear()
    gc.enable()


def fold(scorer: Scorer, log: list[bytes], start: int, stop: int) -> Folded:
    """Fold entries ``log[start:stop]`` into ``scorer`` (offsets count from 1), each
    parsed as it is folded, as ``wallboard.engine.fold_entries`` does."""
    folded = Folded(scorer)
    apply, loads = scorer.apply, json.loads
    for offset in range(start + 1, stop + 1):
        event: Event = loads(log[offset - 1])
        folded.types[event["type"]] += 1
        apply(event, offset)
        if offset % DRAIN_EVERY == 0 or offset == stop:
            for change in scorer.drain_changes():
                folded.kinds[change["kind"]] += 1
                if change["kind"] in KEPT:
                    folded.kept.append(change)
    return folded


@functools.cache
def whole() -> Folded:
    log = lines()
    return fold(Scorer(), log, 0, len(log))


@functools.cache
def state() -> dict[str, Any]:
    """The folded state as its snapshot holds it: what the hash is taken of, so
    figures read from it hold exactly as long as the hash does."""
    return snapshot.to_data(whole().scorer)


#: the fields of a sale and of an award, in the order a snapshot lists them
SALE_FIELDS = [f.name for f in fields(Sale)]
AWARD_FIELDS = [f.name for f in fields(Award)]


def records(rows: list[list[Any]], names: list[str]) -> list[dict[str, Any]]:
    assert all(len(row) == len(names) for row in rows)
    return [dict(zip(names, row, strict=True)) for row in rows]


def table(matches: list[list[Any]]) -> dict[str, tuple[int, int, int]]:
    """Points (3 a win, 1 a draw), goals for and against per club, from the
    snapshot's matches: [id, matchday, home, away, starts, ends, home points,
    away points, goals as [club, agent, sale, minute, disallowed, reason], state,
    forfeiting club]."""
    rows: dict[str, list[int]] = {}
    for _, _, home, away, _, _, _, _, goals, match_state, forfeit in matches:
        assert match_state == "final"
        score = {home: 0, away: 0}
        if forfeit is not None:
            score[home if forfeit == away else away] = 3
        else:
            for club, *_, disallowed, _ in goals:
                score[club] += not disallowed
        for club, other in ((home, away), (away, home)):
            row = rows.setdefault(club, [0, 0, 0])
            row[0] += 3 if score[club] > score[other] else score[club] == score[other]
            row[1] += score[club]
            row[2] += score[other]
    return {club: (row[0], row[1], row[2]) for club, row in rows.items()}


def test_the_log_holds_every_type_of_event() -> None:
    assert dict(whole().types) == EVENT_TYPES


def test_folding_the_log_gives_the_recorded_state() -> None:
    folded = whole()
    assert folded.scorer.offset == len(lines())
    assert snapshot.state_hash(folded.scorer) == STATE_HASH


def test_folding_emits_every_kind_of_change() -> None:
    assert dict(whole().kinds) == CHANGE_KINDS


def test_sales_stand_as_they_stood() -> None:
    sales = records(state()["sales"], SALE_FIELDS)
    assert Counter(sale["state"] for sale in sales) == {
        "confirmed": 87573,
        "pending": 25770,
        "revoked": 21881,
    }
    # Cancelled: inside the window (revoked) and after it (still confirmed).
    assert sum(sale["cancelled"] for sale in sales) == 21900
    # Cents, and hundredths of a point.
    assert sum(s["revenue"] for s in sales if s["state"] == "confirmed") == 414_566_793
    assert sum(s["points"] for s in sales if s["state"] != "revoked") == 267_918_828


def test_prizes_went_where_they_went() -> None:
    awards = records(state()["awards"], AWARD_FIELDS)
    assert len(awards) == 297
    assert Counter(award["state"] for award in awards) == {
        "awarded": 212,
        "handed_over": 72,
        "revoked": 13,
    }
    assert Counter(award["rule"] for award in awards) == {
        "coffee-week": 201,
        "instant-cinema": 37,
        "instant-shirt": 22,
        "instant-champagne": 13,
        "week-top": 9,
        "instant-basket": 6,
        "tombola:september": 3,
        "month-top": 3,
        "tombola:autumn-insurance": 2,
        "season-top": 1,
    }
    assert [c["winners"] for c in whole().of("tombola_drawn")] == [
        ["lei-12", "ham-07", "cgn-06"],
        ["muc-11", "muc-14"],
    ]


def test_the_league_ends_as_it_ended() -> None:
    folded = whole()
    assert folded.of("season_ended") == [
        {"kind": "season_ended", "season": "autumn-cup", "champion": "cgn"}
    ]
    [forfeit] = [c for c in folded.of("match_final") if "forfeit" in c]
    assert forfeit == {
        "kind": "match_final",
        "season": "autumn-cup",
        "match": "6:ham-ess",
        "forfeit": "ess",
        "score": [3, 0],
    }
    assert [c["season"] for c in folded.of("league_error")] == ["draft"]
    [season] = [s for s in state()["league"]["seasons"] if s["id"] == "autumn-cup"]
    assert season["champion"] == "cgn"
    # Points, goals for and against of each club, from the final scores.
    assert table(season["matches"]) == {
        "cgn": (28, 20, 11),
        "muc": (18, 15, 12),
        "ham": (11, 13, 11),
        "lei": (9, 11, 13),
        "ber": (5, 10, 15),
        "ess": (5, 9, 16),
    }


def test_personal_goals_are_reached_by_the_same_agents() -> None:
    assert [c["agent"] for c in whole().of("goal_reached")] == ["ber-03", "lei-01", "muc-02"]


def test_a_snapshot_round_trip_hashes_the_same() -> None:
    restored = snapshot.from_data(snapshot.to_data(whole().scorer))
    assert snapshot.state_hash(restored) == STATE_HASH


def test_folding_on_from_a_snapshot_halfway_hashes_the_same() -> None:
    log = lines()
    half = len(log) // 2
    first = fold(Scorer(), log, 0, half)
    # Stored as JSON, as the engine stores it, so nothing is shared with the first half.
    saved = json.dumps(snapshot.to_data(first.scorer))
    del first
    scorer = snapshot.from_data(json.loads(saved))
    assert scorer.offset == half
    rest = fold(scorer, log, half, len(log))
    assert snapshot.state_hash(rest.scorer) == STATE_HASH
