"""The fold keeps caches on its hot path: the club an agent's sale plays for on
a day, the matches a club's sale at a moment plays in, and each club's standing
goals in a match. None may ever change a figure: late sales for an earlier
match, agents who move sites, clock jumps, forfeits and cancellations give the
state a fold without caches gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scoring.log import format_ts
from scoring.scorer import Scorer
from scoring.snapshot import state_hash
from tests.scoring_helpers import Event, cancellation, logged, roster, sale

START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # a Monday, 08:00 in Berlin
SITES = ("ber", "lei", "ham")
AGENTS = ("a0", "a1", "a2", "a3", "a4")


def league_season() -> Event:
    return logged(
        {
            "id": "league",
            "type": "league_season",
            "ts": "2026-11-20T00:00:00Z",
            "season": "w48",
            "name": "Week 48",
            "starts": "2026-11-23",
            "double": False,
            "goal_every": 2,
            "grace_minutes": 120,
            "clubs": [{"club": site, "name": site.title(), "heads": 2} for site in SITES],
        }
    )


class Uncached(Scorer):
    """The fold with every cache emptied before every event."""

    def apply(self, event: dict[str, Any], offset: int | None = None) -> None:
        self.league.placements._kept.clear()
        self.prizes.book.active = None
        self.league.league._open.clear()
        self.league.league._standing_goals.clear()
        super().apply(event, offset)


step = st.tuples(
    st.sampled_from(["sale", "sale", "sale", "late sale", "move", "cancel", "forfeit"]),
    st.sampled_from(AGENTS),
    st.integers(0, 600),  # minutes the log's clock moves on
    st.integers(0, 2 * 24 * 60),  # how late a late sale is, in minutes
    st.sampled_from(SITES),
)


def stream(steps: list[tuple[str, str, int, int, str]]) -> list[Event]:
    events = [league_season()]
    events += [
        logged(roster(agent, "2026-11-20T00:00:00Z", team="t", site=SITES[n % 3]))
        for n, agent in enumerate(AGENTS)
    ]
    clock = START
    sales: list[str] = []
    for n, (kind, agent, minutes, lateness, site) in enumerate(steps):
        clock += timedelta(minutes=minutes)
        now = format_ts(clock)
        if kind == "sale" or kind == "late sale":
            ts = clock - timedelta(minutes=lateness if kind == "late sale" else 0)
            events.append(
                logged(sale(f"s{n}", format_ts(ts), agent=agent, revenue="80.00"), received=now)
            )
            sales.append(f"s{n}")
        elif kind == "move":
            day = clock.astimezone(UTC).date().isoformat()
            events.append(logged(roster(agent, f"{day}T12:00:00Z", team="t", site=site)))
        elif kind == "cancel" and sales:
            events.append(logged(cancellation(f"c{n}", sales[lateness % len(sales)], now)))
        elif kind == "forfeit":
            events.append(
                logged(
                    {
                        "id": f"f{n}",
                        "type": "forfeit",
                        "ts": now,
                        "season": "w48",
                        "match": f"{1 + lateness % 3}:{'-'.join(sorted(SITES)[:2])}",
                        "club": sorted(SITES)[0],
                    },
                    received=now,
                )
            )
    return events


def fold(scorer: Scorer, events: list[Event]) -> Scorer:
    for offset, event in enumerate(events, 1):
        scorer.apply(dict(event), offset)
    return scorer


def seen(scorer: Scorer, events: list[Event]) -> tuple[str, list[dict[str, Any]]]:
    """What screens see: the state, and every change (goals with their scores) in order."""
    changes = []
    for offset, event in enumerate(events, 1):
        scorer.apply(dict(event), offset)
        changes += scorer.drain_changes()
    return state_hash(scorer), changes


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=120))
# an agent moves from lei to ber between two sales on Tuesday, when they play each other
@example(
    [("sale", "a1", 25 * 60, 0, "lei"), ("move", "a1", 10, 0, "ber"), ("sale", "a1", 10, 0, "")]
)
def test_the_caches_never_change_a_figure(steps: list[tuple[str, str, int, int, str]]) -> None:
    events = stream(steps)
    assert seen(Scorer(), events) == seen(Uncached(), events)


def test_late_sales_score_in_their_own_match_while_the_next_one_runs() -> None:
    # Tuesday's match has kicked off (00:30 in Berlin) while Monday's is in its
    # grace time: a lei agent's sales go to either match by their own ts,
    # alternating, and after the grace a late one counts for nothing.
    events = [league_season(), logged(roster("a1", "2026-11-20T00:00:00Z", team="t", site="lei"))]
    for n in range(6):
        ts = f"2026-11-23T{22 if n % 2 else 23}:30:0{n}Z"
        events.append(logged(sale(f"s{n}", ts, agent="a1"), received=f"2026-11-23T23:45:0{n}Z"))
    events.append(
        logged(sale("late", "2026-11-23T22:40:00Z", agent="a1"), received="2026-11-24T01:00:00Z")
    )
    scorer = fold(Scorer(), events)
    monday, tuesday, _ = scorer.league.league.seasons["w48"].matches
    assert (monday.home, tuesday.away) == ("lei", "lei")
    each = scorer.state.sales["crm:s0"].points
    assert monday.home_points == tuesday.away_points == 3 * each
    assert {g.sale for g in monday.goals} <= {"crm:s1", "crm:s3", "crm:s5"}
    assert {g.sale for g in tuesday.goals} <= {"crm:s0", "crm:s2", "crm:s4"}
    assert monday.goals and tuesday.goals and monday.state == "final"
    assert seen(Scorer(), events) == seen(Uncached(), events)
