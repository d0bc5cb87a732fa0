"""The experiments' statistics on small numbers one can check by hand."""

from __future__ import annotations

import csv
import io
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from wallboard.experiments.analysis import AnalysisError, Observation, analyse
from wallboard.experiments.charts import charts, effect_over_time
from wallboard.experiments.demo_power import demo_power
from wallboard.experiments.export import export_csv
from wallboard.experiments.power import (
    MetricBaseline,
    horizon_mde,
    minimum_detectable_effect,
    units_needed,
    weeks_needed,
)

README = Path(__file__).resolve().parent.parent / "README.md"


def rows(arm: str, values: list[float], weights: list[float] | None = None) -> list[Observation]:
    weights = weights or [1.0] * len(values)
    return [
        Observation(f"{arm}-{n}", f"{arm}-{n}", arm, value, None, weight)
        for n, (value, weight) in enumerate(zip(values, weights, strict=True))
    ]


def test_difference_in_means_and_its_interval_by_hand() -> None:
    # A: mean 2, variance 1; B: mean 6, variance 4; three agents each.
    result = analyse(rows("A", [1, 2, 3]) + rows("B", [4, 6, 8]), ["A", "B"], clustered=False)["B"]
    se = math.sqrt(1 / 3 + 4 / 3)
    df = (5 / 3) ** 2 / ((1 / 3) ** 2 / 2 + (4 / 3) ** 2 / 2)  # 50 / 17
    half = stats.t.ppf(0.975, df) * se
    assert result.method == "welch"
    assert (result.effect, result.relative) == (4.0, 2.0)
    assert (result.control_mean, result.arm_mean) == (2.0, 6.0)
    assert result.se == pytest.approx(se)
    assert result.df == pytest.approx(50 / 17)
    assert result.ci == pytest.approx((4 - half, 4 + half))
    assert result.n == {"A": 3, "B": 3}
    assert not result.cuped
    welch = stats.ttest_ind([4, 6, 8], [1, 2, 3], equal_var=False)
    assert result.p_value == pytest.approx(welch.pvalue)


def test_means_are_weighted_by_agent_days() -> None:
    # A: (1 x 1 + 3 x 3) / 4 = 2.5 per agent-day; B: (4 + 8) / 2 = 6.
    observations = rows("A", [1, 3, 2], [1, 3, 0.0001]) + rows("B", [4, 8], [1, 1])
    result = analyse(observations, ["A", "B"], clustered=False)["B"]
    assert result.control_mean == pytest.approx(2.5, abs=1e-3)
    assert result.effect == pytest.approx(3.5, abs=1e-3)


