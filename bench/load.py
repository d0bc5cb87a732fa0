"""A load generator, run in its own process: POST unique events as fast as the
server answers, from ``concurrency`` connections, for ``seconds``.

It speaks HTTP/1.1 over keep-alive connections itself rather than through an
HTTP client library: at hundreds of requests a second a general-purpose client
spends more of its core per request than the server does, and the benchmark
would measure the client. It reports the share of a core it used.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import resource
import sys
import time
from urllib.parse import urlsplit

from bench.common import run_loop

TEMPLATE = (
    '{{"id":"{id}","type":"sale","ts":"2026-11-23T09:30:00Z","agent":"a-{agent}",'
    '"product":"mobile-upgrade","revenue":"49.90","channel":"phone"}}'
)


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs JSON and reads the status."""

    def __init__(self, url: str, token: str, path: str = "/api/events") -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.head = (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        ).encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, body: bytes, extra: bytes = b"") -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(b"%s%sContent-Length: %d\r\n\r\n%s" % (self.head, extra, len(body), body))
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length, close = 0, False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
            elif name == b"transfer-encoding":
                raise RuntimeError("expected a Content-Length, got a chunked answer")
        await reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


def signature(secret: str, body: bytes) -> bytes:
    """The custom scheme's header, as a connector's sender adds it."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"X-Wallboard-Signature: sha256={digest}\r\n".encode()


async def main(
    url: str,
    token: str,
    batch: int,
    seconds: float,
    concurrency: int,
    prefix: str,
    hook: str = "",
    secret: str = "",
) -> None:
    """With ``hook`` (a connector's name), POST to its hook signed with ``secret``,
    the events as they are; else to ``/api/events``."""
    counts = {"events": 0, "requests": 0, "errors": 0}
    deadline = time.monotonic() + seconds
    path, ok = (f"/hooks/{hook}", 200) if hook else ("/api/events", 202)

    async def worker(number: int) -> None:
        sequence = 0
        connection = Connection(url, token, path)
        try:
            while time.monotonic() < deadline:
                events = []
                for _ in range(batch):
                    sequence += 1
                    events.append(
                        TEMPLATE.format(id=f"{prefix}-{number}-{sequence}", agent=sequence % 150)
                    )
                body = (events[0] if batch == 1 else "[" + ",".join(events) + "]").encode()
                try:
                    status = await connection.post(body, signature(secret, body) if hook else b"")
                except (OSError, asyncio.IncompleteReadError, RuntimeError):
                    await connection.close()
                    status = 0
                if status == ok:
                    counts["events"] += batch
                    counts["requests"] += 1
                else:
                    counts["errors"] += 1
        finally:
            await connection.close()

    started = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    elapsed = time.monotonic() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                **counts,
                "seconds": elapsed,
                "per_s": counts["events"] / elapsed,
                # the share of a core this client used (start-up included): near 1,
                # the client is the bottleneck
                "client_cpu_share": (usage.ru_utime + usage.ru_stime) / elapsed,
            }
        )
    )


if __name__ == "__main__":
    url, token, batch, seconds, concurrency, prefix = sys.argv[1:7]
    hook, secret = [*sys.argv[7:9], "", ""][:2]
    run_loop(main(url, token, int(batch), float(seconds), int(concurrency), prefix, hook, secret))
