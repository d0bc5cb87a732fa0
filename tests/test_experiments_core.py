"""Experiments in the pure core: the event's contract, the seeded assignment, and
each arm's agents scored by the arm's rules, live as in a replay."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.events import InvalidEvent, validate
from scoring.experiments.assignment import assign, verify
from scoring.scorer import Scorer
from scoring.snapshot import from_data, state_hash, to_data
from scoring.views import agent_view
from tests.scoring_helpers import Event, logged, roster, rules, sale, tick, whole_rules
from tests.test_scoring_replay import (
    FINAL,
    PREFIX,
    RECEIVED,
    Stream,
    fold,
    season_totals,
    streams,
)

SEED = bytes(range(32))
CONTROL = whole_rules(sale={"products": {"*": {"base": 2, "per_euro": 1}}})
BOOSTED = whole_rules(
    sale={"products": {"*": {"base": 10, "per_euro": 2}}},
    commission={"*": {"fixed": 5, "percent": 20}},
)


def experiment(**extra: Any) -> Event:
    return {
        "id": "exp-commission",
        "type": "experiment",
        "ts": "2026-11-01T00:00:00Z",
        "experiment": "commission",
        "name": "Higher commission",
        "arms": [{"arm": "A", "rules": CONTROL}, {"arm": "B", "rules": BOOSTED}],
        "unit": "agent",
        "strata": ["site"],
        "metric": "sales_per_agent_day",
        "guardrails": ["cancellation_rate", "quality"],
        "starts": "2026-11-01T00:00:00Z",
        "ends": "2026-12-31T00:00:00Z",
        "seed_hash": hashlib.sha256(SEED).hexdigest(),
        **extra,
    }


def assignment(agents: dict[str, str]) -> Event:
    return {
        "id": "experiment-assignment-commission",
        "type": "experiment_assignment",
        "ts": "2026-11-01T00:00:00Z",
        "experiment": "commission",
        "assignment": agents,
        "strata": dict.fromkeys(agents, "berlin"),
        "agents": agents,
    }


# The contract -----------------------------------------------------------------


def problems(event: Event) -> dict[str, str]:
    with pytest.raises(InvalidEvent) as caught:
        validate(event)
    return caught.value.problems


def test_a_valid_experiment_passes_and_keeps_its_arms() -> None:
    clean = validate(experiment())
    assert [arm["arm"] for arm in clean["arms"]] == ["A", "B"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"arms": [{"arm": "A", "rules": CONTROL}]}, "arms", "2 to 6 arms"),
        (
            {"arms": [{"arm": "A", "rules": CONTROL}, {"arm": "A", "rules": BOOSTED}]},
            "arms",
            "'A' names two arms",
        ),
        (
            {"arms": [{"arm": "A", "rules": CONTROL}, {"arm": "B", "rules": {"weights": {}}}]},
            "arms",
            "arms[1].rules: missing",
        ),
        (
            {
                "arms": [
                    {"arm": "A", "rules": CONTROL},
                    {"arm": "B", "rules": {**BOOSTED, "cancellation_window_days": -1}},
                ]
            },
            "arms",
            "arms[1].rules.cancellation_window_days",
        ),
        ({"unit": "desk"}, "unit", "agent, team, site"),
        ({"metric": "happiness"}, "metric", "sales_per_agent_day"),
        ({"ends": "2026-10-01T00:00:00Z"}, "ends", "after starts"),
        ({"unit": "site", "strata": ["tenure"]}, "strata", "a site unit is balanced by"),
        ({"guardrails": ["sales_per_agent_day"]}, "guardrails", "primary metric already"),
    ],
)
def test_a_bad_experiment_names_the_field(change: Event, field: str, words: str) -> None:
    found = problems(experiment(**change))
    assert words in found[field]


def test_only_the_service_writes_experiments() -> None:
    from scoring.events import MANAGER_TYPES

    assert "experiment" not in MANAGER_TYPES
    assert "experiment_assignment" not in MANAGER_TYPES


# The assignment ---------------------------------------------------------------


def test_the_assignment_is_balanced_within_each_stratum_and_reproducible() -> None:
    strata = {f"a{n:02d}": ("ber" if n < 7 else "ham") for n in range(12)}
    first = assign(SEED, strata, ["A", "B"])
    assert first == assign(SEED, strata, ["A", "B"])
    for site, size in (("ber", 7), ("ham", 5)):
        arms = [first[u] for u, s in strata.items() if s == site]
        assert abs(arms.count("A") - arms.count("B")) == 1
        assert len(arms) == size
    # The whole is balanced too: the second stratum starts where the first ended.
    assert list(first.values()).count("A") == 6
    assert assign(bytes(32), strata, ["A", "B"]) != first


def test_a_known_seed_gives_a_known_assignment() -> None:
    strata = {"ann": "", "ben": "", "cem": "", "dora": ""}
    assert assign(SEED, strata, ["A", "B"]) == {
        "ann": "B",
        "ben": "A",
        "cem": "B",
        "dora": "A",
    }


def independent_assign(seed: bytes, strata: dict[str, str], arms: list[str]) -> dict[str, str]:
    """The README's steps, written again from the text alone."""
    counter = 0

    def block() -> int:
        nonlocal counter
        digest = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        counter += 1
        return int.from_bytes(digest, "big")

    out: dict[str, str] = {}
    turn = 0
    for label in sorted(set(strata.values())):
        units = sorted(u for u, s in strata.items() if s == label)
        for i in range(len(units) - 1, 0, -1):
            limit = 2**256 - 2**256 % (i + 1)
            x = block()
            while x >= limit:
                x = block()
            j = x % (i + 1)
            units[i], units[j] = units[j], units[i]
        for unit in units:
            out[unit] = arms[turn % len(arms)]
            turn += 1
    return out


