"""Tokens never reach the logs: the Procfile's web process, run as an operator runs it.

The probe that found the leak ran the Procfile's ``web`` line (plain uvicorn with
the app factory, where ``wallboard serve``'s logging set-up never ran) and opened
screens with the token's parameter name percent-encoded, which signs in all the
same.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest
from websockets.sync.client import connect

from tests.conftest import free_port, wait_until_up
from tests.test_scale_out import PROCFILE
from wallboard.logs import JSONFormatter, RedactTokens, TextFormatter, redact

#: each way of writing ``token`` that the server reads as ``token``
NAMES = ["token", "%74oken", "tok%65n", "%74%6F%6B%65%6E"]


def cli(store: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "wallboard", *args],
        env={**os.environ, "WALLBOARD_STORE": store},
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode().strip()


def lines_until(log: Path, count: int, needle: str, seconds: float = 10.0) -> str:
    """The log once it holds ``count`` lines with ``needle`` (written after the response)."""
    deadline = time.monotonic() + seconds
    while True:
        text = log.read_text()
        if text.count(needle) >= count:
            return text
        assert time.monotonic() < deadline, f"expected {count} lines with {needle!r}:\n{text}"
        time.sleep(0.05)


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_the_procfile_web_process_masks_tokens_however_they_are_spelled(
    tmp_path: Path, log_format: str
) -> None:
    store = f"sqlite:///{tmp_path / 'log.db'}"
    token = cli(store, "token", "create", "--role", "display")
    port, log = free_port(), tmp_path / "web.log"
    env = {
        **os.environ,
        "WALLBOARD_STORE": store,
        "WALLBOARD_LOG_FORMAT": log_format,
        "PORT": str(port),
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    }
    with log.open("ab") as out:
        # As a Procfile runner does: the line through the shell.
        process = subprocess.Popen(
            ["bash", "-c", f"exec env {PROCFILE['web']}"], env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        with httpx.Client(base_url=base) as client:
            for name in NAMES:
                opened = client.get(f"/board?lang=de&{name}={token}")
                assert opened.status_code == 303, f"?{name}= should open the board"
                assert token not in opened.headers["location"]
            # The value percent-encoded, and a path that does not exist.
            client.get(f"/board?token={token.replace('_', '%5F')}")
            client.get(f"/nowhere?token={token}")
        with connect(f"ws://127.0.0.1:{port}/ws?as=board&%74oken={token}") as socket:
            socket.send('{"type": "subscribe", "topics": ["board"]}')
            assert orjson.loads(socket.recv(timeout=10))["type"] == "snapshot"
        lines_until(log, len(NAMES) + 1, "GET /board")
        lines_until(log, 1, "GET /nowhere")
        lines_until(log, 1, "WebSocket /ws")
        # The Procfile's uvicorn runs the fast push path, and the log says so.
        lines_until(log, 1, "written straight to each screen's connection")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(20)
    text = log.read_text()
    secret = token.split("_", 2)[2]
    assert secret not in text and secret.replace("-", "%2D") not in text, text
    assert "=***" in text
    if log_format == "json":
        for line in text.splitlines():
            entry = orjson.loads(line)  # every line is one JSON object
            assert {"time", "level", "logger", "message"} <= set(entry)
        loggers = {orjson.loads(line)["logger"] for line in text.splitlines()}
        assert "uvicorn.access" in loggers


@pytest.mark.parametrize(
    "line",
    [
        '127.0.0.1:5000 - "GET /board?token=wb_display_SECRET HTTP/1.1" 303',
        '127.0.0.1:5000 - "GET /ws?as=board&token=wb_display_SECRET HTTP/1.1" 101',
        '127.0.0.1:5000 - "GET /board?%74oken=SECRET HTTP/1.1" 303',
        '127.0.0.1:5000 - "GET /board?tok%65n=SECRET&lang=de HTTP/1.1" 303',
        '127.0.0.1:5000 - "GET /board?%2574oken=SECRET HTTP/1.1" 401',
        '127.0.0.1:5000 - "GET /board?x=1&access_token=SECRET;more HTTP/1.1" 401',
        "Client error '401' for url 'http://h/me?token=wb_agent_SECRET'",
        "a token in a message: wb_manager_SECRET-x_y",
    ],
)
def test_every_formatter_masks_a_secret_however_it_is_written(line: str) -> None:
    for formatter in (JSONFormatter(), TextFormatter()):
        record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "%s", (line,), None)
        assert "SECRET" not in formatter.format(record)
        filtered = logging.LogRecord("x", logging.INFO, __file__, 1, "%s", (line,), None)
        RedactTokens().filter(filtered)
        assert "SECRET" not in filtered.getMessage()


def test_a_traceback_is_masked_too() -> None:
    try:
        raise RuntimeError("failed on /board?token=wb_display_SECRET")
    except RuntimeError:
        record = logging.LogRecord(
            "wallboard.errors", logging.ERROR, __file__, 1, "boom", (), sys.exc_info()
        )
    for formatter in (JSONFormatter(), TextFormatter()):
        assert "SECRET" not in formatter.format(record)


def test_ordinary_parameters_stay_readable() -> None:
    assert redact("GET /board?lang=de&rotate=20") == "GET /board?lang=de&rotate=20"
    assert redact("stored 3 sale events, source=crm") == "stored 3 sale events, source=crm"
