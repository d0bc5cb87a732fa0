"""A record day: the company's local day that ended sold more than any day before.

Told when the clock's local day turns (``new_day``), of the latest day that
ended; read from the day totals the state keeps per agent (sales made that day,
those later revoked not counted), so nothing is kept here and a replay from a
snapshot tells the same. The first day with sales sets no record.
"""

from __future__ import annotations

from datetime import date, timedelta

from .feature import Feature


class Records(Feature):
    def new_day(self, day: str) -> None:
        sales: dict[str, int] = {}
        revenue: dict[str, int] = {}
        for days in self.state.buckets.values():
            for each, bucket in days.items():
                if each < day:
                    sales[each] = sales.get(each, 0) + bucket.sales - bucket.revoked
                    revenue[each] = revenue.get(each, 0) + bucket.revenue
        ended = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
        if ended not in sales or len(sales) < 2:
            return  # the day before sold nothing, or is the first
        best = max(count for each, count in sales.items() if each != ended)
        if sales[ended] > best > 0:
            self.outbox.emit(
                {
                    "kind": "record_day",
                    "day": ended,
                    "sales": sales[ended],
                    "revenue": f"{revenue[ended] / 100:.2f}",
                    "previous": best,
                }
            )
