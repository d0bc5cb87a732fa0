"""The experiments' intervals checked against the truth, over many simulated experiments.

Each scenario runs ``RUNS`` seeded experiments through ``analyse`` itself. A
rate estimated from ``RUNS`` runs has a binomial standard deviation of
sqrt(0.05 * 0.95 / RUNS) around a true 5 % (0.49 points at 2,000 runs); the
tolerance is three of them (1.46 points). The figures are in the README
("Experiments: how the analysis was checked").

The company: agents whose levels differ (lognormal, as the simulator's
skills), sales per agent-day around 2, counted over 20 days (Poisson), the
same agents' 20 days before as the pre-period. Arm B sells 8 % more when it
has an effect.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from wallboard.experiments.aa import aa_check
from wallboard.experiments.analysis import Observation, analyse
from wallboard.experiments.sequential import always_valid_half_width

RUNS = 2000
ALPHA = 0.05
TOLERANCE = 3 * math.sqrt(ALPHA * (1 - ALPHA) / RUNS)
AGENTS = 150
DAYS = 20
BASE = 2.0
SKILL_SD = 0.45
EFFECT = 0.08
TEAMS, TEAM_SIZE, TEAM_SHOCK_SD = 12, 12, 0.35
#: the demo company's six sites and their heads
SITE_SIZES = (38, 32, 27, 23, 17, 13)


def true_effect(team_shocks: bool = False) -> float:
    """Arm B minus arm A in sales per agent-day, over the company the agents come from."""
    level = BASE * math.exp(SKILL_SD**2 / 2)
    if team_shocks:
        level *= math.exp(TEAM_SHOCK_SD**2 / 2)
    return EFFECT * level


def agents_experiments(rng: np.random.Generator, effect: float) -> tuple[np.ndarray, ...]:
    """``RUNS`` experiments at once: values, pre-period values and arms (0 or 1)."""
    level = BASE * rng.lognormal(0, SKILL_SD, (RUNS, AGENTS))
    arm = (rng.random((RUNS, AGENTS)).argsort(axis=1) < AGENTS // 2).astype(int)
    value = rng.poisson(level * (1 + effect * arm) * DAYS) / DAYS
    pre = rng.poisson(level * DAYS) / DAYS
    return value, pre, arm


def teams_experiments(rng: np.random.Generator, effect: float) -> tuple[np.ndarray, ...]:
    """Teams assigned: half the teams to B; each team has a shock of its own in
    the window (a team lead, a contest) that the pre-period does not know."""
    team = np.repeat(np.arange(TEAMS), TEAM_SIZE)
    level = BASE * rng.lognormal(0, SKILL_SD, (RUNS, TEAMS * TEAM_SIZE))
    shock = rng.lognormal(0, TEAM_SHOCK_SD, (RUNS, TEAMS))[:, team]
    treated_teams = rng.random((RUNS, TEAMS)).argsort(axis=1) < TEAMS // 2
    arm = treated_teams[:, team].astype(int)
    value = rng.poisson(level * shock * (1 + effect * arm) * DAYS) / DAYS
    pre = rng.poisson(level * DAYS) / DAYS
    return value, pre, arm, np.broadcast_to(team, arm.shape)


def sites_experiments(rng: np.random.Generator, effect: float) -> tuple[np.ndarray, ...]:
    """Sites assigned, three an arm, each site with a shock of its own."""
    site = np.repeat(np.arange(len(SITE_SIZES)), SITE_SIZES)
    level = BASE * rng.lognormal(0, SKILL_SD, (RUNS, len(site)))
    shock = rng.lognormal(0, TEAM_SHOCK_SD, (RUNS, len(SITE_SIZES)))[:, site]
    treated_sites = rng.random((RUNS, len(SITE_SIZES))).argsort(axis=1) < len(SITE_SIZES) // 2
    arm = treated_sites[:, site].astype(int)
    value = rng.poisson(level * shock * (1 + effect * arm) * DAYS) / DAYS
    return value, arm, np.broadcast_to(site, arm.shape)


def intervals(
    value: np.ndarray,
    pre: np.ndarray | None,
    arm: np.ndarray,
    cluster: np.ndarray | None,
    clustered: bool,
) -> tuple[np.ndarray, set[str]]:
    """Each run's interval for B minus A (rows of [low, high]) and the methods used."""
    ends, methods = [], set()
    for run in range(len(value)):
        observations = [
            Observation(
                unit=f"agent-{n}",
                cluster=f"team-{cluster[run, n]}" if cluster is not None else f"agent-{n}",
                arm="AB"[arm[run, n]],
                value=float(value[run, n]),
                pre=float(pre[run, n]) if pre is not None else None,
                weight=DAYS,
            )
            for n in range(value.shape[1])
        ]
        result = analyse(observations, ["A", "B"], clustered=clustered, alpha=ALPHA)["B"]
        ends.append(result.ci)
        methods.add(result.method)
    return np.array(ends), methods