@given(
    strata=st.dictionaries(st.text("abcxyz", min_size=1, max_size=4), st.sampled_from("pqr")),
    arms=st.sampled_from([["A", "B"], ["A", "B", "C"]]),
    seed=st.binary(min_size=32, max_size=32),
)
def test_the_documented_steps_give_the_services_assignment(
    strata: dict[str, str], arms: list[str], seed: bytes
) -> None:
    assert assign(seed, strata, arms) == independent_assign(seed, strata, arms)


def test_verify_checks_the_seed_against_its_hash_and_the_assignment() -> None:
    strata = {"ann": "x", "ben": "x", "cem": "y"}
    done = assign(SEED, strata, ["A", "B"])
    published = hashlib.sha256(SEED).hexdigest()
    assert verify(SEED.hex(), published, strata, ["A", "B"], done)
    assert not verify(bytes(32).hex(), published, strata, ["A", "B"], done)
    swapped = {unit: ("B" if arm == "A" else "A") for unit, arm in done.items()}
    assert not verify(SEED.hex(), published, strata, ["A", "B"], swapped)
    assert not verify("not hex", published, strata, ["A", "B"], done)


# Scoring by the arm's rules -----------------------------------------------------


def scored(events: list[Event]) -> Scorer:
    scorer = Scorer()
    for event in events:
        scorer.apply(logged(event))
    return scorer


BASE = [
    rules("company", "2026-10-01T00:00:00Z", sale={"products": {"*": {"base": 1, "per_euro": 0}}}),
    roster("a1", "2026-10-01T00:00:00Z", team="t1", site="berlin"),
    roster("a2", "2026-10-01T00:00:00Z", team="t1", site="berlin"),
    roster("a3", "2026-10-01T00:00:00Z", team="t1", site="berlin"),
]


def test_each_arm_scores_its_agents_by_its_rules_inside_the_window_only() -> None:
    scorer = scored(
        [
            *BASE,
            sale("before", "2026-10-20T10:00:00Z", agent="a2", revenue="10.00"),
            experiment(),
            assignment({"a1": "A", "a2": "B"}),
            sale("s1", "2026-11-02T10:00:00Z", agent="a1", revenue="10.00"),
            sale("s2", "2026-11-02T10:00:00Z", agent="a2", revenue="10.00"),
            sale("s3", "2026-11-02T10:00:00Z", agent="a3", revenue="10.00"),
            sale("after", "2026-12-31T10:00:00Z", agent="a2", revenue="10.00"),
        ]
    )
    sales = scorer.state.sales
    # A: 2 + 1 x 10 = 12; B: 10 + 2 x 10 = 30 and 5 + 20 % of 10 = 7 euros; a3 in no arm: 1.
    assert (sales["crm:s1"].points, sales["crm:s1"].rules) == (1200, "commission/A")
    assert (sales["crm:s2"].points, sales["crm:s2"].commission) == (3000, 700)
    assert sales["crm:s3"].points == 100
    assert sales["crm:before"].points == sales["crm:after"].points == 100
    # The agent's own page explains the sale by their arm's rules.
    recent = agent_view(scorer, "a2")["recent"]
    assert any(row.get("rules") == "commission/B" for row in recent)


