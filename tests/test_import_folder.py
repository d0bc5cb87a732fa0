"""The folder importer against a real HTTP receiver that checks the signature as
``POST /hooks/{NAME}`` does for custom and csv connectors.

``Receiver`` stands in for the server's hook: point ``hook`` at a real server's
``/hooks/NAME`` (with a connector made by ``POST /api/connectors``) and the same
tests hold.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import orjson
import pytest

from wallboard.connectors.csv_parts import parts, records
from wallboard.connectors.folder import FolderImporter, hook_url
from wallboard.connectors.sender import Sender

SECRET = "s3cret-for-the-csv-connector"
EXPORT = b"id,agent,product,revenue\nn-1,ber-1,mobile-upgrade,49.90\nn-2,ber-2,dsl,19.99\n"


class Receiver:
    """A hook on a thread: checks ``X-Wallboard-Signature``, keeps what it took."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.attempts = 0
        self.outages = 0  # how many posts to answer 503 before taking any
        receiver = self

        class Hook(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts += 1
                status, answer = receiver.answer(self.path, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(orjson.dumps(answer))

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
        self.thread = threading.Thread(target=self.http.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}"

    def answer(self, path: str, headers: Message, body: bytes) -> tuple[int, object]:
        if path != "/hooks/nightly":
            return 404, {"error": f"no connector {path!r}"}
        if self.outages:
            self.outages -= 1
            return 503, {"error": "the store is unreachable"}
        sent = headers.get("X-Wallboard-Signature", "")
        wanted = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(sent, wanted):
            return 401, {"error": "X-Wallboard-Signature does not match the body"}
        if not headers.get("Content-Type", "").startswith("text/csv"):
            return 415, {"error": "expected text/csv"}
        if b"refuse" in body:
            return 422, {"error": "row 2: agent: expected a string"}
        self.bodies.append(body)
        return 202, {"accepted": body.count(b"\n") - 1}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.http.shutdown()
    receiver.http.server_close()


class Delays:
    """The importer's sleep: records how long it would have waited."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


async def test_a_file_is_posted_signed_once_it_stops_growing_then_moved_to_done(
    tmp_path: Path, receiver: Receiver
) -> None:
    sleep = Delays()
    async with httpx.AsyncClient() as client:
        importer = FolderImporter(
            tmp_path,
            Sender(client, sleep),
            url=hook_url("nightly", receiver.base),
            secret=SECRET,
            sleep=sleep,
        )
        export = tmp_path / "sales-2026-12-03.csv"
        export.write_bytes(EXPORT[:30])  # the exporter has written a part
        (tmp_path / "notes.txt").write_text("not an export")
        assert await importer.step()
        export.write_bytes(EXPORT)  # and the rest, before the next scan
        assert await importer.step()
        assert receiver.bodies == []
        assert not await importer.step()  # unchanged since the last scan: taken

    assert receiver.bodies == [EXPORT]
    assert files(tmp_path) == ["done/sales-2026-12-03.csv", "notes.txt"]
    assert (tmp_path / "done" / "sales-2026-12-03.csv").read_bytes() == EXPORT


async def test_a_refused_file_goes_to_failed_with_the_reason_beside_it(
    tmp_path: Path, receiver: Receiver
) -> None:
    (tmp_path / "bad.csv").write_bytes(EXPORT + b"n-3,refuse,x,1\n")
    (tmp_path / "good.csv").write_bytes(EXPORT)
    async with httpx.AsyncClient() as client:
        importer = FolderImporter(
            tmp_path,
            Sender(client, Delays()),
            url=f"{receiver.base}/hooks/nightly",
            secret=SECRET,
            sleep=Delays(),
        )
        await importer.run(until_idle=True)

    assert files(tmp_path) == ["done/good.csv", "failed/bad.csv", "failed/bad.csv.reason"]
    reason = (tmp_path / "failed" / "bad.csv.reason").read_text()
    assert "HTTP 422" in reason
    assert "row 2: agent: expected a string" in reason


async def test_a_wrong_secret_fails_the_file_and_says_why(
    tmp_path: Path, receiver: Receiver
) -> None:
    (tmp_path / "export.csv").write_bytes(EXPORT)
    async with httpx.AsyncClient() as client:
        importer = FolderImporter(
            tmp_path,
            Sender(client, Delays()),
            url=f"{receiver.base}/hooks/nightly",
            secret="wrong",
            sleep=Delays(),
        )
        await importer.run(until_idle=True)
    assert receiver.bodies == []
    reason = (tmp_path / "failed" / "export.csv.reason").read_text()
    assert "HTTP 401" in reason and "does not match" in reason


async def test_a_server_that_is_away_is_retried_with_a_growing_delay(
    tmp_path: Path, receiver: Receiver
) -> None:
    receiver.outages = 3
    (tmp_path / "export.csv").write_bytes(EXPORT)
    (tmp_path / "done").mkdir()
    (tmp_path / "done" / "export.csv").write_bytes(b"last night's")
    sleep = Delays()
    async with httpx.AsyncClient() as client:
        importer = FolderImporter(
            tmp_path,
            Sender(client, sleep),
            url=f"{receiver.base}/hooks/nightly",
            secret=SECRET,
            sleep=sleep,
            poll_seconds=5,
        )
        await importer.run(until_idle=True)

    assert receiver.attempts == 4 and receiver.bodies == [EXPORT]
    assert sleep.waits == [5, 0.5, 1.0, 2.0]  # a scan, then three retries
    assert files(tmp_path) == ["done/export-2.csv", "done/export.csv"]


def test_the_command_posts_what_is_in_the_folder_and_exits_with_once(
    tmp_path: Path, receiver: Receiver
) -> None:
    (tmp_path / "export.csv").write_bytes(EXPORT)
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    command = [sys.executable, "-m", "wallboard", "import-folder", str(tmp_path)]
    common = ["--url", receiver.base, "--secret-file", str(secret_file), "--poll", "0.05"]
    result = subprocess.run(
        [*command, "--connector", "nightly", *common, "--once"],
        capture_output=True,
        timeout=60,
        env={**os.environ, "WALLBOARD_STORE": "memory://"},
    )
    assert result.returncode == 0, result.stderr
    assert receiver.bodies == [EXPORT]
    assert files(tmp_path) == ["done/export.csv", "secret"]

    named_only = subprocess.run(
        [*command, "--connector", "nightly", "--secret", SECRET, "--once"],
        capture_output=True,
        timeout=60,
    )
    assert named_only.returncode == 1
    assert b"give the server with --url" in named_only.stderr


def test_records_end_at_line_breaks_outside_quotes() -> None:
    body = b'id,note\r\nn-1,"two\r\nlines"\r\nn-2,"a ""quoted"" word"\r\n\r\nn-3,last'
    assert records(body) == [
        b"id,note\r\n",
        b'n-1,"two\r\nlines"\r\n',
        b'n-2,"a ""quoted"" word"\r\n',
        b"\r\n",
        b"n-3,last",
    ]
    cut = parts(body, max_rows=2, max_bytes=1000)
    assert [(p.first_row, p.last_row) for p in cut] == [(1, 2), (3, 3)]
    assert cut[1].body == b"id,note\r\nn-3,last"
    by_size = parts(body, max_rows=1000, max_bytes=30)
    assert [(p.first_row, p.last_row) for p in by_size] == [(1, 1), (2, 2), (3, 3)]


async def test_a_long_file_goes_in_parts_each_with_the_header(
    tmp_path: Path, receiver: Receiver
) -> None:
    header, rows = b"id,agent\n", [f"n-{n},ber-1\n".encode() for n in range(1, 6)]
    (tmp_path / "long.csv").write_bytes(header + b"".join(rows))
    (tmp_path / "part-refused.csv").write_bytes(header + rows[0] + rows[1] + b"n-3,refuse\n")
    async with httpx.AsyncClient() as client:
        importer = FolderImporter(
            tmp_path,
            Sender(client, Delays()),
            url=f"{receiver.base}/hooks/nightly",
            secret=SECRET,
            sleep=Delays(),
            rows_per_post=2,
        )
        await importer.run(until_idle=True)

    assert receiver.bodies == [
        header + rows[0] + rows[1],
        header + rows[2] + rows[3],
        header + rows[4],
        header + rows[0] + rows[1],  # the other file's first part, before its refused one
    ]
    assert files(tmp_path) == [
        "done/long.csv",
        "failed/part-refused.csv",
        "failed/part-refused.csv.reason",
    ]
    reason = (tmp_path / "failed" / "part-refused.csv.reason").read_text()
    assert reason.startswith("row 3 of 3 (the rows before it were taken): POST ")
