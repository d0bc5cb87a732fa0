"""The board's chart of today's sales per site and local hour, on an ordinary day
and on the day the clocks go back, against the hour datetime gives each sale."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scoring import views
from scoring.model import REVOKED
from tests.scoring_helpers import Board, cancellation, roster, sale
from wallboard.hourly import sales_by_hour

BERLIN = ZoneInfo("Europe/Berlin")


def expected(board: Board, site: str | None) -> dict[str, list[int]]:
    scorer = board.scorer
    today = views.today(scorer)
    counts: dict[str, list[int]] = {}
    for s in scorer.state.sales.values():
        club = scorer.state.agents[s.agent].placement(s.day)[1]
        if s.day != today or s.state == REVOKED or (site and club != site):
            continue
        counts.setdefault(club, [0] * 24)[datetime.fromtimestamp(s.ts, BERLIN).hour] += 1
    return counts


@pytest.mark.parametrize("day", ["2026-11-24", "2026-10-25", "2026-03-29"])
def test_the_chart_counts_each_sale_in_its_local_hour(day: str) -> None:
    rng = random.Random(day)
    events = [
        roster("a1", "2026-01-01T00:00:00Z", team="t1", site="ber"),
        roster("a2", "2026-01-01T00:00:00Z", team="t2", site="ham"),
    ]
    start = datetime.fromisoformat(f"{day}T00:00:00").replace(tzinfo=BERLIN)
    moments = sorted(start + timedelta(minutes=rng.randrange(0, 23 * 60)) for _ in range(300))
    for n, moment in enumerate(moments):
        ts = moment.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")
        events.append(sale(f"s{n}", ts, agent=rng.choice(["a1", "a2"])))
        if n % 17 == 0:
            events.append(cancellation(f"x{n}", f"s{n}", ts))
    board = Board(*events)
    assert any(s.state == REVOKED for s in board.scorer.state.sales.values())
    for site in (None, "ber", "ham"):
        assert sales_by_hour(board.scorer, site) == expected(board, site), site


def test_the_chart_follows_the_day_frame_by_frame() -> None:
    """Drawn after every few events, as the board draws it, the chart matches a full
    count: through late sales, cancellations of earlier sales, an agent moving to
    another site, and midnight."""
    rng = random.Random(3)
    board = Board(
        roster("a1", "2026-01-01T00:00:00Z", team="t1", site="ber"),
        roster("a2", "2026-01-01T00:00:00Z", team="t2", site="ham"),
        roster("a3", "2026-01-01T00:00:00Z", team="t1", site="ber"),
    )
    start = datetime(2026, 11, 23, 8, tzinfo=BERLIN)
    made: list[tuple[str, datetime]] = []
    drawn = 0
    for n in range(900):
        moment = start + timedelta(minutes=2 * n)
        if made and rng.random() < 0.2:  # a late sale, from up to three hours back
            moment -= timedelta(minutes=rng.randrange(1, 180))
        ts = moment.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")
        board.feed(sale(f"s{n}", ts, agent=rng.choice(["a1", "a2", "a3"])))
        made.append((f"s{n}", moment))
        if rng.random() < 0.1:
            earlier, _ = rng.choice(made[-60:])
            board.feed(cancellation(f"x{n}", earlier, ts))
        if n == 400:
            board.feed(roster("a3", ts, team="t2", site="ham"))
        if rng.random() < 0.3:
            for site in (None, "ber", "ham"):
                assert sales_by_hour(board.scorer, site) == expected(board, site), (n, site)
            drawn += 1
    days = {s.day for s in board.scorer.state.sales.values()}
    assert len(days) == 2 and drawn > 200
    assert any(s.state == REVOKED for s in board.scorer.state.sales.values())
