"""``redis://host:port/db``: the log as a Redis Stream, shared by many processes.

De-duplication is atomic with the append: one Lua script checks every key,
hands out offsets and adds the entries, and Redis runs a script as a single
step, so a batch is never half-written. Durability is Redis's: run it with
``appendonly yes`` and ``appendfsync always`` for a 2xx to mean "on disk".

A batch travels as two arguments, its keys and data end to end and their
lengths, rather than two arguments per event: redis-py packs each argument in
Python, which cost more than the append itself. Inside the script one HMGET
finds the duplicates and one HSET records the new keys; only the stream needs
a command per event.
"""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Sequence
from typing import Any

import orjson
import redis.asyncio as aioredis
import redis.exceptions
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff

from .. import redis_keys
from .base import (
    OUTBOX_STATES,
    Entry,
    EventLog,
    InboxEntry,
    OutboxEntry,
    Record,
    StoreUnavailable,
    TokenRecord,
)

# KEYS: stream, key hash, counter. ARGV[1]: every record's key then data, end to
# end; ARGV[2]: their lengths, "key1 data1 key2 data2 ...". The keys are distinct.
# Returns one character per record: "1" stored, "0" a duplicate.
APPEND_SCRIPT = """
local blob, keys, data, at = ARGV[1], {}, {}, 1
for key_length, data_length in string.gmatch(ARGV[2], '(%d+) (%d+)') do
  local key_end = at + key_length
  keys[#keys + 1] = string.sub(blob, at, key_end - 1)
  data[#data + 1] = string.sub(blob, key_end, key_end + data_length - 1)
  at = key_end + data_length
end
local offset = tonumber(redis.call('GET', KEYS[3]) or '0')
local stored, new = {}, {}
for first = 1, #keys, 1000 do
  local last = math.min(first + 999, #keys)
  local logged = redis.call('HMGET', KEYS[2], unpack(keys, first, last))
  for i = first, last do
    if logged[i - first + 1] then
      stored[i] = '0'
    else
      offset = offset + 1
      redis.call('XADD', KEYS[1], '0-' .. offset, 'e', data[i])
      new[#new + 1] = keys[i]
      new[#new + 1] = offset
      stored[i] = '1'
    end
  end
end
for first = 1, #new, 1000 do
  redis.call('HSET', KEYS[2], unpack(new, first, math.min(first + 999, #new)))
end
if #new > 0 then
  redis.call('SET', KEYS[3], offset)
end
return table.concat(stored)
"""

# KEYS: stream. ARGV: after, count. Returns id1, data1, id2, data2, ... (flat, so
# that the client makes no dict per entry).
READ_SCRIPT = """
local rows = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])
local flat = {}
for i, row in ipairs(rows) do
  flat[2 * i - 1] = row[1]
  flat[2 * i] = row[2][2]
end
return flat
"""

_FAILURES = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    redis.exceptions.BusyLoadingError,
    OSError,
)


def _offset(stream_id: bytes) -> int:
    return int(stream_id.split(b"-", 1)[1])


