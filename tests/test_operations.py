"""Operations: metrics that move when events flow, and logs without secrets."""

from __future__ import annotations

import logging
import re

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import running, sale
from tests.test_api_scoring import setup
from wallboard.logs import JSONFormatter, RedactTokens


def metric(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


def test_metrics_move_when_events_flow() -> None:
    with running() as app:
        setup(app)
        before = app.client.get("/metrics").text
        assert metric(before, "wallboard_events_ingested_total") == 8  # the roster
        with app.client.websocket_connect(f"/ws?token={app.tokens['display']}") as socket:
            socket.send_text('{"type": "subscribe", "topics": ["board"]}')
            socket.receive_text()
            app.post([sale("s-1"), sale("s-2"), sale("s-1")])
            app.post({"id": "bad", "type": "sale"})
            app.settle()
            socket.receive_text()
            after = app.client.get("/metrics").text
            assert metric(after, 'wallboard_clients{role="display"}') == 1
        assert metric(after, "wallboard_events_ingested_total") == 10
        assert metric(after, "wallboard_events_duplicate_total") == 1
        assert metric(after, 'wallboard_requests_rejected_total{reason="invalid"}') == 1
        assert metric(after, "wallboard_scorer_lag_events") == 0
        assert metric(after, "wallboard_scorer_offset") == 10
        assert metric(after, "wallboard_frames_sent_total") >= 2
        assert app.client.get("/readyz").json() == {
            "status": "ready",
            "store": "reachable",
            "scorer_lag": 0,
        }


@pytest.mark.parametrize(
    "line",
    [
        '127.0.0.1:5000 - "GET /board?token=wb_display_SECRET HTTP/1.1" 303',
        '127.0.0.1:5000 - "GET /ws?as=board&token=wb_display_SECRET HTTP/1.1" 101',
    ],
)
def test_tokens_never_reach_the_logs(line: str) -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", (line,), None)
    RedactTokens().filter(record)
    text = JSONFormatter().format(record)
    assert "SECRET" not in text and "token=***" in text


def test_metrics_write_large_counters_exactly_and_the_process_figures() -> None:
    # The probe saw 1234567 events written as 1.23457e+06, that is 1234570.
    with running() as app:
        app.services.metrics.events_ingested = 1_234_567
        app.services.metrics.duplicates = 98_765_432_109
        answer = app.client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(answer.text)}
    [ingested] = families["wallboard_events_ingested"].samples
    assert ingested.value == 1_234_567 and ingested.value.is_integer()
    [duplicates] = families["wallboard_events_duplicate"].samples
    assert duplicates.value == 98_765_432_109
    assert "1.23457e+06" not in answer.text
    for name in ("process_resident_memory_bytes", "process_cpu_seconds", "process_open_fds"):
        assert name in families, f"{name} missing from /metrics"
        assert families[name].samples[0].value > 0
