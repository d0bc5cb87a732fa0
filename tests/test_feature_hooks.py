"""The seam every feature plugs into: a sale's lifecycle as hooks, each called once
per transition, and a new format registered with one line."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import snapshot
from scoring.codecs import PLAIN, stored
from scoring.feature import Core, Feature
from scoring.model import CONFIRMED, PENDING, REVOKED, Sale
from scoring.scorer import FEATURES, Scorer
from tests.scoring_helpers import cancellation, logged, rules, sale, tick

START = "2026-11-02T09:00:00Z"


@dataclass(slots=True)
class StreakBook:
    #: agent -> sales in a row that stood (confirmed), reset by a revoked one
    streaks: dict[str, int] = stored(PLAIN)


class Streaks(Feature):
    """A toy contest format: the longest run of confirmed sales, and every hook call
    it received (kept out of the state, as a test's record)."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(StreakBook)
        self.calls: list[tuple[str, str]] = []

    def counted(self, sale: Sale) -> None:
        self.calls.append(("counted", sale.id))

    def confirmed(self, sale: Sale) -> None:
        self.calls.append(("confirmed", sale.id))
        self.book.streaks[sale.agent] = self.book.streaks.get(sale.agent, 0) + 1

    def revoked(self, sale: Sale) -> None:
        self.calls.append(("revoked", sale.id))
        self.book.streaks[sale.agent] = 0


def streak_scorer() -> Scorer:
    return Scorer(features=(*FEATURES, Streaks))


def at(day: int, hour: int = 9) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:00:00Z"


def test_a_format_registered_with_one_line_follows_sales_and_is_stored() -> None:
    scorer = streak_scorer()
    for event in (
        rules("r", START, cancellation_window_days=3),
        sale("s1", at(2)),
        sale("s2", at(2, 10)),
        sale("s2", at(2, 10)),  # the same sale again: counted once
        cancellation("c2", "s2", at(3)),  # inside the window: revoked
        sale("s3", at(3)),
        cancellation("c3", "s3", at(9)),  # after its window: stays
    ):
        scorer.apply(logged(event))
    scorer.apply(tick(at(20)))
    streaks = scorer.feature(Streaks)
    assert streaks.calls == [
        ("counted", "s1"),
        ("counted", "s2"),
        ("revoked", "s2"),
        ("counted", "s3"),
        ("confirmed", "s1"),
        ("confirmed", "s3"),
    ]
    assert streaks.book.streaks == {"a1": 2}
    # The slice is part of the state: stored, restored and hashed with it.
    data = snapshot.to_data(scorer)
    assert data["streaks"] == {"a1": 2}
    restored = snapshot.from_data(data, features=(*FEATURES, Streaks))
    assert restored.feature(Streaks).book.streaks == {"a1": 2}
    assert snapshot.state_hash(restored) == snapshot.state_hash(scorer)


def test_two_features_may_not_take_the_same_event_type() -> None:
    class Thief(Feature):
        def handlers(self) -> dict[str, object]:  # type: ignore[override]
            return {"goal": print}

    try:
        Scorer(features=(*FEATURES, Thief))
    except ValueError as error:
        assert "'goal'" in str(error)
    else:
        raise AssertionError("a second handler for goal events was accepted")


step = st.tuples(
    st.sampled_from(["sale", "cancel", "late"]),
    st.integers(0, 9),  # which sale
    st.integers(0, 30),  # hours the clock moves on
)


@settings(max_examples=60, deadline=None)
@given(st.lists(step, max_size=40))
def test_every_sale_is_counted_once_then_confirmed_or_revoked_at_most_once(
    steps: list[tuple[str, int, int]],
) -> None:
    scorer = streak_scorer()
    scorer.apply(logged(rules("r", START, cancellation_window_days=1)))
    hours = 0
    for action, n, later in steps:
        hours += later
        ts = f"2026-11-{2 + hours // 24:02d}T{hours % 24:02d}:00:00Z"
        if action == "sale":
            scorer.apply(logged(sale(f"s{n}", ts)))
        else:
            # a late cancellation is stamped a day after it happened
            cancelled = f"2026-11-{1 + hours // 24:02d}T{hours % 24:02d}:00:00Z"
            when = cancelled if action == "late" else ts
            scorer.apply(logged(cancellation(f"c{n}", f"s{n}", when), received=ts))
    calls = scorer.feature(Streaks).calls
    for key, record in scorer.state.sales.items():
        mine = [hook for hook, sale_id in calls if sale_id == record.id]
        expected = {
            PENDING: ["counted"],
            CONFIRMED: ["counted", "confirmed"],
            REVOKED: ["counted", "revoked"],
        }[record.state]
        assert mine == expected, key
    assert {sale_id for _, sale_id in calls} == {s.id for s in scorer.state.sales.values()}
