"""Properties of contests in the fold: a result does not depend on the order in
which its events arrived within the grace period, and a fold resumed from a
snapshot taken anywhere ends as one fold does, changes and all (a restart
replays what a live service folded)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.changes import Change
from scoring.scorer import Scorer
from scoring.snapshot import from_data, state_hash, to_data
from tests.scoring_helpers import cancellation, contest, logged, roster, sale, tick

START = datetime(2026, 11, 2, 8, tzinfo=UTC)
END = START + timedelta(hours=8)
GRACE = timedelta(minutes=30)
MIDDLE = START + (END - START) / 2
AGENTS = ("a1", "a2", "a3", "a4")
Event = dict[str, Any]


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def setup() -> list[Event]:
    before = "2026-11-01T00:00:00Z"
    window = {"starts": iso(START), "ends": iso(END)}
    return [
        logged(event)
        for event in (
            roster("a1", before, team="red", site="ber"),
            roster("a2", before, team="red", site="ber"),
            roster("a3", before, team="blue", site="lei"),
            roster("a4", before, team="blue", site="lei"),
            contest("battle", before, format="team_battle", teams=["red", "blue"], **window),
            contest("sprint", before, format="race", agents=list(AGENTS), target=150, **window),
            contest("cup", before, format="cup", agents=list(AGENTS), metric="points", **window),
            contest(
                "daily",
                before,
                format="team_battle",
                sites=["ber", "lei"],
                repeat="daily",
                **window,
            ),
            # The whole local day (Berlin): counted from the day totals.
            contest(
                "whole-day",
                before,
                format="team_battle",
                metric="points",
                teams=["red", "blue"],
                starts="2026-11-01T23:00:00Z",
                ends="2026-11-02T23:00:00Z",
            ),
        )
    ] + [
        logged(
            contest("duel", before, format="challenge", agents=["a1", "a3"], **window),
            source="agent",
        )
    ]


@st.composite
def happenings(draw: st.DrawFn) -> list[tuple[Event, datetime]]:
    """Sales made in the window, some cancelled; each with the moment it happened."""
    count = draw(st.integers(1, 12))
    found: list[tuple[Event, datetime]] = []
    for n in range(count):
        made = START + timedelta(minutes=draw(st.integers(0, 8 * 60 - 1)))
        revenue = draw(st.sampled_from(["20.00", "50.00", "75.00", "100.00"]))
        agent = draw(st.sampled_from(AGENTS))
        found.append((sale(f"s{n}", iso(made), agent=agent, revenue=revenue), made))
        if draw(st.booleans()) and draw(st.booleans()):
            found.append((cancellation(f"c{n}", f"s{n}", iso(made)), made))
    return found


def arrivals(draw: st.DrawFn, events: list[tuple[Event, datetime]]) -> list[Event]:
    """The events as the log holds them when each arrived at a moment between its
    making and the end of the grace period, in the order they arrived."""
    stamped = []
    for index, (event, made) in enumerate(events):
        # The cup's two rounds split the window: each takes what arrives by its own
        # end plus the grace period.
        latest = (MIDDLE if made < MIDDLE else END) + GRACE - timedelta(seconds=1)
        delay = draw(st.integers(0, int((latest - made).total_seconds())), label=f"delay {index}")
        arrived = made + timedelta(seconds=delay)
        stamped.append(
            (
                arrived,
                index,
                {**event, "ts": iso(arrived)} if event["type"] == "cancellation" else event,
            )
        )
    stamped.sort(key=lambda entry: (entry[0], entry[1]))
    return [logged(event, received=iso(arrived)) for arrived, _, event in stamped]


def results(scorer: Scorer) -> dict[str, Any]:
    book = scorer.contests.book
    return {
        contest.id: [
            (run.number, run.state, run.places, run.totals, run.finishes) for run in contest.runs
        ]
        for contest in book.contests.values()
    }


def fold(log: list[Event], scorer: Scorer | None = None) -> Scorer:
    scorer = scorer or Scorer()
    for event in log:
        scorer.apply(event)
    return scorer


@settings(max_examples=60, deadline=None)
@given(events=happenings(), data=st.data())
def test_results_do_not_depend_on_the_order_of_arrival_within_the_grace_period(
    events: list[tuple[Event, datetime]], data: st.DataObject
) -> None:
    one = arrivals(data.draw, events)
    other = arrivals(data.draw, events)
    later = [tick("2026-12-01T00:00:00Z")]
    folded = [fold(setup() + log + later) for log in (one, other)]
    assert results(folded[0]) == results(folded[1])
    assert all(
        run.state in ("final", "expired")
        for c in folded[0].contests.book.contests.values()
        for run in c.runs[:1]
    )


@settings(max_examples=40, deadline=None)
@given(events=happenings(), data=st.data())
def test_a_fold_resumed_from_a_snapshot_taken_anywhere_ends_as_one_fold_does(
    events: list[tuple[Event, datetime]], data: st.DataObject
) -> None:
    log = setup() + arrivals(data.draw, events)
    log += [tick(iso(END + timedelta(hours=h))) for h in (1, 30)] + [tick("2026-12-01T00:00:00Z")]
    whole = Scorer()
    whole_changes: list[Change] = []
    for event in log:
        whole.apply(event)
    whole_changes = whole.drain_changes()
    split = data.draw(st.integers(0, len(log)), label="snapshot after")
    first = fold(log[:split])
    changes = first.drain_changes()
    restored = from_data(orjson.loads(orjson.dumps(to_data(first))))
    assert state_hash(restored) == state_hash(first)
    resumed = fold(log[split:], restored)
    assert state_hash(resumed) == state_hash(whole)
    assert changes + resumed.drain_changes() == whole_changes


@given(
    st.lists(st.integers(0, 50).map(float), max_size=30),
    st.floats(0.5, 40, allow_nan=False),
)
def test_a_race_counting_sales_finds_the_line_where_the_running_totals_do(
    times: list[float], goal: float
) -> None:
    from scoring.contests import race

    assert race.nth(times, goal) == race.crossing([[ts, 1.0] for ts in times], goal)
