"""Make ``demo-log.jsonl.xz``: a fixed log of the demo company, for
``tests/test_replay_hash.py``.

The file holds about 300,000 events, one per line, in log order and in the
log's canonical form (the JSON the ingest stores: the validated event with its
``source`` and ``received``, keys sorted). They are the seeded simulator's
sales, contacts and cancellations over nine weeks of working days (1 September
to 2 November 2026, Europe/Berlin), the roster, rules and prizes of
``wallboard.simulator.company``, and a manager's, the agents' and the engine's
events written here by hand: a move between teams and sites, a leaver and a
joiner, a rules change, restocks, threshold and rank prizes, handovers, personal
goals, two tombolas opened and drawn, a league season with a change of heads, a
forfeit and its end, a season refused, cancellations after the window and one
that reaches the log before its sale.

Remake it only when the event format changes on purpose, then update the
constants in the test; a refactor of the fold must not need it remade::

    .venv/bin/python tests/data/make_demo_log.py

The output depends on nothing but this script and the code it imports (no
clock, no randomness beyond fixed seeds): run twice, it writes the same bytes.
It reads the scorer's state only as its snapshot holds it (the form that is
hashed), and writes the tombola's draw out from its documented algorithm, so
that it runs unchanged when the scorer's insides move.
"""

from __future__ import annotations

import hashlib
import heapq
import lzma
import random
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from scoring import snapshot
from scoring.draw import draw, ledger_hash
from scoring.events import validate
from scoring.log import format_ts
from scoring.model import Award, Sale, Tombola
from scoring.scorer import Scorer
from wallboard.engine import system_record
from wallboard.ingest import to_records
from wallboard.simulator import (
    AVERAGE_SALE_POINTS,
    CANCEL_SHARE,
    RULES,
    SALE_SHARE,
    SITES,
    Agent,
    Simulator,
    company,
)
from wallboard.store import Record

OUTPUT = Path(__file__).with_name("demo-log.jsonl.xz")
ZONE = ZoneInfo("Europe/Berlin")
FIRST_DAY, LAST_DAY = date(2026, 9, 1), date(2026, 11, 2)
#: events a weekday (about 300,000 in all), spread over the hours by HOURS
PER_WEEKDAY = 6500
#: local opening hours and their share of the day's traffic
HOURS = {8: 0.6, 9: 1.0, 10: 1.2, 11: 1.2, 12: 0.9, 13: 1.0, 14: 1.1, 15: 1.1}
HOURS |= {16: 1.0, 17: 0.9, 18: 0.6, 19: 0.4}
SATURDAY_HOURS = {9: 0.5, 10: 0.6, 11: 0.6, 12: 0.5, 13: 0.4}
STEP = timedelta(minutes=15)
#: the engine's ticks outside opening hours
ENGINE_TICK = timedelta(hours=1)
TOMBOLA_SEEDS = {"september": b"\x01" * 32, "autumn-insurance": b"\x02" * 32}
LEAGUE = "autumn-cup"
MATCHDAY_DAYS = 2
#: fields of the records a snapshot lists, in its order
SALE_FIELDS = [f.name for f in fields(Sale)]
AWARD_FIELDS = [f.name for f in fields(Award)]
TOMBOLA_FIELDS = [f.name for f in fields(Tombola)]
MATCH_FIELDS = [
    "id",
    "matchday",
    "home",
    "away",
    "starts",
    "ends",
    "home_points",
    "away_points",
    "goals",
    "state",
    "forfeit",
]

