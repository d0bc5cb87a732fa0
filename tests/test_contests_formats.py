"""Each contest format in the pure core, with concrete numbers: team battles,
1v1 challenges, races to a target and recurring runs (cups: test_contests_cup.py).

The default rules: 14 days' cancellation window, Europe/Berlin, a sale earns
10 points plus 0.1 a euro (a 100 EUR sale: 20 points)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scoring.contests.book import ContestBook, final_decisions
from scoring.contests.model import Contest, Run
from scoring.contests.standings import standings
from scoring.contests.tally import pending_sides
from tests.scoring_helpers import (
    Board,
    cancellation,
    challenge_answer,
    contact,
    contest,
    contest_end,
    logged,
    roster,
    sale,
)

MORNING = "2026-11-02T07:00:00Z"  # 08:00 in Berlin, a Monday
BEFORE = "2026-11-01T00:00:00Z"


def at(hour: int, minute: int = 0, day: int = 2) -> str:
    return f"2026-11-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def book(board: Board) -> ContestBook:
    return board.scorer.contests.book


def run_of(board: Board, contest_id: str, number: int = 1) -> Run:
    return book(board).contests[contest_id].runs[number - 1]


def of(board: Board, contest_id: str) -> Contest:
    return book(board).contests[contest_id]


def kinds(board: Board, *wanted: str) -> list[dict[str, Any]]:
    return [c for c in board.scorer.outbox.changes if c["kind"] in wanted]


def teams_roster() -> list[dict[str, Any]]:
    return [
        roster("a1", BEFORE, team="red", site="ber"),
        roster("a2", BEFORE, team="red", site="ber"),
        roster("a3", BEFORE, team="blue", site="lei"),
    ]


# Team battles ---------------------------------------------------------------


def test_a_team_battle_ranks_the_teams_and_is_final_when_the_last_sale_stands() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "derby", BEFORE, format="team_battle", starts=at(7), ends=at(17), teams=["red", "blue"]
        )
    )
    board.feed(
        sale("s1", at(8), agent="a1", revenue="100.00"),
        sale("s2", at(9), agent="a2", revenue="50.00"),
        sale("s3", at(10), agent="a3", revenue="120.00"),
    )
    run = run_of(board, "derby")
    assert run.state == "running"
    board.at(at(17, 30))  # the end plus the 30 minutes' grace
    assert run.state == "decided"
    board.feed(sale("s4", at(18), agent="a3", revenue="500.00"))  # after the end
    assert run.totals[0]["red"][3] == 15000 and run.totals[0]["blue"][3] == 12000
    assert run.places == {"": [["red"], ["blue"]]}
    assert [c["winners"] for c in kinds(board, "contest_provisional")] == [["red"]]
    board.at("2026-11-16T09:59:59Z")  # s1 and s2 confirmed, s3 still in its window
    assert run.state == "decided"
    assert pending_sides(board.scorer.state, of(board, "derby"), run) == {"blue"}
    board.at("2026-11-16T10:00:01Z")  # once the clock has passed its window's end
    assert run.state == "final"
    decided = kinds(board, "contest_decided")
    assert decided == [
        {
            "kind": "contest_decided",
            "contest": "derby",
            "run": 1,
            "format": "team_battle",
            "places": {"": [["red"], ["blue"]]},
            "stake": 0,
        }
    ]
    [result] = final_decisions(book(board))
    assert (result.contest, result.places, result.final) == (
        "derby",
        {"": [["red"], ["blue"]]},
        True,
    )


def test_a_cancellation_flips_a_provisional_result_visibly() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "derby", BEFORE, format="team_battle", starts=at(7), ends=at(17), sites=["ber", "lei"]
        ),
        sale("s1", at(8), agent="a1", revenue="200.00"),
        sale("s2", at(9), agent="a3", revenue="150.00"),
    )
    board.at(at(18))
    run = run_of(board, "derby")
    assert run.places == {"": [["ber"], ["lei"]]} and run.state == "decided"
    board.feed(cancellation("c1", "s1", at(9, day=3)))  # inside the window
    assert run.places == {"": [["lei"], ["ber"]]}
    assert kinds(board, "contest_revoked") == [
        {
            "kind": "contest_revoked",
            "contest": "derby",
            "run": 1,
            "participant": "ber",
            "agent": "a1",
            "sale": "s1",
            "amount": 200.0,
        }
    ]
    assert [c["winners"] for c in kinds(board, "contest_result")] == [["lei"]]
    assert run.state == "decided"  # s2 is still in its window
    board.at("2026-11-17T00:00:00Z")
    assert run.state == "final" and run.places == {"": [["lei"], ["ber"]]}


def test_equal_scores_share_a_place() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "even",
            BEFORE,
            format="team_battle",
            starts=at(7),
            ends=at(17),
            agents=["a1", "a2", "a3"],
        ),
        sale("s1", at(8), agent="a1", revenue="80.00"),
        sale("s2", at(9), agent="a2", revenue="80.00"),
        sale("s3", at(9), agent="a3", revenue="20.00"),
    )
    board.at(at(18))
    assert run_of(board, "even").places == {"": [["a1", "a2"], ["a3"]]}


def test_sales_made_before_the_contest_was_launched_count() -> None:
    board = Board(*teams_roster())
    board.feed(sale("s1", at(8), agent="a1", revenue="70.00"))
    board.feed(
        contest(
            "late", at(10), format="team_battle", starts=at(7), ends=at(17), agents=["a1", "a3"]
        )
    )
    rows = standings(board.scorer.state, of(board, "late"), run_of(board, "late"))
    assert [(r.participant, r.score, r.provisional) for r in rows] == [
        ("a1", 70.0, True),
        ("a3", 0.0, False),
    ]


def test_a_sale_reaching_the_log_after_the_grace_period_is_late() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "derby", BEFORE, format="team_battle", starts=at(7), ends=at(17), agents=["a1", "a3"]
        ),
        sale("s1", at(8), agent="a1", revenue="10.00"),
    )
    board.feed(sale("s2", at(16), agent="a3", revenue="90.00"), received=at(17, 29))
    board.feed(sale("s3", at(16), agent="a3", revenue="90.00"), received=at(17, 31))
    run = run_of(board, "derby")
    assert run.totals[0]["a3"][3] == 9000
    assert run.places == {"": [["a3"], ["a1"]]}


def test_contacts_resolved_count_at_once() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "service",
            BEFORE,
            format="team_battle",
            metric="contacts_resolved",
            starts=at(7),
            ends=at(17),
            teams=["red", "blue"],
        ),
        contact("k1", at(8), agent="a1", resolved=True),
        contact("k2", at(8, 5), agent="a3", resolved=True),
        contact("k3", at(8, 10), agent="a3", resolved=True),
        contact("k4", at(8, 15), agent="a3", resolved=False),
    )
    board.at(at(18))
    run = run_of(board, "service")
    assert run.places == {"": [["blue"], ["red"]]}
    assert run.state == "final"  # nothing rests on a sale in its window


def test_a_weighted_mix_adds_the_metrics_by_their_weights() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "mix",
            BEFORE,
            format="team_battle",
            metric="mix",
            weights={"sales": 10, "revenue": 0.5},
            starts=at(7),
            ends=at(17),
            agents=["a1", "a3"],
        ),
        sale("s1", at(8), agent="a1", revenue="100.00"),  # 10 + 50 = 60
        sale("s2", at(8), agent="a3", revenue="20.00"),  # 10 + 10
        sale("s3", at(9), agent="a3", revenue="20.00"),  # 10 + 10 = 40
    )
    rows = standings(board.scorer.state, of(board, "mix"), run_of(board, "mix"))
    assert [(r.participant, r.score, r.rank, r.provisional) for r in rows] == [
        ("a1", 60.0, 1, True),
        ("a3", 40.0, 2, True),
    ]


def test_a_contest_end_ends_it_early_and_a_second_launch_is_refused() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "derby", BEFORE, format="team_battle", starts=at(7), ends=at(17), agents=["a1", "a3"]
        ),
        sale("s1", at(8), agent="a1", revenue="10.00"),
        contest_end("derby", at(12)),
        sale("s2", at(13), agent="a3", revenue="90.00"),
        contest(
            "derby", at(13), format="race", starts=at(7), ends=at(17), agents=["a1", "a3"], target=5
        ),
    )
    run = run_of(board, "derby")
    assert run.ends == datetime.fromisoformat(at(12)).timestamp()
    assert "a3" not in run.totals[0]
    assert run.state == "decided" and run.places == {"": [["a1"], ["a3"]]}
    assert [c["error"] for c in kinds(board, "contest_error")] == [
        "contest 'derby' cannot change its format, target: it is over or past its end "
        "(only its name can change)"
    ]


def test_a_hidden_contest_is_scored_and_tells_screens_nothing_until_revealed() -> None:
    board = Board(*teams_roster())
    event = contest(
        "secret", BEFORE, format="team_battle", starts=at(7), ends=at(17), agents=["a1", "a3"]
    )
    board.feed({**event, "hidden": True}, sale("s1", at(8), agent="a1"))
    board.at("2026-11-20T00:00:00Z")
    assert run_of(board, "secret").state == "final"
    assert kinds(board, "contest_started", "contest_final", "contest_decided") == []
    board.feed({**event, "id": "reveal", "ts": "2026-11-20T01:00:00Z"})
    assert not of(board, "secret").hidden
    assert [c["kind"] for c in kinds(board, "contest_started", "contest_final")] == [
        "contest_started",
        "contest_final",
    ]


def test_whole_days_count_from_the_day_totals_and_a_late_sale_counts_in_nothing() -> None:
    board = Board(*teams_roster())
    # Monday 00:00 to Wednesday 00:00 in Berlin: two whole local days.
    board.feed(
        contest(
            "days",
            BEFORE,
            format="team_battle",
            starts="2026-11-01T23:00:00Z",
            ends="2026-11-03T23:00:00Z",
            teams=["red", "blue"],
        ),
        sale("s1", at(8), agent="a1", revenue="100.00"),
        sale("s2", at(9, day=3), agent="a3", revenue="150.00"),
        sale("s3", at(10, day=3), agent="a2", revenue="40.00"),
        cancellation("c3", "s3", at(11, day=3)),
    )
    found, run = of(board, "days"), run_of(board, "days")
    assert run.totals == [{}]  # nothing kept sale by sale
    rows = standings(board.scorer.state, found, run)
    assert [(r.participant, r.score, r.provisional) for r in rows] == [
        ("blue", 150.0, True),
        ("red", 100.0, True),
    ]
    assert [c["participant"] for c in kinds(board, "contest_revoked")] == ["red"]
    board.at("2026-11-03T23:30:00Z")
    assert run.places == {"": [["blue"], ["red"]]}
    # Made inside the window, reaching the log after its grace period: late.
    board.feed(sale("s4", at(12, day=3), agent="a1", revenue="500.00"), received=at(9, day=4))
    board.feed(cancellation("c4", "s4", at(10, day=4)))
    assert run.totals[0]["red"][3] == 10000 and run.places == {"": [["blue"], ["red"]]}
    assert [c["sale"] for c in kinds(board, "contest_revoked")] == ["s3"]
    board.feed(cancellation("c2", "s2", at(11, day=4)))
    assert run.places == {"": [["red"], ["blue"]]}
    assert [c["winners"] for c in kinds(board, "contest_result")] == [["red"]]


# Challenges -----------------------------------------------------------------


def duel(**extra: Any) -> dict[str, Any]:
    return contest(
        "duel",
        at(6),
        format="challenge",
        starts=at(7),
        ends=at(17),
        agents=["a1", "a3"],
        stake=50,
        **extra,
    )


def test_an_agents_challenge_waits_for_the_answer_and_counts_from_its_start() -> None:
    board = Board(*teams_roster())
    board.scorer.apply(logged(duel(), source="agent"))
    assert of(board, "duel").accepted is None
    assert kinds(board, "challenge_issued") == [
        {
            "kind": "challenge_issued",
            "contest": "duel",
            "challenger": "a1",
            "opponent": "a3",
            "stake": 50,
        }
    ]
    board.feed(sale("s1", at(8), agent="a3", revenue="40.00"))
    board.feed(
        challenge_answer("duel", at(9), accept=True),
        sale("s2", at(10), agent="a1", revenue="30.00"),
    )
    board.at(at(18))
    run = run_of(board, "duel")
    assert run.places == {"": [["a3"], ["a1"]]}
    assert kinds(board, "challenge_answered") == [
        {"kind": "challenge_answered", "contest": "duel", "accept": True}
    ]


def test_a_declined_challenge_ends_unplayed_and_a_later_answer_changes_nothing() -> None:
    board = Board(*teams_roster())
    board.scorer.apply(logged(duel(), source="agent"))
    board.feed(
        challenge_answer("duel", at(7), accept=False),
        challenge_answer("duel", at(8), accept=True),
        sale("s1", at(9), agent="a1"),
    )
    board.at(at(18))
    run = run_of(board, "duel")
    assert run.state == "declined" and run.places == {}
    assert [c["state"] for c in kinds(board, "contest_ended")] == ["declined"]


def test_an_unanswered_challenge_expires_and_a_withdrawn_one_ends() -> None:
    board = Board(*teams_roster())
    board.scorer.apply(logged(duel(), source="agent"))
    board.scorer.apply(logged({**duel(), "contest": "second"}, source="agent"))
    board.feed(contest_end("second", at(8)))
    board.at(at(18))
    assert run_of(board, "duel").state == "expired"
    assert run_of(board, "second").state == "withdrawn"


def test_a_manager_pairs_two_agents_without_an_answer_and_equal_scores_are_a_draw() -> None:
    board = Board(*teams_roster())
    board.feed(
        duel(),
        sale("s1", at(8), agent="a1", revenue="40.00"),
        sale("s2", at(9), agent="a3", revenue="40.00"),
    )
    board.at(at(18))
    assert of(board, "duel").accepted is True
    assert run_of(board, "duel").places == {"": [["a1", "a3"]]}


# Races ----------------------------------------------------------------------


def race_event(**extra: Any) -> dict[str, Any]:
    fields = {"agents": ["a1", "a2", "a3"], "target": 100, "places": 2, **extra}
    return contest("sprint", BEFORE, format="race", starts=at(7), ends=at(17), **fields)


def test_the_first_to_the_line_by_the_sales_time_wins_whatever_the_arrival_order() -> None:
    board = Board(*teams_roster(), race_event())
    board.feed(
        sale("s1", at(8), agent="a1", revenue="60.00"),
        sale("s2", at(10), agent="a1", revenue="50.00"),  # a1 at the line at 10:00
        sale("s3", at(9), agent="a2", revenue="100.00"),
    )
    # a3's sale arrives last but was made first
    board.feed(sale("s4", at(7, 30), agent="a3", revenue="150.00"), received=at(11))
    run = run_of(board, "sprint")
    assert {p: ts for p, (ts, _) in run.finishes.items()} == {
        "a3": run.starts + 1800,
        "a2": run.starts + 2 * 3600,
        "a1": run.starts + 3 * 3600,
    }
    board.at(at(18))
    assert run.places == {"": [["a3"], ["a2"]]}  # two places


def test_a_tie_at_the_line_is_a_shared_place_and_the_next_is_skipped() -> None:
    board = Board(*teams_roster(), race_event(places=3))
    board.feed(
        sale("s1", at(9), agent="a1", revenue="100.00"),
        sale("s2", at(9), agent="a2", revenue="120.00"),
        sale("s3", at(10), agent="a3", revenue="100.00"),
    )
    board.at(at(18))
    assert run_of(board, "sprint").places == {"": [["a1", "a2"], ["a3"]]}
    from scoring.contests import race

    assert race.order(run_of(board, "sprint")) == [(1, "a1"), (1, "a2"), (3, "a3")]


def test_an_agent_moved_during_the_day_races_for_the_new_site_from_then_on() -> None:
    sites = race_event(agents=None, sites=["ber", "lei"], metric="sales", target=3)
    del sites["agents"]
    board = Board(*teams_roster(), sites)
    board.feed(sale("s1", at(8), agent="a1"), sale("s2", at(8, 30), agent="a1"))
    # a1 moves from Berlin to Leipzig that morning: their later sales run for Leipzig
    board.feed(roster("a1", at(9), team="blue", site="lei"))
    board.feed(sale("s3", at(10), agent="a1"), sale("s4", at(11), agent="a3"))
    run = run_of(board, "sprint")
    assert {side: counts[1] for side, counts in run.totals[0].items()} == {"ber": 2, "lei": 2}
    board.feed(sale("s5", at(12), agent="a3"))
    assert run.finishes["lei"][0] == run.starts + 5 * 3600  # s5 at 12:00, its third
    assert "ber" not in run.finishes


def test_a_revoked_sale_takes_a_runner_back_from_the_line() -> None:
    board = Board(*teams_roster(), race_event())
    board.feed(
        sale("s1", at(8), agent="a1", revenue="100.00"),
        sale("s2", at(9), agent="a2", revenue="100.00"),
    )
    board.feed(cancellation("c1", "s1", at(12)))
    board.feed(sale("s3", at(13), agent="a1", revenue="100.00"))
    board.at(at(18))
    assert run_of(board, "sprint").places == {"": [["a2"], ["a1"]]}
    assert [(c["participant"], c["reached"]) for c in kinds(board, "race_finish")] == [
        ("a1", True),
        ("a2", True),
        ("a1", False),
        ("a1", True),
    ]


# Recurring ------------------------------------------------------------------


def test_a_daily_contest_archives_each_run_with_its_winners() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "daily",
            BEFORE,
            format="team_battle",
            starts=at(7),
            ends=at(17),
            agents=["a1", "a3"],
            repeat="daily",
        )
    )
    for day, (agent, other) in enumerate([("a1", "a3"), ("a3", "a1"), ("a1", "a3")], start=2):
        board.feed(
            sale(f"w{day}", at(9, day=day), agent=agent, revenue="90.00"),
            sale(f"l{day}", at(10, day=day), agent=other, revenue="10.00"),
        )
    board.at("2026-11-25T00:00:00Z")
    runs = of(board, "daily").runs
    finished = [run for run in runs if run.state == "final"]
    assert [(run.number, run.places[""][0]) for run in finished] == [
        (1, ["a1"]),
        (2, ["a3"]),
        (3, ["a1"]),
    ] + [(n, ["a1", "a3"]) for n in range(4, len(finished) + 1)]
    # each run is the same local hours, a day later
    assert runs[1].starts - runs[0].starts == 86400
    # a run with no sales pending is final at once; the first three waited for theirs
    assert sorted(d.run for d in final_decisions(book(board)))[:3] == [1, 2, 3]


def test_a_weekly_contest_keeps_its_local_hours_across_the_change_of_time() -> None:
    board = Board(*teams_roster())
    board.feed(
        contest(
            "weekly",
            "2026-10-01T00:00:00Z",
            format="team_battle",
            starts="2026-10-19T07:00:00Z",  # 09:00 summer time in Berlin
            ends="2026-10-19T15:00:00Z",
            agents=["a1", "a3"],
            repeat="weekly",
        )
    )
    board.at("2026-10-27T00:00:00Z")
    runs = of(board, "weekly").runs
    assert runs[1].starts - runs[0].starts == 7 * 86400 + 3600  # 09:00 winter time
