"""The ``wallboard`` command line.

    wallboard serve [--host H] [--port P]
    wallboard demo [--host H] [--port P] [--speed N]
    wallboard --version
    wallboard token create --role ingest|display|agent|manager [--agent ID] [--label TEXT]
    wallboard token list | wallboard token revoke ID
    wallboard log stats | wallboard log export [-o FILE] | wallboard log import [FILE]
    wallboard backup export [-o FILE] | wallboard backup import [FILE]
    wallboard tombola verify [ID]
    wallboard manager add NAME [--password-stdin]
    wallboard queue-log FILE --url URL --token TOKEN [--state PATH] [--agents CSV] [--once]
    wallboard import-folder DIR --connector NAME-OR-URL [--url URL] --secret SECRET [--once]

The store comes from ``WALLBOARD_STORE``, or else from ``wallboard.env`` in the
working directory (see the README for every setting).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any, TextIO

import orjson

from scoring.model import Tombola

from . import demo
from .backup import LogImportError, export_backup, export_lines, import_backup, import_lines
from .connectors import commands as connector_commands
from .demo import DemoError
from .engine import fold
from .player import Poster, simulate
from .session import add_manager
from .settings import ENV_FILE, Settings
from .simulator import Plan
from .store import EventLog, StoreError, open_store
from .tokens import ROLES, TokenError, add_audited, new_token, revoke_audited


class CommandError(Exception):
    pass


def _print_json(value: Any, out: TextIO) -> None:
    out.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")


async def _with_store(settings: Settings, action: Callable[[EventLog], Awaitable[int]]) -> int:
    async with open_store(settings.store) as store:
        return await action(store)


def serve(
    settings: Settings,
    host: str,
    port: int,
    banner: str = "",
    *,
    sock: socket.socket | None = None,
    store: EventLog | None = None,
) -> int:
    """Serve until SIGINT or SIGTERM, on ``sock`` if one is bound already (the demo
    binds before it writes anything), over ``store`` if one is given (``memory://``)."""
    import uvicorn

    from .app import create_app
    from .logs import configure
    from .protocol import MAX_MESSAGE
    from .websocket_server import ServerProtocol

    configure(settings.log_format)
    if banner:
        print(banner, flush=True)
    logging.getLogger(__name__).info(
        "wallboard %s on uvicorn %s: frames are written straight to each screen's connection",
        version("wallboard"),
        version("uvicorn"),
    )
    config = uvicorn.Config(
        create_app(settings, store=store),
        host=host,
        port=port,
        log_config=None,
        # Compression halves the frames a core can send and triples the memory
        # per connection; wallboard frames are small.
        ws_per_message_deflate=False,
        ws=ServerProtocol,
        # A client's messages are small; uvicorn would take 16 MiB each.
        ws_max_size=MAX_MESSAGE,
        # Thousands of screens reconnect at once after a restart.
        backlog=4096,
        lifespan="on",
    )
    uvicorn.Server(config).run(sockets=[sock] if sock is not None else None)
    return 0


async def run_scorer(settings: Settings) -> None:
    """Fold the log as the single writer until SIGTERM or SIGINT."""
    import signal

    from .engine import Engine
    from .notify.service import Notifications

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with open_store(settings.store) as store:
        engine = Engine(store, writer=True, tick_seconds=settings.tick_seconds)
        # The scorer writes the snapshots web processes start from: what it folds is
        # derived into the notifications' outbox before a snapshot says it was folded.
        async with Notifications(store, engine, settings), engine:
            await stop.wait()


def run_demo(settings: Settings, args: argparse.Namespace) -> int:
    """The demo: a fresh store with weeks of history, the server, and the player."""
    import threading

    real_time = args.speed is None
    options = demo.Options(
        host=args.host,
        port=args.port,
        speed=args.speed,
        rate=args.rate if args.rate is not None else 0.5 if real_time else 20.0,
        history=args.history if args.history is not None else 21.0 if real_time else 2.5,
        window=args.window,
        seed=args.seed,
    )
    started = demo.start(settings, options, root=Path.cwd(), environ=os.environ)
    player = threading.Thread(target=started.play, daemon=True, name="demo player")
    player.start()
    try:
        return serve(
            started.settings,
            args.host,
            args.port,
            started.banner,
            sock=started.sock,
            store=started.store,
        )
    finally:
        started.stop.set()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="wallboard",
        description="Real-time gamification wallboard for contact centers.",
        epilog="Settings: "
        + "; ".join(f"{env} (default {default})" for env, default, _ in Settings.documentation()),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('wallboard')}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("serve", "run the service"),
        (
            "demo",
            "run the service with a simulated company: weeks of history, then live on the "
            "real clock (its store in ./wallboard-demo, named in ./wallboard.env)",
        ),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=int, default=8000)
    demo_command = commands.choices["demo"]
    demo_command.add_argument(
        "--speed",
        type=float,
        help="fast-forward: simulated seconds per real second, on a simulated clock "
        "(default: the real clock)",
    )
    demo_command.add_argument(
        "--rate",
        type=float,
        help="events per second (real clock: in the busiest hours, default 0.5; "
        "fast-forward: default 20)",
    )
    demo_command.add_argument(
        "--history",
        type=float,
        help="real clock: days of history (default 21); fast-forward: matchdays played "
        "at once (default 2.5)",
    )
    demo_command.add_argument(
        "--window", type=float, default=120.0, help="fast-forward: real seconds per matchday"
    )
    demo_command.add_argument("--seed", type=int, default=7)

    commands.add_parser(
        "scorer",
        help="fold the log and write ticks, draws and snapshots (the Procfile's single writer)",
    )
    sim = commands.add_parser(
        "simulate",
        help="play a simulated company into a server (started with WALLBOARD_SIMULATED_CLOCK=1)",
    )
    sim.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    sim.add_argument("--token", required=True, help="a manager token")
    sim.add_argument("--rate", type=float, default=20.0, help="events per second")
    sim.add_argument("--window", type=float, default=120.0, help="real seconds per matchday")
    sim.add_argument("--speed", type=float, default=240.0, help="simulated seconds per real second")
    sim.add_argument(
        "--history", type=float, default=2.5, help="matchdays played at once before playing live"
    )
    sim.add_argument("--seed", type=int, default=7)

    token = commands.add_parser("token", help="create, list and revoke access tokens")
    token_commands = token.add_subparsers(dest="action", required=True)
    create = token_commands.add_parser("create", help="print a new token (shown only once)")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--agent", help="the agent an agent token belongs to")
    create.add_argument("--label", default="", help="a note to recognise the token by")
    create.add_argument("--source", help="ingest tokens: the source its event ids belong to")
    token_commands.add_parser("list", help="list tokens (ids and roles, never the tokens)")
    revoke = token_commands.add_parser("revoke", help="revoke a token by its id")
    revoke.add_argument("id")

    log_command = commands.add_parser("log", help="inspect, export and import the event log")
    log_commands = log_command.add_subparsers(dest="action", required=True)
    log_commands.add_parser("stats", help="print counts as JSON")
    export = log_commands.add_parser("export", help="write the log as JSON Lines")
    export.add_argument("-o", "--output", help="file to write (default: standard output)")
    import_ = log_commands.add_parser("import", help="append JSON Lines from an export")
    import_.add_argument("file", nargs="?", help="file to read (default: standard input)")

    backup = commands.add_parser(
        "backup", help="a full backup: the log, tokens (hashed), manager accounts, secrets"
    )
    backup_commands = backup.add_subparsers(dest="action", required=True)
    backup_export = backup_commands.add_parser(
        "export", help="write a full backup as JSON Lines (keep it as secret as the store)"
    )
    backup_export.add_argument("-o", "--output", help="file to write (default: standard output)")
    backup_import = backup_commands.add_parser("import", help="restore a full backup")
    backup_import.add_argument("file", nargs="?", help="file to read (default: standard input)")

    manager = commands.add_parser("manager", help="manager accounts for the console")
    manager_commands = manager.add_subparsers(dest="action", required=True)
    add = manager_commands.add_parser("add", help="add a manager or change their password")
    add.add_argument("name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of asking",
    )

    tombola = commands.add_parser("tombola", help="check tombola draws")
    tombola_commands = tombola.add_subparsers(dest="action", required=True)
    verify = tombola_commands.add_parser(
        "verify", help="recompute a draw from the log; exit 1 if it does not match"
    )
    verify.add_argument("id", nargs="?", help="one tombola (default: every drawn one, a line each)")

    connector_commands.add_commands(commands)

    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(file=Path(ENV_FILE))
        return _dispatch(args, settings)
    except (CommandError, DemoError, TokenError, StoreError, LogImportError, ValueError) as exc:
        print(f"wallboard: {exc}", file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    command = COMMANDS.get(args.command)
    if command is not None:
        return command(settings, args)
    action = STORE_ACTIONS[(args.command, args.action)]
    return asyncio.run(_with_store(settings, lambda store: action(store, args)))


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    return serve(settings, args.host, args.port)


def _scorer(settings: Settings, args: argparse.Namespace) -> int:
    from .logs import configure

    configure(settings.log_format)
    asyncio.run(run_scorer(settings))
    return 0


def _simulate(settings: Settings, args: argparse.Namespace) -> int:
    plan = Plan(rate=args.rate, window=args.window, speed=args.speed)
    simulate(Poster(args.url, args.token), plan, history_windows=args.history, seed=args.seed)
    return 0


def _operator() -> str:
    """Who runs the command, for the audit log: the shell's user."""
    import getpass

    try:
        return f"{getpass.getuser()} (cli)"
    except (OSError, KeyError):  # no user name in the environment nor the passwd file
        return "cli"


async def _create_token(store: EventLog, args: argparse.Namespace) -> int:
    token, record = new_token(args.role, label=args.label, agent=args.agent, source=args.source)
    await add_audited(store, record, _operator())
    sys.stdout.write(f"{token}\n")
    print(
        f"token {record.id} ({record.role}) created; it is shown only this once",
        file=sys.stderr,
    )
    return 0


async def _list_tokens(store: EventLog, args: argparse.Namespace) -> int:
    for record in await store.list_tokens():
        state = "revoked" if record.revoked else "active"
        who = f" agent={record.agent}" if record.agent else ""
        src = f" source={record.source}" if record.source else ""
        sys.stdout.write(
            f"{record.id}  {record.role:<8} {state:<8} {record.created}{who}{src}  {record.label}\n"
        )
    return 0


async def _revoke_token(store: EventLog, args: argparse.Namespace) -> int:
    if not await revoke_audited(store, args.id, _operator()):
        raise CommandError(f"no token with id {args.id!r} (see `wallboard token list`)")
    print(f"token {args.id} revoked", file=sys.stderr)
    return 0


async def _stats(store: EventLog, args: argparse.Namespace) -> int:
    _print_json(await store.stats(), sys.stdout)
    return 0


async def _export(store: EventLog, args: argparse.Namespace) -> int:
    return await _write_lines(export_lines(store), args.output)


async def _export_backup(store: EventLog, args: argparse.Namespace) -> int:
    return await _write_lines(export_backup(store), args.output)


async def _write_lines(lines: AsyncIterator[bytes], output: str | None) -> int:
    # Readable by its owner only: a backup holds the session secret and password hashes.
    target = (
        os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        if output
        else sys.stdout.buffer
    )
    try:
        async for line in lines:
            target.write(line)
    finally:
        if output:
            target.close()
        else:
            target.flush()
    return 0


async def _import(store: EventLog, args: argparse.Namespace) -> int:
    source = open(args.file, "rb") if args.file else sys.stdin.buffer  # noqa: SIM115
    with source:
        stored, duplicates = await import_lines(store, source)
    _print_json({"stored": stored, "duplicates": duplicates}, sys.stdout)
    return 0


async def _import_backup(store: EventLog, args: argparse.Namespace) -> int:
    source = open(args.file, "rb") if args.file else sys.stdin.buffer  # noqa: SIM115
    with source:
        counts = await import_backup(store, source)
    _print_json(counts, sys.stdout)
    return 0


async def _verify_tombola(store: EventLog, args: argparse.Namespace) -> int:
    scorer = await fold(store)
    if args.id is None:
        return _verify_every_draw(scorer.tombolas.book.tombolas.values())
    if args.id not in scorer.tombolas.book.tombolas:
        raise CommandError(f"no tombola {args.id!r} in the log")
    tombola = scorer.tombolas.book.tombolas[args.id]
    if tombola.state != "drawn":
        raise CommandError(f"tombola {args.id!r} is {tombola.state}, not drawn yet")
    _print_json(
        {
            "tombola": tombola.id,
            "seed_hash": tombola.seed_hash,
            "seed": tombola.seed,
            "tickets": tombola.ledger,
            "excluded": tombola.excluded,
            "winners": tombola.winners,
            "recomputed_winners": tombola.computed_winners,
            "verified": not tombola.problems,
            "problems": tombola.problems,
        },
        sys.stdout,
    )
    if tombola.problems:
        print(f"tombola {args.id}: NOT verified: " + "; ".join(tombola.problems), file=sys.stderr)
        return 1
    print(f"tombola {args.id}: verified", file=sys.stderr)
    return 0


def _verify_every_draw(tombolas: Iterable[Tombola]) -> int:
    """A line for each drawn tombola, oldest draw first; exit 1 if any does not match."""
    drawn = sorted((t for t in tombolas if t.state == "drawn"), key=lambda t: (t.closes, t.id))
    if not drawn:
        raise CommandError("no tombola in the log has been drawn yet")
    for tombola in drawn:
        outcome = "NOT verified: " + "; ".join(tombola.problems) if tombola.problems else "verified"
        print(f"tombola {tombola.id}: {outcome}")
    return 1 if any(t.problems for t in drawn) else 0


async def _add_manager_account(store: EventLog, args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        import getpass

        password = getpass.getpass(f"password for {args.name}: ")
    await add_manager(store, args.name, password)
    print(f"manager {args.name} can sign in at /manage", file=sys.stderr)
    return 0


#: commands that run a process (the server, the scorer, the simulator)
COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], int]] = {
    "serve": _serve,
    "demo": run_demo,
    "scorer": _scorer,
    "simulate": _simulate,
    "queue-log": connector_commands.follow_queue_log,
    "import-folder": connector_commands.import_folder,
}
#: commands that act on the store once and exit, by command and action
STORE_ACTIONS: dict[tuple[str, str], Callable[[EventLog, argparse.Namespace], Awaitable[int]]] = {
    ("token", "create"): _create_token,
    ("token", "list"): _list_tokens,
    ("token", "revoke"): _revoke_token,
    ("log", "stats"): _stats,
    ("log", "export"): _export,
    ("log", "import"): _import,
    ("backup", "export"): _export_backup,
    ("backup", "import"): _import_backup,
    ("tombola", "verify"): _verify_tombola,
    ("manager", "add"): _add_manager_account,
}


if __name__ == "__main__":
    raise SystemExit(main())