def share_covering(ends: np.ndarray, truth: float) -> float:
    return float(np.mean((ends[:, 0] <= truth) & (truth <= ends[:, 1])))


@pytest.mark.parametrize(("with_pre", "method"), [(False, "welch"), (True, "ols-hc3+cuped")])
def test_without_an_effect_about_5_percent_of_intervals_exclude_zero(
    with_pre: bool, method: str
) -> None:
    value, pre, arm = agents_experiments(np.random.default_rng(2301), effect=0.0)
    ends, methods = intervals(value, pre if with_pre else None, arm, None, clustered=False)
    false_positives = 1 - share_covering(ends, 0.0)
    assert methods == {method}
    assert abs(false_positives - ALPHA) <= TOLERANCE, false_positives


@pytest.mark.parametrize(("with_pre", "method"), [(False, "welch"), (True, "ols-hc3+cuped")])
def test_a_known_effect_is_covered_about_95_percent_of_the_time(
    with_pre: bool, method: str
) -> None:
    value, pre, arm = agents_experiments(np.random.default_rng(2302), effect=EFFECT)
    ends, methods = intervals(value, pre if with_pre else None, arm, None, clustered=False)
    coverage = share_covering(ends, true_effect())
    assert methods == {method}
    assert abs(coverage - (1 - ALPHA)) <= TOLERANCE, coverage


@pytest.mark.parametrize(("with_pre", "method"), [(False, "ols-cr2"), (True, "ols-cr2+cuped")])
def test_teams_assigned_cluster_robust_intervals_keep_coverage_and_naive_ones_do_not(
    with_pre: bool, method: str
) -> None:
    value, pre, arm, team = teams_experiments(np.random.default_rng(2303), effect=EFFECT)
    pre_or_none = pre if with_pre else None
    robust, methods = intervals(value, pre_or_none, arm, team, clustered=True)
    naive, _ = intervals(value, pre_or_none, arm, team, clustered=False)
    truth = true_effect(team_shocks=True)
    assert methods == {method}
    assert abs(share_covering(robust, truth) - (1 - ALPHA)) <= TOLERANCE, share_covering(
        robust, truth
    )
    assert share_covering(naive, truth) < 1 - ALPHA - 0.25, share_covering(naive, truth)


def test_six_sites_assigned_cr2_keeps_coverage_where_cr1_with_g_minus_1_does_not() -> None:
    """The demo company's six sites, three an arm: the usual cluster-robust
    interval (statsmodels' CR1, t with G - 1 = 5 degrees of freedom) is too
    narrow with so few clusters; the analysis' CR2 with Bell-McCaffrey degrees
    of freedom is not."""
    import statsmodels.api as sm

    value, arm, site = sites_experiments(np.random.default_rng(2306), effect=EFFECT)
    robust, methods = intervals(value, None, arm, site, clustered=True)
    usual = []
    for run in range(RUNS):
        design = sm.add_constant(arm[run].astype(float))
        fit = sm.WLS(value[run], design, weights=np.full(len(design), DAYS)).fit(
            cov_type="cluster", cov_kwds={"groups": site[run]}, use_t=True
        )
        usual.append(fit.conf_int(ALPHA)[1])
    truth = true_effect(team_shocks=True)
    assert methods == {"ols-cr2"}
    assert abs(share_covering(robust, truth) - (1 - ALPHA)) <= TOLERANCE, share_covering(
        robust, truth
    )
    assert share_covering(np.array(usual), truth) < 1 - ALPHA - TOLERANCE


