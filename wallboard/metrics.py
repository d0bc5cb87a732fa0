"""Counters for ``/metrics`` (Prometheus text format), kept per process."""

from __future__ import annotations

from collections import Counter

from starlette.responses import PlainTextResponse

from .publisher import Publisher

#: why ingest refused a request, by status
REASONS = {
    400: "not_json",
    401: "unauthorized",
    403: "forbidden",
    413: "too_large",
    422: "invalid",
    429: "rate_limited",
    503: "store_unavailable",
}


class Metrics:
    def __init__(self) -> None:
        self.events_ingested = 0
        self.duplicates = 0
        self.rejected: Counter[str] = Counter()

    def reject(self, status: int) -> None:
        self.rejected[REASONS.get(status, str(status))] += 1


def _line(name: str, value: float, labels: dict[str, str] | None = None) -> str:
    if labels:
        inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
        return f"{name}{{{inner}}} {value:g}"
    return f"{name} {value:g}"


def exposition(metrics: Metrics, publisher: Publisher, offset: int, lag: int) -> PlainTextResponse:
    """The ``/metrics`` answer: ``offset`` is where the scorer has folded up to,
    ``lag`` how far the log is ahead of it (-1: the store did not answer)."""
    lines = [
        "# HELP wallboard_events_ingested_total Events stored through POST /api/events.",
        "# TYPE wallboard_events_ingested_total counter",
        _line("wallboard_events_ingested_total", metrics.events_ingested),
        "# HELP wallboard_events_duplicate_total Events acknowledged as duplicates.",
        "# TYPE wallboard_events_duplicate_total counter",
        _line("wallboard_events_duplicate_total", metrics.duplicates),
        "# HELP wallboard_requests_rejected_total Ingest requests refused, by reason.",
        "# TYPE wallboard_requests_rejected_total counter",
        *[
            _line("wallboard_requests_rejected_total", count, {"reason": reason})
            for reason, count in sorted(metrics.rejected.items())
        ],
        "# HELP wallboard_scorer_lag_events Log entries not yet folded (-1: store down).",
        "# TYPE wallboard_scorer_lag_events gauge",
        _line("wallboard_scorer_lag_events", lag),
        "# HELP wallboard_scorer_offset The log offset the scorer has folded up to.",
        "# TYPE wallboard_scorer_offset gauge",
        _line("wallboard_scorer_offset", offset),
        "# HELP wallboard_clients Connected websocket clients, by role.",
        "# TYPE wallboard_clients gauge",
        *[
            _line("wallboard_clients", publisher.clients_by_role().get(role, 0), {"role": role})
            for role in ("display", "agent", "manager")
        ],
        "# HELP wallboard_frames_sent_total Frames queued to websocket clients.",
        "# TYPE wallboard_frames_sent_total counter",
        _line("wallboard_frames_sent_total", publisher.frames_sent),
        "# HELP wallboard_clients_dropped_total Clients dropped for being too slow.",
        "# TYPE wallboard_clients_dropped_total counter",
        _line("wallboard_clients_dropped_total", publisher.clients_dropped),
    ]
    return PlainTextResponse(
        "\n".join(lines) + "\n", media_type="text/plain; version=0.0.4; charset=utf-8"
    )