def test_no_arm_rules_before_the_assignment() -> None:
    scorer = scored([*BASE, experiment(), sale("s1", "2026-11-02T10:00:00Z", agent="a2")])
    assert scorer.state.sales["crm:s1"].rules == "company"


PREFIX_WITH_EXPERIMENT = (*PREFIX, experiment(), assignment({"a1": "A", "a2": "B"}))


def at_once(events: list[Event]) -> Scorer:
    """The prefix, then ``events`` all received at the same moment, then a final tick."""
    scorer = Scorer()
    for event in PREFIX_WITH_EXPERIMENT:
        scorer.apply(logged(event))
    for event in events:
        scorer.apply(logged(event, received=RECEIVED))
    scorer.apply(tick(FINAL))
    return scorer


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams(), data=st.data())
def test_arm_scoring_does_not_depend_on_arrival_order_or_snapshots(
    stream: Stream, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(stream.log), label="arrival order")
    in_order, in_arrival = at_once(stream.log), at_once(shuffled)
    assert season_totals(in_order) == season_totals(in_arrival)

    log = [logged(event) for event in PREFIX_WITH_EXPERIMENT] + [logged(e) for e in stream.log]
    log.append(tick("2027-01-31T00:00:00Z"))
    whole = fold(log)
    split = data.draw(st.integers(0, len(log)), label="snapshot after")
    restored = from_data(orjson.loads(orjson.dumps(to_data(fold(log[:split])))))
    assert state_hash(fold(log[split:], restored)) == state_hash(whole)
    assert whole.state.timeline.rules_version("commission/B").sales_weight == 1.0


def test_an_agents_page_shows_the_gates_of_their_arm() -> None:
    gated = whole_rules(gates={"month": {"min_sales": 3}})
    scorer = scored(
        [
            *BASE,
            experiment(arms=[{"arm": "A", "rules": CONTROL}, {"arm": "B", "rules": gated}]),
            assignment({"a1": "A", "a2": "B"}),
            sale("s1", "2026-11-02T10:00:00Z", agent="a2"),
        ]
    )
    in_b = agent_view(scorer, "a2")["periods"]["month"]["gates"]
    assert [check["gate"] for check in in_b["checks"]] == ["min_sales"]
    assert in_b["eligible"] is False
    assert agent_view(scorer, "a1")["periods"]["month"]["gates"]["checks"] == []


def test_a_hand_written_assignment_in_the_log_is_ignored() -> None:
    forged = logged(assignment({"a1": "A", "a2": "B"}), source="manage")
    scorer = scored([*BASE, experiment()])
    scorer.apply(forged)
    scorer.apply(logged(sale("s1", "2026-11-02T10:00:00Z", agent="a2")))
    assert scorer.state.timeline.experiments["commission"].assigned is None
    assert scorer.state.sales["crm:s1"].rules == "company"


def test_the_strata_are_read_off_the_roster_and_the_last_month_at_the_start() -> None:
    from scoring.experiments.units import members, strata

    scorer = scored(
        [
            roster("old", "2025-01-05T08:00:00Z", team="t1", site="ber"),
            roster("mid", "2026-06-01T08:00:00Z", team="t2", site="lei"),
            roster("new", "2026-10-20T08:00:00Z", team="t1", site="ber"),
            roster("gone", "2026-01-01T08:00:00Z", team="t1", site="ber", active=False),
            *(sale(f"o{n}", f"2026-10-2{n}T10:00:00Z", agent="old") for n in range(3)),
            sale("m1", "2026-10-25T10:00:00Z", agent="mid"),
            sale("x", "2026-09-01T10:00:00Z", agent="new"),  # more than 30 days before
        ]
    )
    day = "2026-11-01"
    assert strata(scorer.state, "agent", ["tenure"], day) == {
        "mid": "under-1-year",
        "new": "under-90-days",
        "old": "over-1-year",
    }
    assert strata(scorer.state, "agent", ["site", "last_month_sales"], day) == {
        "mid": "lei|middle",
        "new": "ber|low",
        "old": "ber|high",
    }
    assert strata(scorer.state, "team", ["site"], day) == {"t1": "ber", "t2": "lei"}
    assert members(scorer.state, "team", day) == {"mid": "t2", "new": "t1", "old": "t1"}
