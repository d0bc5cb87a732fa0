"""Screens that only count frames: N clients, frames received per second in all,
and the share of its core the counting process used while it counted (near 1.0
means the screens, not the server, set the pace). The screens are the bare
protocol of ``bench.clients``, skipping payloads, so that they cost little."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from bench.clients import cpu_seconds, open_screen
from bench.common import run_loop


async def main(url: str, count: int, seconds: float) -> None:
    received = [0]

    def on_message(payload: bytes | None) -> None:
        received[0] += 1

    semaphore = asyncio.Semaphore(200)

    async def connect() -> object:
        async with semaphore:
            return await open_screen(url, on_message, payloads=False)

    screens = await asyncio.wait_for(asyncio.gather(*(connect() for _ in range(count))), 180)
    await asyncio.sleep(1.0)
    start_count, started, cpu = received[0], time.monotonic(), cpu_seconds()
    await asyncio.sleep(seconds)
    elapsed = time.monotonic() - started
    rate = (received[0] - start_count) / elapsed
    share = (cpu_seconds() - cpu) / elapsed
    print(json.dumps({"frames_per_s": rate, "client_cpu_share": share}), flush=True)
    for screen in screens:
        screen.transport.abort()  # type: ignore[attr-defined]


if __name__ == "__main__":
    run_loop(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
