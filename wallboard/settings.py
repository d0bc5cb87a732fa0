"""Settings, read from the environment once; each declared here with its help.

The ``wallboard`` command also reads ``wallboard.env`` in the working directory
(``NAME=value`` lines, ``#`` comments) for the settings the environment leaves
unset; ``wallboard demo`` writes one there naming its store.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from scoring.channels import SCENES

T = TypeVar("T")
#: read by the ``wallboard`` command, in the working directory, beneath the environment
ENV_FILE = "wallboard.env"
Parser = Callable[[object], T]


def setting(env: str, default: str, help: str, parse: Parser[T]) -> T:
    """A field read from ``env``: its default and help as the docs show them, and the
    parser that turns the environment's string into the field's type."""
    metadata = {"env": env, "default": default, "help": help, "parse": parse}
    return field(default=parse(default), metadata=metadata)


def text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value


def one_of(*choices: str) -> Parser[str]:
    def parse(value: object) -> str:
        if value not in choices:
            raise ValueError(f"expected {' or '.join(choices)}, got {value!r}")
        return text(value)

    return parse


def flag(value: object) -> bool:
    # The environment says 0 or 1; code may pass the bool itself.
    if value not in (True, False, "0", "1"):
        raise ValueError(f"expected 0 or 1, got {value!r}")
    return value in (True, "1")


def non_negative(unit: str) -> Parser[float]:
    """A number >= 0 (``nan`` and ``inf`` refused)."""

    def parse(value: object) -> float:
        if not isinstance(value, str | int | float):
            raise ValueError(f"expected {unit}, got {value!r}")
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"expected {unit}, got {value!r}") from None
        if not 0 <= number < float("inf"):
            raise ValueError(f"expected {unit} >= 0, got {value!r}")
        return number

    return parse


def origins(value: object) -> tuple[str, ...]:
    """Comma-separated origins (``https://host[:port]``), lowercased; empty: none."""
    if isinstance(value, tuple):
        value = ",".join(value)
    listed = []
    for item in text(value).split(","):
        origin = item.strip().rstrip("/").lower()
        if not origin:
            continue
        scheme, _, host = origin.partition("://")
        if scheme not in ("http", "https") or not host or "/" in host:
            raise ValueError(f"expected origins like https://wallboard.example.com, got {item!r}")
        listed.append(origin)
    return tuple(listed)


def public_url(value: object) -> str:
    """Empty, or an origin (``https://host[:port]``) the way ``origins`` reads one."""
    found = origins(value)
    if len(found) > 1:
        raise ValueError(f"expected one address like https://wallboard.example.com, got {value!r}")
    return found[0] if found else ""


def colour(value: object) -> str:
    """``#rrggbb``, lowercased."""
    if not (isinstance(value, str) and re.fullmatch(r"#[0-9a-fA-F]{6}", value)):
        raise ValueError(f"expected a colour as #rrggbb, e.g. #2ea043, got {value!r}")
    return value.lower()


def logo(value: object) -> str:
    """Empty, an ``https://`` address, or an image file on this machine (``.png``,
    ``.svg``, ``.jpg``, ``.jpeg``, ``.webp``) that exists when the setting is read."""
    path = text(value).strip()
    if not path or path.startswith("https://"):
        return path
    if path.startswith("http://"):
        raise ValueError(f"expected an https:// address or an image file, got {value!r}")
    if Path(path).suffix.lower() not in LOGO_TYPES:
        raise ValueError(
            f"expected an image file ({', '.join(sorted(LOGO_TYPES))}) or an https:// "
            f"address, got {value!r}"
        )
    if not Path(path).is_file():
        raise ValueError(f"expected an image file that exists, got {value!r}")
    return path


#: the logo files a board serves, by suffix
LOGO_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}


def scenes(value: object) -> tuple[str, ...]:
    """Comma-separated scene names, each one of ``SCENES``, at least one."""
    if isinstance(value, tuple):
        value = ",".join(value)
    names = tuple(name.strip() for name in text(value).split(",") if name.strip())
    unknown = [name for name in names if name not in SCENES]
    if unknown or not names:
        raise ValueError(
            f"expected scenes from {', '.join(SCENES)}, comma-separated, got {value!r}"
        )
    return names


