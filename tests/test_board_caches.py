"""Frames are built from caches kept between frames (the leaderboards all
boards share within one state, the chart's tally of the day's sales): a frame
drawn live, after every few events, must equal the frame a clean replay of the
same log draws, whatever came in between."""

from __future__ import annotations

import random
from dataclasses import fields
from datetime import UTC, datetime, timedelta

from scoring.model import Bucket
from scoring.state import RECENT_PER_AGENT
from tests.scoring_helpers import Board, Event, cancellation, contact, roster, sale, tick
from wallboard import screens, topics

TOPICS = ("board", "board:ber", "board:ham", "agent:a1", "agent:a2")


def stamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_frames_drawn_live_equal_frames_from_a_replay() -> None:
    rng = random.Random(5)
    agents = {f"a{n}": ("ber", "t1") if n % 2 else ("ham", "t2") for n in range(6)}
    log: list[Event] = [
        roster(agent, "2026-01-01T00:00:00Z", team=team, site=site)
        for agent, (site, team) in agents.items()
    ]
    live = Board(*log)
    moment = datetime(2026, 11, 23, 21, tzinfo=UTC)  # 22:00 in Berlin: midnight comes
    compared = 0
    for n in range(400):
        moment += timedelta(seconds=rng.randrange(5, 40))
        agent = rng.choice(sorted(agents))
        roll = rng.random()
        if roll < 0.6:
            event = sale(f"s{n}", stamp(moment), agent=agent, revenue=f"{rng.randrange(5, 400)}.00")
        elif roll < 0.75:
            event = cancellation(f"x{n}", f"s{rng.randrange(max(1, n - 30), n + 1)}", stamp(moment))
        elif roll < 0.95:
            event = contact(f"c{n}", stamp(moment), agent=agent)
        else:
            site, team = rng.choice([("ber", "t1"), ("ham", "t2")])
            event = roster(agent, stamp(moment), team=team, site=site)
        log.append(event)
        live.feed(event)
        if n % 7 == 0:
            live.feed(tick(stamp(moment)))
            log.append(tick(stamp(moment)))
        if rng.random() < 0.25:
            replayed = Board(*log)
            for topic in TOPICS:
                assert topics.render(live.scorer, topic) == topics.render(replayed.scorer, topic), (
                    n,
                    topic,
                )
            compared += 1
    assert compared > 50
    days = {s.day for s in live.scorer.state.sales.values()}
    assert len(days) == 2  # the run crossed midnight


def test_summing_buckets_sums_every_figure() -> None:
    names = [f.name for f in fields(Bucket)]
    one = Bucket(**{name: n + 1 for n, name in enumerate(names)})
    other = Bucket(**{name: 100 * (n + 1) for n, name in enumerate(names)})
    one.add(other)
    assert {name: getattr(one, name) for name in names} == {
        name: 101 * (n + 1) for n, name in enumerate(names)
    }


def test_an_agents_page_lists_their_latest_events_and_the_api_all_kept() -> None:
    board = Board(roster("a1", "2026-01-01T00:00:00Z", team="t1", site="ber"))
    start = datetime(2026, 11, 23, 8, tzinfo=UTC)
    for n in range(60):
        board.feed(sale(f"s{n}", stamp(start + timedelta(minutes=n))))
    page = topics.render(board.scorer, "agent:a1")["recent"]
    assert [row["event"] for row in page] == [f"s{n}" for n in range(59, 59 - screens.RECENT, -1)]
    # The page gets the parts of each sum to word in its language; the API the sentence.
    assert "why" not in page[0] and page[0]["explain"]["points"] == page[0]["points"]
    kept = board.agent("a1")["recent"]
    assert len(kept) == RECENT_PER_AGENT
    assert kept[0]["why"].endswith(f"(rules {kept[0]['rules']})")
