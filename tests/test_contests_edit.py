"""A contest changed after its launch (``scoring/contests/edit.py``): replaced whole
before it starts; once started, renamed, extended or cut short, and nothing else.

The default rules: Europe/Berlin; a 100 EUR sale is 100.00 of revenue."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.contests.edit import declared
from scoring.contests.standings import standings
from scoring.snapshot import from_data, state_hash, to_data
from tests.scoring_helpers import (
    Board,
    contact,
    contest,
    contest_end,
    logged,
    roster,
    sale,
    tick,
)
from tests.test_contests_formats import BEFORE, at, kinds, of, run_of, teams_roster


def epoch(ts: str) -> float:
    return datetime.fromisoformat(ts).timestamp()


def scores(board: Board, contest_id: str) -> dict[str, float]:
    found = of(board, contest_id)
    return {
        row.participant: row.score for row in standings(board.scorer.state, found, found.runs[-1])
    }


def errors(board: Board) -> list[str]:
    return [c["error"] for c in kinds(board, "contest_error")]


def battle(ts: str, **changes: Any) -> dict[str, Any]:
    """The derby of the teams from 08:00 to 18:00 (Berlin), with ``changes`` (None:
    left out)."""
    fields: dict[str, Any] = {"starts": at(7), "ends": at(17), "teams": ["red", "blue"]}
    kept = {k: v for k, v in (fields | changes).items() if v is not None}
    return contest("derby", ts, format="team_battle", **kept)


def test_before_it_starts_a_contest_is_replaced_whole() -> None:
    board = Board(*teams_roster())
    board.feed(battle(BEFORE))
    board.feed(battle(BEFORE, name="Site derby", metric="sales", teams=None, sites=["ber", "lei"]))
    derby = of(board, "derby")
    assert (derby.name, derby.metric, derby.kind) == ("Site derby", "sales", "sites")
    assert derby.participants == ["ber", "lei"] and len(derby.runs) == 1
    board.feed(
        sale("s1", at(8), agent="a1", revenue="100.00"),
        sale("s2", at(9), agent="a2", revenue="50.00"),
        sale("s3", at(10), agent="a3", revenue="120.00"),
    )
    assert scores(board, "derby") == {"ber": 2, "lei": 1}
    assert errors(board) == []


def test_a_running_contest_is_renamed_and_keeps_what_it_counted() -> None:
    board = Board(*teams_roster(), battle(BEFORE))
    board.feed(sale("s1", at(8), agent="a1", revenue="100.00"))
    board.feed(battle(at(9), name="Derby of the day"))
    assert of(board, "derby").name == "Derby of the day"
    board.feed(sale("s2", at(10), agent="a3", revenue="30.00"))
    assert scores(board, "derby") == {"red": 100.0, "blue": 30.0}


@pytest.mark.parametrize("until", [at(11, day=3), at(23, day=4)], ids=["to noon", "two days"])
def test_an_extended_contest_ends_where_one_launched_to_that_end_would(until: str) -> None:
    """From midnight (Berlin) to 18:00, extended at 10:00 to the next day's noon or to
    the end of the fourth: the first day, cut by the old end, is whole now (from the
    day totals), and so is the third; each sale counts once, as in a contest
    launched to that end."""
    midnight = at(23, day=1)
    board = Board(*teams_roster(), battle(BEFORE, starts=midnight))
    board.feed(
        contest(
            "twin", BEFORE, format="team_battle", starts=midnight, ends=until, teams=["red", "blue"]
        )
    )
    board.feed(sale("s1", at(8), agent="a1", revenue="100.00"))
    board.feed(battle(at(10), starts=midnight, ends=until))
    assert errors(board) == []
    board.feed(
        sale("s2", at(16), agent="a3", revenue="40.00"),
        sale("s3", at(18), agent="a2", revenue="25.00"),  # after the old end
        sale("s4", at(9, day=3), agent="a3", revenue="70.00"),
        sale("s5", at(9, day=4), agent="a1", revenue="11.00"),
        sale("s6", at(13, day=5), agent="a1", revenue="500.00"),  # after both ends
    )
    board.at("2026-11-05T12:00:00Z")  # both decided
    derby, twin = run_of(board, "derby"), run_of(board, "twin")
    assert derby.state == twin.state == "decided"
    assert derby.places == twin.places
    assert scores(board, "derby") == scores(board, "twin")
    two_days = until == at(23, day=4)
    assert scores(board, "derby") == {"red": 136.0 if two_days else 125.0, "blue": 110.0}


def test_a_contest_cut_short_counts_nothing_after_its_new_end() -> None:
    board = Board(*teams_roster(), battle(BEFORE))
    board.feed(sale("s1", at(8), agent="a1", revenue="100.00"))
    board.feed(battle(at(9), ends=at(12)))
    board.feed(
        sale("s2", at(11), agent="a3", revenue="30.00"),
        sale("s3", at(13), agent="a3", revenue="300.00"),
    )
    board.at(at(12, 31))
    assert run_of(board, "derby").state == "decided"
    assert scores(board, "derby") == {"red": 100.0, "blue": 30.0}


def test_a_race_extended_counts_every_sale_to_its_new_end() -> None:
    race = {"format": "race", "starts": at(7), "metric": "sales", "agents": ["a1", "a3"]}
    board = Board(*teams_roster(), contest("dash", BEFORE, ends=at(12), target=3, **race))
    board.feed(sale("s1", at(8), agent="a1"), sale("s2", at(9), agent="a1"))
    board.feed(contest("dash", at(10), ends=at(15), target=3, **race))
    board.feed(sale("s3", at(13), agent="a1"))
    assert run_of(board, "dash").finishes["a1"][0] == epoch(at(13))


def test_a_recurring_contests_later_runs_end_at_the_new_time() -> None:
    board = Board(*teams_roster())
    daily = {"format": "team_battle", "starts": at(7), "teams": ["red", "blue"], "repeat": "daily"}
    board.feed(contest("day", BEFORE, ends=at(15), **daily))
    board.feed(contest("day", at(9), ends=at(17), **daily))
    board.at(at(8, day=3))
    runs = of(board, "day").runs
    assert [r.ends for r in runs] == [epoch(at(17)), epoch(at(17, day=3))]


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"metric": "sales"}, "cannot change its metric: it has started"),
        ({"teams": None, "sites": ["ber", "lei"]}, "cannot change its participants: it has"),
        ({"starts": at(8)}, "cannot change its starts"),
        ({"ends": at(9, 30)}, "expected ends after the contest clock (2026-11-02T10:00:00Z)"),
        ({"hidden": True}, "it cannot be hidden again"),
    ],
)
def test_a_started_contest_refuses_what_its_tallies_rest_on(
    change: dict[str, Any], said: str
) -> None:
    board = Board(*teams_roster(), battle(BEFORE))
    board.feed(sale("s1", at(8), agent="a1", revenue="100.00"))
    board.feed(battle(at(10), **change))
    assert len(errors(board)) == 1 and said in errors(board)[0], errors(board)
    derby = of(board, "derby")
    assert (derby.metric, derby.kind, derby.ends, derby.hidden) == (
        "revenue",
        "teams",
        epoch(at(17)),
        False,
    )
    assert scores(board, "derby") == {"red": 100.0, "blue": 0.0}


def test_a_started_cup_keeps_its_rounds_and_an_ended_contest_only_changes_its_name() -> None:
    sites = [roster(f"a{n}", BEFORE, team=f"t{n}", site=f"s{n}") for n in range(1, 5)]
    board = Board(*sites)
    cup = {"format": "cup", "starts": at(7), "sites": ["s1", "s2", "s3", "s4"]}
    board.feed(contest("cup", BEFORE, ends=at(17), **cup))
    board.feed(contest("cup", at(9), ends=at(18), **cup))
    assert "its rounds are set" in errors(board)[-1]
    board.feed(battle(BEFORE), contest_end("derby", at(10)))
    board.feed(battle(at(11), ends=at(20)))
    assert "only its name can change" in errors(board)[-1]
    board.feed(battle(at(11), name="Derby (ended)"))
    assert of(board, "derby").name == "Derby (ended)" and len(errors(board)) == 2


def test_declared_launches_the_contest_as_it_stands_and_replays_the_same() -> None:
    events = [
        *teams_roster(),
        battle(BEFORE, fairness="per_head", repeat="daily", grace_minutes=10),
        sale("s1", at(8), agent="a1", revenue="100.00"),
        battle(at(9), fairness="per_head", repeat="daily", grace_minutes=10, ends=at(19)),
        sale("s2", at(18), agent="a3", revenue="60.00"),
    ]
    board, again = Board(*events), Board(*events)
    assert state_hash(board.scorer) == state_hash(again.scorer)
    stated = declared(of(board, "derby"))
    assert stated == {
        "type": "contest",
        "contest": "derby",
        "format": "team_battle",
        "name": "Derby",
        "metric": "revenue",
        "starts": at(7),
        "ends": at(19),
        "teams": ["red", "blue"],
        "grace_minutes": 10,
        "fairness": "per_head",
        "repeat": "daily",
    }
    # Posted again as it stands, it changes nothing and is not refused.
    board.feed({"id": "same", "ts": at(18, 30), **stated})
    assert errors(board) == [] and scores(board, "derby") == {"red": 100.0, "blue": 60.0}


@settings(max_examples=60, deadline=None)
@given(
    edited=st.integers(0, 9 * 60 - 1),
    added=st.integers(1, 60),
    happened=st.lists(
        st.tuples(
            st.integers(0, 80 * 60),
            st.sampled_from(["a1", "a2", "a3"]),
            st.sampled_from(["sale", "contact", "resolved"]),
        ),
        max_size=25,
    ),
    metric=st.sampled_from(["points", "revenue", "contacts_resolved"]),
    starts=st.sampled_from([at(7), at(23, day=1)]),
)
def test_any_extension_counts_what_a_contest_launched_to_that_end_counts(
    edited: int, added: int, happened: list[tuple[int, str, str]], metric: str, starts: str
) -> None:
    """A battle of nine hours from 08:00 or from midnight (Berlin) extended at any
    minute of it by 1 to 60 hours, whatever its agents sell and handle, in the log's
    order: its places and scores are a twin's launched to the new end, and the fold
    resumes from a snapshot the same."""
    start = datetime.fromisoformat(starts)
    end = start + timedelta(hours=9)
    until = end + timedelta(hours=added)
    window = {"starts": starts, "teams": ["red", "blue"], "metric": metric}
    log: list[tuple[datetime, int, dict[str, Any]]] = []
    edit_at = start + timedelta(minutes=edited)
    log.append(
        (
            edit_at,
            0,
            contest("derby", iso(edit_at), format="team_battle", ends=iso(until), **window),
        )
    )
    for n, (minute, agent, kind) in enumerate(happened, 1):
        moment = start + timedelta(minutes=minute)
        if kind == "sale":
            event = sale(f"s{n}", iso(moment), agent=agent, revenue=f"{10 * n}.00")
        else:
            event = contact(f"k{n}", iso(moment), agent=agent, resolved=kind == "resolved")
        log.append((moment, n, event))
    log.sort(key=lambda entry: (entry[0], entry[1]))
    first = [
        *teams_roster(),
        contest("derby", BEFORE, format="team_battle", ends=iso(end), **window),
        contest("twin", BEFORE, format="team_battle", ends=iso(until), **window),
    ]
    events = first + [event for _, _, event in log] + [tick(iso(until + timedelta(hours=1)))]
    board = Board(*events)
    assert errors(board) == []
    derby, twin = run_of(board, "derby"), run_of(board, "twin")
    assert derby.state == twin.state and derby.state in ("decided", "final")
    assert (derby.places, scores(board, "derby")) == (twin.places, scores(board, "twin"))
    half = Board(*events[: len(events) // 2])
    restored = from_data(orjson.loads(orjson.dumps(to_data(half.scorer))))
    for event in events[len(events) // 2 :]:
        restored.apply(logged(event) if "source" not in event else event)
    assert state_hash(restored) == state_hash(board.scorer)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
