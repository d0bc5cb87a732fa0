"""``wallboard demo`` as a user runs it: in a folder, on a port, beside the CLI.

One demo runs in a subprocess for the module; the tests poll it until it
answers and run the README's commands in its folder, as written.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

WALLBOARD = [sys.executable, "-m", "wallboard"]
#: the environment of a user who set no store: the demo's folder decides
ENV = {name: value for name, value in os.environ.items() if name != "WALLBOARD_STORE"}


@dataclass
class Demo:
    folder: Path
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def banner(self) -> str:
        return self.log.read_text()

    def line(self, label: str) -> str:
        return next(
            line.split(label, 1)[1].strip()
            for line in self.banner.splitlines()
            if line.strip().startswith(label)
        )


def wallboard(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*WALLBOARD, *args], cwd=folder, env=ENV, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("office")
    port = free_port()
    log = folder / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*WALLBOARD, "demo", "--port", str(port), "--rate", "0.2", "--history", "16"],
            cwd=folder,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    demo = Demo(folder, port, process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, demo.banner
            assert time.monotonic() < deadline, demo.banner
            if "board:" in demo.banner:
                try:
                    page = httpx.get(demo.line("board:"), follow_redirects=True)
                    if page.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
            time.sleep(0.05)
        yield demo
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) in (0, -signal.SIGTERM), demo.banner
    assert "Traceback" not in demo.banner


def test_the_demo_keeps_its_store_in_its_folder_and_names_it_for_the_cli(running: Demo) -> None:
    assert (running.folder / "wallboard-demo" / "demo.db").exists()
    assert not (running.folder / "wallboard.db").exists()
    env = (running.folder / "wallboard.env").read_text()
    assert "WALLBOARD_STORE=sqlite:///wallboard-demo/demo.db" in env
    stats = wallboard(running.folder, "log", "stats")
    assert stats.returncode == 0, stats.stderr
    assert not (running.folder / "wallboard.db").exists()


def test_tombola_verify_as_the_banner_writes_it_verifies_a_drawn_tombola(running: Demo) -> None:
    command = running.line("wallboard tombola verify")
    result = wallboard(running.folder, "tombola", "verify", command.split()[-1])
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stderr and '"verified": true' in result.stdout


def test_tombola_verify_without_an_id_checks_every_draw(running: Demo) -> None:
    result = wallboard(running.folder, "tombola", "verify")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # The demo's history holds at least last week's draw.
    assert lines and all(line.endswith(": verified") for line in lines), lines
    assert any(line.startswith("tombola week-") for line in lines)


def test_the_export_line_reaches_the_demo_from_another_folder(
    running: Demo, tmp_path: Path
) -> None:
    export = running.line("From another folder, first: export")
    name, _, url = export.partition("=")
    assert name == "WALLBOARD_STORE" and url.startswith("sqlite:////")
    result = subprocess.run(
        [*WALLBOARD, "log", "stats"],
        cwd=tmp_path,
        env={**ENV, "WALLBOARD_STORE": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and '"events"' in result.stdout, result.stderr


def test_a_second_demo_in_the_same_folder_leaves_the_first_alone(running: Demo) -> None:
    store = running.folder / "wallboard-demo" / "demo.db"
    before = store.stat().st_ino
    second = wallboard(running.folder, "demo", "--port", str(free_port()))
    assert second.returncode == 1
    assert second.stdout == ""
    assert second.stderr.startswith("wallboard: a demo is already running from ")
    assert f"serving http://127.0.0.1:{running.port}" in second.stderr
    assert len(second.stderr.splitlines()) == 1
    assert store.stat().st_ino == before
    assert httpx.get(f"http://127.0.0.1:{running.port}/healthz").status_code == 200


def test_a_busy_port_is_one_line_before_anything_is_written_or_deleted(
    running: Demo, tmp_path: Path
) -> None:
    (tmp_path / "wallboard-demo").mkdir()
    kept = tmp_path / "wallboard-demo" / "demo.db"
    kept.write_bytes(b"an earlier demo's store")
    busy = wallboard(tmp_path, "demo", "--port", str(running.port))
    assert busy.returncode == 1
    assert busy.stdout == ""
    assert busy.stderr == (
        f"wallboard: port {running.port} on 127.0.0.1 is in use (another demo or server?); "
        "choose another with --port\n"
    )
    assert kept.read_bytes() == b"an earlier demo's store"
    assert not (tmp_path / "wallboard.env").exists()
    # In a fresh folder, nothing is left behind at all.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    assert wallboard(fresh, "demo", "--port", str(running.port)).returncode == 1
    assert list(fresh.iterdir()) == []
