"""Websocket screens in their own process: connect ``count`` clients to the board,
report when each marked sale (id ``L<n>``) first reached each client, and the
process's own CPU time, to show the clients are not the bottleneck."""

from __future__ import annotations

import asyncio
import json
import re
import resource
import sys
import time

from websockets.asyncio.client import connect

MARK = re.compile(rb'"id":"(L\d+)"')


async def main(url: str, count: int, seconds: float) -> None:
    arrivals: dict[str, list[float]] = {}
    connected = 0
    ready = asyncio.Event()

    async def screen() -> None:
        nonlocal connected
        async with connect(url, compression=None, max_size=None, open_timeout=60) as socket:
            await socket.send('{"type": "subscribe", "topics": ["board"]}')
            await socket.recv()
            connected += 1
            if connected == count:
                ready.set()
            seen: set[bytes] = set()
            while True:
                frame = await socket.recv(decode=False)
                now = time.monotonic()
                for mark in MARK.findall(frame):
                    if mark not in seen:
                        seen.add(mark)
                        arrivals.setdefault(mark.decode(), []).append(now)

    tasks = []
    for _ in range(count):
        tasks.append(asyncio.create_task(screen()))
        await asyncio.sleep(0.002)
    await asyncio.wait_for(ready.wait(), 120)
    print(json.dumps({"ready": time.monotonic()}), flush=True)
    await asyncio.sleep(seconds)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"arrivals": arrivals, "cpu": usage.ru_utime + usage.ru_stime}), flush=True)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
