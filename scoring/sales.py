"""A sale's lifecycle: counted, confirmed when its window passes, or revoked.

- A sale is pending until ``ts + window`` (the window in whole 24-hour days),
  then confirmed, and a confirmed sale stays confirmed: a cancellation that
  reaches the log after the confirmation changes no points even if the
  customer cancelled inside the window; it counts in the cancellation rate.
- A cancellation inside the window (by its ``ts``) of a pending sale revokes
  the sale's points and commission, and every feature takes back what the sale
  gave (an instant prize, tombola tickets, a league goal). A cancellation of a
  sale not yet in the log waits for it.
- A second cancellation of the same sale is ignored.

Each transition updates the agent's day bucket here, then calls every
feature's hook for it once (``feature.py``).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable

from .feature import Core, Event, Feature, hooked, implements
from .log import event_key
from .model import CONFIRMED, PENDING, REVOKED, Sale


class SaleLifecycle:
    def __init__(self, core: Core, features: list[Feature]) -> None:
        self.state = core.state
        self.outbox = core.outbox
        self.epoch = core.epoch
        self._counted: list[Callable[[Sale], None]] = hooked(features, "counted")
        self._confirmed: list[Callable[[Sale], None]] = hooked(features, "confirmed")
        self._revoked: list[Callable[[Sale], None]] = hooked(features, "revoked")
        # Only a feature that follows confirmations needs to hear of each moment a
        # sale falls due before that sale is confirmed; the others hear of the new
        # time once (``Scorer.advance``), and the fold is spared a call per sale.
        self._reached: list[Callable[[float], None]] = hooked(
            [f for f in features if implements(f, "confirmed")], "reached"
        )

    def sale(self, event: Event) -> None:
        state = self.state
        sale_id, agent = event["id"], event["agent"]
        key = f"{event['source']}:{sale_id}"  # log.event_key, spelled out: every sale asks
        sales = state.sales
        if key in sales:
            return
        ts = self.epoch(event["ts"])
        timeline = state.timeline
        rules = timeline.rules_for(agent, ts)
        revenue = event["revenue"]
        cents = int(revenue.replace(".", ""))
        currency = event.get("currency")
        note = ""
        if currency is not None and currency != "EUR":
            cents, note = _exchanged(cents, currency, rules.exchange_rates.get(currency))
        quantity = event.get("quantity", 1)
        product, channel = event["product"], event["channel"]
        terms = rules.terms(product, channel)
        day = timeline.calendar(rules).day(ts)
        euros = cents / 100
        points = round(terms.points(euros, quantity) * 100)
        commission = round(terms.commission(euros, quantity) * 100)
        sale = sales[key] = Sale(
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
        if note:
            sale.note = note
        bucket = state.bucket(agent, day)
        bucket.sales += 1
        bucket.revenue += cents
        bucket.sales_pending += points
        bucket.commission_pending += commission
        state.remember(agent, ["sale", key])
        self.outbox.dirty.add(agent)
        for hook in self._counted:
            hook(sale)
        self.outbox.emit(
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
        if state.waiting_cancellations:
            waiting = state.waiting_cancellations.pop(key, None)
            if waiting is not None:
                self._cancel(sale, *waiting)
        if sale.state == PENDING:
            if sale.due <= state.clock:
                self.confirm(sale)
            else:
                heapq.heappush(state.due, (sale.due, key))

    def confirm_due(self, now: float) -> None:
        """Confirm the sales whose window ended by ``now``, in time order, each after
        the clock reached its end: a tombola that closed before a sale's window
        ended must not count it, however far one step of the clock goes."""
        due, sales = self.state.due, self.state.sales
        while due and due[0][0] <= now:
            when, key = heapq.heappop(due)
            for hook in self._reached:
                hook(when)
            sale = sales[key]
            if sale.state == PENDING:
                self.confirm(sale)

    def confirm(self, sale: Sale) -> None:
        sale.state = CONFIRMED
        bucket = self.state.bucket(sale.agent, sale.day)
        bucket.sales_pending -= sale.points
        bucket.sales_confirmed += sale.points
        bucket.commission_pending -= sale.commission
        bucket.commission_confirmed += sale.commission
        self.outbox.dirty.add(sale.agent)
        for hook in self._confirmed:
            hook(sale)

    def cancellation(self, event: Event) -> None:
        key = event_key(event["source"], event["sale"])
        ts = self.epoch(event["ts"])
        reason = event.get("reason", "")
        sale = self.state.sales.get(key)
        if sale is None:
            self.state.waiting_cancellations.setdefault(key, (event["id"], ts, reason))
        else:
            self._cancel(sale, event["id"], ts, reason)

    def _cancel(self, sale: Sale, cancellation: str, ts: float, reason: str) -> None:
        if sale.cancelled:
            return
        sale.cancelled = True
        bucket = self.state.bucket(sale.agent, sale.day)
        bucket.cancelled += 1
        self.outbox.dirty.add(sale.agent)
        self.state.remember(sale.agent, ["cancellation", sale.key, cancellation])
        if sale.state != PENDING or ts >= sale.due:
            return
        sale.state = REVOKED
        bucket.sales -= 1
        bucket.revoked += 1
        bucket.revenue -= sale.revenue
        bucket.sales_pending -= sale.points
        bucket.commission_pending -= sale.commission
        for hook in self._revoked:
            hook(sale)
        self.outbox.emit(
            {
                "kind": "revoked",
                "agent": sale.agent,
                "id": sale.id,
                "points": sale.points,
                "reason": reason,
            }
        )


#: a sale's note when the rules have no rate for its currency (a page reads it back)
NO_RATE = re.compile(r"no exchange rate for (?P<currency>\S+): revenue counts as 0")


def _exchanged(cents: int, currency: str, rate: float | None) -> tuple[int, str]:
    """Revenue in another currency, in euro cents by the rule set's rate, and why it
    counts as 0 when the rules have none."""
    if rate is None:
        return 0, f"no exchange rate for {currency}: revenue counts as 0"
    return round(cents * rate), ""