def test_looking_every_day_fixed_intervals_find_false_effects_always_valid_ones_do_not() -> None:
    """No effect, the report looked at on each of 20 days, stopped at the first
    interval without zero. The running Welch estimate is computed here for all
    runs and days at once; the always-valid half-width is the product's."""
    rng = np.random.default_rng(2304)
    level = BASE * rng.lognormal(0, SKILL_SD, (RUNS, AGENTS, 1))
    arm = rng.random((RUNS, AGENTS)).argsort(axis=1) < AGENTS // 2
    daily = rng.poisson(np.broadcast_to(level, (RUNS, AGENTS, DAYS)))
    running = daily.cumsum(axis=2) / np.arange(1, DAYS + 1)
    effect, se = running_welch(running, arm)
    from scipy import stats

    fixed_half = stats.norm.ppf(1 - ALPHA / 2) * se
    control_mean = BASE * math.exp(SKILL_SD**2 / 2)
    valid_half = always_valid_half_width(se, ALPHA, mixture_sd=0.05 * control_mean)
    fixed_stops = np.any(np.abs(effect) > fixed_half, axis=1).mean()
    valid_stops = np.any(np.abs(effect) > valid_half, axis=1).mean()
    # the fixed interval is right at the last day alone
    assert abs(np.mean(np.abs(effect[:, -1]) > fixed_half[:, -1]) - ALPHA) <= TOLERANCE
    assert fixed_stops > 2 * ALPHA, fixed_stops
    assert valid_stops <= ALPHA + TOLERANCE, valid_stops


def running_welch(running: np.ndarray, arm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """B minus A and its Welch standard error, for every run and day."""
    treated = arm[:, :, None]
    parts = []
    for mask in (~treated, treated):
        count = mask.sum(axis=1)
        mean = np.where(mask, running, 0).sum(axis=1) / count
        square = np.where(mask, (running - mean[:, None, :]) ** 2, 0).sum(axis=1)
        parts.append((mean, square / (count - 1) / count))
    (mean_a, var_a), (mean_b, var_b) = parts
    return mean_b - mean_a, np.sqrt(var_a + var_b)


def test_the_aa_check_finds_about_5_percent_and_catches_ignored_teams() -> None:
    rng = np.random.default_rng(2305)
    team = np.repeat(np.arange(TEAMS), TEAM_SIZE)
    level = BASE * rng.lognormal(0, SKILL_SD, TEAMS * TEAM_SIZE)
    shock = rng.lognormal(0, TEAM_SHOCK_SD, TEAMS)[team]
    value = rng.poisson(level * shock * DAYS) / DAYS
    observations = [
        Observation(f"agent-{n}", f"team-{team[n]}", "A", float(value[n]), weight=DAYS)
        for n in range(len(value))
    ]
    by_teams = aa_check(observations, clustered=True, splits=RUNS, seed=1)
    assert by_teams.method == "ols-cr2"
    assert by_teams.passed, by_teams.rate
    # The same agents split one by one are fine; analysed one by one when
    # their teams were split, the check fails loudly.
    assert aa_check(observations, clustered=False, splits=RUNS, seed=2).passed
    ignoring_teams = aa_check_teams_split_naively(observations, rng)
    assert ignoring_teams > by_teams.limit + 0.1, ignoring_teams


def aa_check_teams_split_naively(
    observations: list[Observation], rng: np.random.Generator
) -> float:
    """Teams split in halves, each split analysed as if agents had been assigned."""
    teams = sorted({o.cluster for o in observations})
    found = 0
    for _ in range(RUNS // 4):
        treated = set(rng.permutation(teams)[: len(teams) // 2])
        split = [
            Observation(o.unit, o.cluster, "B" if o.cluster in treated else "A", o.value)
            for o in observations
        ]
        low, high = analyse(split, ["A", "B"], clustered=False)["B"].ci
        found += not low <= 0 <= high
    return found / (RUNS // 4)
