"""Fan-out: frames per second one web process delivers to N screens, beside the
plain ``websockets`` ``broadcast()`` delivering frames of the same size to the
same screens. The screens only count frames, in their own process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from bench.common import LOAD_CORE, ROOT, SERVER_CORE, free_port, pinned, server_process

SECONDS = 8.0
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def count(url: str, clients: int) -> dict[str, float]:
    output = subprocess.run(
        pinned(LOAD_CORE, [sys.executable, "-m", "bench.counter", url, str(clients), str(SECONDS)]),
        capture_output=True,
        check=True,
        cwd=ROOT,
        env=ENV,
    )
    return {k: float(v) for k, v in json.loads(output.stdout).items()}


def ours(clients: int) -> dict[str, float]:
    env = {"BENCH_TOKEN": "bench-token"}
    with server_process(env, "bench.apps:fanout_app") as (base, _):
        return count(base.replace("http", "ws") + "/ws?token=bench-token", clients)


def reference(clients: int) -> dict[str, float]:
    port = free_port()
    process = subprocess.Popen(
        pinned(SERVER_CORE, [sys.executable, "-m", "bench.reference", str(port), str(clients)]),
        stdout=subprocess.PIPE,
        cwd=ROOT,
        env=ENV,
    )
    try:
        assert process.stdout is not None
        process.stdout.readline()
        time.sleep(0.2)
        return count(f"ws://127.0.0.1:{port}/", clients)
    finally:
        process.terminate()
        process.wait(10)


def run(sizes: tuple[int, ...] = (1000, 3000)) -> list[dict[str, Any]]:
    rows = []
    for clients in sizes:
        measured, baseline = ours(clients), reference(clients)
        rows.append(
            {
                "clients": clients,
                "frames_per_s": round(measured["frames_per_s"]),
                "broadcast_frames_per_s": round(baseline["frames_per_s"]),
                "ratio": round(measured["frames_per_s"] / baseline["frames_per_s"], 3),
                "client_cpu_share": round(measured["client_cpu_share"], 2),
                "broadcast_client_cpu_share": round(baseline["client_cpu_share"], 2),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


if __name__ == "__main__":
    run(tuple(int(a) for a in sys.argv[1:]) or (1000, 3000))
