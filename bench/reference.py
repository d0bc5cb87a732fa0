"""The reference for fan-out: the plain ``websockets`` library's ``broadcast()``
sending frames of the same size to every client, as fast as it can."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from websockets.asyncio.server import ServerConnection, broadcast, serve

from bench.common import run_loop


async def main(port: int, size: int, expected: int) -> None:
    """Broadcast once ``expected`` clients are in: thousands of handshakes do not
    get through while every turn of the loop broadcasts (the rate is measured in
    the steady state anyway)."""
    clients: set[ServerConnection] = set()
    padding = "x" * size

    async def handler(websocket: ServerConnection) -> None:
        clients.add(websocket)
        try:
            await websocket.wait_closed()
        finally:
            clients.discard(websocket)

    async with serve(handler, "127.0.0.1", port, compression=None):
        print("ready", flush=True)
        while len(clients) < expected:
            await asyncio.sleep(0.05)
        n = 0
        while True:
            n += 1
            broadcast(clients, json.dumps({"type": "update", "padding": padding, "n": n}))
            await asyncio.sleep(0)


if __name__ == "__main__":
    size = int(os.environ.get("BENCH_FRAME_BYTES", "2000"))
    run_loop(main(int(sys.argv[1]), size, int(sys.argv[2]) if len(sys.argv) > 2 else 0))
