"""Several web processes on one Redis log, as the Procfile runs them: what each
process spends (CPU, memory), and on what: the fold every process repeats, or
the frames it renders and sends to its own screens.

Each run starts its own ``redis-server`` on a free port, ``--web`` web processes
(engine ``reader``) and the ``scorer`` (engine ``writer``), free to use both
cores, and one load process pinned to the load core: ``--screens`` websocket
screens on the board, spread over the web processes, and ``--rate`` events a
second of the demo company's simulated day (sales, cancellations, contacts) POSTed one by one,
round robin over the web processes (or the first ``--ingest-to`` of them). After
``WARMUP`` seconds the window opens: each process's user+system CPU time
(/proc/<pid>/stat) over ``--seconds`` as a share of one core, its resident
memory (/proc/<pid>/status, the window's peak and its end), and the Redis
server's CPU.

The table shows each run (``--runs``) and the medians over them.

Inside every web process the main thread's CPU time is also counted (with
``time.thread_time``) in the fold (``fold_entries``: parse and apply), in
rendering a topic (``screens.render`` and ``screens.present``), in serialising
its frame (``Frame.of``) and in the rest of ``Publisher.publish`` (writing the
frame to every screen's socket), and the rest of the thread (HTTP ingest,
reading the log from Redis, the event loop): the split between what every
process repeats (the fold) and what it does for its own screens.

Usage: ``python -m bench.processes [--runs 2] [--web 3] [--screens 300]
[--rate 200] [--seconds 60]``. Writes ``bench/results/processes.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse

from bench.clients import cpu_seconds, open_screen
from bench.common import (
    LOAD_CORE,
    ROOT,
    free_port,
    pinned,
    redis_server,
    rss_kib,
    run_loop,
    start_server,
    stop_server,
)
from bench.load import Connection
from bench.push import cpu_seconds as cpu_seconds_of
from bench.soak import COMPANY_SEED, LOAD_SEED, company_events
from wallboard.simulator import Simulator, company
from wallboard.store import open_store
from wallboard.tokens import new_token

RESULTS = ROOT / "bench" / "results"
#: seconds of load before the window opens (connections made, the fold caught up)
WARMUP = 5.0
#: how often each process's memory is read in the window
SAMPLE_SECONDS = 1.0
#: keep-alive connections posting to each web process that takes events: every
#: event is acknowledged once Redis has it on disk, so each waits for an fsync
POSTERS = 16
#: the servers (web processes, scorer, Redis) may use every core: pinned to one,
#: three web processes and the scorer would fill it and hide any difference
SERVER_CORES = "0,1"
#: where in each web process the main thread's CPU time is counted
PARTS = ("fold", "render", "frame", "publish", "notify")
PARTS_SHOWN = ("fold", "render", "frame", "send", "rest")
FAILURE_LINE = re.compile(r"\bERROR\b|\bCRITICAL\b|Traceback")

P = ParamSpec("P")
R = TypeVar("R")

# In the web processes -----------------------------------------------------------
#: main-thread CPU seconds and calls, by part (see PARTS)
SPENT: defaultdict[str, float] = defaultdict(float)
CALLS: Counter[str] = Counter()


def timed(part: str, function: Callable[P, R]) -> Callable[P, R]:
    """``function``, its main-thread CPU time counted under ``part``."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        start = time.thread_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[part] += time.thread_time() - start
            CALLS[part] += 1

    return wrapper


def count_parts() -> None:
    from wallboard import engine, publisher, topics, wire

    setattr(engine, "fold_entries", timed("fold", engine.fold_entries))  # noqa: B010
    setattr(topics, "render", timed("render", topics.render))  # noqa: B010
    setattr(topics, "present", timed("render", topics.present))  # noqa: B010
    setattr(wire.Frame, "of", staticmethod(timed("frame", wire.Frame.of)))  # noqa: B010
    setattr(publisher.Publisher, "publish", timed("publish", publisher.Publisher.publish))  # noqa: B010
    setattr(publisher.Publisher, "notify", timed("notify", publisher.Publisher.notify))  # noqa: B010


async def parts(request: Request) -> JSONResponse:
    return JSONResponse({"spent": SPENT, "calls": CALLS, "thread_cpu": time.thread_time()})


def app() -> Starlette:
    """A web process as the Procfile runs it (for uvicorn's ``--factory``), its parts
    counted and reported at ``/bench/parts``."""
    from wallboard.app import create_app
    from wallboard.logs import configure
    from wallboard.settings import Settings

    settings = Settings.from_env()
    configure(settings.log_format)
    count_parts()
    application = create_app(settings)
    application.add_route("/bench/parts", parts)
    return application


