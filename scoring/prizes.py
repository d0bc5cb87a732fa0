"""Prizes and prize rules: instant, threshold and rank.

- instant: a single sale with revenue (in EUR) at or above ``min_revenue``.
  When several instant rules match a sale, only the highest tier it reaches is
  awarded. A sale revoked inside its cancellation window revokes the award
  (kept, marked revoked) and its prize goes back into stock unless it was
  already handed over.
- threshold: ``points`` confirmed points in a period (day, week, month, season),
  once per agent and period, with the period's gates met at that moment.
- rank: the top ``top`` agents of a period, settled when the period ends on the
  log's clock, ordered as the leaderboard orders them (see ``totals``),
  gates applied: an ineligible agent is skipped and the next one moves up.
  Ended periods settle oldest first; a rule plays only for periods that end
  on or after the local day it was set, never for ones already over.
When a prize's stock is used up no award is made, and the rule reports itself
out of stock until the prize is restocked.

A ``hidden`` rule awards like any other (stock, gates, once per period), but
its awards are kept apart, in ``hidden_awards``, which only managers' views
read: boards, the ticker, agents' pages and celebrations never see them. The
same rule posted again without ``hidden`` reveals it: its awards join the
others and are celebrated then.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codecs import CACHE, PLAIN, keyed, records, stored
from .feature import Core, Event, Feature, Handler
from .model import HANDED_OVER, REVOKED, Award, Bucket, Prize, PrizeRule, Sale
from .outbox import Outbox
from .rules import Gate
from .state import State
from .totals import agent_total, check_gate, eligible, ranking, totals


@dataclass(slots=True)
class PrizeBook:
    prizes: dict[str, Prize] = stored(records(Prize, added=1))
    prize_rules: dict[str, PrizeRule] = stored(records(PrizeRule, added=1))
    awards: dict[str, Award] = stored(keyed(Award))
    #: the awards of hidden rules, until their rule is revealed
    hidden_awards: dict[str, Award] = stored(keyed(Award, optional=True))
    #: "rule:period" of every rank rule settled -> the day it was settled
    settled: dict[str, str] = stored(PLAIN)
    #: the active rules by kind, in the order they were set (asked for on every
    #: sale, confirmation and contact); None when a rule changed
    active: dict[str, list[PrizeRule]] | None = stored(CACHE, lambda: None)

    def find(self, award_id: str) -> Award | None:
        """An award, shown or hidden."""
        given = self.awards.get(award_id)
        return given if given is not None else self.hidden_awards.get(award_id)

    def active_rules(self, kind: str) -> list[PrizeRule]:
        by_kind = self.active
        if by_kind is None:
            by_kind = self.active = {}
            for rule in self.prize_rules.values():
                if rule.active:
                    by_kind.setdefault(rule.kind, []).append(rule)
        return by_kind.get(kind, [])


def award(
    book: PrizeBook,
    outbox: Outbox,
    prize_id: str,
    rule_id: str,
    agent: str,
    ts: float,
    reason: str,
    *,
    award_id: str,
    period: str | None = None,
    sale: str | None = None,
) -> Award | None:
    """Give ``prize_id`` to ``agent`` if it is in stock; None (and say so) if not."""
    prize = book.prizes.get(prize_id)
    rule = book.prize_rules.get(rule_id)
    if prize is None or not prize.available:
        if rule is not None:
            rule.out_of_stock = True
        outbox.emit(
            {"kind": "prize_out_of_stock", "rule": rule_id, "prize": prize_id, "agent": agent}
        )
        return None
    prize.awarded += 1
    refresh_stock(book, prize_id)
    given = Award(
        id=award_id,
        prize=prize_id,
        rule=rule_id,
        agent=agent,
        ts=ts,
        reason=reason,
        period=period,
        sale=sale,
    )
    if rule is not None and rule.hidden:
        book.hidden_awards[award_id] = given
        return given
    book.awards[award_id] = given
    outbox.dirty.add(agent)
    outbox.emit(
        {"kind": "prize", "award": award_id, "agent": agent, "prize": prize.name, "reason": reason}
    )
    return given


def refresh_stock(book: PrizeBook, prize_id: str) -> None:
    """Every rule that gives ``prize_id`` says whether any is left."""
    prize = book.prizes.get(prize_id)
    if prize is None:
        return
    for rule in book.prize_rules.values():
        if rule.prize == prize_id:
            rule.out_of_stock = not prize.available


def winners_between(book: PrizeBook, opens: float, closes: float) -> set[str]:
    """Agents holding an award (not revoked) given in [opens, closes)."""
    return {
        a.agent
        for awards in (book.awards, book.hidden_awards)
        for a in awards.values()
        if a.state != REVOKED and opens <= a.ts < closes
    }


class Prizes(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(PrizeBook)

    def handlers(self) -> dict[str, Handler]:
        return {"prize": self.prize, "prize_rule": self.prize_rule, "handover": self.handover}

    # Events ----------------------------------------------------------------
    def prize(self, event: Event) -> None:
        prize = self.book.prizes.get(event["prize"])
        stock = event.get("stock")
        value = event.get("value")
        cents = None if value is None else int(value.replace(".", ""))
        if prize is None:
            self.book.prizes[event["prize"]] = Prize(
                event["prize"], event["name"], stock, event.get("picture"), value=cents
            )
        else:
            prize.name, prize.stock = event["name"], stock
            prize.picture = event.get("picture", prize.picture)
            prize.value = prize.value if cents is None else cents
        refresh_stock(self.book, event["prize"])

    def prize_rule(self, event: Event) -> None:
        ts = self.epoch(event["ts"])
        self.book.active = None
        before = self.book.prize_rules.get(event["rule"])
        hidden = event.get("hidden", False)
        self.book.prize_rules[event["rule"]] = PrizeRule(
            id=event["rule"],
            kind=event["kind"],
            prize=event["prize"],
            min_revenue=int(event.get("min_revenue", "0").replace(".", "")),
            points=round(event.get("points", 0) * 100),
            period=event.get("period", "day"),
            top=event.get("top", 1),
            active=event.get("active", True),
            since=self.state.timeline.calendar_at(ts).day(ts),
            hidden=hidden,
        )
        refresh_stock(self.book, event["prize"])
        if before is not None and before.hidden and not hidden:
            self._reveal(event["rule"])

    def handover(self, event: Event) -> None:
        given = self.book.find(event["award"])
        if given is not None and given.state != REVOKED:
            given.state = HANDED_OVER
            self.outbox.dirty.add(given.agent)

    # Hooks -----------------------------------------------------------------
    def counted(self, sale: Sale) -> None:
        if not self.book.prize_rules:
            return
        best = None
        for rule in self.book.active_rules("instant"):
            if sale.revenue >= rule.min_revenue and (
                best is None or rule.min_revenue > best.min_revenue
            ):
                best = rule
        if best is not None:
            given = award(
                self.book,
                self.outbox,
                best.prize,
                best.id,
                sale.agent,
                sale.ts,
                f"sale {sale.id} of {sale.revenue / 100:.2f} EUR",
                award_id=f"{best.id}:{sale.key}",
                sale=sale.key,
            )
            if given is not None:
                sale.award = given.id

    def confirmed(self, sale: Sale) -> None:
        if self.book.prize_rules:
            self._threshold(sale.agent, sale.day)

    def contact_counted(self, agent: str, day: str) -> None:
        if self.book.prize_rules:
            self._threshold(agent, day)

    def revoked(self, sale: Sale) -> None:
        if sale.award is not None:
            self._revoke(sale.award)

    def new_day(self, day: str) -> None:
        self._settle_ended_periods(day)

    # Rules -----------------------------------------------------------------
    def _reveal(self, rule_id: str) -> None:
        """A hidden rule's awards join the others, in the order they were made, and
        those that stand are celebrated now."""
        hidden = self.book.hidden_awards
        for award_id in [a.id for a in hidden.values() if a.rule == rule_id]:
            given = self.book.awards[award_id] = hidden.pop(award_id)
            if given.state == REVOKED:
                continue
            prize = self.book.prizes.get(given.prize)
            self.outbox.dirty.add(given.agent)
            self.outbox.emit(
                {
                    "kind": "prize",
                    "award": award_id,
                    "agent": given.agent,
                    "prize": prize.name if prize else given.prize,
                    "reason": f"revealed: {given.reason}",
                }
            )

    def _revoke(self, award_id: str) -> None:
        given = self.book.find(award_id)
        if given is None or given.state == REVOKED:
            return
        if given.state != HANDED_OVER:
            prize = self.book.prizes.get(given.prize)
            if prize is not None:
                prize.awarded -= 1
                refresh_stock(self.book, given.prize)
        given.state = REVOKED
        if award_id in self.book.hidden_awards:
            return  # nobody but managers knew of it
        self.outbox.dirty.add(given.agent)
        self.outbox.emit({"kind": "prize_revoked", "award": award_id, "agent": given.agent})

    def _threshold(self, agent: str, day: str) -> None:
        state, timeline = self.state, self.state.timeline
        for rule in self.book.active_rules("threshold"):
            key = timeline.period_key(rule.period, day)
            if key is None:
                continue
            award_id = f"{rule.id}:{agent}:{key}"
            if award_id in self.book.awards or award_id in self.book.hidden_awards:
                continue
            first, last = timeline.days_of(rule.period, key)
            total = agent_total(state, agent, first, last)
            if total.confirmed_points < rule.points:
                continue
            rules = timeline.rules_for(agent, state.clock)
            if not eligible(check_gate(rules.gates.get(rule.period), total)):
                continue
            award(
                self.book,
                self.outbox,
                rule.prize,
                rule.id,
                agent,
                state.clock,
                f"{rule.points / 100:g} confirmed points in {key}",
                award_id=award_id,
                period=key,
            )

    def _settle_ended_periods(self, today: str) -> None:
        """Award rank prizes for every period that ended before ``today``."""
        state, timeline = self.state, self.state.timeline
        for rule in self.book.prize_rules.values():
            if rule.kind != "rank" or not rule.active:
                continue
            for key in ended_periods(state, rule.period, today, rule.since):
                marker = f"{rule.id}:{key}"
                if marker in self.book.settled:
                    continue
                self.book.settled[marker] = today
                first, last = timeline.days_of(rule.period, key)
                gate = timeline.rules_at(state.clock).gates.get(rule.period)
                self._rank(rule, marker, key, totals(state, "agent", first, last), gate)

    def _rank(
        self, rule: PrizeRule, marker: str, key: str, table: dict[str, Bucket], gate: Gate | None
    ) -> None:
        place = 0
        for agent, total in ranking(table):
            if place >= rule.top:
                break
            if total.points <= 0 or not eligible(check_gate(gate, total)):
                continue
            place += 1
            given = award(
                self.book,
                self.outbox,
                rule.prize,
                rule.id,
                agent,
                self.state.clock,
                f"place {place} in {key}",
                award_id=f"{marker}:{place}",
                period=key,
            )
            if given is None:
                break


def ended_periods(state: State, kind: str, today: str, since: str) -> list[str]:
    """Periods with activity that ended before ``today`` and not before ``since``
    (a rule does not reach back to periods that were over when it was set),
    oldest first, so that limited stock goes to the earlier period."""
    timeline = state.timeline
    ended = {}
    days = {day for agent_days in state.buckets.values() for day in agent_days if day < today}
    for day in days:
        key = timeline.period_key(kind, day)
        if key is not None and key not in ended:
            first, last = timeline.days_of(kind, key)
            if since <= last < today:
                ended[key] = first
    return sorted(ended, key=lambda key: (ended[key], key))
