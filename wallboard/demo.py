"""``wallboard demo``: a simulated contact centre on the board within seconds.

In order, so that nothing is deleted or printed for a demo that cannot run:

1. take the demo folder's lock (``wallboard-demo/demo.lock``): a second demo
   started in the same folder stops here and says where the first one serves;
2. bind the port: a busy one stops here, with one line saying so;
3. make a fresh store (``wallboard-demo/demo.db``, or an empty one named by
   ``WALLBOARD_STORE`` in the environment) and write the company's past weeks
   into it (``history.py``), then tokens and a console account;
4. write ``wallboard.env``, so that the ``wallboard`` commands run in this
   folder use the demo's store, and make the banner;
5. (the caller) serve on the bound socket while the player plays:
   ``player.LivePlayer`` on the real clock, or with ``--speed``
   ``player.simulate`` fast-forwarding on a simulated clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import fcntl
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import orjson

from leagues.season import LIVE
from scoring.scorer import Scorer

from .demo_contests import store as store_items
from .demo_contests import with_coins
from .history import MANAGER, HistoryWriter
from .player import LivePlayer, Poster, simulate
from .session import add_manager
from .settings import ENV_FILE, Settings
from .simulator import (
    REAL_TIME_PRIZES,
    SALE_SHARE,
    Company,
    Plan,
    Simulator,
    company,
    personal_goals,
)
from .store import EventLog, open_store
from .timetable import SEASON_PLAYED, ZONE, Timetable
from .tokens import add_audited, new_token

#: the demo company's name on its boards, unless WALLBOARD_COMPANY names another
COMPANY = "Nordlicht Telecom"
#: the folder ``wallboard demo`` keeps its store and lock in, under the working directory
FOLDER = "wallboard-demo"
STORE_FILE = "demo.db"
LOCK_FILE = "demo.lock"
#: on the real clock: the history holds the season under way, and a day before it
MIN_HISTORY_DAYS = SEASON_PLAYED + 1
#: the first line of a ``wallboard.env`` the demo wrote (it replaces only its own)
ENV_HEADER = "# Written by `wallboard demo`: wallboard commands run here use the demo's store."


class DemoError(Exception):
    """The demo cannot start; the message says why, in one line."""


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    #: None: the real clock; a number: fast-forward that many times (``player.simulate``)
    speed: float | None = None
    #: events a second (on the real clock: in the busiest hours)
    rate: float = 0.5
    #: on the real clock: days of history; fast-forward: matchdays played at once
    history: float = 21.0
    #: fast-forward: real seconds per matchday
    window: float = 120.0
    seed: int = 7


@dataclass
class Demo:
    """A demo ready to serve: the bound socket, the settings (and for ``memory://``
    the store itself, which the server must share), the banner, and the player to
    run in a thread once the server is up (``stop`` ends it)."""

    settings: Settings
    sock: socket.socket
    banner: str
    play: Callable[[], None]
    stop: threading.Event
    store: EventLog | None
    #: holds the folder's lock for as long as it lives
    folder: Folder | None
    tokens: dict[str, str]
    #: the player on the real clock (None when fast-forwarding), for tests to step
    live: LivePlayer | None


def start(
    settings: Settings,
    options: Options,
    *,
    root: Path,
    environ: Mapping[str, str],
    clock: Callable[[], float] = time.time,
) -> Demo:
    """Lock, bind, fill the store and make the banner; raises DemoError, having
    deleted nothing, when another demo holds the folder or the port is taken."""
    if options.speed is None and options.history < MIN_HISTORY_DAYS:
        raise DemoError(
            f"expected --history of at least {MIN_HISTORY_DAYS} days on the real clock (the "
            f"season under way began {SEASON_PLAYED} days ago), got {options.history:g}"
        )
    explicit = environ.get("WALLBOARD_STORE")
    folder = None if explicit else Folder(root)
    if folder is not None:
        folder.lock()
    try:
        sock = bind(options.host, options.port)
    except DemoError:
        if folder is not None:
            folder.release()
        raise
    try:
        if folder is not None:
            folder.wipe()
        url = folder.store_url if folder is not None else str(explicit)
        settings = dataclasses.replace(settings, store=url, company=settings.company or COMPANY)
        store = open_store(url)
        host = f"[{options.host}]" if ":" in options.host else options.host
        base = f"http://{host}:{sock.getsockname()[1]}"  # the port bound, were it 0
        stop = threading.Event()
        live = None
        play: Callable[[], None]
        if options.speed is None:
            prepared, live = _real_time(store, options, base, stop, clock)
            play = live.run
        else:
            settings = dataclasses.replace(settings, simulated_clock=True)
            prepared, play = _fast_forward(store, options, base, stop)
    except BaseException:
        sock.close()
        raise
    env_written = folder.write_env() if folder is not None else False
    if folder is not None:
        folder.claim(base)
    text = banner(base, prepared, store_lines(folder, url, env_written, prepared.drawn))
    shared = store if url.startswith("memory://") else None
    return Demo(settings, sock, text, play, stop, shared, folder, prepared.tokens, live)


# The folder, its lock and the port ---------------------------------------------
class Folder:
    """``wallboard-demo/`` under ``root``: the store, and a lock held while a demo runs."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / FOLDER
        self._lock: IO[str] | None = None
        self._made = False

    @property
    def store_url(self) -> str:
        """Relative, as ``wallboard.env`` gives it: the commands run in ``root``."""
        return f"sqlite:///{FOLDER}/{STORE_FILE}"

    @property
    def absolute_store_url(self) -> str:
        return f"sqlite:///{(self.path / STORE_FILE).resolve()}"

    def lock(self) -> None:
        """Hold the folder's lock until the process ends (the system frees it even
        after a kill), or say which demo holds it."""
        self._made = not self.path.exists()
        self.path.mkdir(exist_ok=True)
        handle = (self.path / LOCK_FILE).open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise DemoError(
                f"a demo is already running from {self.path} ({holder}); stop it first, "
                "or start this one in another folder"
            ) from None
        self._lock = handle

    def release(self) -> None:
        """Let go of the lock of a demo that did not start, and of the folder if it
        was made for it."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None
            if self._made:
                (self.path / LOCK_FILE).unlink(missing_ok=True)
                with contextlib.suppress(OSError):
                    self.path.rmdir()

    def claim(self, base: str) -> None:
        """Say in the lock file who holds it, for a second demo's message."""
        if self._lock is not None:
            self._lock.seek(0)
            self._lock.truncate()
            self._lock.write(f"pid {os.getpid()}, serving {base}")
            self._lock.flush()

    def wipe(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (self.path / f"{STORE_FILE}{suffix}").unlink()

    def write_env(self) -> bool:
        """Point ``wallboard.env`` at the demo's store; False (and nothing written)
        when a ``wallboard.env`` the demo did not write is there."""
        env = self.root / ENV_FILE
        if env.exists() and not env.read_text().startswith(ENV_HEADER):
            return False
        env.write_text(
            f"{ENV_HEADER}\n# Delete this file to use wallboard.db again.\n"
            f"WALLBOARD_STORE={self.store_url}\n"
        )
        return True


def bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` for the server to listen on, or one line
    saying why not (the port in use, an unknown host)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise DemoError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise DemoError(
                f"port {port} on {host} is in use (another demo or server?); "
                "choose another with --port"
            ) from None
        raise DemoError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock


# What the store holds ------------------------------------------------------------
@dataclass
class Prepared:
    """What was written: the tokens, the console's password, the agent whose widget
    the banner links, and what the banner says about the clock and the history."""

    tokens: dict[str, str]
    password: str
    agent: str
    agent_name: str
    intro: list[str]
    #: a drawn tombola, for the banner's `wallboard tombola verify`
    drawn: str | None = None
    #: the curl example shows on the board at once (not so on a clock running ahead)
    shows_at_once: bool = True


def _real_time(
    store: EventLog,
    options: Options,
    base: str,
    stop: threading.Event,
    clock: Callable[[], float],
) -> tuple[Prepared, LivePlayer]:
    firm, setup = company(options.seed, REAL_TIME_PRIZES)
    setup = with_coins(setup) + store_items(firm) + personal_goals(firm)
    timetable = Timetable(
        firm,
        datetime.fromtimestamp(int(clock()), UTC),
        peak=options.rate,
        history=timedelta(days=options.history),
    )
    simulator = Simulator(firm, seed=options.seed + 1, prefix="sim")

    async def fill() -> Prepared:
        async with store:
            await ensure_empty(store)
            return await prepare(store, timetable, simulator, setup)

    prepared = asyncio.run(fill())
    player = LivePlayer(
        Poster(base, prepared.tokens["crm"], stop),
        Poster(base, prepared.tokens["schedule"], stop),
        timetable,
        simulator,
        clock=clock,
    )
    return prepared, player


async def ensure_empty(store: EventLog) -> None:
    if await store.last_offset():
        raise DemoError(
            f"the store {store.url} is not empty; the demo writes its company into an "
            "empty store (or, with WALLBOARD_STORE unset, into its own folder)"
        )


async def prepare(
    store: EventLog,
    timetable: Timetable,
    simulator: Simulator,
    setup: list[dict[str, Any]],
) -> Prepared:
    """The history up to ``timetable.start``, then the tokens and a console account."""
    started = time.perf_counter()
    writer = HistoryWriter(store, timetable, simulator)
    scorer = await writer.write(setup)
    seconds = time.perf_counter() - started
    agent = widget_agent(scorer, timetable.firm)
    tokens = await make_tokens(store, agent, timetable.start)
    tombolas = scorer.tombolas.book.tombolas.values()
    drawn = [t.id for t in tombolas if t.state == "drawn"]
    closing = sorted((t.closes, t.id) for t in tombolas if t.state == "open")
    intro = [
        f"Wallboard demo: a simulated contact centre with six sites, {timetable.history.days} "
        f"days of history ({writer.written:,} events, written in {seconds:.1f} s),",
        "now playing on the real clock: a sale about every "
        f"{1 / (timetable.peak * SALE_SHARE):.0f} seconds in the busiest hours, fewer at night.",
        "A matchday a day: today's matches last the whole day, so at "
        f"{timetable.start.astimezone(ZONE):%H:%M} Berlin time they are in minute "
        f"{live_minute(scorer)}.",
    ]
    if closing:
        closes, tombola = closing[0]
        intro.append(f"The next tombola draw: {tombola} at {local_time(closes)} Berlin time.")
    return Prepared(
        tokens=tokens,
        password=await console_account(store),
        agent=agent,
        agent_name=scorer.state.agents[agent].name,
        intro=intro,
        drawn=drawn[-1] if drawn else None,
    )


def _fast_forward(
    store: EventLog, options: Options, base: str, stop: threading.Event
) -> tuple[Prepared, Callable[[], None]]:
    assert options.speed is not None
    _, setup = company(options.seed)
    roster = {e["agent"]: e for e in setup if e["type"] == "agent" and not e.get("opt_out")}
    agent = next(iter(roster))

    async def fill() -> tuple[dict[str, str], str]:
        async with store:
            await ensure_empty(store)
            return await make_tokens(store, agent), await console_account(store)

    tokens, password = asyncio.run(fill())
    plan = Plan(rate=options.rate, window=options.window, speed=options.speed)
    prepared = Prepared(
        tokens=tokens,
        password=password,
        agent=agent,
        agent_name=roster[agent]["name"],
        intro=[
            f"Wallboard demo, fast-forward: the simulated company plays {plan.speed:g} times "
            f"faster than the real clock, {plan.rate:g} events a second,",
            f"a matchday every {plan.window:g} seconds. The log's clock runs ahead of the "
            "machine's: the board shows simulated time,",
            "and an event dated now lands in the log's past.",
        ],
        shows_at_once=False,
    )
    poster = Poster(base, tokens["schedule"], stop)

    def play() -> None:
        simulate(poster, plan, history_windows=options.history, seed=options.seed)

    return prepared, play


async def make_tokens(store: EventLog, agent: str, now: datetime | None = None) -> dict[str, str]:
    """A display, an ingest (for the user's own events, source ``demo``), a manager
    and an agent token, the simulated CRM's ingest token (source ``crm``), and the
    manager token the demo's own schedule posts with (its restocks and tombolas),
    made at ``now`` (the demo's start, on its clock) or the real time."""
    tokens = {}
    for name, role, label, source in (
        ("display", "display", "demo", None),
        ("ingest", "ingest", "demo", "demo"),
        ("manager", "manager", "demo", None),
        ("crm", "ingest", "demo simulator", "crm"),
        ("schedule", "manager", MANAGER, None),
    ):
        token, record = new_token(role, label=label, source=source, now=now)
        await add_audited(store, record, "demo")
        tokens[name] = token
    tokens["agent"], record = new_token("agent", label="demo", agent=agent, now=now)
    await add_audited(store, record, "demo")
    return tokens


async def console_account(store: EventLog) -> str:
    password = secrets.token_urlsafe(12)
    await add_manager(store, "demo", password)
    return password


def widget_agent(scorer: Scorer, firm: Company) -> str:
    """An agent whose widget the banner links: on public boards (not opted out), with
    confirmed commission towards their goal, and of middling skill among those, so
    that the widget shows an ordinary agent's progress."""
    goals = scorer.goals.book.goals
    public = [a for a in firm.agents if not scorer.state.agents[a.id].opt_out]
    saving = [a for a in public if a.id in goals and goals[a.id].confirmed] or public
    ranked = sorted(saving, key=lambda agent: (agent.skill, agent.id))
    return ranked[len(ranked) // 2].id


def live_minute(scorer: Scorer) -> int:
    """The minute of today's matches, as the board shows it (in the half hour of
    grace after midnight, yesterday's are live too, at their final whistle)."""
    league = scorer.league.league
    live = [m for s in league.seasons.values() for m in s.matches if m.state == LIVE]
    if not live:
        return 0
    return league.minute(max(live, key=lambda match: match.starts), scorer.clock)


def local_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, ZONE).strftime("%H:%M")


# The banner ------------------------------------------------------------------------
def banner(base: str, prepared: Prepared, store: list[str]) -> str:
    tokens = prepared.tokens
    lines = [
        "",
        *prepared.intro,
        "Nothing is opened for you:",
        f"  board:         {base}/board?token={tokens['display']}",
        f"  agent widget:  {base}/me?token={tokens['agent']}  ({prepared.agent_name})",
        f"  console:       {base}/manage  (sign in as demo / {prepared.password})",
        f"  API schema:    {base}/openapi.json",
        f"  ingest token:  {tokens['ingest']}",
        f"  manager token: {tokens['manager']}",
        "",
        *store,
        "",
        f"Post a sale for {prepared.agent_name}, dated and named by the shell as you paste it, "
        + (
            "and watch it arrive on the board:"
            if prepared.shows_at_once
            else "which lands in the simulated clock's past:"
        ),
        *curl_example(base, tokens["ingest"], prepared.agent),
        "",
    ]
    return "\n".join(lines)


def curl_example(base: str, token: str, agent: str) -> list[str]:
    """A sale for ``agent``, dated and named when it is pasted: the shell fills in
    the time and an id of its own each second (a sale stamped when the banner was
    printed would, a minute later, land behind the newest in the board's ticker)."""
    body = orjson.dumps(
        {
            "id": "my-sale-@ID@",
            "type": "sale",
            "ts": "@TS@",
            "agent": agent,
            "product": "insurance",
            "revenue": "390.00",
            "channel": "phone",
        }
    ).decode()
    body = body.replace("@ID@", "'$(date +%s)'")
    body = body.replace("@TS@", "'$(date -u +%Y-%m-%dT%H:%M:%SZ)'")
    return [
        f"  curl -X POST {base}/api/events -H 'Authorization: Bearer {token}' \\",
        f"       -H 'Content-Type: application/json' -d '{body}'",
    ]


def store_lines(folder: Folder | None, url: str, env_written: bool, drawn: str | None) -> list[str]:
    """How the ``wallboard`` commands reach the demo's store."""
    if url.startswith("memory://"):
        return ["The store is in this process's memory: other wallboard commands cannot reach it."]
    example = [f"  wallboard tombola verify {drawn}"] if drawn else ["  wallboard log stats"]
    if folder is None:
        return [f"wallboard commands given WALLBOARD_STORE={url} reach the demo, e.g.:", *example]
    export = f"export WALLBOARD_STORE={folder.absolute_store_url}"
    if env_written:
        return [
            f"wallboard commands run in this folder use the demo's store ({ENV_FILE}), e.g.:",
            *example,
            f"From another folder, first: {export}",
        ]
    return [
        f"{ENV_FILE} here is not the demo's and names another store; to reach the demo:",
        f"  {export}",
        *example,
    ]
