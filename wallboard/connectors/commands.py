"""``wallboard queue-log`` and ``wallboard import-folder``: the file followers.

Both run until SIGTERM or SIGINT (or, with ``--once``, until nothing is left to
read), talk to the server over HTTP only, and keep nothing but their place.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..logs import configure
from ..settings import Settings

if TYPE_CHECKING:
    import httpx

Subparsers = Any  # argparse's _SubParsersAction, which is private
T = TypeVar("T")


def add_commands(commands: Subparsers) -> None:
    follow = commands.add_parser(
        "queue-log",
        help="follow Asterisk's queue_log and post each answered call as a contact",
    )
    follow.add_argument("file", type=Path, help="the queue_log, e.g. /var/log/asterisk/queue_log")
    _server_arguments(follow)
    follow.add_argument(
        "--state",
        type=Path,
        default=Path("queue-log-state.json"),
        help="where the follower keeps its place (default: ./queue-log-state.json)",
    )
    follow.add_argument(
        "--agents", type=Path, help="a CSV of 'member,agent' rows (default: the member's name)"
    )
    follow.add_argument(
        "--queues",
        action="append",
        default=[],
        help="only these queues, comma-separated (may be repeated; default: every queue)",
    )
    follow.add_argument(
        "--resolved", action="store_true", help="count completed calls as resolved at first contact"
    )
    follow.add_argument(
        "--quality",
        type=float,
        default=None,
        help="the quality (0-100) a call is given (default: none; calls then count in no "
        "quality average)",
    )
    follow.add_argument(
        "--from-end",
        action="store_true",
        help="without a saved place, start at the end of the file instead of its start",
    )
    follow.add_argument("--poll", type=float, default=1.0, help="seconds between reads (1)")

    folder = commands.add_parser(
        "import-folder", help="post each CSV file put in a folder to a connector"
    )
    folder.add_argument("folder", type=Path, help="the folder the exports are written to")
    folder.add_argument(
        "--connector",
        required=True,
        help="the connector's name (with --url) or its whole /hooks/NAME address",
    )
    folder.add_argument("--url", help="the server, e.g. https://wallboard.example.com")
    secret = folder.add_mutually_exclusive_group(required=True)
    secret.add_argument("--secret", help="the connector's secret")
    secret.add_argument("--secret-file", type=Path, help="a file holding the connector's secret")
    folder.add_argument("--poll", type=float, default=5.0, help="seconds between scans (5)")
    folder.add_argument(
        "--rows-per-post",
        type=int,
        default=1000,
        help="rows in one post at most; a longer file goes in parts (1000, what a hook takes)",
    )
    folder.add_argument("--once", action="store_true", help="exit once no file is waiting")


def _server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    token = parser.add_mutually_exclusive_group(required=True)
    token.add_argument("--token", help="an ingest token (wallboard token create --role ingest)")
    token.add_argument("--token-file", type=Path, help="a file holding the ingest token")
    parser.add_argument("--once", action="store_true", help="exit once everything is read")


def follow_queue_log(settings: Settings, args: argparse.Namespace) -> int:
    # Imported here: every other command would pay for httpx at its start.
    from .log_tail import LogTail, StateFile
    from .queue_log import AgentMap, ContactFields, QueueLogFollower
    from .sender import Sender

    if args.quality is not None and not 0 <= args.quality <= 100:
        raise ValueError(f"--quality: expected 0 to 100, got {args.quality}")
    agents = _readable(AgentMap.from_csv, args.agents) if args.agents else AgentMap()
    queues = {q.strip() for value in args.queues for q in value.split(",") if q.strip()}
    token = _read(args.token, args.token_file)
    state = StateFile(args.state)
    if not os.access(args.state.parent, os.W_OK):
        raise ValueError(f"--state {args.state}: its folder is not writable")
    start = _readable(lambda _: state.load(), args.state)

    async def follow(client: httpx.AsyncClient) -> None:
        tail = LogTail(args.file, start, clock=time.monotonic, from_end=args.from_end)
        follower = QueueLogFollower(
            tail,
            state,
            Sender(client),
            events_url=f"{args.url.rstrip('/')}/api/events",
            token=token,
            agents=agents,
            queues=queues,
            fields=ContactFields(resolved=args.resolved, quality=args.quality),
            poll_seconds=args.poll,
        )
        try:
            await follower.run(until_idle=args.once)
        finally:
            tail.close()

    return _run(settings, follow)


def import_folder(settings: Settings, args: argparse.Namespace) -> int:
    from .folder import FolderImporter, hook_url
    from .sender import Sender

    url = hook_url(args.connector, args.url)
    if not args.folder.is_dir():
        raise ValueError(f"{args.folder}: no such folder")
    secret = _read(args.secret, args.secret_file)
    if args.rows_per_post < 1:
        raise ValueError(f"--rows-per-post: expected 1 or more, got {args.rows_per_post}")

    async def watch(client: httpx.AsyncClient) -> None:
        importer = FolderImporter(
            args.folder,
            Sender(client),
            url=url,
            secret=secret,
            poll_seconds=args.poll,
            rows_per_post=args.rows_per_post,
        )
        await importer.run(until_idle=args.once)

    return _run(settings, watch)


def _read(value: str | None, file: Path | None) -> str:
    """A secret given on the command line, or else its file's text, trimmed."""
    if value is not None or file is None:
        return value or ""
    return _readable(lambda path: path.read_text().strip(), file)


def _readable(read: Callable[[Path], T], path: Path) -> T:
    """``read(path)``, with a failure to read it as a ValueError naming the file."""
    try:
        return read(path)
    except OSError as exc:
        raise ValueError(f"{path}: {exc.strerror or exc}") from None


def _run(settings: Settings, job: Callable[[httpx.AsyncClient], Awaitable[None]]) -> int:
    """``job`` until it ends or a SIGTERM or SIGINT stops it; 1 if it failed."""
    import httpx

    from .sender import FollowerError

    configure(settings.log_format)
    # httpx logs every request at INFO: a line a second from a follower at rest.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    async def main() -> None:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, task.cancel)
        async with httpx.AsyncClient(timeout=30) as client:
            await job(client)

    try:
        with contextlib.suppress(asyncio.CancelledError):
            asyncio.run(main())
    except FollowerError as exc:
        print(f"wallboard: {exc}", file=sys.stderr)
        return 1
    return 0
