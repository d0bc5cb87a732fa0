"""Per-token rate limit on ingest: a token bucket counted in events.

Each token may post ``rate`` events a second on average and up to ``burst`` at
once (at least one full batch). A request that would overdraw its bucket is
refused whole with 429 and a ``Retry-After`` saying when it would fit; it
stores nothing. Every request costs at least one event, so a flood of empty or
invalid requests is limited too. Buckets live in the web process, so behind a
load balancer with N web processes a token may post up to N times the rate.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Bucket:
    level: float
    updated: float


class RateLimit:
    def __init__(
        self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._buckets: dict[str, _Bucket] = {}

    def take(self, key: str, cost: float) -> float:
        """Charge ``cost`` events to ``key``: 0 if they fit, else the seconds until
        they would (and nothing is charged). A cost above the burst counts as the
        burst, so that no request waits forever."""
        if self.rate <= 0:
            return 0.0
        cost = min(cost, self.burst)
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        else:
            bucket.level = min(self.burst, bucket.level + (now - bucket.updated) * self.rate)
            bucket.updated = now
        if cost <= bucket.level:
            bucket.level -= cost
            return 0.0
        return (cost - bucket.level) / self.rate

    def forget_full(self) -> None:
        """Drop the buckets that have filled up again: they hold nothing a new one would
        not, and keys that callers choose (a name typed at sign-in) must not grow the
        table for ever."""
        now = self.clock()
        self._buckets = {
            key: bucket
            for key, bucket in self._buckets.items()
            if bucket.level + (now - bucket.updated) * self.rate < self.burst
        }

    def __len__(self) -> int:
        return len(self._buckets)


def retry_after(seconds: float) -> str:
    """Whole seconds, rounded up, as HTTP's ``Retry-After`` wants them."""
    return str(max(1, math.ceil(seconds)))
