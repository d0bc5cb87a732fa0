"""A contest event is checked at the door, each refusal naming the field and what
was expected."""

from __future__ import annotations

from typing import Any

import pytest

from scoring.events import InvalidEvent, validate

BASE = {
    "id": "c-1",
    "type": "contest",
    "ts": "2026-11-02T07:00:00Z",
    "contest": "c",
    "name": "C",
    "metric": "revenue",
    "starts": "2026-11-02T08:00:00Z",
    "ends": "2026-11-02T16:00:00Z",
}


def problems(**fields: Any) -> dict[str, str]:
    with pytest.raises(InvalidEvent) as refused:
        validate({**BASE, **fields})
    return refused.value.problems


def test_a_race_without_a_target_is_refused() -> None:
    assert problems(format="race", agents=["a", "b"]) == {
        "target": "required for a race: the line to reach, in the metric's unit"
    }


@pytest.mark.parametrize("count", [3, 65])
def test_a_cup_takes_4_to_64(count: int) -> None:
    agents = [f"a{n}" for n in range(count)]
    assert problems(format="cup", agents=agents) == {
        "agents": f"expected 4 to 64 participants in a cup, got {count}"
    }


def test_a_challenge_is_between_two_different_agents() -> None:
    assert problems(format="challenge", agents=["a", "a"]) == {
        "agents": "expected [challenger, opponent], two different agents, got 'a' twice"
    }
    assert problems(format="challenge", agents=["a", "b", "c"]) == {
        "agents": "expected [challenger, opponent], two agents, got 3"
    }
    assert problems(format="team_battle", agents=["a", "b", "a"]) == {
        "agents": "expected distinct participants, got 'a' twice"
    }


def test_ends_before_starts_is_refused() -> None:
    assert problems(format="team_battle", agents=["a", "b"], ends="2026-11-02T07:00:00Z") == {
        "ends": "expected a time after starts (2026-11-02T08:00:00Z), got 2026-11-02T07:00:00Z"
    }


def test_participants_come_one_way() -> None:
    assert (
        problems(format="team_battle")["agents"]
        == "required unless teams or sites or groups is given"
    )
    assert problems(format="team_battle", agents=["a", "b"], teams=["t", "u"]) == {
        "teams": "expected one of agents, teams, sites or groups, got agents and teams"
    }


def test_fields_of_another_format_are_refused() -> None:
    assert problems(format="team_battle", agents=["a", "b"], stake=5) == {
        "stake": "expected only in a challenge, got it in a team_battle"
    }


def test_fairness_needs_what_it_ranks_by() -> None:
    assert problems(
        format="team_battle", agents=["a", "b"], fairness="target", targets={"a": 5}
    ) == {
        "targets": "expected a target for each participant and no other, got none for ['b'] "
        "and one for []"
    }
    assert problems(format="team_battle", agents=["a", "b"], fairness="per_head") == {
        "fairness": "expected teams, sites or groups for per_head: an agent is one head"
    }
    assert problems(format="race", agents=["a", "b"], target=5, fairness="cohort") == {
        "fairness": "expected one of none, target, per_head for a race, got cohort"
    }
    assert problems(format="team_battle", agents=["a", "b"], fairness="cohort") == {
        "cohort": "required for fairness cohort: tenure or team"
    }


def test_mix_needs_weights_of_known_metrics() -> None:
    assert problems(format="team_battle", agents=["a", "b"], metric="mix") == {
        "weights": "required for the mix metric: what each metric weighs"
    }
    assert "weights" in problems(
        format="team_battle", agents=["a", "b"], metric="mix", weights={"calls": 1}
    )


def test_a_cup_checks_its_seeding_and_rounds() -> None:
    agents = ["a", "b", "c", "d"]
    assert problems(format="cup", agents=agents, seeding=["a", "b", "c", "x"]) == {
        "seeding": "expected the cup's 4 participants in seed order"
    }
    assert problems(format="cup", agents=agents, rounds=[[BASE["starts"], BASE["ends"]]]) == {
        "rounds": "expected 2 windows (rounds times legs), got 1"
    }
    assert problems(format="cup", agents=agents, away_goals=True) == {
        "away_goals": "expected only with legs: 2 (away scores need two legs)"
    }


def test_groups_hold_each_agent_once() -> None:
    assert problems(format="team_battle", groups={"x": ["a", "b"], "y": ["b"]}) == {
        "groups": "expected each agent in one group, got 'b' in 'x' and 'y'"
    }


def test_a_repeated_run_fits_in_its_repeat() -> None:
    assert problems(
        format="team_battle", agents=["a", "b"], repeat="daily", ends="2026-11-04T08:00:00Z"
    ) == {
        "repeat": "expected a run of at most a day for a daily contest, "
        "got 2.0 days from starts to ends"
    }


def test_a_valid_contest_passes_as_sent() -> None:
    event = {
        **BASE,
        "format": "cup",
        "sites": ["a", "b", "c", "d", "e"],
        "legs": 2,
        "away_goals": True,
    }
    assert validate(event) == event
    validate(
        {"id": "x", "type": "challenge_answer", "ts": BASE["ts"], "contest": "c", "accept": True}
    )
    validate({"id": "y", "type": "contest_end", "ts": BASE["ts"], "contest": "c"})