def whole(unit: str) -> Parser[int]:
    """A whole number >= 0."""

    def parse(value: object) -> int:
        text_value = str(value) if isinstance(value, int | str) else ""
        if not (text_value.isascii() and text_value.isdigit()):
            raise ValueError(f"expected {unit} as a whole number >= 0, got {value!r}")
        return int(text_value)

    return parse


def rotate(value: object) -> int:
    """Whole seconds, at least ``MIN_ROTATE``."""
    seconds = whole("seconds")(value)
    if seconds < MIN_ROTATE:
        raise ValueError(f"expected at least {MIN_ROTATE} seconds, got {value!r}")
    return seconds


#: the shortest a scene stays on a board
MIN_ROTATE = 5


@dataclass(frozen=True)
class Settings:
    store: str = setting(
        "WALLBOARD_STORE",
        "sqlite:///wallboard.db",
        "Where the event log lives: sqlite:///path/file.db, redis://host:port/db or memory://.",
        text,
    )
    tick_seconds: float = setting(
        "WALLBOARD_TICK_SECONDS",
        "60",
        "How often the clock is written into the log as a tick (0: never).",
        non_negative("a number of seconds"),
    )
    log_format: str = setting(
        "WALLBOARD_LOG_FORMAT",
        "text",
        "Log lines as plain `text` or one JSON object per line.",
        one_of("text", "json"),
    )

    engine: str = setting(
        "WALLBOARD_ENGINE",
        "writer",
        "`writer`: this process also writes ticks, tombola draws and snapshots (one process, "
        "or the Procfile's scorer); `reader`: it only folds the log (the Procfile's web).",
        one_of("writer", "reader"),
    )
    ingest_rate: float = setting(
        "WALLBOARD_INGEST_RATE",
        "1000",
        "Events a second each token may post on average, in bursts of up to five seconds' "
        "worth (at least one full batch); over it, ingest answers 429 (0: no limit).",
        non_negative("events a second"),
    )
    signin_per_address: float = setting(
        "WALLBOARD_SIGNIN_PER_ADDRESS",
        "10",
        "Console sign-in attempts a minute one client address may make, in bursts of up to "
        "as many; beyond, /manage/login answers 429 with Retry-After (0: no limit).",
        non_negative("attempts a minute"),
    )
    signin_per_account: float = setting(
        "WALLBOARD_SIGNIN_PER_ACCOUNT",
        "10",
        "Console sign-in attempts a minute for one manager name, from any address, in bursts "
        "of up to as many; beyond, /manage/login answers 429 with Retry-After (0: no limit).",
        non_negative("attempts a minute"),
    )
    allowed_origins: tuple[str, ...] = setting(
        "WALLBOARD_ALLOWED_ORIGINS",
        "",
        "Other origins (`https://wallboard.example.com`, comma-separated) whose pages may "
        "open websockets and post changes, beside the host a request names; for a proxy "
        "that does not pass the `Host` header on.",
        origins,
    )
    public_url: str = setting(
        "WALLBOARD_PUBLIC_URL",
        "",
        "The address senders call this server by (`https://wallboard.example.com`), for "
        "the webhook signatures that cover the URL (HubSpot, Twilio); empty: the URL each "
        "request names (the `Host` and `X-Forwarded-Proto` a proxy passes on).",
        public_url,
    )
    works_council: bool = setting(
        "WALLBOARD_WORKS_COUNCIL",
        "0",
        "1: public boards show teams and sites only, never an agent.",
        flag,
    )
    board_sound: bool = setting(
        "WALLBOARD_BOARD_SOUND",
        "0",
        "1: boards play a short sound with each goal, prize, tombola draw and season won "
        "(a board's own `?sound=0` or `?sound=1` overrides it).",
        flag,
    )
    simulated_clock: bool = setting(
        "WALLBOARD_SIMULATED_CLOCK",
        "0",
        "1: a manager token may post `tick` events, which move the clock ahead of the "
        "machine's (`wallboard demo --speed`, `wallboard simulate`); never in production.",
        flag,
    )
    connections_per_token: int = setting(
        "WALLBOARD_CONNECTIONS_PER_TOKEN",
        "50",
        "Websocket connections one token may hold open on each web process; more are "
        "closed with code 4429 (0: no limit). A screen, a widget and a console each hold "
        "one; give each wall of TVs its own display token rather than raising it.",
        whole("connections"),
    )

    company: str = setting(
        "WALLBOARD_COMPANY",
        "",
        "The company's name, the boards' title (a site's board adds the site's name).",
        text,
    )
    logo: str = setting(
        "WALLBOARD_LOGO",
        "",
        "The logo beside the boards' title: an `https://` address, or an image file on "
        "this machine (`.png`, `.svg`, `.jpg`, `.webp`, up to 1 MiB), which the server "
        "serves itself, so screens without internet show it too.",
        logo,
    )
    accent: str = setting(
        "WALLBOARD_ACCENT",
        "#2ea043",
        "The boards' accent colour (`#rrggbb`): the scene's dot, the live minute, the "
        "leader's row.",
        colour,
    )
    theme: str = setting(
        "WALLBOARD_THEME",
        "dark",
        "`dark` boards, or `light` ones for bright rooms.",
        one_of("dark", "light"),
    )
    board_scenes: tuple[str, ...] = setting(
        "WALLBOARD_BOARD_SCENES",
        "league,leaders,charts,contests",
        "The scenes a board rotates through, in order, unless its address says "
        "otherwise (`?scenes=`).",
        scenes,
    )
    board_rotate: int = setting(
        "WALLBOARD_BOARD_ROTATE",
        "20",
        "Seconds each scene stays on a board, at least 5, unless its address says "
        "otherwise (`?rotate=`).",
        rotate,
    )

    notify: bool = setting(
        "WALLBOARD_NOTIFY",
        "1",
        "1: this process delivers the notifications' outbox (Slack, Teams, e-mail, "
        "webhooks); 0: it only adds to it. With Redis, several processes may deliver: "
        "each entry is claimed by one at a time.",
        flag,
    )
    notify_attempts: int = setting(
        "WALLBOARD_NOTIFY_ATTEMPTS",
        "8",
        "Attempts at delivering one notification before it becomes a dead letter (at least 1).",
        whole("attempts"),
    )
    notify_backoff: float = setting(
        "WALLBOARD_NOTIFY_BACKOFF",
        "5",
        "Seconds a channel rests after a failed attempt, doubled after each further one "
        "(at most an hour).",
        non_negative("a number of seconds"),
    )
    notify_timeout: float = setting(
        "WALLBOARD_NOTIFY_TIMEOUT",
        "10",
        "Seconds one attempt at sending a notification may take.",
        non_negative("a number of seconds"),
    )
    notify_lease: float = setting(
        "WALLBOARD_NOTIFY_LEASE",
        "60",
        "Seconds a process holds the notifications it is sending; a process that dies "
        "holding some leaves them to be sent again once this has passed. Longer than "
        "WALLBOARD_NOTIFY_TIMEOUT.",
        non_negative("a number of seconds"),
    )

    def __post_init__(self) -> None:
        # Code may build Settings too (tests, benchmarks), even with the environment's
        # strings: every value goes through its parser, so each field holds its type.
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, _parse(f, getattr(self, f.name)))

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, file: Path | None = None
    ) -> Settings:
        """From ``environ`` (the process's environment by default) and, for what it
        leaves unset, from ``file`` if there is one (see ``read_env_file``)."""
        environ = os.environ if environ is None else environ
        if file is not None and file.exists():
            environ = {**read_env_file(file), **environ}
        # Any: each value has its own field's type, which its parser guarantees.
        values: dict[str, Any] = {
            f.name: _parse(f, environ[f.metadata["env"]])
            for f in dataclasses.fields(cls)
            if f.metadata["env"] in environ
        }
        return cls(**values)

    @classmethod
    def documentation(cls) -> list[tuple[str, str, str]]:
        """(variable, default, help) for every setting, for the README and --help."""
        return [
            (f.metadata["env"], f.metadata["default"], f.metadata["help"])
            for f in dataclasses.fields(cls)
        ]


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines (blank lines and ``#`` comments skipped), each NAME one
    of the settings: a typo is an error naming its line, not a setting ignored."""
    known = {env for env, _, _ in Settings.documentation()}
    values = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, equals, value = stripped.partition("=")
        name = name.strip()
        if not equals or name not in known:
            raise ValueError(
                f"{path}, line {number}: expected NAME=value with NAME one of "
                f"{', '.join(sorted(known))}, got {stripped[:60]!r}"
            )
        values[name] = value.strip()
    return values


def _parse(setting: dataclasses.Field[Any], value: object) -> object:
    try:
        return setting.metadata["parse"](value)
    except ValueError as exc:
        raise ValueError(f"{setting.metadata['env']}: {exc}") from None