def correlated(seed: int, with_pre: bool) -> list[Observation]:
    """Agents whose level shows in the pre-period as in the window; B adds 1."""
    rng = np.random.default_rng(seed)
    level = rng.normal(10, 3, 60)
    value = level + rng.normal(0, 0.5, 60) + np.repeat([0.0, 1.0], 30)
    pre = level + rng.normal(0, 0.5, 60)
    return [
        Observation(f"a{n}", f"a{n}", "AB"[n // 30], value[n], pre[n] if with_pre else None)
        for n in range(60)
    ]


def test_cuped_takes_away_what_the_pre_period_explains() -> None:
    adjusted = analyse(correlated(1, with_pre=True), ["A", "B"], clustered=False)["B"]
    plain = analyse(correlated(1, with_pre=False), ["A", "B"], clustered=False)["B"]
    assert (adjusted.method, plain.method) == ("ols-hc3+cuped", "welch")
    assert adjusted.cuped
    # the agents' levels (sd 3) are known from the pre-period; what is left is the
    # noise of both periods: the variance falls by far more than half
    assert adjusted.variance_reduction is not None and adjusted.variance_reduction > 0.9
    assert adjusted.ci[1] - adjusted.ci[0] < (plain.ci[1] - plain.ci[0]) / 3
    assert adjusted.ci[0] <= 1.0 <= adjusted.ci[1]
    assert adjusted.ci[0] > 0


def test_cuped_falls_back_when_the_pre_period_is_missing_or_constant() -> None:
    observations = correlated(2, with_pre=True)
    constant = [Observation(o.unit, o.cluster, o.arm, o.value, 5.0) for o in observations]
    result = analyse(constant, ["A", "B"], clustered=False)["B"]
    assert (result.method, result.cuped, result.variance_reduction) == ("welch", False, None)
    # a few agents without a pre-period: the others' mean stands in for theirs
    gaps = [
        Observation(o.unit, o.cluster, o.arm, o.value, None if n % 10 == 0 else o.pre)
        for n, o in enumerate(observations)
    ]
    result = analyse(gaps, ["A", "B"], clustered=False)["B"]
    assert (result.method, result.cuped) == ("ols-hc3+cuped", True)
    teams = [Observation(o.unit, f"t{n % 6}", o.arm, o.value) for n, o in enumerate(observations)]
    result = analyse(teams, ["A", "B"], clustered=True)["B"]
    assert result.method == "ols-cr2"
    # Bell-McCaffrey: at most G - 1 for six clusters (this balanced design reaches
    # it, to the last bit or one below, as the machine's linear algebra rounds),
    # far below the 58 of the rows' residuals
    assert 1 < result.df <= 5 + 1e-9


def test_teams_assigned_the_interval_is_that_of_the_team_means() -> None:
    # Four teams an arm, two agents each. With teams of one size, CR2 is exactly
    # the variance of the team means (A: 1, 2, 3, 4; B: 5, 7, 6, 10), s_A² / 4 +
    # s_B² / 4 = 5/3 / 4 + 14/3 / 4, and Bell-McCaffrey's degrees of freedom
    # are those of two samples of four, 6.
    teams = {
        "a1": ("A", (0, 2)),
        "a2": ("A", (1, 3)),
        "a3": ("A", (2, 4)),
        "a4": ("A", (3, 5)),
        "b1": ("B", (4, 6)),
        "b2": ("B", (6, 8)),
        "b3": ("B", (5, 7)),
        "b4": ("B", (9, 11)),
    }
    observations = [
        Observation(f"{team}-{n}", team, arm, value)
        for team, (arm, values) in teams.items()
        for n, value in enumerate(values)
    ]
    result = analyse(observations, ["A", "B"], clustered=True)["B"]
    se = math.sqrt(5 / 3 / 4 + 14 / 3 / 4)
    half = stats.t.ppf(0.975, 6) * se
    assert result.method == "ols-cr2"
    assert result.effect == pytest.approx(4.5)
    assert result.se == pytest.approx(se)
    assert result.df == pytest.approx(6)
    assert result.ci == pytest.approx((4.5 - half, 4.5 + half))
    assert result.clusters == {"A": 4, "B": 4} and result.n == {"A": 8, "B": 8}


def test_every_arm_is_compared_with_the_first() -> None:
    observations = rows("old", [1, 2, 3]) + rows("new", [2, 3, 4]) + rows("newer", [3, 4, 5])
    results = analyse(observations, ["old", "new", "newer"], clustered=False)
    assert list(results) == ["new", "newer"]
    assert results["newer"].effect == pytest.approx(2.0)
    assert results["newer"].as_dict()["ci"] == list(results["newer"].ci)


@pytest.mark.parametrize(
    ("observations", "arms", "message"),
    [
        (rows("A", [1, 2]) + rows("C", [1, 2]), ["A", "B"], "expected arms among ['A', 'B']"),
        (rows("A", [1, 2]) + rows("B", [1]), ["A", "B"], "at least 2 agents in arm 'B', got 1"),
        (rows("A", [1, 2]) + rows("B", [1, math.nan]), ["A", "B"], "expected finite values"),
        (rows("A", [1, 2]) + rows("B", [1, 2], [1, 0]), ["A", "B"], "weights (agent-days) > 0"),
        (rows("A", [1, 2]), ["A"], "expected two or more distinct arms"),
        (rows("A", [0, 0]) + rows("B", [0, 0]), ["A", "B"], "values that vary within the arms"),
        (rows("A", [1, 2]) + rows("B", [1, 1e300]), ["A", "B"], "expected values within ±1e+12"),
    ],
)
def test_rows_that_cannot_give_an_interval_say_why(
    observations: list[Observation], arms: list[str], message: str
) -> None:
    with pytest.raises(AnalysisError, match=None) as error:
        analyse(observations, arms, clustered=False)
    assert message in str(error.value)


def test_power_matches_the_textbook() -> None:
    # Half a standard deviation, 5 % two-sided, 80 % power: 64 per arm (Cohen's
    # table); the two-sample z formula 2 (z_0.975 + z_0.8)² / d² gives 62.8.
    z = 2 * (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) ** 2 / 0.5**2
    assert z == pytest.approx(62.79, abs=0.01)
    assert units_needed(baseline_mean=10, baseline_sd=2, effect_relative=0.1) == 64
    assert minimum_detectable_effect(10, 2, units_per_arm=64) == pytest.approx(0.0998, abs=1e-4)
    # Teams of 10 with an intra-team correlation of 0.1: design effect 1.9, the
    # unit is the team, its sd 2 sqrt(1.9 / 10); z says 11.9 teams, t one more.
    d = 1 / (2 * math.sqrt(1.9 / 10))
    z_teams = 2 * (stats.norm.ppf(0.975) + stats.norm.ppf(0.8)) ** 2 / d**2
    teams = units_needed(10, 2, 0.1, cluster_size=10, icc=0.1)
    assert z_teams == pytest.approx(11.93, abs=0.01)
    assert teams == 13


def test_a_baseline_from_daily_values_and_the_weeks_it_needs() -> None:
    # agent a: 1 and 3 (mean 2), b: 5 and 7 (mean 6): within-agent variance 2,
    # the means' variance 8, less 2 / 2 for the days: between-agent variance 7.
    baseline = MetricBaseline.from_daily({"a": [1, 3], "b": [5, 7]})
    assert baseline == MetricBaseline(4.0, math.sqrt(7), math.sqrt(2))
    sales = MetricBaseline(mean=8, between_sd=3, daily_sd=3)
    with_pre = weeks_needed(sales, 75, 0.05, pre_days=20)
    without = weeks_needed(sales, 75, 0.05)
    assert with_pre == 6
    # the first week whose minimum detectable effect is 5 % or less
    for weeks, found in ((5, False), (6, True)):
        mde = minimum_detectable_effect(8, sales.sd(weeks * 5, pre_days=20), 75)
        assert (mde <= 0.05) is found
        assert horizon_mde(sales, 75, weeks * 5, pre_days=20) == mde
    # the same agents in teams of 15 sharing 5 % of the variance: 5 teams an arm
    teams = horizon_mde(sales, 75, 30, pre_days=20, cluster_size=15, icc=0.05)
    sd = sales.sd(30, pre_days=20)
    assert teams == minimum_detectable_effect(8, sd, 5, cluster_size=15, icc=0.05)
    assert teams > horizon_mde(sales, 75, 30, pre_days=20)
    assert weeks_needed(sales, 75, 0.05, pre_days=20, cluster_size=15, icc=0.05) is None
    # 3 / 8 = 37 % between agents: 75 agents an arm never see 5 % without CUPED
    assert without is None


def test_the_demo_company_finds_5_percent_in_8_weeks_with_its_pre_period() -> None:
    power = demo_power(0.05)
    assert power.agents == 150
    assert round(power.baseline.mean, 1) == 3.2
    assert power.weeks_with_pre_period == 8
    assert power.weeks_without_pre_period is None
    assert (demo_power(0.08).weeks_with_pre_period, demo_power(0.1).weeks_with_pre_period) == (3, 2)
    section = README.read_text().split("### Experiments: how the analysis was checked")[1]
    said = " ".join(section.split())
    assert "a 5 % effect takes 8 weeks (8 % 3 weeks, 10 % 2)" in said


def test_chart_data_and_csv() -> None:
    results = analyse(rows("A", [1, 2, 3]) + rows("B", [4, 6, 8]), ["A", "B"], clustered=False)
    series = {"A": [("2026-12-01", 2.0), ("2026-12-02", 2.2)], "B": [("2026-12-01", 6.0)]}
    figures = charts(series, results)
    over_time = figures["over_time"]["data"]
    assert [trace["name"] for trace in over_time] == ["A", "B"]
    assert over_time[0]["x"] == ["2026-12-01", "2026-12-02"]
    effect = figures["effect"]["data"][0]
    low, high = results["B"].ci
    assert effect["x"] == [4.0]
    assert effect["error_x"]["array"] == pytest.approx([high - 4])
    assert effect["error_x"]["arrayminus"] == pytest.approx([4 - low])
    live = charts(series, results, live=True)["effect"]
    assert live["always_valid"] and live["data"][0]["error_x"]["array"][0] > high - 4
    running = effect_over_time([("2026-12-01", results), ("2026-12-02", results)])
    high_band, low_band, line = running["data"]
    assert line["name"] == "B" and line["y"] == [4.0, 4.0]
    valid = results["B"].always_valid_ci
    assert valid is not None and low_band["y"][0] == valid[0] and high_band["y"][1] == valid[1]
    named = [Observation("=cmd()", "t1", "A", 1.0, 0.5, 3)]
    text = export_csv({"sales": named}, {"sales": results})
    results_part, units_part = text.split("\n\n")
    table = list(csv.DictReader(io.StringIO(results_part)))
    assert table[0]["arm"] == "B" and float(table[0]["ci_low"]) == pytest.approx(low)
    assert table[0]["method"] == "welch" and table[0]["n_arm"] == "3"
    units = list(csv.DictReader(io.StringIO(units_part)))
    assert units == [
        {
            "metric": "sales",
            "unit": "'=cmd()",
            "cluster": "t1",
            "arm": "A",
            "value": "1.0",
            "pre": "0.5",
            "weight": "3",
        }
    ]


def test_the_server_does_not_load_statsmodels_until_an_analysis() -> None:
    code = (
        "import sys, wallboard.experiments.analysis, wallboard.experiments.power, "
        "wallboard.experiments.aa, wallboard.experiments.charts, wallboard.experiments.export, "
        "wallboard.experiments.demo_power; "
        "print(sorted(m for m in ('numpy', 'scipy', 'statsmodels') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


values = st.floats(min_value=-1e6, max_value=1e6) | st.floats(allow_nan=False, allow_infinity=False)
observation = st.builds(
    Observation,
    unit=st.text(min_size=1, max_size=3),
    cluster=st.sampled_from(["t1", "t2", "t3", "t4"]),
    arm=st.sampled_from(["A", "B", "C"]),
    value=values,
    pre=st.none() | values | st.sampled_from([0.0, 1.0]),
    weight=st.floats(min_value=0.01, max_value=1000),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(observation, max_size=14), st.booleans())
def test_any_rows_give_finite_intervals_or_say_why(
    observations: list[Observation], clustered: bool
) -> None:
    try:
        results = analyse(observations, ["A", "B", "C"], clustered=clustered)
    except AnalysisError:
        return
    for result in results.values():
        numbers = [result.effect, result.se, result.p_value, *result.ci]
        assert all(math.isfinite(x) for x in numbers), result
        assert result.ci[0] <= result.effect <= result.ci[1]
        assert 0 <= result.p_value <= 1
