"""Settings, read from the environment once; each declared here with its help."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def setting(env: str, default: str, help: str) -> Any:
    return field(default=default, metadata={"env": env, "help": help})


@dataclass(frozen=True)
class Settings:
    store: str = setting(
        "WALLBOARD_STORE",
        "sqlite:///wallboard.db",
        "Where the event log lives: sqlite:///path/file.db, redis://host:port/db or memory://.",
    )
    tick_seconds: float = setting(
        "WALLBOARD_TICK_SECONDS",
        "60",
        "How often the clock is written into the log as a tick (0: never).",
    )
    log_format: str = setting(
        "WALLBOARD_LOG_FORMAT", "text", "Log lines as plain `text` or one JSON object per line."
    )

    engine: str = setting(
        "WALLBOARD_ENGINE",
        "writer",
        "`writer`: this process also writes ticks, tombola draws and snapshots (one process, "
        "or the Procfile's scorer); `reader`: it only folds the log (the Procfile's web).",
    )
    ingest_rate: float = setting(
        "WALLBOARD_INGEST_RATE",
        "1000",
        "Events a second each token may post on average, in bursts of up to five seconds' "
        "worth (at least one full batch); over it, ingest answers 429 (0: no limit).",
    )
    works_council: bool = setting(
        "WALLBOARD_WORKS_COUNCIL",
        "0",
        "1: public boards show teams and sites only, never an agent.",
    )

    def __post_init__(self) -> None:
        if self.works_council not in (True, False, "0", "1"):
            raise ValueError(
                f"WALLBOARD_WORKS_COUNCIL: expected 0 or 1, got {self.works_council!r}"
            )
        object.__setattr__(self, "works_council", self.works_council in (True, "1"))
        self._non_negative("tick_seconds", "a number of seconds")
        self._non_negative("ingest_rate", "events a second")
        if self.engine not in ("writer", "reader"):
            raise ValueError(f"WALLBOARD_ENGINE: expected writer or reader, got {self.engine!r}")
        if self.log_format not in ("text", "json"):
            raise ValueError(
                f"WALLBOARD_LOG_FORMAT: expected text or json, got {self.log_format!r}"
            )

    def _non_negative(self, name: str, unit: str) -> None:
        """Parse setting ``name`` as a number >= 0 (``nan`` and ``inf`` refused)."""
        env, value = self.__dataclass_fields__[name].metadata["env"], getattr(self, name)
        try:
            number = float(value)
        except ValueError:
            raise ValueError(f"{env}: expected {unit}, got {value!r}") from None
        if not 0 <= number < float("inf"):
            raise ValueError(f"{env}: expected {unit} >= 0, got {value!r}")
        object.__setattr__(self, name, number)

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
