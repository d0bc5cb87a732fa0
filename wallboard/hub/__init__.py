"""Live hubs: in-process, or Redis pub/sub when the store is Redis."""

from __future__ import annotations

from .base import LocalHub, Subscription

__all__ = ["LocalHub", "Subscription", "open_hub"]


def open_hub(url: str) -> LocalHub:
    """Redis pub/sub for a ``redis://`` URL, in-process fan-out for any other."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        from .redis import RedisHub

        return RedisHub(url)
    return LocalHub()
