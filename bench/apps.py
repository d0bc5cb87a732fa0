"""Apps for the references: the same endpoint, answering 202 without storing."""

from __future__ import annotations

import os
from collections.abc import Sequence

from starlette.applications import Starlette

from wallboard.app import create_app
from wallboard.settings import Settings
from wallboard.store import Record
from wallboard.store.memory import MemoryLog
from wallboard.tokens import hash_token


class NullLog(MemoryLog):
    """Accepts every append and keeps nothing (the token for the run excepted)."""

    async def open(self) -> None:
        from wallboard.store import TokenRecord

        token = os.environ["BENCH_TOKEN"]
        await self.add_token(
            TokenRecord(
                id="bench",
                hash=hash_token(token),
                role="ingest",
                label="bench",
                created="",
                source="bench",
            )
        )

    async def _append_unique(self, records: Sequence[Record]) -> list[bool]:
        return [True] * len(records)


def null_app() -> Starlette:
    return create_app(Settings(store="memory://", tick_seconds="0"), store=NullLog())
