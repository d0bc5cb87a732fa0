"""The snapshot is encoded in pieces, and reads back as the state it was made of."""

from __future__ import annotations

import orjson
import pytest

from scoring import snapshot
from scoring.scorer import Scorer
from tests.test_engine_catch_up import events
from wallboard.engine import CODE_VERSION, encode_snapshot


@pytest.mark.parametrize("count", [0, 1, 7, 100])
def test_a_snapshot_in_pieces_reads_back_as_the_whole_state(count: int) -> None:
    scorer = Scorer()
    for offset, event in enumerate(events(count), 1):
        scorer.apply(dict(event), offset)
    whole = {"code": CODE_VERSION, "state": snapshot.to_data(scorer)}
    saved = orjson.loads(encode_snapshot(scorer, piece=7))
    assert saved == orjson.loads(orjson.dumps(whole))
    restored = snapshot.from_data(saved["state"])
    assert snapshot.state_hash(restored) == snapshot.state_hash(scorer)
