"""The shortcuts on the ingest path give exactly what the plain rules give.

Amounts and timestamps already in canonical form skip their parsing, and a batch
is serialised in one call and split: each is checked here against the slow,
obvious way of doing the same thing."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import orjson
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from scoring.events import EVENT_TYPES
from scoring.log import encode, format_ts

MONEY = EVENT_TYPES["sale"].checks[4][1]  # revenue
TIMESTAMP = EVENT_TYPES["sale"].checks[1][1]  # ts


def slow_money(value: Any) -> str | None:
    """The canonical amount, or None when it is refused: a string is ASCII digits with
    at most one point between digits, and nothing is negative, not even zero."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str):
        whole, _, part = value.partition(".")
        digits = set("0123456789")
        if not whole or not set(whole) <= digits or ("." in value and not part):
            return None
        if not set(part) <= digits:
            return None
        amount = Decimal(value)
    elif isinstance(value, float):
        if math.copysign(1.0, value) < 0:
            return None
        try:
            amount = Decimal(repr(value))
        except ArithmeticError:
            return None
    else:
        amount = Decimal(value)
    if not amount.is_finite() or not 0 <= amount <= Decimal("1000000000"):
        return None
    if amount != amount.quantize(Decimal("0.01")):
        return None
    return str(amount.quantize(Decimal("0.01")))


def slow_format(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    spec = "%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ"
    return moment.strftime(spec)


def checked(check: Any, value: Any) -> str | None:
    try:
        return str(check(value))
    except ValueError:
        return None


amounts = st.one_of(
    st.decimals(min_value=0, max_value=10**9 + 1, places=2).map(str),
    st.decimals(min_value=-1, max_value=10**10, places=3).map(str),
    st.from_regex(r"\A[0-9 .+-]{1,14}\Z"),
    st.integers(-5, 10**10),
    st.floats(allow_nan=True, allow_infinity=True),
)


@given(amounts)
@example("0.00")
@example("999999999.99")
@example("1000000000.00")
@example("01.50")
@example("1.5")
@example(" 1.50")  # no spaces
@example("١.٥٠")  # Arabic-Indic digits are not an amount
@example("1_000")
@example("-0")
@example(-0.0)
@example("1.")
def test_amounts_canonical_or_not_come_out_as_decimal_arithmetic_says(value: Any) -> None:
    assert checked(MONEY, value) == slow_money(value)


moments = st.datetimes(min_value=datetime(1999, 12, 31), max_value=datetime(2100, 1, 2)).flatmap(
    lambda moment: st.sampled_from([0, 60, -300, 330]).map(
        lambda minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    )
)


@given(moments, st.booleans())
def test_timestamps_in_any_offset_normalise_as_strftime_says(moment: datetime, zulu: bool) -> None:
    text = moment.isoformat()
    if zulu and text.endswith("+00:00"):
        text = text.removesuffix("+00:00") + "Z"
    in_range = datetime(2000, 1, 1, tzinfo=UTC) <= moment < datetime(2100, 1, 1, tzinfo=UTC)
    assert checked(TIMESTAMP, text) == (slow_format(moment) if in_range else None)
    assert format_ts(moment) == slow_format(moment)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("2026-02-30T09:30:00Z", None),
        ("2026-11-23T24:00:00Z", None),
        ("2026-11-23T09:30:60Z", None),
        ("２０２６-11-23T09:30:00Z", None),
        ("2026-11-23 09:30:00Z", "2026-11-23T09:30:00Z"),
        ("2026-W48-1T09:30:00Z", "2026-11-23T09:30:00Z"),
    ],
)
def test_timestamps_that_only_look_canonical_take_the_full_check(
    text: str, stored: str | None
) -> None:
    assert checked(TIMESTAMP, text) == stored


texts = st.text(st.characters(codec="utf-8"), max_size=20) | st.sampled_from(
    ["},{", '"},\x00,{"', "\x00", "\\", "]"]
)
events = st.lists(
    st.dictionaries(
        texts,
        st.one_of(
            texts,
            st.integers(-(2**63), 2**64 - 1),
            st.booleans(),
            st.none(),
            st.lists(texts, max_size=3),
        ),
        max_size=6,
    ),
    max_size=20,
)


@given(events)
def test_a_batch_serialised_in_one_call_splits_into_each_event(batch: list[dict[str, Any]]) -> None:
    assert encode(batch) == [orjson.dumps(e, option=orjson.OPT_SORT_KEYS) for e in batch]
