"""Settings, read from the environment once; each declared here with its help."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def setting(env: str, default: str, help: str) -> Any:
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    store: str = setting(
        "WALLBOARD_STORE",
        "sqlite:///wallboard.db",
        "Where the event log lives: sqlite:///path/file.db, redis://host:port/db or memory://.",
    )
    timezone: str = setting(
        "WALLBOARD_TIMEZONE",
        "Europe/Berlin",
        "Time zone of days, weeks and months on the boards (an IANA name).",
    )
    log_format: str = setting(
        "WALLBOARD_LOG_FORMAT", "text", "Log lines as plain `text` or one JSON object per line."
    )

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"WALLBOARD_TIMEZONE: expected an IANA time zone, got {self.timezone!r}"
            ) from None
        if self.log_format not in ("text", "json"):
            raise ValueError(
                f"WALLBOARD_LOG_FORMAT: expected text or json, got {self.log_format!r}"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values = {
            f.name: environ[f.metadata["env"]]
            for f in dataclasses.fields(cls)
            if f.metadata["env"] in environ
        }
        return cls(**values)

    @classmethod
    def documentation(cls) -> list[tuple[str, str, str]]:
        """(variable, default, help) for every setting, for the README and --help."""
        return [(f.metadata["env"], f.default, f.metadata["help"]) for f in dataclasses.fields(cls)]
