"""Prize rules: instant, threshold and rank.

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
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import HANDED_OVER, REVOKED, Award, Sale
from .totals import agent_total, check_gate, eligible, ranking, totals

if TYPE_CHECKING:
    from .scorer import Scorer


def award(
    scorer: Scorer,
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
    prize = scorer.prizes.get(prize_id)
    rule = scorer.prize_rules.get(rule_id)
    if prize is None or not prize.available:
        if rule is not None:
            rule.out_of_stock = True
        scorer.changes.append(
            {"kind": "prize_out_of_stock", "rule": rule_id, "prize": prize_id, "agent": agent}
        )
        return None
    prize.awarded += 1
    refresh_stock(scorer, prize_id)
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
    scorer.awards[award_id] = given
    scorer.dirty.add(agent)
    scorer.changes.append(
        {"kind": "prize", "award": award_id, "agent": agent, "prize": prize.name, "reason": reason}
    )
    return given


def refresh_stock(scorer: Scorer, prize_id: str) -> None:
    """Every rule that gives ``prize_id`` says whether any is left."""
    prize = scorer.prizes.get(prize_id)
    if prize is None:
        return
    for rule in scorer.prize_rules.values():
        if rule.prize == prize_id:
            rule.out_of_stock = not prize.available


def revoke(scorer: Scorer, award_id: str) -> None:
    given = scorer.awards[award_id]
    if given.state == REVOKED:
        return
    if given.state != HANDED_OVER:
        prize = scorer.prizes.get(given.prize)
        if prize is not None:
            prize.awarded -= 1
            refresh_stock(scorer, given.prize)
    given.state = REVOKED
    scorer.dirty.add(given.agent)
    scorer.changes.append({"kind": "prize_revoked", "award": award_id, "agent": given.agent})


def instant(scorer: Scorer, sale: Sale) -> None:
    best = None
    for rule in scorer.active_prize_rules("instant"):
        if sale.revenue >= rule.min_revenue and (
            best is None or rule.min_revenue > best.min_revenue
        ):
            best = rule
    if best is not None:
        given = award(
            scorer,
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


def threshold(scorer: Scorer, agent: str, day: str) -> None:
    for rule in scorer.active_prize_rules("threshold"):
        key = scorer.period_key(rule.period, day)
        if key is None:
            continue
        award_id = f"{rule.id}:{agent}:{key}"
        if award_id in scorer.awards:
            continue
        first, last = scorer.days_of(rule.period, key)
        total = agent_total(scorer, agent, first, last)
        if total.confirmed_points < rule.points:
            continue
        rules = scorer.rules_at(scorer.clock)
        if not eligible(check_gate(rules.gates.get(rule.period), total)):
            continue
        award(
            scorer,
            rule.prize,
            rule.id,
            agent,
            scorer.clock,
            f"{rule.points / 100:g} confirmed points in {key}",
            award_id=award_id,
            period=key,
        )


def settle_ended_periods(scorer: Scorer) -> None:
    """Award rank prizes for every period that ended before the clock's day."""
    today = scorer._clock_day
    for rule in scorer.prize_rules.values():
        if rule.kind != "rank" or not rule.active:
            continue
        for key in _ended_periods(scorer, rule.period, today, rule.since):
            marker = f"{rule.id}:{key}"
            if marker in scorer.settled:
                continue
            scorer.settled[marker] = today
            first, last = scorer.days_of(rule.period, key)
            gate = scorer.rules_at(scorer.clock).gates.get(rule.period)
            place = 0
            for agent, total in ranking(totals(scorer, "agent", first, last)):
                if place >= rule.top:
                    break
                if total.points <= 0 or not eligible(check_gate(gate, total)):
                    continue
                place += 1
                given = award(
                    scorer,
                    rule.prize,
                    rule.id,
                    agent,
                    scorer.clock,
                    f"place {place} in {key}",
                    award_id=f"{marker}:{place}",
                    period=key,
                )
                if given is None:
                    break


def _ended_periods(scorer: Scorer, kind: str, today: str, since: str) -> list[str]:
    """Periods with activity that ended before ``today`` and not before ``since``
    (a rule does not reach back to periods that were over when it was set),
    oldest first, so that limited stock goes to the earlier period."""
    ended = {}
    days = {day for agent_days in scorer.buckets.values() for day in agent_days if day < today}
    for day in days:
        key = scorer.period_key(kind, day)
        if key is not None and key not in ended:
            first, last = scorer.days_of(kind, key)
            if since <= last < today:
                ended[key] = first
    return sorted(ended, key=lambda key: (ended[key], key))
