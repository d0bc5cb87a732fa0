from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import redis

from wallboard.store import EventLog, open_store

if TYPE_CHECKING:
    from tests.faults import Process

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing(what: str) -> None:
    """Skip locally when a dependency is absent; fail under CI=true."""
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run every test")
    pytest.skip(f"{what} is missing")


#: Debian's Chromium: Playwright drives it, and never downloads a browser.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium for a browser test; skips (fails under CI) without it."""
    if not Path(CHROMIUM).exists():
        missing("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    """A browser test's Chromium (a module may define its own, scoped otherwise)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def cluster(redis_url: str, tmp_path: Path) -> Iterator[Any]:
    """The Procfile's processes (web, scorer) on the test's Redis, stopped after."""
    from tests.test_scale_out import Cluster  # it imports this module

    started = Cluster(redis_url, tmp_path)
    try:
        yield started
    finally:
        started.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A real redis-server on a free port, in its own directory."""

    def __init__(self, directory: Path, *extra: str) -> None:
        self.directory = directory
        self.port = free_port()
        self.extra = extra
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            missing("redis-server")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                str(self.directory),
                *self.extra,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def flush(self) -> None:
        client = redis.Redis(port=self.port)
        client.flushall()
        client.close()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    redis_server.flush()
    return redis_server.url


BACKENDS = ["memory", "sqlite", "redis"]


def store_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "memory":
        return "memory://"
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'log.db'}"
    return str(request.getfixturevalue("redis_url"))


@pytest.fixture(params=BACKENDS)
def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return store_url(request.param, request, tmp_path)


@pytest.fixture(params=["sqlite", "redis"])
def durable_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return store_url(request.param, request, tmp_path)


@pytest.fixture
async def store(any_store_url: str) -> AsyncIterator[EventLog]:
    async with open_store(any_store_url) as log:
        yield log


def wait_until_up(
    base: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 20.0
) -> None:
    """Poll ``/healthz`` until the server answers; fail with its log if it dies or stalls."""
    import httpx

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, f"server did not come up:\n{log.read_text()}"
        time.sleep(0.05)


@contextmanager
def serving(env: dict[str, str], folder: Path) -> Iterator[str]:
    """``wallboard serve`` on a free port with ``env``, its output in ``folder``:
    its base address once it answers; stopped with SIGTERM, and its log must hold
    no traceback."""
    import signal
    import sys

    port = free_port()
    log = folder / "server.log"
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "wallboard", "serve", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server, log, seconds=60)
        yield base
        assert "Traceback" not in log.read_text()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(20)


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    """Processes a test starts; any still running when it ends are killed."""
    started: list[Process] = []
    yield started
    for process in started:
        if process.process is not None:
            process.process.kill()
            process.process.wait(20)
