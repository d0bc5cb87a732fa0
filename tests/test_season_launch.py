"""A season is launched once: a second launch under its id is refused at the door,
and a log that holds one anyway folds as it always did, the first launch standing."""

from __future__ import annotations

from typing import Any

from scoring import snapshot
from tests.helpers import running
from tests.scoring_helpers import Board


def launch(event_id: str, season: str = "w49", **fields: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": "league_season",
        "ts": "2026-11-20T09:00:00Z",
        "season": season,
        "name": "Week 49",
        "starts": "2026-11-30",
        "double": False,
        "goal_every": 10,
        "clubs": [
            {"club": "ber", "name": "Berlin", "heads": 4},
            {"club": "lei", "name": "Leipzig", "heads": 2},
        ],
        **fields,
    }


def test_a_second_launch_with_the_same_season_id_is_refused_naming_it() -> None:
    with running() as app:
        assert app.post(launch("launch-1"), role="manager").status_code == 202
        app.settle()
        before = app.call(app.store.last_offset)
        again = app.post(launch("launch-2", name="Week 49 again"), role="manager")
        assert again.status_code == 409, again.text
        assert again.json() == {
            "error": "season 'w49' exists already; nothing was stored. "
            "Launch a new season under another id",
            "season": "w49",
            "index": 0,
            "id": "launch-2",
        }
        assert app.call(app.store.last_offset) == before
        [season] = app.get("/api/seasons").json()["seasons"]
        assert season["name"] == "Week 49"


def test_a_retry_of_the_launch_itself_is_a_duplicate_as_for_every_event() -> None:
    with running() as app:
        assert app.post(launch("launch-1"), role="manager").status_code == 202
        app.settle()
        retry = app.post(launch("launch-1"), role="manager")
        assert retry.status_code == 202, retry.text
        assert retry.json() == {"accepted": 0, "duplicates": 1, "duplicate_ids": ["launch-1"]}
        # Before the fold has taken the launch in, a retry is a duplicate all the same.
        first = app.post([launch("launch-2", "w50"), launch("launch-2", "w50")], role="manager")
        assert first.json()["accepted"] == 1 and first.json()["duplicates"] == 1


def test_two_launches_of_one_season_in_one_batch_are_refused_whole() -> None:
    with running() as app:
        batch = [launch("other", "w50"), launch("a", "w51"), launch("b", "w51")]
        refused = app.post(batch, role="manager")
        assert refused.status_code == 409
        assert refused.json()["error"].startswith("season 'w51' is made twice in this batch")
        assert (refused.json()["index"], refused.json()["id"]) == (2, "b")
        assert app.call(app.store.last_offset) == 0


def test_a_launch_that_built_no_season_may_be_sent_again_corrected() -> None:
    with running() as app:
        broken = launch("launch-1", windows=[["2026-11-30T08:00:00Z", "2026-11-30T18:00:00Z"]])
        del broken["starts"]
        broken["clubs"].append({"club": "ham", "name": "Hamburg", "heads": 3})
        assert app.post(broken, role="manager").status_code == 202
        app.settle()
        assert app.get("/api/seasons").json()["seasons"] == []
        assert app.post(launch("launch-2"), role="manager").status_code == 202


def test_a_log_holding_a_second_launch_folds_as_without_it() -> None:
    first = launch("launch-1")
    second = launch("launch-2", name="Another", goal_every=1, double=True)
    once = Board(first)
    twice = Board(first, second)
    assert snapshot.state_hash(twice.scorer) == snapshot.state_hash(once.scorer)
    [refusal] = twice.changes("league_error")
    assert refusal == {
        "kind": "league_error",
        "season": "w49",
        "error": "season 'w49' exists already; the first launch stands",
    }
