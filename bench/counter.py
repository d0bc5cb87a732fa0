"""Screens that only count frames: N clients, frames received per second in all,
and the share of its core the counting process used while it counted (near 1.0
means the screens, not the server, set the pace)."""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time

from websockets.asyncio.client import connect


async def main(url: str, count: int, seconds: float) -> None:
    received = [0]
    connected = [0]
    ready = asyncio.Event()

    async def screen() -> None:
        async with connect(url, compression=None, max_size=None, open_timeout=120) as socket:
            await socket.send('{"type": "subscribe", "topics": ["board"]}')
            connected[0] += 1
            if connected[0] == count:
                ready.set()
            async for _ in socket:
                received[0] += 1

    tasks = [asyncio.create_task(screen()) for _ in range(count)]
    await asyncio.wait_for(ready.wait(), 180)
    await asyncio.sleep(1.0)
    start_count, started, cpu = received[0], time.monotonic(), _cpu()
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - started
    rate = (received[0] - start_count) / elapsed
    share = (_cpu() - cpu) / elapsed
    print(json.dumps({"frames_per_s": rate, "client_cpu_share": share}), flush=True)
    for task in tasks:
        task.cancel()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
