"""The mapping language on its own: JMESPath's truth in filters, and whatever a
payload holds, a preset's mapping either makes events that ingest's checks take
or refuse with a 422, or says why it cannot (``MappingFailed``); never anything
else, which would be a 500 instead of a dead letter."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.events import INTEGRATION_TYPES
from wallboard.connectors.mapping import MappingFailed, compile_mapping
from wallboard.connectors.presets import PRESETS
from wallboard.errors import ApiError
from wallboard.ingest import check_batch

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
#: payloads shaped like the presets' with any values in their fields
FIELDS = ("hs_object_id", "dealstage", "amount", "hubspot_owner_id", "closedate", "status",
          "ticket_id", "assignee_id", "via", "updated_at", "satisfaction", "EventType",
          "TaskSid", "WorkerSid", "TaskAge", "TaskAttributes", "Timestamp", "Notification",
          "type", "id", "ts", "agent", "quality", "resolved", "referral")  # fmt: skip
SHAPED = st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=len(FIELDS))


def nobody(system: str, external_id: str) -> str | None:
    return "a-1" if external_id == "1" else None


@pytest.mark.parametrize("preset", sorted(PRESETS))
@settings(max_examples=150, deadline=None)
@given(payload=SHAPED | JSON)
def test_any_payload_maps_or_says_why(preset: str, payload: Any) -> None:
    mapping = compile_mapping(PRESETS[preset].mapping)
    try:
        events = mapping.events(payload, nobody)
    except MappingFailed as failed:
        assert str(failed)
        return
    if not events:
        return
    # then ingest's own checks: valid events, or a 422 that names each problem
    try:
        checked = check_batch(events, INTEGRATION_TYPES, datetime.now(UTC))
    except ApiError as error:
        assert error.status == 422 and error.message
        return
    assert all(event["type"] in INTEGRATION_TYPES for event in checked)


def test_a_filter_follows_jmespaths_truth() -> None:
    def kept(filter_: str, payload: Any) -> bool:
        mapping = compile_mapping(
            {"filter": filter_, "event": {"type": {"const": "sale"}, "id": "id"}}
        )
        return bool(mapping.events(payload, nobody))

    assert kept("n", {"id": "x", "n": 0})  # a number, 0 too, is true
    assert not kept("n", {"id": "x", "n": ""})
    assert not kept("n", {"id": "x", "n": []})
    assert not kept("n", {"id": "x", "n": False})
    assert not kept("n", {"id": "x"})


def test_the_helper_functions_read_what_systems_send() -> None:
    mapping = compile_mapping(
        {
            "event": {
                "type": {"const": "contact"},
                "id": "id",
                "ts": "to_ts(ms)",
                "duration_s": "to_ts(s)",
                "resolved": "to_bool(flag)",
                "quality": "from_json(attrs).quality",
                "channel": {"expr": "via", "map": {"Phone call": "phone"}, "default": "email"},
            }
        }
    )
    [event] = mapping.events(
        {
            "id": "c",
            "ms": "1764669600000",
            "s": 1764669600,
            "flag": "yes",
            "attrs": '{"quality": 9}',
            "via": "Fax",
        },
        nobody,
    )
    assert event["ts"] == event["duration_s"] == "2025-12-02T10:00:00Z"
    assert (event["resolved"], event["quality"], event["channel"]) == (True, 9, "email")
