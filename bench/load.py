"""A load generator, run in its own process: POST unique events as fast as the
server answers, from ``concurrency`` connections, for ``seconds``."""

from __future__ import annotations

import asyncio
import json
import sys
import time

import httpx

TEMPLATE = (
    '{{"id":"{id}","type":"sale","ts":"2026-11-23T09:30:00Z","agent":"a-{agent}",'
    '"product":"mobile-upgrade","revenue":"49.90","channel":"phone"}}'
)


async def main(
    url: str, token: str, batch: int, seconds: float, concurrency: int, prefix: str
) -> None:
    counts = {"events": 0, "requests": 0, "errors": 0}
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    deadline = time.monotonic() + seconds

    async def worker(number: int) -> None:
        sequence = 0
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            while time.monotonic() < deadline:
                events = []
                for _ in range(batch):
                    sequence += 1
                    events.append(
                        TEMPLATE.format(id=f"{prefix}-{number}-{sequence}", agent=sequence % 150)
                    )
                body = events[0] if batch == 1 else "[" + ",".join(events) + "]"
                response = await client.post("/api/events", content=body, headers=headers)
                if response.status_code == 202:
                    counts["events"] += batch
                    counts["requests"] += 1
                else:
                    counts["errors"] += 1

    started = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    elapsed = time.monotonic() - started
    print(json.dumps({**counts, "seconds": elapsed, "per_s": counts["events"] / elapsed}))


if __name__ == "__main__":
    url, token, batch, seconds, concurrency, prefix = sys.argv[1:7]
    asyncio.run(main(url, token, int(batch), float(seconds), int(concurrency), prefix))
