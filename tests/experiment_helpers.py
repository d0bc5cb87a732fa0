"""A simulated company for the experiment tests: the simulator's roster and rules,
four weeks before the experiment, then four weeks with a known effect in arm B."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scoring.events import validate
from scoring.log import format_ts, records
from tests.helpers import Running
from wallboard.experiments import api as experiments_api
from wallboard.experiments.simulate import Effect, days
from wallboard.simulator import RULES, Company, company
from wallboard.store import Record

#: local midnight in the company's time zone: the history begins four weeks before
#: the experiment, which runs four weeks (aware datetimes keep the wall clock across
#: the change from summer time)
HISTORY = datetime(2026, 9, 7, tzinfo=ZoneInfo("Europe/Berlin"))
STARTS = HISTORY + timedelta(days=28)
WEEKS = 4
ENDS = STARTS + timedelta(weeks=WEEKS)
BOOSTED = copy.deepcopy(RULES)
BOOSTED["commission"] = {"*": {"fixed": 2, "percent": 8}}


#: the assignment's seed in the tests: a fixed one, so that a test plays the same
#: experiment every time (the service draws a new one for each)
SEED = bytes(range(100, 132))


@contextmanager
def fixed_seed() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(experiments_api, "new_seed", lambda: SEED)
        yield


def append(run: Running, events: list[dict[str, Any]], source: str, received: str) -> None:
    clean = [validate(event) for event in events]
    run.call(run.store.append, [Record(*r) for r in records(clean, source, received)])


def set_up_company(run: Running) -> Company:
    firm, roster = company()
    moment = format_ts(HISTORY - timedelta(days=1))
    append(run, [{**event, "ts": moment} for event in roster], "manage", moment)
    play(run, firm, HISTORY, 28, None, seed=1)
    return firm


def play(
    run: Running, firm: Company, start: datetime, count: int, effect: Effect | None, seed: int
) -> None:
    """``count`` days from ``start``, each batch received at its day's end."""
    for batch in days(firm, start, count, effect, seed=seed):
        ticks = [e for e in batch if e["type"] == "tick"]
        work = [e for e in batch if e["type"] != "tick"]
        append(run, work, "crm", ticks[-1]["ts"])
        run.tick(ticks[-1]["id"], ticks[-1]["ts"])
    run.settle()


def experiment_body(**extra: Any) -> dict[str, Any]:
    return {
        "experiment": "commission-2026",
        "name": "Commission on every sale",
        "arms": [{"arm": "A", "rules": RULES}, {"arm": "B", "rules": BOOSTED}],
        "unit": "agent",
        "strata": ["site"],
        "metric": "sales_per_agent_day",
        "guardrails": ["cancellation_rate", "quality"],
        "starts": format_ts(STARTS),
        "ends": format_ts(ENDS),
        **extra,
    }
