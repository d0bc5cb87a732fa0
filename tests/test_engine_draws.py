"""A tombola draw whose append fails is drawn once the store answers again, with
no restart; the screens got the changes of the fold all the same."""

from __future__ import annotations

import time
from collections.abc import Sequence

from tests.helpers import running
from tests.test_api_scoring import open_tombola, setup, today_sale
from wallboard.store import Record, StoreUnavailable
from wallboard.store.memory import MemoryLog


class FailingDraws(MemoryLog):
    """A real in-memory log whose first ``failures`` appends of a draw fail, as
    they would while Redis restarts."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def append(self, records: Sequence[Record]) -> list[bool]:
        if self.failures and any(r.key.endswith(":draw-nov") for r in records):
            self.failures -= 1
            raise StoreUnavailable("the store is restarting")
        return await super().append(records)


def test_a_draw_that_could_not_be_stored_is_retried_without_a_restart() -> None:
    store = FailingDraws(failures=2)
    with running(store=store) as app:
        setup(app)
        open_tombola(app, ["cinema"], every=1)
        today_sale(app, "s-1", "a-1", "10.00")
        app.tick("tick-1", "2030-01-01T00:00:01Z")
        deadline = time.monotonic() + 10
        while (tombola := app.get("/api/tombolas/nov", role="display").json())["state"] != "drawn":
            assert time.monotonic() < deadline, tombola
            time.sleep(0.05)
        assert store.failures == 0
        assert tombola["winners"] and tombola["verified"] is True
