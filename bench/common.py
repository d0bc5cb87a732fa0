"""What the benchmarks share: servers in their own processes, pinned to a core."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
SERVER_CORE = "0"
LOAD_CORE = "1"


def run_loop(main: Coroutine[Any, Any, None]) -> None:
    """Run a load generator or a reference server on uvloop, the loop uvicorn serves
    the product on (``uvicorn[standard]``): no side of a comparison gets a faster
    loop than the other, and the load costs as little as it can."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(main)
        return
    uvloop.run(main)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def pinned(core: str, command: list[str]) -> list[str]:
    """Run ``command`` on one core when ``taskset`` exists (the load on the other)."""
    return ["taskset", "-c", core, *command] if shutil.which("taskset") else command


@contextmanager
def server(
    env: dict[str, str], factory: str = "wallboard.app:create_app", log: Path | None = None
) -> Iterator[str]:
    with server_process(env, factory, log) as (base, _):
        yield base


@contextmanager
def server_process(
    env: dict[str, str], factory: str = "wallboard.app:create_app", log: Path | None = None
) -> Iterator[tuple[str, int]]:
    """The server's base URL and process id (for its memory)."""
    port = free_port()
    output = (log or Path(os.devnull)).open("ab")
    try:
        process, _ = start_server(port, env, factory, output)
        try:
            yield f"http://127.0.0.1:{port}", process.pid
        finally:
            stop_server(process)
    finally:
        output.close()


#: the benchmarks connect thousands of screens with one display token, as a
#: company whose TVs share one would: no cap on a token's connections
ONE_TOKEN_MANY_SCREENS = {"WALLBOARD_CONNECTIONS_PER_TOKEN": "0"}


def start_server(
    port: int,
    env: dict[str, str],
    factory: str = "wallboard.app:create_app",
    output: IO[bytes] | None = None,
    core: str = SERVER_CORE,
) -> tuple[subprocess.Popen[bytes], float]:
    """A web process as the Procfile runs it, pinned to ``core`` (a ``taskset`` list,
    the server core by default); returns it and the moment it answered ``/healthz``."""
    command = pinned(
        core,
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--ws-per-message-deflate",
            "false",
            "--no-access-log",
            "--ws",
            os.environ.get("WALLBOARD_WS", "websockets-sansio"),
        ],
    )
    process = subprocess.Popen(
        command,
        env={**os.environ, **ONE_TOKEN_MANY_SCREENS, **env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT if output is not None else None,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process, time.monotonic()
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"server did not start: {command}")
        time.sleep(0.01)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(60)


def redis_server(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.02)
    client.close()
    return process, f"redis://127.0.0.1:{port}/0"


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