async def scorer() -> None:
    """The Procfile's ``scorer`` (``wallboard.cli.run_scorer``); stops when stdin
    closes."""
    from wallboard.engine import Engine
    from wallboard.settings import Settings

    settings = Settings.from_env()
    loop = asyncio.get_running_loop()
    async with (
        open_store(settings.store) as store,
        Engine(store, writer=True, tick_seconds=settings.tick_seconds),
    ):
        await loop.run_in_executor(None, sys.stdin.read)


# The load process ------------------------------------------------------------
class Load:
    """Screens connected first, then events POSTed on schedule until ``stop``; a
    ``mark`` line on stdin opens the window the screens' frames are counted in."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.frames = 0
        self.counts: Counter[str] = Counter()
        self.stopping = False

    def frame(self, payload: bytes | None) -> None:
        self.frames += 1

    async def connect(self) -> list[Any]:
        urls, token = self.config["ws"], self.config["tokens"]["display"]
        semaphore = asyncio.Semaphore(100)

        async def one(n: int) -> Any:
            async with semaphore:
                return await open_screen(
                    f"{urls[n % len(urls)]}/ws?token={token}", self.frame, payloads=False
                )

        return list(await asyncio.gather(*(one(n) for n in range(self.config["screens"]))))

    async def post(self) -> None:
        config, loop = self.config, asyncio.get_running_loop()
        simulator = Simulator(company(COMPANY_SEED)[0], seed=LOAD_SEED, prefix="load")
        urls = config["urls"][: config["ingest_to"]]
        queues: list[asyncio.Queue[bytes | None]] = [asyncio.Queue() for _ in urls]
        per_second = max(1, round(config["rate"]))

        async def poster(url: str, queue: asyncio.Queue[bytes | None]) -> None:
            connection = Connection(url, config["tokens"]["ingest"])
            while (body := await queue.get()) is not None:
                try:
                    status = await connection.post(body)
                except (OSError, asyncio.IncompleteReadError, RuntimeError):
                    await connection.close()
                    status = 0
                self.counts["acknowledged" if status == 202 else f"status_{status}"] += 1
            await connection.close()

        posters = [
            asyncio.create_task(poster(url, queue))
            for url, queue in zip(urls, queues, strict=True)
            for _ in range(POSTERS)
        ]
        start, sent = loop.time(), 0
        while not self.stopping:
            now = datetime.now(UTC)
            batch = simulator.events(per_second, now - timedelta(seconds=1), now)[:-1]
            for event in batch:  # the tick left out: the scorer writes its own
                await asyncio.sleep(start + sent / per_second - loop.time())
                queues[sent % len(queues)].put_nowait(orjson.dumps(event))
                sent += 1
                self.counts["sent"] += 1
        self.counts["unsent"] = sum(queue.qsize() for queue in queues)
        for queue in queues:
            while not queue.empty():
                queue.get_nowait()
            for _ in range(POSTERS):
                queue.put_nowait(None)
        await asyncio.gather(*posters)

    async def run(self) -> None:
        screens = await self.connect()
        print(json.dumps({"ready": len(screens)}), flush=True)
        loop = asyncio.get_running_loop()
        posting = asyncio.create_task(self.post())
        await loop.run_in_executor(None, sys.stdin.readline)  # the window opens
        frames, cpu, start = self.frames, cpu_seconds(), loop.time()
        acknowledged = self.counts["acknowledged"]
        await loop.run_in_executor(None, sys.stdin.readline)  # and closes
        seconds = loop.time() - start
        report = {
            "acknowledged_per_s": round((self.counts["acknowledged"] - acknowledged) / seconds, 1),
            "frames_per_screen_per_s": round(
                (self.frames - frames) / max(1, len(screens)) / seconds, 1
            ),
            "load_cpu_share": round((cpu_seconds() - cpu) / seconds, 2),
        }
        self.stopping = True
        await posting
        print(json.dumps({**report, **self.counts}), flush=True)
        for screen in screens:
            screen.transport.abort()


# The driver ------------------------------------------------------------------
async def make_tokens(store_url: str) -> dict[str, str]:
    made = {}
    async with open_store(store_url) as store:
        for role in ("display", "ingest", "manager"):
            source = "bench" if role == "ingest" else None
            token, record = new_token(role, label="bench", source=source)
            await store.add_token(record)
            made[role] = token
    return made


def subprocess_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def get_json(url: str) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(url, timeout=10).json()
    return answer


def one_run(config: dict[str, Any]) -> dict[str, Any]:
    """One measured run."""
    with tempfile.TemporaryDirectory() as tmp:
        redis, store = redis_server(Path(tmp))
        webs: list[subprocess.Popen[bytes]] = []
        writer: subprocess.Popen[bytes] | None = None
        load: subprocess.Popen[bytes] | None = None
        log = (Path(tmp) / "servers.log").open("ab")
        try:
            tokens = asyncio.run(make_tokens(store))
            env = {"WALLBOARD_STORE": store}
            writer = subprocess.Popen(
                pinned(SERVER_CORES, [sys.executable, "-m", "bench.processes", "--scorer"]),
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                env={**subprocess_env(), **env, "WALLBOARD_ENGINE": "writer"},
            )
            urls = []
            for _ in range(config["web"]):
                port = free_port()
                reader = {**env, "WALLBOARD_ENGINE": "reader"}
                web, _ = start_server(port, reader, "bench.processes:app", log, SERVER_CORES)
                webs.append(web)
                urls.append(f"http://127.0.0.1:{port}")
            now = datetime.now(UTC)
            httpx.post(
                f"{urls[0]}/api/events",
                json=company_events(now, config["rate"]),
                headers={"Authorization": f"Bearer {tokens['manager']}"},
                timeout=30,
            ).raise_for_status()
            load = subprocess.Popen(
                pinned(LOAD_CORE, [sys.executable, "-m", "bench.processes", "--load"]),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=ROOT,
                env=subprocess_env(),
            )
            assert load.stdin is not None and load.stdout is not None
            load_config = {
                "urls": urls,
                "ws": [url.replace("http", "ws") for url in urls],
                "tokens": tokens,
                "screens": config["screens"],
                "rate": config["rate"],
                "ingest_to": config["ingest_to"],
            }
            load.stdin.write(json.dumps(load_config).encode() + b"\n")
            load.stdin.flush()
            json.loads(load.stdout.readline())  # every screen connected
            time.sleep(WARMUP)
            pids = {f"web{n + 1}": web.pid for n, web in enumerate(webs)}
            pids |= {"scorer": writer.pid, "redis": redis.pid}
            cpu = {name: cpu_seconds_of(pid) for name, pid in pids.items()}
            before = [get_json(f"{url}/bench/parts") for url in urls]
            load.stdin.write(b"mark\n")
            load.stdin.flush()
            started = time.monotonic()
            peaks = {name: rss_kib(pid) for name, pid in pids.items()}
            while (left := started + config["seconds"] - time.monotonic()) > 0:
                time.sleep(min(SAMPLE_SECONDS, left))
                for name, pid in pids.items():
                    peaks[name] = max(peaks[name], rss_kib(pid))
            seconds = time.monotonic() - started
            shares = {
                name: (cpu_seconds_of(pid) - cpu[name]) / seconds for name, pid in pids.items()
            }
            end_rss = {name: rss_kib(pid) for name, pid in pids.items()}
            after = [get_json(f"{url}/bench/parts") for url in urls]
            lags = [get_json(f"{url}/readyz").get("scorer_lag") for url in urls]
            load.stdin.write(b"stop\n")
            load.stdin.flush()
            report = json.loads(load.stdout.readline())
            load.stdin.close()
            load.wait(30)
        finally:
            for process in (load, writer):
                if process is not None and process.poll() is None:
                    if process is writer and process.stdin is not None:
                        process.stdin.close()
                        process.wait(30)
                    else:
                        process.kill()
                        process.wait()
            for web in webs:
                stop_server(web)
            log.close()
            redis.terminate()
            redis.wait(30)
        lines = (Path(tmp) / "servers.log").read_text(errors="replace").splitlines()
    processes: dict[str, dict[str, Any]] = {
        name: {
            "cpu_share": round(shares[name], 3),
            "rss_mib_peak": round(peaks[name] / 1024, 1),
            "rss_mib_end": round(end_rss[name] / 1024, 1),
        }
        for name in pids
    }
    for n, (first, last) in enumerate(zip(before, after, strict=True)):
        spent = {p: last["spent"].get(p, 0.0) - first["spent"].get(p, 0.0) for p in PARTS}
        thread = last["thread_cpu"] - first["thread_cpu"]
        processes[f"web{n + 1}"]["main_thread_share"] = round(thread / seconds, 3)
        processes[f"web{n + 1}"]["parts_share"] = {
            "fold": round(spent["fold"] / seconds, 4),
            "render": round(spent["render"] / seconds, 4),
            "frame": round(spent["frame"] / seconds, 4),
            "send": round((spent["publish"] - spent["render"] - spent["frame"]) / seconds, 4),
            "notify": round(spent["notify"] / seconds, 4),
            # the rest of the main thread: HTTP ingest, reading the log
            # from Redis, websocket reads, the event loop
            "rest": round(
                (thread - spent["fold"] - spent["publish"] - spent["notify"]) / seconds, 4
            ),
        }
        processes[f"web{n + 1}"]["folds_per_s"] = round(
            (last["calls"].get("fold", 0) - first["calls"].get("fold", 0)) / seconds, 1
        )
        processes[f"web{n + 1}"]["frames_rendered_per_s"] = round(
            (last["calls"].get("frame", 0) - first["calls"].get("frame", 0)) / seconds, 1
        )
    return {
        "seconds": round(seconds, 1),
        "processes": processes,
        "load": report,
        "scorer_lag_at_end": lags,
        "errors_logged": sum(1 for line in lines if FAILURE_LINE.search(line)),
    }


def web_names(run: dict[str, Any]) -> list[str]:
    return sorted(name for name in run["processes"] if name.startswith("web"))


def summary(mine: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the runs: of each run's median web process."""

    def web_median(run: dict[str, Any], key: str) -> float:
        return float(statistics.median(run["processes"][n][key] for n in web_names(run)))

    def part(run: dict[str, Any], key: str) -> float:
        return float(
            statistics.median(run["processes"][n]["parts_share"][key] for n in web_names(run))
        )

    return {
        "runs": len(mine),
        "web_cpu_share": round(statistics.median(web_median(r, "cpu_share") for r in mine), 3),
        "web_rss_mib_peak": round(
            statistics.median(web_median(r, "rss_mib_peak") for r in mine), 1
        ),
        "web_rss_mib_end": round(statistics.median(web_median(r, "rss_mib_end") for r in mine), 1),
        "scorer_cpu_share": round(
            statistics.median(r["processes"]["scorer"]["cpu_share"] for r in mine), 3
        ),
        "redis_cpu_share": round(
            statistics.median(r["processes"]["redis"]["cpu_share"] for r in mine), 3
        ),
        "acknowledged_per_s": round(
            statistics.median(r["load"]["acknowledged_per_s"] for r in mine), 1
        ),
        "parts_share": {
            key: round(statistics.median(part(r, key) for r in mine), 4)
            for key in ("fold", "render", "frame", "send", "notify", "rest")
        },
    }


