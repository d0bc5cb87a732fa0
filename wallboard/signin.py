"""How many console sign-in attempts a client address, and a manager name, may make.

Each attempt costs a password hash (:mod:`wallboard.session`), so without a
limit anyone who reaches the server can keep its cores busy, and try passwords
as fast as it answers. Two token buckets, counted in attempts a minute: one per
client address (``WALLBOARD_SIGNIN_PER_ADDRESS``), one per name typed
(``WALLBOARD_SIGNIN_PER_ACCOUNT``, so that many addresses together cannot try
one account's passwords faster). An attempt over either is refused with 429
and a ``Retry-After`` before anything is hashed. Every attempt counts, right
or wrong: a manager signs in a few times a day, far below the default of 10 a
minute. Like ingest's buckets these live in the web process.

The address is the one uvicorn reports: behind a reverse proxy on another host,
set ``FORWARDED_ALLOW_IPS`` to it, or every sign-in shares the proxy's address.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from .errors import ApiError
from .ratelimit import RateLimit, retry_after
from .settings import Settings

#: past this many buckets, the ones that have filled up again are dropped
MAX_BUCKETS = 10_000
#: a name longer than any account's still gets a bucket, under this key length
MAX_KEY = 100


class SignInLimits:
    def __init__(
        self,
        per_address: float,
        per_account: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # A full minute's worth at once, then one every 60 / per_minute seconds.
        self.addresses = RateLimit(per_address / 60, burst=per_address, clock=clock)
        self.accounts = RateLimit(per_account / 60, burst=per_account, clock=clock)

    @classmethod
    def of(cls, settings: Settings) -> SignInLimits:
        return cls(settings.signin_per_address, settings.signin_per_account)

    def attempt(self, address: str, name: str) -> None:
        """Count one attempt; raise 429 when the address or the name is over its limit
        (an attempt refused for its address is not counted against the name)."""
        for limit, key, what in (
            (self.addresses, address, "from this address"),
            (self.accounts, name[:MAX_KEY], "for this name"),
        ):
            if len(limit) > MAX_BUCKETS:
                limit.forget_full()
            wait = limit.take(key, 1)
            if wait:
                raise ApiError(
                    429,
                    f"too many sign-in attempts {what}; retry in {retry_after(wait)} s",
                    headers={"Retry-After": retry_after(wait)},
                )
