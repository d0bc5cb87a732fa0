"""A record day: told once, when the local day that sold more than any before ends."""

from __future__ import annotations

from typing import Any

from scoring.scorer import Scorer
from tests.scoring_helpers import cancellation, logged, roster, sale
from wallboard.notify.messages import message


def fold(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    scorer = Scorer()
    for event in events:
        scorer.apply(logged(event))
    return [change for change in scorer.drain_changes() if change["kind"] == "record_day"]


def day_of_sales(day: str, count: int, prefix: str) -> list[dict[str, Any]]:
    # Noon UTC is 13:00 in Berlin, the default rules' zone: well inside the local day.
    return [sale(f"{prefix}-{n}", f"{day}T12:{n:02d}:00Z", revenue="50.00") for n in range(count)]


def tick(at: str) -> dict[str, Any]:
    return {"id": f"tick-{at}", "type": "tick", "ts": at}


SETUP = [roster("a1", "2026-11-01T08:00:00Z", team="t1", site="ber", name="Anna Berg")]


def test_the_day_that_outsold_every_day_before_is_told_as_it_ends() -> None:
    records = fold(
        SETUP
        + day_of_sales("2026-11-02", 3, "mon")
        + day_of_sales("2026-11-03", 5, "tue")
        + [tick("2026-11-03T23:30:00Z")]  # 00:30 on Wednesday in Berlin
        + day_of_sales("2026-11-04", 4, "wed")
        + [tick("2026-11-04T23:30:00Z")]
    )
    # Tuesday's 5 beat Monday's 3; Wednesday's 4 beat nothing.
    assert records == [
        {"kind": "record_day", "day": "2026-11-03", "sales": 5, "revenue": "250.00", "previous": 3}
    ]


def test_a_revoked_sale_does_not_count_and_the_first_day_sets_no_record() -> None:
    records = fold(
        SETUP
        + day_of_sales("2026-11-02", 3, "mon")
        + [tick("2026-11-02T23:30:00Z")]
        + day_of_sales("2026-11-03", 4, "tue")
        + [cancellation("c-1", "tue-0", "2026-11-03T15:00:00Z")]
        + [cancellation("c-2", "tue-1", "2026-11-03T15:01:00Z")]
        + [tick("2026-11-03T23:30:00Z")]
    )
    assert records == []  # Monday was the first day; Tuesday's 2 that stand beat nothing


def test_a_record_day_is_worded_in_english_and_german() -> None:
    change = {
        "kind": "record_day",
        "day": "2026-11-03",
        "sales": 5,
        "revenue": "250.00",
        "previous": 3,
    }
    english = message(Scorer(), change, "en", works_council=False)
    german = message(Scorer(), change, "de", works_council=False)
    assert english is not None and german is not None
    assert "Record day: 2026-11-03" in english.title and "5 sales" in english.text
    assert "Rekordtag" in german.title and "der beste Tag zuvor: 3" in german.text
