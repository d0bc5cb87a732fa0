"""Posting from a follower to a server that may be away: retried, never dropped.

A follower (``queue_log``, ``folder``) hands each payload to ``Sender.post`` and
gets back the server's answer once it has one it can act on: a 2xx, or a 4xx
that waiting would not change. A refused connection, a timeout, a 5xx, a 408 or
a 429 is retried after a delay that doubles up to ``max_delay`` (a
``Retry-After`` the server gives is honoured), so a server that is down for an
hour costs the follower nothing but the wait.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

#: how a follower waits; tests pass one that advances a fake clock instead
Sleep = Callable[[float], Awaitable[None]]
#: statuses worth waiting out: the server is busy or away, not refusing the payload
RETRIED = frozenset({408, 429})

log = logging.getLogger("wallboard.connectors")


class FollowerError(Exception):
    """Something a follower cannot get past by waiting: a refused token, say."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            return None

    def text(self, limit: int = 2000) -> str:
        return self.body[:limit].decode("utf-8", errors="replace")


class Sender:
    def __init__(
        self,
        client: httpx.AsyncClient,
        sleep: Sleep = asyncio.sleep,
        *,
        first_delay: float = 0.5,
        max_delay: float = 30.0,
    ) -> None:
        self.client = client
        self.sleep = sleep
        self.first_delay = first_delay
        self.max_delay = max_delay

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Answer:
        """The server's answer to ``body``, once it is a 2xx or a 4xx it means."""
        delay = self.first_delay
        while True:
            try:
                response = await self.client.post(url, content=body, headers=dict(headers))
            except httpx.TransportError as exc:
                reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                wait = delay
            else:
                if response.status_code < 500 and response.status_code not in RETRIED:
                    return Answer(response.status_code, response.content)
                reason = f"HTTP {response.status_code}"
                wait = max(delay, _retry_after(response.headers.get("Retry-After")))
            log.warning("%s: %s; retrying in %.1f s", url, reason, wait)
            await self.sleep(wait)
            delay = min(delay * 2, self.max_delay)


def _retry_after(value: str | None) -> float:
    """Seconds from a ``Retry-After`` header in its seconds form, else 0."""
    if value is None or not value.strip().isascii() or not value.strip().isdigit():
        return 0.0
    return float(value.strip())
