"""``POST /api/whatif``: what a draft would have paid, as honest as a replay.

The company: four agents at two sites, a rule set, two prizes with their value
and two prize rules, and forty days of sales, contacts and cancellations, each
day received on its day (the app's clock is the test's). The what-if's figures
must be those of a fresh fold of a copy of the log with the draft's events
inserted as if posted at ``from``, and those of the log as it happened; the
live state, the log and the screens never see it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from scoring.events import validate
from scoring.log import format_ts, records
from scoring.model import REVOKED
from scoring.scorer import Scorer
from scoring.snapshot import state_hash
from scoring.totals import totals
from tests.helpers import Running, running
from tests.scoring_helpers import whole_rules
from tests.test_manage import sign_in
from wallboard.settings import Settings

START = datetime(2026, 10, 1, tzinfo=UTC)
DAYS = 40
AGENTS = {"a-1": ("Anna Berg", "t1"), "a-2": ("Ben Ohl", "t1"), "a-3": ("Cem Demir", "t2")}
AGENTS["a-4"] = ("Dora Eck", "t2")
SITE_OF = {"t1": "ber", "t2": "lei"}
V1 = whole_rules(
    sale={"products": {"mobile": {"base": 20, "per_euro": 0}, "*": {"base": 10, "per_euro": 0.1}}},
    commission={"mobile": {"fixed": 4}, "*": {"percent": 5}},
    gates={"month": {"min_sales": 20}},
)
DRAFT = [
    {
        "type": "rules",
        "id": "v2",
        "rules": {
            **V1,
            "sale": {
                "products": {
                    "mobile": {"base": 30, "per_euro": 0},
                    "*": {"base": 10, "per_euro": 0.1},
                }
            },
        },
    },
    {"type": "prize", "prize": "mug", "name": "Mug", "stock": 500, "value": "12.00"},
    {
        "type": "prize_rule",
        "rule": "mug-sale",
        "kind": "instant",
        "prize": "mug",
        "min_revenue": 40,
    },
]


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def iso(moment: datetime) -> str:
    return format_ts(moment)


def admin(event_id: str, event_type: str, **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "type": event_type, "ts": iso(START), **fields}


def company() -> list[dict[str, Any]]:
    events = [
        admin("v1", "rules", rules=V1),
        admin("site-ber", "site", site="ber", name="Berlin"),
        admin("site-lei", "site", site="lei", name="Leipzig"),
        admin("team-1", "team", team="t1", name="Spree", site="ber"),
        admin("team-2", "team", team="t2", name="Pleisse", site="lei"),
        admin("mug", "prize", prize="mug", name="Mug", stock=500, value="8.00"),
        admin("shirt", "prize", prize="shirt", name="Shirt", stock=6, value="20.00"),
        admin(
            "mug-sale", "prize_rule", rule="mug-sale", kind="instant", prize="mug", min_revenue=90
        ),
        admin(
            "shirt-week",
            "prize_rule",
            rule="shirt-week",
            kind="threshold",
            prize="shirt",
            points=150,
            period="week",
        ),
    ]
    for agent, (name, team) in AGENTS.items():
        events.append(
            admin(f"ag-{agent}", "agent", agent=agent, name=name, team=team, site=SITE_OF[team])
        )
    return events


def day_of_work(day: int) -> list[dict[str, Any]]:
    """Every agent's sales and a contact on ``day``, a cancellation now and then."""
    events: list[dict[str, Any]] = []
    for n, agent in enumerate(AGENTS):
        for k in range(1 + (day + n) % 3):
            ts = START + timedelta(days=day, hours=9 + k)
            events.append(
                {
                    "id": f"s-{day}-{agent}-{k}",
                    "type": "sale",
                    "ts": iso(ts),
                    "agent": agent,
                    "product": "mobile" if (day + k + n) % 2 else "tv",
                    "revenue": f"{20 + (day * 7 + n * 13 + k * 5) % 90}.00",
                    "channel": "phone",
                }
            )
        events.append(
            {
                "id": f"c-{day}-{agent}",
                "type": "contact",
                "ts": iso(START + timedelta(days=day, hours=14)),
                "agent": agent,
                "channel": "chat",
                "resolved": True,
                "quality": 70 + (day + n) % 30,
                "referral": (day + n) % 4 == 0,
            }
        )
        if day and (day + n) % 5 == 0:
            sale = f"s-{day - 1}-{agent}-0"
            events.append(
                {
                    "id": f"x-{sale}",
                    "type": "cancellation",
                    "ts": iso(START + timedelta(days=day)),
                    "sale": sale,
                }
            )
    return events


def work(app: Running, clock: Clock, days: range) -> None:
    for day in days:
        clock.now = START + timedelta(days=day, hours=18)
        assert app.post(day_of_work(day)).status_code == 202
        app.tick(f"tick-{day}", iso(START + timedelta(days=day, hours=23)))
    app.settle()


@pytest.fixture
def app() -> Iterator[tuple[Running, Clock]]:
    clock = Clock()
    with running(settings=Settings(store="memory://", tick_seconds=0), clock=clock) as run:
        assert run.post(company(), role="manager").status_code == 202
        work(run, clock, range(DAYS))
        yield run, clock


