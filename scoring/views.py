"""Read-only views of a scorer's state, as JSON-ready dicts for the API and screens.

Points are reported in points (two decimals) and money in euros, converted
from the integer hundredths the state keeps.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .log import format_ts
from .model import REVOKED, Agent, Bucket, Sale
from .rules import PERIODS
from .sales import NO_RATE
from .totals import check_gate, eligible, ranking, rates, totals

if TYPE_CHECKING:
    from .scorer import Scorer


def iso(epoch: float) -> str:
    return format_ts(datetime.fromtimestamp(epoch, UTC))


def public_label(agent: Agent) -> str:
    """The name a public board shows: the chosen public name, else initials."""
    if agent.public_name:
        return agent.public_name
    return "".join(part[0] + "." for part in agent.name.split() if part) or "?"


def today(scorer: Scorer) -> str:
    return scorer.state.timeline.calendar_at(scorer.clock).day(scorer.clock)


def current_periods(scorer: Scorer) -> dict[str, tuple[str, str, str]]:
    """period -> (key, first day, last day) for the clock's day; no season if none runs."""
    day = today(scorer)
    periods = {}
    for kind in PERIODS:
        key = scorer.state.timeline.period_key(kind, day)
        if key is not None:
            periods[kind] = (key, *scorer.state.timeline.days_of(kind, key))
    return periods


def figures(total: Bucket) -> dict[str, Any]:
    return {
        "points": {
            "pending": total.sales_pending / 100,
            "confirmed": total.confirmed_points / 100,
            "total": total.points / 100,
        },
        "sales_points": {
            "pending": total.sales_pending / 100,
            "confirmed": total.sales_confirmed / 100,
        },
        "support_points": total.support / 100,
        "commission": {
            "pending": total.commission_pending / 100,
            "confirmed": total.commission_confirmed / 100,
        },
        "sales": total.sales,
        "revoked": total.revoked,
        "cancelled": total.cancelled,
        "revenue": total.revenue / 100,
        "contacts": total.contacts,
        "rated": total.rated,
        **{name: round(value, 4) for name, value in rates(total).items()},
    }


def gate_status(
    scorer: Scorer, kind: str, total: Bucket, agent: str | None = None
) -> dict[str, Any]:
    timeline = scorer.state.timeline
    rules = (
        timeline.rules_at(scorer.clock)
        if agent is None
        else timeline.rules_for(agent, scorer.clock)
    )
    checks = check_gate(rules.gates.get(kind), total)
    return {
        "eligible": eligible(checks),
        "status": "eligible" if eligible(checks) else "not yet eligible",
        "checks": [
            {
                "gate": c.gate,
                "required": c.required,
                "actual": round(c.actual, 4),
                "ok": c.ok,
                "missing": c.missing,
            }
            for c in checks
        ],
    }


def explain_sale(scorer: Scorer, sale: Sale) -> str:
    rules = scorer.state.timeline.rules_version(sale.rules)
    product = rules.product_rule(sale.product)
    euros = sale.revenue / 100
    parts = [f"{product.base:g} × {sale.quantity} + {product.per_euro:g}/€ × {euros:.2f} €"]
    factor = rules.channel_factors.get(sale.channel, 1.0)
    if factor != 1.0:
        parts.append(f"× {factor:g} for {sale.channel}")
    bonus = product.channel_bonus.get(sale.channel, 0.0)
    if bonus:
        parts.append(f"+ {bonus:g} {sale.channel} bonus")
    if rules.sales_weight != 1.0:
        parts.append(f"× {rules.sales_weight:g} sales weight")
    text = f"{rules.group(sale.product)}: " + " ".join(parts) + f" = {sale.points / 100:g} points"
    commission = rules.commission_for(sale.product)
    if sale.commission:
        how = f"{commission.percent:g} % of revenue" if commission.percent else "fixed"
        text += f"; commission {sale.commission / 100:.2f} € ({how})"
    if sale.note:
        text += f"; {sale.note}"
    return f"{text} (rules {rules.version})"


def sale_parts(scorer: Scorer, sale: Sale) -> dict[str, Any]:
    """What a sale earned, as the parts of the sum rather than a sentence, so that a
    page words it in its reader's language: the product rule's name (its group),
    ``(base × quantity + per_euro × revenue) × factor + bonus``, times the sales
    weight, and the commission (``fixed`` × quantity + ``percent`` of revenue)."""
    rules = scorer.state.timeline.rules_version(sale.rules)
    terms = rules.terms(sale.product, sale.channel)
    return {
        "rule": rules.group(sale.product),
        "product": sale.product,
        "channel": sale.channel,
        "quantity": sale.quantity,
        "base": terms.base,
        "per_euro": terms.per_euro,
        "revenue": sale.revenue / 100,
        "factor": terms.factor,
        "bonus": terms.bonus,
        "weight": terms.weight,
        "points": sale.points / 100,
        "commission": sale.commission / 100,
        "commission_fixed": terms.fixed,
        "commission_percent": terms.percent,
        # the currency the rules had no rate for, its revenue counted as 0
        "unrated_currency": unrated_currency(sale.note),
        "state": sale.state,
        "rules": sale.rules,
    }