class RedisLog(EventLog):
    def __init__(self, url: str) -> None:
        self.url = url
        self._redis: aioredis.Redis | None = None
        self._append_script: Any = None
        self._read_script: Any = None
        self._outbox_scripts: dict[str, Any] = {}

    @property
    def redis(self) -> aioredis.Redis:
        if self._redis is None:
            raise StoreUnavailable("redis store is not open")
        return self._redis

    async def open(self) -> None:
        # A connection the server closed (a Redis restart) is retried on a fresh one.
        # Retrying the append is safe: the script skips keys already logged.
        self._redis = aioredis.Redis.from_url(
            self.url,
            retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 3),
            retry_on_error=[redis.exceptions.ConnectionError, redis.exceptions.TimeoutError],
            socket_connect_timeout=0.5,
            socket_timeout=10.0,
            health_check_interval=10,
        )
        self._append_script = self._redis.register_script(APPEND_SCRIPT)
        self._read_script = self._redis.register_script(READ_SCRIPT)
        self._outbox_scripts = {
            name: self._redis.register_script(script) for name, script in OUTBOX_SCRIPTS.items()
        }

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def _append_unique(self, records: Sequence[Record]) -> list[bool]:
        parts: list[bytes] = []
        lengths: list[str] = []
        for key, data in records:
            encoded = key.encode()
            parts += (encoded, data)
            lengths += (str(len(encoded)), str(len(data)))
        keys = [redis_keys.EVENTS, redis_keys.EVENT_KEYS, redis_keys.LAST_OFFSET]
        args = [b"".join(parts), " ".join(lengths)]
        try:
            result = await self._append_script(keys=keys, args=args, client=self.redis)
        except _FAILURES as exc:
            raise StoreUnavailable(f"redis store: {exc}") from exc
        return [flag == ord("1") for flag in result]

    async def logged(self, keys: Sequence[str]) -> list[bool]:
        if not keys:
            return []
        offsets = await self._call("hmget", redis_keys.EVENT_KEYS, list(keys))
        return [offset is not None for offset in offsets]

    async def read(self, after: int = 0, limit: int = 1000) -> list[Entry]:
        try:
            flat = await self._read_script(
                keys=[redis_keys.EVENTS], args=[f"0-{after}", limit], client=self.redis
            )
        except _FAILURES as exc:
            raise StoreUnavailable(f"redis store: {exc}") from exc
        return [Entry(_offset(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]

    async def last_offset(self) -> int:
        try:
            value = await self.redis.get(redis_keys.LAST_OFFSET)
        except _FAILURES as exc:
            raise StoreUnavailable(f"redis store: {exc}") from exc
        return int(value or 0)

    async def wait(self, after: int, timeout: float) -> None:
        try:
            await self.redis.xread(
                {redis_keys.EVENTS: f"0-{after}"}, count=1, block=max(1, int(timeout * 1000))
            )
        except _FAILURES as exc:
            raise StoreUnavailable(f"redis store: {exc}") from exc

    async def ping(self) -> None:
        try:
            await self.redis.ping()
        except _FAILURES as exc:
            raise StoreUnavailable(f"redis store: {exc}") from exc

    async def get_meta(self, name: str) -> bytes | None:
        value: bytes | None = await self._call("hget", redis_keys.META, name)
        return value

    async def put_meta(self, name: str, value: bytes) -> None:
        await self._call("hset", redis_keys.META, name, value)

    async def meta_names(self) -> list[str]:
        names: list[bytes] = await self._call("hkeys", redis_keys.META)
        return sorted(name.decode() for name in names)

    async def add_token(self, token: TokenRecord) -> None:
        await self._call("hset", redis_keys.TOKENS, token.hash, _dump(token))

    async def find_token(self, token_hash: str) -> TokenRecord | None:
        raw = await self._call("hget", redis_keys.TOKENS, token_hash)
        return _load(raw) if raw else None

    async def list_tokens(self) -> list[TokenRecord]:
        raw = await self._call("hvals", redis_keys.TOKENS)
        return sorted((_load(r) for r in raw), key=lambda t: (t.created, t.id))

    async def revoke_token(self, token_id: str) -> bool:
        for token in await self.list_tokens():
            if token.id == token_id:
                revoked = dataclasses.replace(token, revoked=True)
                await self._call("hset", redis_keys.TOKENS, token.hash, _dump(revoked))
                return True
        return False

    async def put_connector(self, name: str, data: bytes) -> None:
        await self._call("hset", redis_keys.CONNECTORS, name, data)

    async def get_connector(self, name: str) -> bytes | None:
        value: bytes | None = await self._call("hget", redis_keys.CONNECTORS, name)
        return value

    async def connector_names(self) -> list[str]:
        names: list[bytes] = await self._call("hkeys", redis_keys.CONNECTORS)
        return sorted(name.decode() for name in names)

    async def record_payload(
        self, connector: str, received: str, content_type: str, body: bytes
    ) -> int:
        entry = {
            "received": received,
            "type": content_type,
            "body": base64.b64encode(body).decode(),
        }
        length: int = await self._call("rpush", redis_keys.inbox(connector), orjson.dumps(entry))
        return length

    async def payloads(self, connector: str, after: int = 0, limit: int = 100) -> list[InboxEntry]:
        if limit <= 0:
            return []
        rows = await self._call("lrange", redis_keys.inbox(connector), after, after + limit - 1)
        return [_inbox_entry(after + n + 1, row) for n, row in enumerate(rows)]

    async def payload_count(self, connector: str) -> int:
        count: int = await self._call("llen", redis_keys.inbox(connector))
        return count

    async def set_dead_letter(self, connector: str, seq: int, reason: str | None) -> None:
        if reason is None:
            await self._call("hdel", redis_keys.dead_letters(connector), seq)
        else:
            await self._call("hset", redis_keys.dead_letters(connector), seq, reason)

    async def dead_letters(self, connector: str) -> dict[int, str]:
        found: dict[bytes, bytes] = await self._call("hgetall", redis_keys.dead_letters(connector))
        return dict(sorted((int(seq), reason.decode()) for seq, reason in found.items()))

    # Notifications ---------------------------------------------------------
    async def put_channel(self, channel_id: str, data: bytes) -> None:
        await self._call("hset", redis_keys.NOTIFY_CHANNELS, channel_id, data)

    async def get_channels(self) -> dict[str, bytes]:
        found: dict[bytes, bytes] = await self._call("hgetall", redis_keys.NOTIFY_CHANNELS)
        return {key.decode(): value for key, value in sorted(found.items())}

    async def delete_channel(self, channel_id: str) -> bool:
        return bool(await self._call("hdel", redis_keys.NOTIFY_CHANNELS, channel_id))

    async def outbox_add(self, entries: Sequence[OutboxEntry]) -> list[bool]:
        if not entries:
            return []
        args: list[Any] = []
        for entry in entries:
            args += (entry.key, _dump_entry(entry), repr(entry.due))
        flags = await self._script("add", [redis_keys.NOTIFY_OUTBOX, redis_keys.NOTIFY_DUE], args)
        return [flag == ord("1") for flag in flags]

    async def outbox_claim(
        self, now: float, lease: float, holder: str, limit: int, skip: Sequence[str] = ()
    ) -> list[OutboxEntry]:
        keys = [redis_keys.NOTIFY_OUTBOX, redis_keys.NOTIFY_DUE]
        args = [repr(now), repr(lease), holder, limit, orjson.dumps(list(skip))]
        claimed = await self._script("claim", keys, args)
        return [_load_entry(raw) for raw in claimed]

    async def outbox_settle(self, entry: OutboxEntry) -> bool:
        keys = [redis_keys.NOTIFY_OUTBOX, *_OUTBOX_SETS]
        args = [entry.key, entry.holder, _dump_entry(dataclasses.replace(entry, holder=""))]
        return bool(await self._script("settle", keys, args))

    async def outbox_revive(self, key: str, now: float) -> bool:
        keys = [redis_keys.NOTIFY_OUTBOX, *_OUTBOX_SETS]
        return bool(await self._script("revive", keys, [key, repr(now)]))

    async def outbox_list(self, state: str, limit: int) -> list[OutboxEntry]:
        index = dict(zip(OUTBOX_STATES, _OUTBOX_SETS, strict=True))[state]
        keys = await self._call("zrevrange", index, 0, limit - 1)
        if not keys:
            return []
        found = await self._call("hmget", redis_keys.NOTIFY_OUTBOX, keys)
        # The pending index is by due time: list them as the other backends do.
        entries = [_load_entry(raw) for raw in found if raw is not None]
        return sorted(entries, key=lambda e: (-e.updated, e.key))

    async def outbox_counts(self) -> dict[str, int]:
        counts = {}
        for state, index in zip(OUTBOX_STATES, _OUTBOX_SETS, strict=True):
            counts[state] = int(await self._call("zcard", index))
        return counts

    async def _script(self, name: str, keys: list[str], args: list[Any]) -> Any:
        try:
            return await self._outbox_scripts[name](keys=keys, args=args, client=self.redis)
        except _FAILURES as exc:
            raise StoreUnavailable(f"redis store: {exc}") from exc

    async def _call(self, command: str, *args: Any) -> Any:
        try:
            return await getattr(self.redis, command)(*args)
        except _FAILURES as exc:
            raise StoreUnavailable(f"redis store: {exc}") from exc


def _dump(token: TokenRecord) -> bytes:
    return orjson.dumps(dataclasses.asdict(token))


def _load(raw: bytes) -> TokenRecord:
    return TokenRecord(**orjson.loads(raw))


def _inbox_entry(seq: int, raw: bytes) -> InboxEntry:
    entry = orjson.loads(raw)
    return InboxEntry(seq, entry["received"], entry["type"], base64.b64decode(entry["body"]))


#: the outbox's indexes, in the order of ``OUTBOX_STATES``
_OUTBOX_SETS = (redis_keys.NOTIFY_DUE, redis_keys.NOTIFY_DELIVERED, redis_keys.NOTIFY_DEAD)


def _dump_entry(entry: OutboxEntry) -> bytes:
    fields = dataclasses.asdict(entry)
    fields["message"] = entry.message.decode()
    return orjson.dumps(fields)


def _load_entry(raw: bytes) -> OutboxEntry:
    fields = orjson.loads(raw)
    fields["message"] = fields["message"].encode()
    fields["offset"] = int(fields["offset"])
    fields["attempts"] = int(fields["attempts"])
    return OutboxEntry(**fields)


# Each script runs as one step in Redis: an entry is claimed by one process only,
# and a settle by a holder whose lease was taken over changes nothing.
OUTBOX_SCRIPTS = {
    # KEYS: outbox, due. ARGV: key, entry, due, key, entry, due, ...
    "add": """
local flags = {}
for i = 1, #ARGV, 3 do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[2], ARGV[i + 2], ARGV[i])
    flags[#flags + 1] = '1'
  else
    flags[#flags + 1] = '0'
  end
end
return table.concat(flags)
""",
    # KEYS: outbox, due. ARGV: now, lease, holder, limit, channels to skip (JSON).
    "claim": """
local skip = {}
for _, channel in ipairs(cjson.decode(ARGV[5])) do skip[channel] = true end
local now, limit = tonumber(ARGV[1]), tonumber(ARGV[4])
local held_until = now + tonumber(ARGV[2])
local claimed = {}
local keys = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, 1000)
for _, key in ipairs(keys) do
  if #claimed >= limit then break end
  local entry = cjson.decode(redis.call('HGET', KEYS[1], key))
  if not skip[entry.channel] then
    entry.holder = ARGV[3]
    entry.due = held_until
    entry.updated = now
    local encoded = cjson.encode(entry)
    redis.call('HSET', KEYS[1], key, encoded)
    redis.call('ZADD', KEYS[2], held_until, key)
    claimed[#claimed + 1] = encoded
  end
end
return claimed
""",
    # KEYS: outbox, due, delivered, dead. ARGV: key, holder, the settled entry.
    "settle": """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local stored = cjson.decode(raw)
if stored.state ~= 'pending' or stored.holder ~= ARGV[2] then return 0 end
local entry = cjson.decode(ARGV[3])
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
if entry.state == 'pending' then
  redis.call('ZADD', KEYS[2], entry.due, ARGV[1])
elseif entry.state == 'delivered' then
  redis.call('ZADD', KEYS[3], entry.updated, ARGV[1])
else
  redis.call('ZADD', KEYS[4], entry.updated, ARGV[1])
end
return 1
""",
    # KEYS: outbox, due, delivered, dead. ARGV: key, now.
    "revive": """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local entry = cjson.decode(raw)
if entry.state ~= 'dead' then return 0 end
entry.state = 'pending'
entry.attempts = 0
entry.due = tonumber(ARGV[2])
entry.holder = ''
entry.updated = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(entry))
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
""",
}
