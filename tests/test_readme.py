"""Every command the README tells an operator to type works as written.

The README's ``sh`` blocks are run one by one, in order, with bash, in the
folder of a demo started as ``make demo PORT=...`` starts it (on a free port,
which the blocks' ``8000`` stands for): the demo writes ``wallboard.env``
there, so the blocks reach its store as an operator's second terminal does.
``make test`` is what runs this file, so that line is checked against CI's
script rather than run. The container blocks need root, buildah and podman
and take minutes: ``container/check`` is their test, run by hand (the README
gives its figures).
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
#: a user who set no store: the demo's folder decides
ENV = {
    **{name: value for name, value in os.environ.items() if name != "WALLBOARD_STORE"},
    "PATH": f"{BIN}:{os.environ['PATH']}",
}


def blocks() -> list[str]:
    """The README's ``sh`` blocks, in order (indented ones too)."""
    text = (ROOT / "README.md").read_text()
    return [
        "\n".join(line[len(indent) :] for line in body.splitlines())
        for indent, body in re.findall(r"^( *)```sh\n(.*?)^ *```$", text, re.M | re.S)
    ]


def needs_root(block: str) -> bool:
    return any(line.startswith(("container/", "podman", "BASE=")) for line in block.splitlines())


def test_the_readme_has_the_blocks_this_file_runs() -> None:
    found = blocks()
    assert found[0].splitlines()[0].startswith("make demo")
    assert any("curl" in block for block in found)
    assert any("backup import" in block for block in found)
    assert [block for block in found if needs_root(block)], "the container blocks moved"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, int]]:
    """The demo, started with the command ``make demo PORT=...`` runs, in its own folder."""
    port = free_port()
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", "demo", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    command = shlex.split(dry_run.stdout.strip().splitlines()[-1])
    assert command[1:] == ["demo", "--port", str(port)], dry_run.stdout
    folder = tmp_path_factory.mktemp("readme")
    log = folder / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(ROOT / command[0]), *command[1:]],
            cwd=folder,
            env=ENV,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        yield folder, port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
    assert "Traceback" not in log.read_text()


def test_every_command_block_runs_as_written(demo_folder: tuple[Path, int]) -> None:
    folder, port = demo_folder
    first, *rest = blocks()
    # make test is what runs this; CI's script calls it.
    assert "make test" in first and "CI=true make test" in (ROOT / ".ci/run").read_text()
    said = ""
    for block in rest:
        if needs_root(block):
            continue
        script = block.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=folder,
            env=ENV,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, (
            f"{block}\n--- out\n{result.stdout}\n--- err\n{result.stderr}"
        )
        said += result.stdout
    # What the blocks claim: the demo's draws verified, the sale stored, the backup restored.
    assert re.search(r"^tombola week-\S+: verified$", said, re.M), said
    assert '"accepted":1' in said.replace(" ", ""), said
    assert (folder / "restored.db").exists()