def unrated_currency(note: str) -> str | None:
    """The currency a sale's note says the rules had no exchange rate for."""
    match = NO_RATE.fullmatch(note)
    return match["currency"] if match else None


def contact_parts(
    scorer: Scorer,
    version: str,
    points: int,
    resolved: bool,
    referred: bool,
    quality: float | None,
) -> dict[str, Any]:
    """What a contact earned, part by part: handled, resolved at first contact, a
    referral and its quality band, times the support weight (None: no such part)."""
    rules = scorer.state.timeline.rules_version(version)
    band = rules.quality_band(quality)
    return {
        "handled": rules.contact_handled,
        "resolved": rules.contact_resolved if resolved else None,
        "referral": rules.contact_referral if referred else None,
        "quality": quality,
        "quality_points": band.points if band else None,
        "weight": rules.support_weight,
        "points": points / 100,
        "rules": version,
    }


def _recent(scorer: Scorer, agent_id: str, limit: int | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for row in reversed(scorer.state.recent.get(agent_id, ())):
        if limit is not None and len(rows) >= limit:
            break
        if row[0] == "sale":
            sale = scorer.state.sales[row[1]]
            rows.append(
                {
                    "event": sale.id,
                    "type": "sale",
                    "ts": iso(sale.ts),
                    "product": sale.product,
                    "state": sale.state,
                    "points": sale.points / 100,
                    "commission": sale.commission / 100,
                    "rules": sale.rules,
                    "why": explain_sale(scorer, sale),
                    "explain": sale_parts(scorer, sale),
                }
            )
        elif row[0] == "cancellation":
            sale = scorer.state.sales[row[1]]
            effect = (
                "revoked its points and commission"
                if sale.state == REVOKED
                else "after the cancellation window: points stay, counts in the cancellation rate"
            )
            rows.append(
                {
                    "event": row[2],
                    "type": "cancellation",
                    "sale": sale.id,
                    "why": f"cancelled sale {sale.id}: {effect}",
                    "explain": {
                        "sale": sale.id,
                        "rule": scorer.state.timeline.rules_version(sale.rules).group(sale.product),
                        "revoked": sale.state == REVOKED,
                        "points": sale.points / 100,
                        "commission": sale.commission / 100,
                    },
                }
            )
        else:
            _, event_id, ts, points, version, resolved, referred, quality = row
            extras = [
                name for name, flag in (("resolved", resolved), ("referral", referred)) if flag
            ]
            rows.append(
                {
                    "event": event_id,
                    "type": "contact",
                    "ts": iso(ts),
                    "points": points / 100,
                    "rules": version,
                    "why": ("contact" if quality is None else f"contact, quality {quality:g}")
                    + (f", {' and '.join(extras)}" if extras else "")
                    + f" = {points / 100:g} points (rules {version})",
                    "explain": contact_parts(scorer, version, points, resolved, referred, quality),
                }
            )
    return rows


def agent_view(scorer: Scorer, agent_id: str, *, recent: int | None = None) -> dict[str, Any]:
    """An agent's figures, goal, tickets and awards, and their latest events explained
    (the ``recent`` latest; all the scorer keeps, ``RECENT_PER_AGENT``, by default)."""
    agent = scorer.state.agents.get(agent_id)
    periods = {}
    days = scorer.state.buckets.get(agent_id, {})
    for kind, (key, first, last) in current_periods(scorer).items():
        total = Bucket()
        for day, bucket in days.items():
            if first <= day <= last:
                total.add(bucket)
        periods[kind] = {
            "key": key,
            **figures(total),
            "gates": gate_status(scorer, kind, total, agent_id),
        }
    goal = scorer.goals.book.goals.get(agent_id)
    return {
        "agent": agent_id,
        "on_roster": agent is not None,
        "name": agent.name if agent else None,
        "public_name": public_label(agent) if agent else None,
        "opt_out": agent.opt_out if agent else False,
        "team": agent.placement(today(scorer))[0] if agent else None,
        "site": agent.placement(today(scorer))[1] if agent else None,
        "periods": periods,
        "goal": None
        if goal is None
        else {
            "id": goal.id,
            "title": goal.title,
            "price": goal.price / 100,
            "picture": goal.picture,
            "confirmed": goal.confirmed / 100,
            "pending": goal.pending / 100,
            "reached": goal.reached,
            "progress": min(1.0, goal.confirmed / goal.price) if goal.price else 1.0,
        },
        "tombolas": [
            {
                "tombola": t.id,
                "name": t.name,
                "tickets": t.tickets(agent_id),
                "closes": iso(t.closes),
                "state": t.state,
            }
            for t in scorer.tombolas.book.tombolas.values()
            if t.state == "open" or t.tickets(agent_id)
        ],
        "awards": [
            award_view(scorer, a.id)
            for a in scorer.prizes.book.awards.values()
            if a.agent == agent_id
        ],
        "recent": _recent(scorer, agent_id, recent),
    }


def leaderboard(
    scorer: Scorer, period: str, by: str, *, top: int | None = None, public: bool = True
) -> dict[str, Any]:
    """The ranking of the current ``period``; public boards hide opted-out agents
    and show public names only."""
    if period not in PERIODS:
        raise ValueError(f"expected period to be one of {', '.join(PERIODS)}, got {period!r}")
    current = current_periods(scorer).get(period)
    if current is None:
        return {"period": period, "key": None, "by": by, "rows": []}
    key, first, last = current
    rows: list[dict[str, Any]] = []
    for ident, total in ranking(totals(scorer.state, by, first, last)):
        if by == "agent":
            agent = scorer.state.agents[ident]
            if public and agent.opt_out:
                continue
            name = public_label(agent) if public else agent.name
        elif by == "team":
            name = scorer.state.teams.get(ident, {}).get("name", ident)
        else:
            name = scorer.state.sites.get(ident, {}).get("name", ident)
        rows.append(
            {
                "rank": len(rows) + 1,
                "id": ident,
                "name": name,
                "points": total.points / 100,
                "confirmed": total.confirmed_points / 100,
                "sales": total.sales,
                "revenue": total.revenue / 100,
            }
        )
        if top is not None and len(rows) >= top:
            break
    return {"period": period, "key": key, "by": by, "rows": rows}


def award_view(scorer: Scorer, award_id: str) -> dict[str, Any]:
    award = scorer.prizes.book.find(award_id)
    if award is None:
        raise KeyError(award_id)
    prize = scorer.prizes.book.prizes.get(award.prize)
    return {
        "award": award.id,
        "prize": award.prize,
        "name": prize.name if prize else award.prize,
        "agent": award.agent,
        "rule": award.rule,
        "reason": award.reason,
        "ts": iso(award.ts),
        "state": award.state,
        "period": award.period,
    }


def prizes_view(scorer: Scorer) -> dict[str, Any]:
    return {
        "prizes": [
            {
                "prize": p.id,
                "name": p.name,
                "picture": p.picture,
                "stock": p.stock,
                "awarded": p.awarded,
                "left": None if p.stock is None else max(0, p.stock - p.awarded),
                "value": None if p.value is None else p.value / 100,
            }
            for p in scorer.prizes.book.prizes.values()
        ],
        "rules": [
            {
                "rule": r.id,
                "kind": r.kind,
                "prize": r.prize,
                "active": r.active,
                "min_revenue": r.min_revenue / 100,
                "points": r.points / 100,
                "period": r.period,
                "top": r.top,
                "hidden": r.hidden,
                "status": "out of stock: no awards until restocked"
                if r.out_of_stock
                else "active"
                if r.active
                else "inactive",
            }
            for r in scorer.prizes.book.prize_rules.values()
        ],
        "awards": [award_view(scorer, award_id) for award_id in scorer.prizes.book.awards],
        # a hidden rule's awards, until it is revealed (managers only: see public.py)
        "hidden_awards": [
            award_view(scorer, award_id) for award_id in scorer.prizes.book.hidden_awards
        ],
    }


def tombola_view(scorer: Scorer, tombola_id: str) -> dict[str, Any]:
    tombola = scorer.tombolas.book.tombolas[tombola_id]
    ledger = (
        tombola.ledger
        if tombola.ledger is not None
        else {
            agent: tombola.tickets(agent)
            for agent in sorted(tombola.counts)
            if tombola.tickets(agent) > 0
        }
    )
    return {
        "tombola": tombola.id,
        "name": tombola.name,
        "state": tombola.state,
        "prizes": tombola.prizes,
        "opens": iso(tombola.opens),
        "closes": iso(tombola.closes),
        "every": tombola.every,
        "count_pending": tombola.count_pending,
        "exclude_prize_winners": tombola.exclude_prize_winners,
        "seed_hash": tombola.seed_hash,
        "seed": tombola.seed,
        "tickets": ledger,
        "excluded": tombola.excluded,
        "winners": tombola.winners,
        "verified": tombola.state == "drawn" and not tombola.problems,
        "problems": tombola.problems,
    }
