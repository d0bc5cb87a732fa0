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
from .base import Entry, EventLog, InboxEntry, Record, StoreUnavailable, TokenRecord

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