Event = dict[str, Any]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Local wall-clock time in Berlin, as an aware datetime."""
    return datetime.combine(day, time(hour, minute), ZONE)


class Log:
    """The records in log order, folded as they are written so that the events
    written by hand can follow the state (an award to hand over, a tombola to
    draw), as a manager and the engine would."""

    def __init__(self) -> None:
        self.lines: list[bytes] = []
        self.scorer = Scorer()
        self.types: Counter[str] = Counter()
        self.changes: Counter[str] = Counter()
        self.now = datetime(2026, 8, 31, tzinfo=UTC)

    def state(self, *, sales: bool = False) -> dict[str, Any]:
        """The state as its snapshot holds it: the hashed form, which stays put while
        the scorer's insides change."""
        return snapshot.to_data(self.scorer, sales=sales)

    def sales(self) -> dict[str, dict[str, Any]]:
        return {s["key"]: s for s in named(self.state(sales=True)["sales"], SALE_FIELDS)}

    def awards(self) -> list[dict[str, Any]]:
        return named(self.state()["awards"], AWARD_FIELDS)

    def matches(self) -> list[dict[str, Any]]:
        [season] = [s for s in self.state()["league"]["seasons"] if s["id"] == LEAGUE]
        return named(season["matches"], MATCH_FIELDS)

    def write(self, records: list[Record]) -> None:
        for record in records:
            event = orjson.loads(record.data)
            self.lines.append(record.data)
            self.types[event["type"]] += 1
            self.scorer.apply(event, len(self.lines))
        for change in self.scorer.drain_changes():
            self.changes[change["kind"]] += 1
            if change["kind"] == "tombola_closed":
                self.draw(change["tombola"])

    def post(
        self, events: list[Event], source: str, received: datetime, by: str | None = None
    ) -> None:
        """A batch as ``POST /api/events`` stores it (runs of one source)."""
        self.now = max(self.now, received)
        self.write(to_records([validate(e) for e in events], source, format_ts(received), by))

    def engine(self, event: Event) -> None:
        self.write([system_record(validate(event))])

    def draw(self, tombola_id: str) -> None:
        """What the engine appends when a tombola closes: the revealed seed, the
        ledger's hash and the winners. The fold checks them against the seed's
        published hash and the ledger; they must pass."""
        state = self.state()
        [tombola] = named([state["tombolas"][tombola_id]], TOMBOLA_FIELDS)
        seed = TOMBOLA_SEEDS[tombola_id]
        moment = datetime.fromtimestamp(max(state["clock"], tombola["closes"]), UTC)
        self.engine(
            {
                "id": f"draw-{tombola_id}",
                "type": "tombola_draw",
                "ts": format_ts(moment),
                "tombola": tombola_id,
                "seed": seed.hex(),
                "ledger_hash": ledger_hash(tombola["ledger"]),
                "winners": draw(tombola["ledger"], seed, len(tombola["prizes"])),
            }
        )
        [drawn] = named([self.state()["tombolas"][tombola_id]], TOMBOLA_FIELDS)
        assert drawn["state"] == "drawn" and not drawn["problems"], drawn["problems"]


def named(rows: list[list[Any]], fields: list[str]) -> list[dict[str, Any]]:
    assert all(len(row) == len(fields) for row in rows), fields
    return [dict(zip(fields, row, strict=True)) for row in rows]