def whatif(app: Running, body: dict[str, Any]) -> dict[str, Any]:
    answer = app.client.post(
        "/api/whatif", json=body, headers={"Authorization": f"Bearer {app.tokens['manager']}"}
    )
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def replayed(log: list[bytes], draft: list[dict[str, Any]], at: str) -> Scorer:
    """A fresh fold of the log with ``draft`` inserted as if a manager (the test
    token's label) had posted it at ``at``: before the first entry received then."""
    moment = datetime.fromisoformat(at)
    posted = [
        data
        for _, data in records(
            [
                validate({"id": f"whatif-{n}", "ts": at, **event})
                for n, event in enumerate(draft, 1)
            ],
            "manage",
            at,
            "test",
        )
    ]
    events = [orjson.loads(line) for line in log]
    place = next(
        (i for i, e in enumerate(events) if datetime.fromisoformat(e["received"]) >= moment),
        len(events),
    )
    scorer = Scorer()
    for event in events[:place] + [orjson.loads(p) for p in posted] + events[place:]:
        scorer.apply(event)
    return scorer


def per_agent(scorer: Scorer, first: str, last: str) -> dict[str, tuple[float, float, int]]:
    """(points, commission, prizes won) of each agent over local days [first, last],
    read the way the leaderboards and the prize list read them."""
    table = totals(scorer.state, "agent", first, last)
    calendar = scorer.state.timeline.calendar_at(scorer.clock)
    won: dict[str, int] = {}
    for award in scorer.prizes.book.awards.values():
        if award.state != REVOKED and first <= calendar.day(award.ts) <= last:
            won[award.agent] = won.get(award.agent, 0) + 1
    return {
        agent: (
            total.points / 100,
            (total.commission_pending + total.commission_confirmed) / 100,
            won.get(agent, 0),
        )
        for agent, total in table.items()
    }


def side(answer: dict[str, Any], which: str) -> dict[str, tuple[float, float, int]]:
    return {
        row["agent"]: (row["points"][which], row["commission"][which], row["prizes"][which])
        for row in answer["agents"]
    }


def window(answer: dict[str, Any], scorer: Scorer) -> tuple[str, str]:
    calendar = scorer.state.timeline.calendar_at(scorer.clock)
    since = datetime.fromisoformat(answer["until"]) - timedelta(days=answer["days"])
    return calendar.day(since.timestamp()), calendar.day(scorer.clock)


def test_the_whatif_is_a_fresh_replay_of_the_log_with_the_draft_posted_at_from(
    app: tuple[Running, Clock],
) -> None:
    run, clock = app
    at = iso(START + timedelta(days=25, hours=12))
    answer = whatif(run, {"events": DRAFT, "days": 28, "from": at})
    log = run.events()
    assert answer["from"] == at and answer["days"] == 28
    assert answer["until"] == iso(START + timedelta(days=DAYS - 1, hours=23))
    assert answer["offset"] == len(log)

    as_it_happened = replayed(log, [], at)
    with_draft = replayed(log, DRAFT, at)
    first, last = window(answer, as_it_happened)
    assert (first, last) == ("2026-10-13", "2026-11-10")  # Berlin's days
    assert side(answer, "actual") == per_agent(as_it_happened, first, last)
    assert side(answer, "whatif") == per_agent(with_draft, first, last)
    # The draft pays more for mobiles and gives more mugs, each worth more.
    totals_ = answer["totals"]
    assert totals_["points"]["diff"] > 0 and totals_["prizes"]["diff"] > 0
    assert totals_["prize_cost"]["whatif"] > totals_["prize_cost"]["actual"] > 0
    row = answer["agents"][0]
    assert (row["name"], row["team"], row["site"]) in {
        (name, team_name, site_name)
        for name, team in AGENTS.values()
        for team_name, site_name in [
            (("Spree", "Berlin") if team == "t1" else ("Pleisse", "Leipzig"))
        ]
    }
    assert {r["team"] for r in answer["teams"]} == {"t1", "t2"}
    assert {r["name"] for r in answer["sites"]} == {"Berlin", "Leipzig"}
    assert sum(r["points"]["whatif"] for r in answer["sites"]) == pytest.approx(
        totals_["points"]["whatif"]
    )
    assert [(g["gate"], g["period"]) for g in answer["gates"]] == [
        ("month", "2026-10"),
        ("month", "2026-11"),
    ]

    # From the window's start (the default), and again after more days of work: the
    # state kept at the window's start is used and moved on, and the figures hold.
    run.services.whatifs.rebase = 1
    caught_up = []
    for more in (range(0), range(0), range(DAYS, DAYS + 3)):
        work(run, clock, more)
        answer = whatif(run, {"events": DRAFT})
        caught_up.append(answer["caught_up"])
        log = run.events()
        since = answer["from"]
        assert answer["days"] == 28
        as_it_happened, with_draft = replayed(log, [], since), replayed(log, DRAFT, since)
        first, last = window(answer, as_it_happened)
        assert side(answer, "actual") == per_agent(as_it_happened, first, last)
        assert side(answer, "whatif") == per_agent(with_draft, first, last)
    # kept by the first of these, used as it was by the second, moved three days on
    assert caught_up[0] > 0 and caught_up[1] == 0 and 0 < caught_up[2] < caught_up[0]