def table(runs: list[dict[str, Any]], summaries: list[dict[str, Any]]) -> str:
    rows = [
        "| run | process | CPU, share of a core | RSS peak MiB | RSS end MiB | "
        "fold | render | frame | send | rest |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for number, run in enumerate(runs, 1):
        for name, figures in run["processes"].items():
            split = figures.get("parts_share")
            cells = [f"{split[k]:.1%}" for k in PARTS_SHOWN] if split else [""] * len(PARTS_SHOWN)
            rows.append(
                f"| {number} | {name} | {figures['cpu_share']:.1%} | "
                f"{figures['rss_mib_peak']} | {figures['rss_mib_end']} | {' | '.join(cells)} |"
            )
    for s in summaries:
        split = s["parts_share"]
        rows.append(
            f"| median of {s['runs']} | web (median) | {s['web_cpu_share']:.1%} | "
            f"{s['web_rss_mib_peak']} | {s['web_rss_mib_end']} | "
            + " | ".join(f"{split[k]:.1%}" for k in PARTS_SHOWN)
            + " |"
        )
        rows.append(f"| median of {s['runs']} | scorer | {s['scorer_cpu_share']:.1%} | | | | | | |")
        rows.append(f"| median of {s['runs']} | redis | {s['redis_cpu_share']:.1%} | | | | | | |")
    rows += [
        "",
        "| run | events/s acknowledged | frames per screen per s | load process CPU | "
        "errors logged |",
        "| --- | --- | --- | --- | --- |",
    ]
    for number, run in enumerate(runs, 1):
        load = run["load"]
        rows.append(
            f"| {number} | {load['acknowledged_per_s']} | "
            f"{load['frames_per_screen_per_s']} | {load['load_cpu_share']:.0%} | "
            f"{run['errors_logged']} |"
        )
    return "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2, help="measured runs")
    parser.add_argument("--web", type=int, default=3, help="web processes")
    parser.add_argument("--screens", type=int, default=300, help="board screens in all")
    parser.add_argument("--rate", type=float, default=200.0, help="events a second")
    parser.add_argument("--seconds", type=float, default=60.0, help="the measured window")
    parser.add_argument(
        "--ingest-to", type=int, help="how many web processes take the posts (default: all)"
    )
    parser.add_argument("--output", default="processes.json", help="under bench/results/")
    parser.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scorer", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        run_loop(Load(json.loads(sys.stdin.readline())).run())
        return
    if args.scorer:
        run_loop(scorer())
        return
    config = {"web": args.web, "screens": args.screens, "rate": args.rate}
    config |= {"seconds": args.seconds, "ingest_to": args.ingest_to or args.web}
    runs = []
    for number in range(args.runs):
        print(f"run {number + 1} ...", flush=True)
        runs.append(one_run(config))
        print(json.dumps(runs[-1]), flush=True)
    summaries = [summary(runs)]
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "config": config,
        "cores": os.cpu_count(),
        "summaries": summaries,
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / args.output).write_text(json.dumps(result, indent=2))
    print(table(runs, summaries), flush=True)


if __name__ == "__main__":
    main()