def seed_hash(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


Action = Callable[[Log, datetime], None]


def manager(*events: Event, effective: datetime | None = None) -> Action:
    """Events a manager posts; ``ts`` is when they take effect (default: when posted)."""

    def post(log: Log, moment: datetime) -> None:
        when = format_ts(effective or moment)
        log.post([{"ts": when, **e} for e in events], "manage", moment, by="ops-lead")

    return post


def agent_app(*events: Event) -> Action:
    """Events an agent writes from their own page (profile, personal goal)."""

    def post(log: Log, moment: datetime) -> None:
        log.post([{"ts": format_ts(moment), **e} for e in events], "agent", moment)

    return post


def crm(*events: Event) -> Action:
    def post(log: Log, moment: datetime) -> None:
        log.post([{"ts": format_ts(moment), **e} for e in events], "crm", moment)

    return post


def hand_over(limit: int) -> Action:
    """The week's prize handover: the oldest awards not yet handed over."""

    def post(log: Log, moment: datetime) -> None:
        waiting = [a for a in log.awards() if a["state"] == "awarded"]
        waiting.sort(key=lambda a: (a["ts"], a["id"]))
        events = [
            {"id": f"handover-{a['id']}", "type": "handover", "award": a["id"]} for a in waiting
        ]
        if events[:limit]:
            manager(*events[:limit])(log, moment)

    return post


def hand_over_then_cancel() -> tuple[Action, Action]:
    """An instant prize handed over the day of its sale, and the sale then
    cancelled inside its window: the award is revoked, the prize not restocked."""
    handed: list[str] = []

    def hand(log: Log, moment: datetime) -> None:
        sales = log.sales()
        given = [
            a
            for a in log.awards()
            if a["state"] == "awarded" and a["sale"] and sales[a["sale"]]["state"] == "pending"
        ]
        award = max(given, key=lambda a: (a["ts"], a["id"]))
        handed.append(sales[award["sale"]]["id"])
        handover = {"id": f"handover-{award['id']}", "type": "handover", "award": award["id"]}
        manager(handover)(log, moment)

    def cancel(log: Log, moment: datetime) -> None:
        [sale] = handed
        crm(
            {"id": f"cancel-{sale}", "type": "cancellation", "sale": sale} | {"reason": "returned"}
        )(log, moment)

    return hand, cancel


def cancel_old_sales(count: int, seed: int) -> Action:
    """Cancellations that reach the log after the sales' window: they revoke
    nothing, but count in the agents' cancellation rates."""

    def post(log: Log, moment: datetime) -> None:
        rng = random.Random(seed)
        old = [
            s["id"]
            for s in log.sales().values()
            if s["state"] == "confirmed" and not s["cancelled"] and s["key"].startswith("crm:")
        ]
        picked = rng.sample(old, count)
        crm(
            *(
                {"id": f"late-{sale}", "type": "cancellation", "sale": sale, "reason": "withdrawal"}
                for sale in picked
            )
        )(log, moment)

    return post


def forfeit(club: str, matchday: int) -> Action:
    def post(log: Log, moment: datetime) -> None:
        [match] = [
            m["id"]
            for m in log.matches()
            if m["matchday"] == matchday and club in (m["home"], m["away"])
        ]
        manager(
            {
                "id": f"forfeit-{match}",
                "type": "forfeit",
                "season": LEAGUE,
                "match": match,
                "club": club,
            }
        )(log, moment)

    return post


def end_league(log: Log, moment: datetime) -> None:
    assert all(m["state"] == "final" for m in log.matches())
    manager({"id": f"end-{LEAGUE}", "type": "league_end", "season": LEAGUE})(log, moment)


def join(firm_agents: list[Agent], simulator: Simulator, agent: Agent) -> Action:
    """A new agent starts selling (the roster names them the same morning)."""

    def start(log: Log, moment: datetime) -> None:
        firm_agents.append(agent)
        simulator.weights.append(agent.skill)

    return start


def leave(firm_agents: list[Agent], simulator: Simulator, agent_id: str) -> Action:
    def stop(log: Log, moment: datetime) -> None:
        [index] = [n for n, a in enumerate(firm_agents) if a.id == agent_id]
        simulator.weights[index] = 0.0

    return stop


def goal_every(heads: int) -> float:
    """Points per head a club makes in a matchday, over 1.9: about 1.4 goals a club."""
    per_head = (
        PER_WEEKDAY * MATCHDAY_DAYS * SALE_SHARE * (1 - CANCEL_SHARE) * AVERAGE_SALE_POINTS / heads
    )
    return round(per_head / 1.9, 1)


def october_rules() -> dict[str, Any]:
    rules: dict[str, Any] = orjson.loads(orjson.dumps(RULES))
    rules["sale"]["products"]["mobile"]["base"] = 22
    rules["sale"]["channel_factors"]["social"] = 1.2
    rules["weights"]["support"] = 1.0
    rules["gates"]["month"]["min_sales"] = 8
    rules["exchange_rates"] = {"CHF": 1.05}
    return rules


def actions(
    firm_agents: list[Agent], simulator: Simulator, heads: int, names: dict[str, str]
) -> list[tuple[datetime, Action]]:
    """What happens besides the simulated traffic: (local time, action)."""
    d = date
    hand_then_cancel = hand_over_then_cancel()
    plan: list[tuple[datetime, Action]] = [
        # The catalog beyond the demo's instant prizes, and rank prizes for them.
        (
            at(d(2026, 8, 31), 9),
            manager(
                {"id": "season-autumn", "type": "season", "season": "autumn"}
                | {"name": "Autumn", "starts": "2026-09-01", "ends": "2026-10-31"},
                {"id": "prize-breakfast", "type": "prize", "prize": "breakfast"}
                | {"name": "Breakfast for the team"},
                {"id": "prize-dayoff", "type": "prize", "prize": "dayoff"}
                | {"name": "Extra day off", "stock": 4},
                {"id": "prize-trophy", "type": "prize", "prize": "trophy", "name": "Trophy"},
                {"id": "prize-coffee", "type": "prize", "prize": "coffee"}
                | {"name": "Coffee voucher"},
                {"id": "prize-weekend", "type": "prize", "prize": "weekend"}
                | {"name": "Weekend trip", "stock": 1},
                {"id": "rule-week-top", "type": "prize_rule", "rule": "week-top"}
                | {"kind": "rank", "prize": "breakfast", "period": "week", "top": 1},
                {"id": "rule-month-top", "type": "prize_rule", "rule": "month-top"}
                | {"kind": "rank", "prize": "dayoff", "period": "month", "top": 3},
                {"id": "rule-season-top", "type": "prize_rule", "rule": "season-top"}
                | {"kind": "rank", "prize": "trophy", "period": "season", "top": 1},
            ),
        ),
        # Agents: public names, an opt-out, personal goals (one replaced).
        (
            at(d(2026, 9, 1), 7, 40),
            agent_app(
                {"id": "p-muc-04", "type": "profile", "agent": "muc-04", "public_name": "Mo"}
            ),
        ),
        (
            at(d(2026, 9, 2), 7, 50),
            agent_app(
                _goal("ber-03", "Headphones", "150.00"),
                _goal("ham-11", "Bicycle", "400.00"),
                _goal("muc-02", "City trip", "900.00"),
                _goal("cgn-05", "Sofa", "2500.00"),
            ),
        ),
        (at(d(2026, 9, 4), 12, 5), agent_app(_goal("lei-01", "Concert tickets", "120.00"))),
        (
            at(d(2026, 9, 8), 7, 45),
            agent_app({"id": "p-ber-11", "type": "profile", "agent": "ber-11", "opt_out": True}),
        ),
        (at(d(2026, 9, 10), 8, 5), agent_app(_goal("ham-11", "E-bike", "1200.00", "2"))),
        # A tombola for September: every third sale a ticket, prize winners excluded.
        (
            at(d(2026, 9, 7), 7, 30),
            manager(
                {
                    "id": "tombola-september",
                    "type": "tombola_open",
                    "tombola": "september",
                    "name": "September tombola",
                    "prizes": ["weekend", "breakfast", "coffee"],
                    "closes": format_ts(at(d(2026, 9, 19), 14)),
                    "every": 3,
                    "exclude_prize_winners": True,
                    "seed_hash": seed_hash(TOMBOLA_SEEDS["september"]),
                }
            ),
        ),
        (at(d(2026, 9, 9), 12), hand_then_cancel[0]),
        (at(d(2026, 9, 9), 14), hand_then_cancel[1]),
        # The roster moves: within a site, and to another site (and club).
        (
            at(d(2026, 9, 14), 7, 30),
            manager(
                {"id": "move-ber-05", "type": "agent", "agent": "ber-05"}
                | {"name": names["ber-05"], "team": "ber-3", "site": "ber"},
            ),
        ),
        (
            at(d(2026, 9, 14), 9),
            manager(
                {
                    "id": "league-autumn-cup",
                    "type": "league_season",
                    "season": LEAGUE,
                    "name": "Autumn Cup",
                    "starts": "2026-09-21",
                    "matchday_days": MATCHDAY_DAYS,
                    "holidays": ["2026-10-03"],
                    "goal_every": goal_every(heads),
                    "grace_minutes": 10,
                    "clubs": [
                        {"club": site, "name": name, "heads": count}
                        for site, name, count in _clubs()
                    ],
                },
                # A draft with too few windows for its fixtures: refused.
                {
                    "id": "league-draft",
                    "type": "league_season",
                    "season": "draft",
                    "name": "Draft",
                    "windows": [["2026-09-21T06:00:00Z", "2026-09-21T18:00:00Z"]],
                    "goal_every": 100,
                    "clubs": [
                        {"club": "ber", "name": "Berlin", "heads": 38},
                        {"club": "ham", "name": "Hamburg", "heads": 32},
                        {"club": "muc", "name": "München", "heads": 27},
                    ],
                },
            ),
        ),
        # A four-week campaign: a coffee voucher for 2,400 confirmed points in a week.
        (at(d(2026, 9, 14), 8), manager(_threshold(active=True))),
        (at(d(2026, 10, 12), 7, 45), manager(_threshold(active=False))),
        (at(d(2026, 9, 15), 8), manager(_prize("champagne", "Bottle of champagne", 10))),
        (
            at(d(2026, 9, 21), 7, 30),
            manager(
                {"id": "move-ham-07", "type": "agent", "agent": "ham-07"}
                | {"name": names["ham-07"], "team": "ber-1", "site": "ber"},
            ),
        ),
        (at(d(2026, 9, 25), 7, 30), cancel_old_sales(6, 1)),
        (
            at(d(2026, 9, 28), 7, 30),
            manager(
                {"id": "rules-2026-10", "type": "rules", "rules": october_rules()},
                effective=at(d(2026, 10, 1), 0),
            ),
        ),
        (
            at(d(2026, 9, 28), 7, 35),
            manager(
                {
                    "id": "tombola-autumn-insurance",
                    "type": "tombola_open",
                    "tombola": "autumn-insurance",
                    "name": "Insurance and fibre draw",
                    "prizes": ["dayoff", "coffee"],
                    "closes": format_ts(at(d(2026, 10, 30), 18)),
                    "count_pending": False,
                    "products": ["insurance", "fiber-1000"],
                    "seed_hash": seed_hash(TOMBOLA_SEEDS["autumn-insurance"]),
                }
            ),
        ),
        (
            at(d(2026, 9, 30), 18),
            manager(
                {"id": "rename-cgn", "type": "site", "site": "cgn", "name": "Köln-Mülheim"}
                | {"short_name": "KÖL", "colour": "#e377c2"},
                {"id": "rename-muc-2", "type": "team", "team": "muc-2"}
                | {"name": "München Nord", "site": "muc"},
            ),
        ),
        (
            at(d(2026, 10, 1), 7, 30),
            manager(
                _prize("basket", "Delicacies basket", 6),
                {"id": "rule-shirt-off", "type": "prize_rule", "rule": "instant-shirt"}
                | {"kind": "instant", "prize": "shirt", "min_revenue": "90", "active": False},
            ),
        ),
        # The joiner chooses a public name before the roster names them: it waits.
        (
            at(d(2026, 10, 2), 18),
            agent_app(
                {"id": "p-lei-18", "type": "profile", "agent": "lei-18", "public_name": "Kim"}
            ),
        ),
        (at(d(2026, 10, 5), 7, 0), join(firm_agents, simulator, Agent("lei-18", "lei", 1.3))),
        (
            at(d(2026, 10, 5), 7, 30),
            manager(
                {"id": "join-lei-18", "type": "agent", "agent": "lei-18"}
                | {"name": "Kim Nowak", "team": "lei-2", "site": "lei"},
            ),
        ),
        # Essen is short of staff on matchday 6 and forfeits its match.
        (at(d(2026, 10, 5), 10), forfeit("ess", 6)),
        (at(d(2026, 10, 7), 11, 10), crm(*_swiss_sales())),
        # A cancellation that reaches the log before the sale it cancels.
        (
            at(d(2026, 10, 8), 10, 2),
            crm({"id": "cancel-order-77", "type": "cancellation", "sale": "order-77"}),
        ),
        (at(d(2026, 10, 8), 10, 20), crm(_sale("order-77", "cgn-03", "insurance", "310.00"))),
        (at(d(2026, 10, 9), 7, 30), cancel_old_sales(8, 2)),
        (at(d(2026, 10, 12), 6, 30), leave(firm_agents, simulator, "ess-13")),
        (
            at(d(2026, 10, 12), 7, 30),
            manager(
                {"id": "leave-ess-13", "type": "agent", "agent": "ess-13"}
                | {"name": names["ess-13"], "team": "ess-1", "site": "ess", "active": False},
                {"id": "heads-ess", "type": "league_heads", "season": LEAGUE}
                | {"club": "ess", "heads": 12},
            ),
        ),
        (at(d(2026, 10, 19), 9), end_league),
        (at(d(2026, 10, 23), 7, 30), cancel_old_sales(5, 3)),
    ]
    # Every Friday afternoon, prizes are handed over.
    friday = d(2026, 9, 4)
    while friday <= LAST_DAY:
        plan.append((at(friday, 16), hand_over(8)))
        friday += timedelta(days=7)
    return plan


def _clubs() -> list[tuple[str, str, int]]:
    return [(site, name, heads) for site, name, heads, _ in SITES]


def _goal(agent: str, title: str, price: str, version: str = "1") -> Event:
    return {
        "id": f"goal-{agent}-{version}",
        "type": "goal",
        "agent": agent,
        "title": title,
        "price": price,
    }


def _prize(prize: str, name: str, stock: int) -> Event:
    return {"id": f"restock-{prize}-{stock}", "type": "prize", "prize": prize} | {
        "name": name,
        "stock": stock,
    }


def _threshold(*, active: bool) -> Event:
    return {
        "id": f"rule-coffee-week-{'on' if active else 'off'}",
        "type": "prize_rule",
        "rule": "coffee-week",
        "kind": "threshold",
        "prize": "coffee",
        "period": "week",
        "points": 2400,
        "active": active,
    }


def _sale(sale_id: str, agent: str, product: str, revenue: str, **extra: Any) -> Event:
    return {
        "id": sale_id,
        "type": "sale",
        "agent": agent,
        "product": product,
        "revenue": revenue,
        "channel": "phone",
        **extra,
    }


def _swiss_sales() -> list[Event]:
    """Orders from the Swiss shop: francs at the October rate, one in dollars
    with no rate (it counts no revenue), one of several items."""
    return [
        _sale("ch-1001", "muc-07", "mobile-new", "89.00", currency="CHF", customer="c-881"),
        _sale("ch-1002", "muc-07", "accessory", "24.50", currency="CHF", quantity=3),
        _sale("us-1", "muc-08", "accessory", "40.00", currency="USD"),
    ]


def traffic(day: date) -> dict[int, float]:
    weekday = day.isoweekday()
    if weekday <= 5 and day.isoformat() != "2026-10-03":
        return HOURS
    return SATURDAY_HOURS if weekday == 6 else {}


def build() -> Log:
    firm, roster = company(7)
    simulator = Simulator(firm, seed=11, prefix="sim")
    log = Log()
    setup = at(date(2026, 8, 31), 8)
    log.post([{**e, "ts": format_ts(setup)} for e in roster], "manage", setup, by="admin")
    names = {e["agent"]: e["name"] for e in roster if e["type"] == "agent"}
    plan = actions(firm.agents, simulator, sum(firm.heads.values()), names)
    queue = [(when, n, action) for n, (when, action) in enumerate(plan)]
    heapq.heapify(queue)
    per_unit = PER_WEEKDAY / sum(HOURS.values()) / 4  # events per quarter hour at share 1
    moment = at(FIRST_DAY, 0)
    end = at(LAST_DAY, 8)
    last_engine_tick = moment - ENGINE_TICK
    while moment < end:
        while queue and queue[0][0] <= moment:
            when, _, action = heapq.heappop(queue)
            action(log, max(when, log.now))
        later = moment + STEP
        local = moment.astimezone(ZONE)
        share = traffic(local.date()).get(local.hour)
        if share:
            events = simulator.events(round(per_unit * share), moment, later)
            *integration, tick = events
            _post_runs(log, integration, later)
            log.post([tick], "manage", later, by="simulator")
        elif moment - last_engine_tick >= ENGINE_TICK:
            slot = int(moment.timestamp() // ENGINE_TICK.total_seconds())
            log.engine({"id": f"tick-{slot}", "type": "tick", "ts": format_ts(moment)})
            last_engine_tick = moment
        moment = later
    assert not queue, queue
    return log


def _post_runs(log: Log, events: list[Event], received: datetime) -> None:
    """Sales and cancellations come from the CRM, contacts from the contact system:
    each run of one source is posted as it comes. Their clocks send whole seconds."""
    run: list[Event] = []
    source = ""
    for event in events:
        event["ts"] = event["ts"][:19] + "Z"
        this = "acd" if event["type"] == "contact" else "crm"
        if run and this != source:
            log.post(run, source, received)
            run = []
        source = this
        run.append(event)
    if run:
        log.post(run, source, received)


def main() -> None:
    log = build()
    data = b"".join(line + b"\n" for line in log.lines)
    packed = lzma.compress(data, preset=6)
    OUTPUT.write_bytes(packed)
    print(f"{len(log.lines)} events, {len(data)} bytes, {len(packed)} packed", file=sys.stderr)
    print(f"sha256 of the file: {hashlib.sha256(packed).hexdigest()}", file=sys.stderr)
    print("events:", dict(sorted(log.types.items())), file=sys.stderr)
    print("changes:", dict(sorted(log.changes.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
