"""An entry the scorer cannot fold stops the fold loudly: /readyz says so, the log
says where, and the screens keep the last state rather than a half-folded one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.helpers import running, sale


def test_a_fold_that_fails_makes_readyz_fail_and_says_where(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with running() as app:
        assert app.client.get("/readyz").json()["status"] == "ready"
        scorer = app.engine.scorer
        fold = scorer.apply

        def apply(event: dict[str, Any], offset: int) -> None:
            if event["id"] == "s-poison":
                raise RuntimeError("cannot fold this")
            fold(event, offset)

        scorer.apply = apply  # type: ignore[method-assign]
        assert app.post(sale("s-1")).status_code == 202
        assert app.post(sale("s-poison")).status_code == 202
        deadline = time.monotonic() + 10
        while (ready := app.client.get("/readyz")).status_code == 200:
            assert time.monotonic() < deadline, ready.text
            time.sleep(0.05)
        assert ready.status_code == 503
        assert ready.json() == {"status": "failed", "scorer": "folding stopped after offset 1"}
        assert "engine: folding stopped after offset 1" in caplog.text
        assert app.get("/api/prizes", role="display").status_code == 200  # still serving
