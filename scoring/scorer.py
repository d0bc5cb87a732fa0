"""The scorer: a deterministic fold of the event log into what everyone earned.

``Scorer.apply(event)`` takes events in log order. Time moves only with the
log: the clock is the latest ``received`` stamp or ``tick`` seen, never the
machine's. Each time it moves, sales whose cancellation window has passed are
confirmed and tombolas whose closing time has passed are closed, in time order,
and periods that ended settle their rank prizes.

The decisions the rules leave open, made here:

- A sale is pending until ``ts + window`` (the window in whole 24-hour days),
  then confirmed, and a confirmed sale stays confirmed: a cancellation that
  reaches the log after the confirmation changes no points even if the
  customer cancelled inside the window; it counts in the cancellation rate.
- A cancellation inside the window (by its ``ts``) of a pending sale revokes
  the sale's points, commission, instant prize and tombola tickets. A
  cancellation of a sale not yet in the log waits for it.
- A second cancellation of the same sale is ignored.
- Sales and contacts count for their agent at once and for a team or site once
  the roster names the agent (with the team and site of the sale's day).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from leagues.errors import LeagueError
from leagues.season import League, build_season

from . import goals, roster, tombolas
from . import prizes as prize_rules
from .model import (
    CONFIRMED,
    HANDED_OVER,
    PENDING,
    REVOKED,
    Agent,
    Award,
    Bucket,
    Goal,
    Prize,
    PrizeRule,
    Sale,
    Season,
    Tombola,
)
from .periods import Calendar
from .rules import PROMOTER, Rules, parse_rules

RECENT_PER_AGENT = 50
Event = dict[str, Any]


class _Epochs:
    """ISO timestamps to epoch seconds, remembering the last one (a batch shares
    one ``received`` stamp, and a live event's ``ts`` is often its ``received``)."""

    def __init__(self) -> None:
        self._last_text = ""
        self._last_value = 0.0

    def __call__(self, text: str) -> float:
        if text == self._last_text:
            return self._last_value
        value = datetime.fromisoformat(text).timestamp()
        self._last_text, self._last_value = text, value
        return value


class Scorer:
    def __init__(self) -> None:
        self.offset = 0
        #: events folded by this scorer: any change to the state moves it, so the
        #: shell can keep what it derived from one state (not part of the state)
        self.folds = 0
        self.clock = 0.0
        self.rules: list[tuple[float, Rules]] = [(0.0, Rules())]
        self.calendars: dict[str, Calendar] = {}
        self.agents: dict[str, Agent] = {}
        self.profiles: dict[str, dict[str, Any]] = {}
        self.teams: dict[str, dict[str, str]] = {}
        self.sites: dict[str, dict[str, Any]] = {}
        self.seasons: dict[str, Season] = {}
        self.buckets: dict[str, dict[str, Bucket]] = {}
        self.sales: dict[str, Sale] = {}
        self.waiting_cancellations: dict[str, tuple[str, float, str]] = {}
        self.due: list[tuple[float, str]] = []
        self.recent: dict[str, deque[list[Any]]] = {}
        self.goals: dict[str, Goal] = {}
        self.prizes: dict[str, Prize] = {}
        self.prize_rules: dict[str, PrizeRule] = {}
        self.awards: dict[str, Award] = {}
        self.tombolas: dict[str, Tombola] = {}
        self.settled: dict[str, str] = {}
        self.changes: list[dict[str, Any]] = []
        self.league = League()
        self.dirty: set[str] = set()
        self.epoch = _Epochs()
        #: agent -> (local day, club) of their latest sale (a cache)
        self._placements: dict[str, tuple[str, str | None]] = {}
        self._active_prize_rules: dict[str, list[PrizeRule]] | None = None
        self._clock_day = ""
        #: when the clock's local day ends (a cache, rebuilt after a restore)
        self._day_ends = 0.0
        self._handlers: dict[str, Callable[[Event], None]] = {
            "sale": self._sale,
            "cancellation": self._cancellation,
            "contact": self._contact,
            "site": lambda event: roster.site(self, event),
            "team": lambda event: roster.team(self, event),
            "agent": lambda event: roster.agent(self, event),
            "profile": lambda event: roster.profile(self, event),
            "rules": self._rules,
            "season": self._season,
            "goal": lambda event: goals.set_goal(self, event),
            "prize": self._prize,
            "prize_rule": self._prize_rule,
            "handover": self._handover,
            "tombola_open": lambda event: tombolas.open_tombola(self, event),
            "tombola_draw": lambda event: tombolas.record_draw(self, event),
            "league_season": self._league_season,
            "league_heads": lambda e: self.league.set_heads(e["season"], e["club"], e["heads"]),
            "forfeit": lambda e: self.league.forfeit(e["season"], e["match"], e["club"]),
            "league_end": lambda e: self.league.end(e["season"]),
            "tick": lambda event: None,
        }

    # Folding ---------------------------------------------------------------
    def apply(self, event: Event, offset: int | None = None) -> None:
        """Fold one event (in its canonical log form) into the state."""
        kind = event["type"]
        moment = event["ts"] if kind == "tick" else event.get("received")
        if moment is not None:
            now = self.epoch(moment)
            if now > self.clock:
                self.advance(now)
        self._handlers[kind](event)
        self.folds += 1
        if offset is not None:
            self.offset = offset

    def advance(self, now: float) -> None:
        """Move the clock to ``now``: confirm, close and settle what is due."""
        self.clock = now
        due = self.due
        while due and due[0][0] <= now:
            when, key = heapq.heappop(due)
            # in time order: a tombola that closed before this sale's window
            # ended must not count it, however far this one step of the clock goes
            tombolas.close_due(self, when)
            sale = self.sales[key]
            if sale.state == PENDING:
                self._confirm(sale)
        tombolas.close_due(self, now)
        if self.league.seasons:
            self.league.advance(now)
        if now >= self._day_ends:
            calendar = self.calendar_at(now)
            day = calendar.day(now)
            self._day_ends = calendar.start(
                (date.fromisoformat(day) + timedelta(days=1)).isoformat()
            )
            if day != self._clock_day:
                self._clock_day = day
                prize_rules.settle_ended_periods(self)

    # Lookups ---------------------------------------------------------------
    def rules_at(self, epoch: float) -> Rules:
        rules = self.rules
        if epoch >= rules[-1][0]:
            return rules[-1][1]
        for since, candidate in reversed(rules):
            if since <= epoch:
                return candidate
        return rules[0][1]

    def rules_version(self, version: str) -> Rules:
        for _, rules in self.rules:
            if rules.version == version:
                return rules
        raise KeyError(version)

    def calendar(self, rules: Rules) -> Calendar:
        calendar = self.calendars.get(rules.timezone)
        if calendar is None:
            calendar = self.calendars[rules.timezone] = Calendar(rules.timezone)
        return calendar

    def calendar_at(self, epoch: float) -> Calendar:
        return self.calendar(self.rules_at(epoch))

    def bucket(self, agent: str, day: str) -> Bucket:
        days = self.buckets.get(agent)
        if days is None:
            days = self.buckets[agent] = {}
        bucket = days.get(day)
        if bucket is None:
            bucket = days[day] = Bucket()
        return bucket

    def active_prize_rules(self, kind: str) -> list[PrizeRule]:
        """The active prize rules of a kind, in the order they were set: a cache of
        ``prize_rules`` (asked for on every sale, confirmation and contact)."""
        by_kind = self._active_prize_rules
        if by_kind is None:
            by_kind = self._active_prize_rules = {}
            for rule in self.prize_rules.values():
                if rule.active:
                    by_kind.setdefault(rule.kind, []).append(rule)
        return by_kind.get(kind, [])

    def season_of(self, day: str) -> str | None:
        for season in self.seasons.values():
            if season.starts <= day <= season.ends:
                return season.id
        return None

    def _remember(self, agent: str, row: list[Any]) -> None:
        recent = self.recent.get(agent)
        if recent is None:
            recent = self.recent[agent] = deque(maxlen=RECENT_PER_AGENT)
        recent.append(row)

    # Sales -----------------------------------------------------------------
    def _sale(self, event: Event) -> None:
        sale_id, agent = event["id"], event["agent"]
        key = f"{event['source']}:{sale_id}"
        if key in self.sales:
            return
        ts = self.epoch(event["ts"])
        rules = self.rules_at(ts)
        revenue = event["revenue"]
        cents = int(revenue.replace(".", ""))
        note = ""
        currency = event.get("currency")
        if currency is not None and currency != "EUR":
            rate = rules.exchange_rates.get(currency)
            if rate is None:
                note = f"no exchange rate for {currency}: revenue counts as 0"
                cents = 0
            else:
                cents = round(cents * rate)
        euros = cents / 100
        quantity = event.get("quantity", 1)
        product, channel = event["product"], event["channel"]
        terms = rules.terms(product, channel)
        day = self.calendar(rules).day(ts)
        points = round(terms.points(euros, quantity) * 100)
        commission = round(terms.commission(euros, quantity) * 100)
        sale = self.sales[key] = Sale(
            key,
            sale_id,
            agent,
            product,
            channel,
            ts,
            day,
            cents,
            quantity,
            points,
            commission,
            rules.version,
            ts + rules.window_seconds,
        )
        bucket = self.bucket(agent, day)
        bucket.sales += 1
        bucket.revenue += cents
        bucket.sales_pending += points
        bucket.commission_pending += commission
        self._remember(agent, ["sale", key])
        self.dirty.add(agent)
        if note:
            sale.note = note
        goal = self.goals.get(agent)
        if goal is not None and ts >= goal.since:
            goal.pending += commission
        for tombola in self.tombolas.values():
            if tombola.state == "open" and tombola.count_pending:
                tombolas.count_ticket(self, tombola, sale, +1)
        if self.prize_rules:
            prize_rules.instant(self, sale)
        self.changes.append(
            {
                "kind": "sale",
                "agent": agent,
                "id": sale_id,
                "product": product,
                "revenue": revenue,
                "channel": channel,
                "points": points,
            }
        )
        if self.league.seasons:
            club = self._club(agent, day)
            if club is not None:
                self.league.on_sale(key, sale_id, agent, club, ts, points, self.clock)
        if self.waiting_cancellations:
            waiting = self.waiting_cancellations.pop(key, None)
            if waiting is not None:
                self._cancel(sale, *waiting)
        if sale.state == PENDING:
            if sale.due <= self.clock:
                self._confirm(sale)
            else:
                heapq.heappush(self.due, (sale.due, key))

    def _confirm(self, sale: Sale) -> None:
        sale.state = CONFIRMED
        bucket = self.bucket(sale.agent, sale.day)
        bucket.sales_pending -= sale.points
        bucket.sales_confirmed += sale.points
        bucket.commission_pending -= sale.commission
        bucket.commission_confirmed += sale.commission
        self.dirty.add(sale.agent)
        goal = self.goals.get(sale.agent)
        if goal is not None and sale.ts >= goal.since:
            goal.pending -= sale.commission
            goal.confirmed += sale.commission
            goals.check(self, goal)
        for tombola in self.tombolas.values():
            if tombola.state == "open" and not tombola.count_pending:
                tombolas.count_ticket(self, tombola, sale, +1)
        if self.prize_rules:
            prize_rules.threshold(self, sale.agent, sale.day)

    def _cancellation(self, event: Event) -> None:
        key = f"{event['source']}:{event['sale']}"
        ts = self.epoch(event["ts"])
        sale = self.sales.get(key)
        if sale is None:
            self.waiting_cancellations.setdefault(key, (event["id"], ts, event.get("reason", "")))
        else:
            self._cancel(sale, event["id"], ts, event.get("reason", ""))

    def _cancel(self, sale: Sale, cancellation: str, ts: float, reason: str) -> None:
        if sale.cancelled:
            return
        sale.cancelled = True
        bucket = self.bucket(sale.agent, sale.day)
        bucket.cancelled += 1
        self.dirty.add(sale.agent)
        self._remember(sale.agent, ["cancellation", sale.key, cancellation])
        if sale.state != PENDING or ts >= sale.due:
            return
        sale.state = REVOKED
        bucket.sales -= 1
        bucket.revoked += 1
        bucket.revenue -= sale.revenue
        bucket.sales_pending -= sale.points
        bucket.commission_pending -= sale.commission
        goal = self.goals.get(sale.agent)
        if goal is not None and sale.ts >= goal.since:
            goal.pending -= sale.commission
        for tombola in self.tombolas.values():
            if tombola.state == "open" and tombola.count_pending:
                tombolas.count_ticket(self, tombola, sale, -1)
        if sale.award is not None:
            prize_rules.revoke(self, sale.award)
        if self.league.seasons:
            club = self._club(sale.agent, sale.day)
            if club is not None:
                self.league.on_revoke(sale.key, sale.id, club, sale.ts, sale.points, self.clock)
        self.changes.append(
            {
                "kind": "revoked",
                "agent": sale.agent,
                "id": sale.id,
                "points": sale.points,
                "reason": reason,
            }
        )

    def _club(self, agent: str, day: str) -> str | None:
        """The club (site) an agent's sale plays for; None while the roster lacks them."""
        cached = self._placements.get(agent)
        if cached is not None and cached[0] == day:
            return cached[1]
        record = self.agents.get(agent)
        club = record.placement(day)[1] if record is not None else None
        self._placements[agent] = (day, club)
        return club

    def forget_placement(self, agent: str) -> None:
        """The roster moved ``agent``: their next sale looks the club up again."""
        self._placements.pop(agent, None)

    def _league_season(self, event: Event) -> None:
        ts = self.epoch(event["ts"])
        calendar = self.calendar_at(ts)
        try:
            season = build_season(event, calendar.timezone)
        except LeagueError as error:
            self.changes.append(
                {"kind": "league_error", "season": event["season"], "error": str(error)}
            )
            return
        self.league.add(season)
        first = calendar.day(season.matches[0].starts)
        last = calendar.day(season.matches[-1].ends - 1)
        self.seasons.setdefault(season.id, Season(season.id, season.name, first, last))
        self.league.advance(self.clock)

    def drain_changes(self) -> list[dict[str, Any]]:
        """What changed since the last drain, for screens: scores, goals, prizes."""
        changes = self.changes + self.league.changes
        self.changes, self.league.changes = [], []
        return changes

    # Contacts --------------------------------------------------------------
    def _contact(self, event: Event) -> None:
        ts = self.epoch(event["ts"])
        rules = self.rules_at(ts)
        referral, quality, resolved = event["referral"], event["quality"], event["resolved"]
        referred = referral is True or (type(referral) is int and referral >= PROMOTER)
        points = round(rules.contact_points(resolved, referred, quality) * 100)
        agent = event["agent"]
        day = self.calendar(rules).day(ts)
        bucket = self.bucket(agent, day)
        bucket.contacts += 1
        bucket.support += points
        bucket.quality += round(quality * 100)
        bucket.referrals += referred
        bucket.resolved += resolved
        self.dirty.add(agent)
        self._remember(
            agent,
            ["contact", event["id"], ts, points, rules.version, resolved, referred, quality],
        )
        if self.prize_rules:
            prize_rules.threshold(self, agent, day)

    # Rules and seasons -----------------------------------------------------
    def _rules(self, event: Event) -> None:
        rules = parse_rules(event["rules"], version=event["id"])
        since = self.epoch(event["ts"])
        self.rules.append((since, rules))
        self.rules.sort(key=lambda entry: entry[0])

    def _season(self, event: Event) -> None:
        self.seasons[event["season"]] = Season(
            event["season"], event["name"], event["starts"], event["ends"]
        )

    # Prizes ----------------------------------------------------------------
    def _prize(self, event: Event) -> None:
        prize = self.prizes.get(event["prize"])
        stock = event.get("stock")
        if prize is None:
            self.prizes[event["prize"]] = Prize(
                event["prize"], event["name"], stock, event.get("picture")
            )
        else:
            prize.name, prize.stock = event["name"], stock
            prize.picture = event.get("picture", prize.picture)
        prize_rules.refresh_stock(self, event["prize"])

    def _prize_rule(self, event: Event) -> None:
        ts = self.epoch(event["ts"])
        self._active_prize_rules = None
        self.prize_rules[event["rule"]] = PrizeRule(
            id=event["rule"],
            kind=event["kind"],
            prize=event["prize"],
            min_revenue=int(event.get("min_revenue", "0").replace(".", "")),
            points=round(event.get("points", 0) * 100),
            period=event.get("period", "day"),
            top=event.get("top", 1),
            active=event.get("active", True),
            since=self.calendar_at(ts).day(ts),
        )
        prize_rules.refresh_stock(self, event["prize"])

    def _handover(self, event: Event) -> None:
        award = self.awards.get(event["award"])
        if award is not None and award.state != REVOKED:
            award.state = HANDED_OVER
            self.dirty.add(award.agent)

    # Tombola ---------------------------------------------------------------
    # Periods ---------------------------------------------------------------
    def days_of(self, kind: str, key: str) -> tuple[str, str]:
        """First and last local day of a period key."""
        if kind == "season":
            season = self.seasons[key]
            return season.starts, season.ends
        from .periods import period_days

        first, after = period_days(kind, key)
        return first.isoformat(), date.fromordinal(after.toordinal() - 1).isoformat()

    def period_key(self, kind: str, day: str) -> str | None:
        if kind == "season":
            return self.season_of(day)
        return self.calendar_at(self.clock).period(kind, day)
