"""CSV files dropped in a folder (nightly exports), posted to a connector.

Each ``*.csv`` file in the folder is posted to ``/hooks/{connector}`` as
``text/csv``, signed as custom connectors are: ``X-Wallboard-Signature:
sha256=<hex HMAC-SHA256 of the body>`` with the connector's secret; a file of
more rows or bytes than a hook takes in one body goes in parts, each with the
header line (``csv_parts``). Then it moves:

- a 2xx: to ``done/``;
- a 4xx (the connector refused it: unknown, wrongly signed, too large): to
  ``failed/``, with ``<name>.reason`` beside it saying what the server answered;
- a 5xx, a 408, a 429 or no answer: it is posted again, after a growing delay
  (``Sender``), until the server takes it.

A file still being written is not taken: it must show the same size and
modification time at two scans in a row (``poll_seconds`` apart), and not be
empty. An exporter that writes elsewhere and renames into the folder is taken
one scan after the rename.

Should the importer stop between a 2xx and the move, the file is posted again
when it starts: the connector's rows carry ids, so the second post only brings
duplicates.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import os
from pathlib import Path

from .csv_parts import Part, parts
from .sender import Sender, Sleep

SIGNATURE_HEADER = "X-Wallboard-Signature"
#: what a hook takes in one body (``POST /hooks/{NAME}``: 1 MiB, 1,000 CSV rows)
MAX_BYTES = 1_000_000
ROWS_PER_POST = 1000
log = logging.getLogger("wallboard.connectors")


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def hook_url(connector: str, server: str | None) -> str:
    """``connector`` if it is an address, else ``/hooks/<connector>`` on ``server``."""
    if connector.startswith(("http://", "https://")):
        return connector
    if not server:
        raise ValueError(f"--connector {connector!r} is a name: give the server with --url")
    return f"{server.rstrip('/')}/hooks/{connector}"


class FolderImporter:
    """``step`` scans the folder once and posts each file that has settled; ``run``
    scans every ``poll_seconds``, or returns once nothing is waiting if ``until_idle``."""

    def __init__(
        self,
        folder: Path,
        sender: Sender,
        *,
        url: str,
        secret: str,
        sleep: Sleep = asyncio.sleep,
        poll_seconds: float = 5.0,
        rows_per_post: int = ROWS_PER_POST,
    ) -> None:
        self.folder = folder
        self.sender = sender
        self.url = url
        self.secret = secret
        self.sleep = sleep
        self.poll_seconds = poll_seconds
        self.rows_per_post = rows_per_post
        self.done = folder / "done"
        self.failed = folder / "failed"
        #: each file's (size, mtime) at the last scan
        self.seen: dict[Path, tuple[int, int]] = {}

    def candidates(self) -> list[Path]:
        return sorted(
            path
            for path in self.folder.glob("*.csv")
            if path.is_file() and not path.name.startswith(".")
        )

    async def step(self) -> bool:
        """One scan; True while any file is waiting (taken now or still settling)."""
        seen: dict[Path, tuple[int, int]] = {}
        for path in self.candidates():
            try:
                info = path.stat()
            except FileNotFoundError:
                continue
            shape = (info.st_size, info.st_mtime_ns)
            if info.st_size > 0 and self.seen.get(path) == shape:
                await self.take(path)
            else:
                seen[path] = shape
        self.seen = seen
        return bool(seen)

    async def run(self, *, until_idle: bool = False) -> None:
        while True:
            waiting = await self.step()
            if until_idle and not waiting:
                return
            await self.sleep(self.poll_seconds)

    async def take(self, path: Path) -> None:
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            return  # taken away since the scan
        pieces = parts(body, max_rows=self.rows_per_post, max_bytes=MAX_BYTES)
        for piece in pieces:
            headers = {
                # the bytes as the exporter wrote them (the csv connector reads UTF-8)
                "Content-Type": "text/csv",
                SIGNATURE_HEADER: signature(self.secret, piece.body),
            }
            answer = await self.sender.post(self.url, piece.body, headers)
            if not answer.ok:
                moved = _move(path, self.failed)
                which = _rows(piece, pieces)
                moved.with_name(moved.name + ".reason").write_text(
                    f"{which}: POST {self.url} answered HTTP {answer.status}:\n{answer.text()}\n"
                )
                log.warning(
                    "%s: %s refused (HTTP %d), moved to %s", path.name, which, answer.status, moved
                )
                return
        moved = _move(path, self.done)
        rows = pieces[-1].last_row if pieces else 0
        log.info("%s: %d rows posted in %d posts, moved to %s", path.name, rows, len(pieces), moved)


def _rows(piece: Part, pieces: list[Part]) -> str:
    """Which rows a part holds, and whether those before it were taken."""
    total = pieces[-1].last_row
    if piece.first_row == piece.last_row:
        rows, them = f"row {piece.first_row} of {total}", "it"
    else:
        rows, them = f"rows {piece.first_row} to {piece.last_row} of {total}", "them"
    return rows if piece is pieces[0] else f"{rows} (the rows before {them} were taken)"


def _move(path: Path, folder: Path) -> Path:
    """``path`` moved into ``folder`` under its own name, or with ``-2``, ``-3``...
    before its suffix if a file of that name is there already."""
    folder.mkdir(exist_ok=True)
    target = folder / path.name
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{path.stem}-{number}{path.suffix}"
    os.replace(path, target)
    return target
