"""Every Redis key the product uses, under one prefix.

An operator can read here what the product stores: ``redis-cli --scan
--pattern 'wallboard:*'`` lists exactly these.
"""

PREFIX = "wallboard:"

#: The event log, a Stream whose entry IDs are ``0-<offset>``.
EVENTS = PREFIX + "events"
#: Hash: de-duplication key (``source:id``) -> offset, written with the entry.
EVENT_KEYS = PREFIX + "event-keys"
#: Counter: the last offset handed out.
LAST_OFFSET = PREFIX + "last-offset"
#: Hash: token hash -> token record (JSON).
TOKENS = PREFIX + "tokens"
#: Hash: name -> value, for the scorer's snapshot and tombola seeds (secrets
#: until their draw).
META = PREFIX + "meta"
#: Hash: connector name -> its settings, mapping and secret (JSON).
CONNECTORS = PREFIX + "connectors"
#: Hash: notification channel id -> channel (JSON, with its secrets).
NOTIFY_CHANNELS = PREFIX + "notify:channels"
#: Hash: idempotency key -> outbox entry (JSON).
NOTIFY_OUTBOX = PREFIX + "notify:outbox"
#: Sorted set: pending entries' keys by the time each falls due (or its lease ends).
NOTIFY_DUE = PREFIX + "notify:due"
#: Sorted sets: delivered and dead entries' keys by the time they got there.
NOTIFY_DELIVERED = PREFIX + "notify:delivered"
NOTIFY_DEAD = PREFIX + "notify:dead"


def inbox(connector: str) -> str:
    """List: the payloads ``connector`` received, oldest first (JSON each)."""
    return f"{PREFIX}inbox:{connector}"


def dead_letters(connector: str) -> str:
    """Hash: number of a payload of ``connector``'s inbox -> why it failed."""
    return f"{PREFIX}dead-letters:{connector}"
