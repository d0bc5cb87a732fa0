"""What the application opens in its lifespan, as one typed object.

``create_app``'s lifespan builds one ``Services`` and sets it as
``app.state.services``; handlers reach it through ``services(connection)``
rather than through untyped attributes of ``app.state``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from starlette.requests import HTTPConnection

from .audit_index import AuditIndex
from .engine import Engine
from .metrics import Metrics
from .notify.service import Notifications
from .publisher import Publisher
from .ratelimit import RateLimit
from .rule_log import RuleLog
from .settings import Settings
from .signin import SignInLimits
from .store import EventLog
from .whatif_runs import WhatIfs


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    store: EventLog
    engine: Engine
    publisher: Publisher
    metrics: Metrics
    rate_limit: RateLimit
    #: console sign-in attempts per address and per name
    sign_ins: SignInLimits
    #: stamps what ingest receives
    clock: Callable[[], datetime]
    #: the rules events read from the log so far, for their history
    rule_log: RuleLog = field(default_factory=RuleLog)
    #: the what-ifs' process and the state they start from
    whatifs: WhatIfs = field(default_factory=WhatIfs)
    #: the manager actions and integration traffic in the log, read as they come
    audit: AuditIndex = field(default_factory=AuditIndex)
    #: notifications out: the outbox's deriver and deliverer
    notifications: Notifications | None = None

    @classmethod
    def push_only(cls, store: EventLog, publisher: Publisher) -> Services:
        """For an app that serves only ``/ws`` over an open ``store``, with a publisher
        fed by something other than the scorer (the fan-out benchmark, the push tests
        on a real server): the engine is built over the store but never started."""
        return cls(
            # thousands of screens share one token in the fan-out benchmark
            settings=Settings(store="memory://", connections_per_token=0),
            store=store,
            engine=Engine(store),
            publisher=publisher,
            metrics=Metrics(),
            rate_limit=RateLimit(0, burst=0),
            sign_ins=SignInLimits(0, 0),
            clock=lambda: datetime.now(UTC),
        )


def services(connection: HTTPConnection) -> Services:
    """The services of the app serving ``connection`` (a request or a websocket)."""
    found = connection.app.state.services
    if not isinstance(found, Services):
        raise RuntimeError("app.state.services is not set: is the app's lifespan running?")
    return found
