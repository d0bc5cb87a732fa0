"""Revoking a token closes the screens that hold it; ending a session, its console.

A token is checked when a screen connects; revoking it later (from the console
or ``wallboard token revoke``, in any process) must not leave a wall screen
showing data for the rest of the day. Every ``CHECK_SECONDS`` each web process
looks up the distinct tokens its open connections hold (a few hundred at most:
one per display or agent) and closes those whose token is revoked or gone, with
close code 4401. The page then reconnects, is refused, and says so. A store
that does not answer skips the round: connections are not closed for an outage.

A manager's console holds no token but the session cookie it connected with; in
the same round each such socket's cookie is read again, and a session that has
expired, or been ended by signing out or a new password (in any process), has
its sockets closed the same way. The process that signs a manager out closes
their sockets at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

from .clients import CLOSE_UNAUTHORIZED, Client
from .publisher import Publisher
from .session import COOKIE, SESSION_ID, live_session
from .store import EventLog, StoreUnavailable

CHECK_SECONDS = 10.0
log = logging.getLogger(__name__)


async def close_revoked(publisher: Publisher, store: EventLog) -> int:
    """Close every connection whose token is no longer valid; how many it closed."""
    holders: defaultdict[str, list[Client]] = defaultdict(list)
    for client in publisher.clients:
        if client.token.hash:  # a manager's session cookie is not a stored token
            holders[client.token.hash].append(client)
    closed = 0
    for token_hash, clients in holders.items():
        try:
            record = await store.find_token(token_hash)
        except StoreUnavailable:
            return closed
        if record is None or record.revoked:
            log.info("closing %d connections of revoked token %s", len(clients), token_hash[:12])
            for client in clients:
                await client.shut(CLOSE_UNAUTHORIZED, "token revoked")
            closed += len(clients)
    return closed


async def close_ended_sessions(
    publisher: Publisher, store: EventLog, now: float | None = None
) -> int:
    """Close every console connection whose session has ended (by ``now``, if given);
    how many it closed."""
    holders: defaultdict[str, list[Client]] = defaultdict(list)
    for client in publisher.clients:
        if client.token.id == SESSION_ID and not client.token.hash:
            holders[client.websocket.cookies.get(COOKIE, "")].append(client)
    closed = 0
    for cookie, clients in holders.items():
        try:
            live = await live_session(store, cookie, now)
        except StoreUnavailable:
            return closed
        if live is None:
            log.info("closing %d connections of an ended session", len(clients))
            for client in clients:
                await client.shut(CLOSE_UNAUTHORIZED, "signed out")
            closed += len(clients)
    return closed


async def watch(publisher: Publisher, store: EventLog, every: float = CHECK_SECONDS) -> None:
    while True:
        await asyncio.sleep(every)
        await close_revoked(publisher, store)
        await close_ended_sessions(publisher, store)
