"""Counters for ``/metrics`` (Prometheus text format, written by prometheus-client),
kept per process."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from starlette.responses import Response

from .publisher import Publisher

#: why ingest refused a request, by status
REASONS = {
    400: "not_json",
    401: "unauthorized",
    403: "forbidden",
    413: "too_large",
    409: "conflict",
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


class _Snapshot(Collector):
    """The product's figures as they stand at one scrape."""

    def __init__(self, metrics: Metrics, publisher: Publisher, offset: int, lag: int) -> None:
        self.metrics, self.publisher, self.offset, self.lag = metrics, publisher, offset, lag

    def collect(self) -> Iterator[Metric]:
        metrics, publisher = self.metrics, self.publisher
        yield CounterMetricFamily(
            "wallboard_events_ingested",
            "Events stored through POST /api/events.",
            value=metrics.events_ingested,
        )
        yield CounterMetricFamily(
            "wallboard_events_duplicate",
            "Events acknowledged as duplicates.",
            value=metrics.duplicates,
        )
        rejected = CounterMetricFamily(
            "wallboard_requests_rejected", "Ingest requests refused, by reason.", labels=["reason"]
        )
        for reason, count in sorted(metrics.rejected.items()):
            rejected.add_metric([reason], count)
        yield rejected
        yield GaugeMetricFamily(
            "wallboard_scorer_lag_events",
            "Log entries not yet folded (-1: store down).",
            value=self.lag,
        )
        yield GaugeMetricFamily(
            "wallboard_scorer_offset",
            "The log offset the scorer has folded up to.",
            value=self.offset,
        )
        clients = GaugeMetricFamily(
            "wallboard_clients", "Connected websocket clients, by role.", labels=["role"]
        )
        by_role = publisher.clients_by_role()
        for role in ("display", "agent", "manager"):
            clients.add_metric([role], by_role.get(role, 0))
        yield clients
        yield CounterMetricFamily(
            "wallboard_frames_sent",
            "Frames queued to websocket clients.",
            value=publisher.frames_sent,
        )
        yield CounterMetricFamily(
            "wallboard_clients_dropped",
            "Clients dropped for being too slow.",
            value=publisher.clients_dropped,
        )


def exposition(metrics: Metrics, publisher: Publisher, offset: int, lag: int) -> Response:
    """The ``/metrics`` answer: ``offset`` is where the scorer has folded up to,
    ``lag`` how far the log is ahead of it (-1: the store did not answer).

    A registry of its own for each scrape: the figures are read as they stand, and
    apps made side by side (tests) never share a name. The process collector adds
    the process's CPU, memory, open files and start time, and the platform's the
    Python version."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(metrics, publisher, offset, lag))
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