def test_the_live_state_the_log_and_the_screens_never_see_a_whatif(
    app: tuple[Running, Clock],
) -> None:
    run, clock = app
    before, entries = state_hash(run.engine.scorer), run.events()
    with run.client.websocket_connect(f"/ws?token={run.tokens['display']}") as board:
        board.send_text('{"type": "subscribe", "topics": ["board"]}')
        snapshot = board.receive_json()
        assert snapshot["type"] == "snapshot"
        answer = whatif(run, {"events": DRAFT, "days": 10})
        assert answer["totals"]["points"]["diff"] != 0
        assert state_hash(run.engine.scorer) == before and run.events() == entries
        # The board's next frame is the next sale's, numbered right after its snapshot.
        clock.now = START + timedelta(days=DAYS, hours=9)
        sale = day_of_work(DAYS)[0]
        assert run.post({**sale, "ts": iso(clock.now)}).status_code == 202
        run.settle()
        frame = board.receive_json()
        assert frame["type"] == "update" and frame["seq"] == snapshot["seq"] + 1


def test_a_console_session_asks_a_whatif_with_its_csrf_token(app: tuple[Running, Clock]) -> None:
    run, _ = app
    csrf = sign_in(run)
    body = {"events": DRAFT[:1], "days": 7}
    assert run.client.post("/api/whatif", json=body).status_code in (401, 403)
    answer = run.client.post("/api/whatif", json=body, headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200, answer.text
    assert answer.json()["days"] == 7


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({}, "expected events: a list of 1 to 100 events"),
        (
            {"events": DRAFT, "weeks": 2},
            "expected an object with events, and optional days and from",
        ),
        ({"events": DRAFT, "days": 0}, "days: expected 1 to 366, got 0"),
        ({"events": DRAFT, "from": "yesterday"}, "from: "),
        (
            {"events": DRAFT, "days": 7, "from": iso(START)},
            "from: expected a time in the last 7 days",
        ),
        ({"events": [{"type": "tick"}]}, "the draft is invalid: 1 of 1 events are invalid"),
        (
            {"events": [{"type": "rules", "rules": {"gates": {}}}]},
            "the draft is invalid: 1 of 1 events are invalid",
        ),
    ],
)
def test_a_draft_that_could_not_be_posted_is_refused_and_says_why(
    app: tuple[Running, Clock], body: dict[str, Any], said: str
) -> None:
    run, _ = app
    answer = run.client.post(
        "/api/whatif", json=body, headers={"Authorization": f"Bearer {run.tokens['manager']}"}
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"].startswith(said), answer.json()


def test_a_partial_rule_set_in_a_draft_names_the_sections_it_leaves_out(
    app: tuple[Running, Clock],
) -> None:
    run, _ = app
    answer = run.client.post(
        "/api/whatif",
        json={"events": [{"type": "rules", "rules": {"gates": {}}}]},
        headers={"Authorization": f"Bearer {run.tokens['manager']}"},
    )
    [invalid] = answer.json()["invalid"]
    assert invalid["problems"]["rules"].startswith(
        "missing cancellation_window_days, weights, sale, contact, commission:"
    )


def test_a_drafted_contest_shows_how_it_would_stand_now(app: tuple[Running, Clock]) -> None:
    """A team battle drafted to have started five days ago: the what-if answers its
    standings as if it had been launched then (sales made before a launch count)."""
    run, _ = app
    starts = START + timedelta(days=DAYS - 5)
    battle = {
        "type": "contest",
        "contest": "spree-v-pleisse",
        "format": "team_battle",
        "name": "Spree v Pleisse",
        "metric": "sales",
        "teams": ["t1", "t2"],
        "starts": iso(starts),
        "ends": iso(starts + timedelta(days=10)),
    }
    answer = whatif(run, {"events": [battle], "days": 7})
    view = answer["contests"]["spree-v-pleisse"]
    # The sales that stand, counted from the events the test made: each agent's
    # 1 to 3 a day, less the first of a day cancelled the next day.
    made = [e for day in range(DAYS - 5, DAYS) for e in day_of_work(day)]
    cancelled = {e["sale"] for e in made if e["type"] == "cancellation"}
    stand = {"t1": 0, "t2": 0}
    for event in made:
        if event["type"] == "sale" and event["id"] not in cancelled:
            stand[AGENTS[event["agent"]][1]] += 1
    scores = {row["id"]: row["score"] for row in view["standings"]}
    assert scores == {"t1": stand["t1"], "t2": stand["t2"]}
    assert {row["name"] for row in view["standings"]} == {"Spree", "Pleisse"}
    # Only a preview: the live state has no such contest.
    listed = run.client.get(
        "/api/contests", headers={"Authorization": f"Bearer {run.tokens['manager']}"}
    ).json()
    assert "spree-v-pleisse" not in [c["contest"] for c in listed["contests"]]
