"""``POST /api/experiments`` and the report: a simulated company of about 150
agents, four weeks of history, then four weeks in which arm B's agents sell 8 %
more and see 2 points fewer cancellations. The report's 95 % intervals must hold
the truth (seeded: one run, which a correct analysis passes 19 times in 20 for
each interval), the assignment must verify from the revealed seed, and the
rules-alone replay must price the same sales under both arms' rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from scoring.experiments.assignment import verify
from scoring.log import format_ts
from tests.experiment_helpers import (
    ENDS,
    STARTS,
    experiment_body,
    fixed_seed,
    play,
    set_up_company,
)
from tests.helpers import Running, running
from wallboard.experiments.simulate import Effect
from wallboard.settings import Settings
from wallboard.simulator import Company


@dataclass(frozen=True)
class Played:
    run: Running
    firm: Company
    #: the report just after the start
    started: dict[str, Any]
    #: the effect in each metric's unit
    truth: dict[str, float]


@pytest.fixture(scope="module")
def played() -> Iterator[Played]:
    settings = Settings(store="memory://", tick_seconds=0)
    with fixed_seed(), running(settings=settings, clock=lambda: STARTS) as run:
        firm = set_up_company(run)
        answer = run.client.post("/api/experiments", json=experiment_body(), headers=manager(run))
        assert answer.status_code == 201, answer.text
        run.settle()
        started = run.get("/api/experiments/commission-2026").json()
        treated = frozenset(a for a, arm in started["assignment"].items() if arm == "B")
        effect = Effect(treated)
        play(run, firm, STARTS, 28, effect, seed=2)
        yield Played(run, firm, started, effect.truth(firm))


def manager(run: Running) -> dict[str, str]:
    return {"Authorization": f"Bearer {run.tokens['manager']}"}


def test_the_assignment_is_made_at_the_start_balanced_by_site(played: Played) -> None:
    firm = played.firm
    started = played.started
    assert started["status"] == "running"
    assert started["retrospective"] is False
    assert started["seed"] is None
    assignment = started["assignment"]
    assert len(assignment) == len(firm.agents)
    for site in {agent.site for agent in firm.agents}:
        arms = [assignment[a.id] for a in firm.agents if a.site == site]
        assert abs(arms.count("A") - arms.count("B")) <= 1
    assert started["power"]["available"] is True
    assert started["power"]["weeks_for_5_percent"] >= 1


def test_the_report_holds_the_known_effect_in_its_intervals(played: Played) -> None:
    report = played.run.get("/api/experiments/commission-2026").json()
    assert report["status"] == "ended"
    truth = played.truth
    sales = report["results"]["sales_per_agent_day"]["B"]
    low, high = sales["ci"]
    assert low < truth["sales_per_agent_day"] < high
    assert high - low < 0.4  # about 12 % of the 3.3 sales a day: CUPED took out the skill
    assert sales["n"] == {"A": 75, "B": 75}
    assert "cuped" in sales["method"]
    cancel = report["results"]["cancellation_rate"]["B"]
    assert cancel["ci"][0] < truth["cancellation_rate"] < cancel["ci"][1]
    assert set(report["results"]) == {"sales_per_agent_day", "cancellation_rate", "quality"}
    assert report["window"] == {"first": "2026-10-05", "last": "2026-11-01", "days": 28}
    series = report["series"]["sales_per_agent_day"]
    assert len(series["days"]) == 28 and set(series["arms"]) == {"A", "B"}


def test_the_assignment_verifies_from_the_revealed_seed(played: Played) -> None:
    run = played.run
    report = run.get("/api/experiments/commission-2026").json()
    assert report["seed"] is not None
    assert verify(
        report["seed"],
        report["seed_hash"],
        report["unit_strata"],
        report["arms"],
        report["assignment"],
    )


def test_the_rules_alone_replay_prices_the_same_sales_under_each_arm(played: Played) -> None:
    run = played.run
    counterfactual = run.get("/api/experiments/commission-2026").json()["counterfactual"]
    paid = counterfactual["paid"]
    # B's rules pay 8 % on every sale and 2 euros each: more for the same sales.
    for arm in ("A", "B"):
        assert paid[arm]["B"]["commission"] > paid[arm]["A"]["commission"]
        assert paid[arm]["B"]["points"] == paid[arm]["A"]["points"]
    assert counterfactual["sales"]["B"] > counterfactual["sales"]["A"]


def test_the_csv_export_holds_results_and_every_agent(played: Played) -> None:
    run = played.run
    firm = played.firm
    answer = run.get("/api/experiments/commission-2026/csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.splitlines()
    assert lines[0].startswith("metric,arm,control,effect,relative,ci_low,ci_high,")
    assert lines[1].startswith("sales_per_agent_day,B,A,")
    blank = lines.index("")
    assert lines[blank + 1] == "metric,unit,cluster,arm,value,pre,weight"
    rows = [line for line in lines[blank + 2 :] if line.startswith("sales_per_agent_day,")]
    assert len(rows) == len(firm.agents)
    assert {line.split(",")[3] for line in rows} == {"A", "B"}


def test_the_list_names_each_experiment(played: Played) -> None:
    run = played.run
    listed = run.get("/api/experiments").json()["experiments"]
    assert [e["experiment"] for e in listed] == ["commission-2026"]
    assert listed[0]["status"] == "ended"


def test_a_second_experiment_with_the_same_id_is_refused(played: Played) -> None:
    run = played.run
    answer = run.client.post("/api/experiments", json=experiment_body(), headers=manager(run))
    assert answer.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unit": "floor"}, "unit"),
        ({"arms": []}, "arms"),
        ({"ends": format_ts(STARTS - timedelta(days=1))}, "ends"),
        ({"seed_hash": "0" * 64}, "seed_hash"),
        ({"metric": None}, "metric"),
    ],
)
def test_a_bad_experiment_is_refused_naming_the_field(
    change: dict[str, object], field: str
) -> None:
    with running(settings=Settings(store="memory://", tick_seconds=0)) as run:
        body = {**experiment_body(experiment="x"), **change}
        answer = run.client.post("/api/experiments", json=body, headers=manager(run))
        assert answer.status_code in (400, 422), answer.text
        assert field in answer.text
        assert run.get("/api/experiments").json()["experiments"] == []


def test_only_a_manager_sets_up_or_reads_experiments() -> None:
    with running(settings=Settings(store="memory://", tick_seconds=0)) as run:
        headers = {"Authorization": f"Bearer {run.tokens['display']}"}
        answer = run.client.post("/api/experiments", json=experiment_body(), headers=headers)
        assert answer.status_code == 403
        assert run.get("/api/experiments", role="display").status_code == 403
        assert run.get("/api/experiments/nothing").status_code == 404


def test_an_experiment_set_up_after_its_start_is_retrospective() -> None:
    later = ENDS + timedelta(days=3)
    with running(settings=Settings(store="memory://", tick_seconds=0), clock=lambda: later) as run:
        firm = set_up_company(run)
        play(run, firm, STARTS, 28, None, seed=3)
        answer = run.client.post("/api/experiments", json=experiment_body(), headers=manager(run))
        assert answer.status_code == 201
        run.settle()
        report = run.get("/api/experiments/commission-2026").json()
        assert report["retrospective"] is True
        assert report["status"] == "ended"
        assert report["seed"] is not None  # assigned and revealed at once: both are due
        assert report["results"]["sales_per_agent_day"]["B"]["n"] == {"A": 75, "B": 75}


def test_the_readme_gives_the_power_the_estimate_computes(played: Played) -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    said = re.search(r"a 5 % effect on sales per\s+agent-day needs (\d+) weeks", readme)
    assert said is not None
    assert int(said.group(1)) == played.started["power"]["weeks_for_5_percent"]


def test_teams_assigned_are_analysed_with_cluster_robust_intervals() -> None:
    later = ENDS + timedelta(days=3)
    settings = Settings(store="memory://", tick_seconds=0)
    with fixed_seed(), running(settings=settings, clock=lambda: later) as run:
        firm = set_up_company(run)
        play(run, firm, STARTS, 28, None, seed=3)
        body = experiment_body(unit="team", strata=["site"], guardrails=[])
        answer = run.client.post("/api/experiments", json=body, headers=manager(run))
        assert answer.status_code == 201, answer.text
        run.settle()
        report = run.get("/api/experiments/commission-2026").json()
    teams = {f"{agent.site}-{n}" for agent in firm.agents for n in (1, 2, 3)}
    assert set(report["assignment"]) <= teams and len(report["assignment"]) == 14
    # Every site's teams are split between the arms, and each agent follows their team.
    for site in {agent.site for agent in firm.agents}:
        arms = [arm for team, arm in report["assignment"].items() if team.startswith(site)]
        assert abs(arms.count("A") - arms.count("B")) <= 1
    assert sum(report["agents"].values()) == len(firm.agents)
    result = report["results"]["sales_per_agent_day"]["B"]
    assert result["method"].startswith(("ols-cluster", "ols-cr2"))  # cluster-robust
    assert result["clusters"] == {"A": 7, "B": 7}
    assert result["ci"][0] < 0 < result["ci"][1]  # no effect was played (seeded)
