"""A run's tallies, kept at the least cost to the fold.

The state keeps every agent's figures per local day already (``Bucket``). A
window's tallies are those of the days wholly inside it, read from the day
totals, and, sale by sale, of the days it only partly covers (its edges):
most sales then cost a contest nothing. Two kinds of contest count every sale
of the window one by one: a race (it needs the moment each participant
reached the line) and a contest that counts confirmations (the day totals do
not count confirmed sales).

When a window's end plus the grace period passes, its tallies are taken whole
(``take``): the day totals are added in, and from then on a revocation (or, for
a contest that counts them, a confirmation) of one of its sales moves them. A
sale made in it that reaches the log later is late: it counts in nothing, and
is noted so that its revocation changes nothing either.

Which of a run's sales are still in their cancellation window is not kept sale
by sale: the sales book says it when asked (``pending_sides``, and once when a
run is decided, ``last_due``), through an index of its sales by day brought up
to date then (``pending_by_day``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, timedelta
from functools import lru_cache
from itertools import groupby, islice
from operator import attrgetter

from ..model import CONFIRMED as CONFIRMED_SALE
from ..model import PENDING, REVOKED, Agent, Bucket, Sale
from ..periods import Calendar
from ..state import State
from .book import ContestBook
from .metrics import participant, score
from .model import (
    COMPONENTS,
    CONFIRMED,
    DECIDED,
    POINTS,
    RESOLVED,
    REVENUE,
    RUNNING,
    SALES,
    Contest,
    Run,
)


def by_sale(contest: Contest) -> bool:
    """Whether the contest counts every sale one by one."""
    return contest.format == "race" or counts_confirmations(contest)


def counts_confirmations(contest: Contest) -> bool:
    return contest.metric == "confirmed_sales" or (
        contest.metric == "mix" and contest.weights.get("confirmed_sales", 0) != 0
    )


def window(run: Run, ts: float) -> int | None:
    """The window of ``run`` holding ``ts`` (a cup's gaps hold none)."""
    windows = run.windows
    if len(windows) == 1:
        return 0
    for index, (opens, closes) in enumerate(windows):
        if opens <= ts < closes:
            return index
    return None


def days_of(state: State, run: Run, opens: float, closes: float) -> tuple[Days, Days]:
    """The local days a window covers wholly, and those it covers in part."""
    return _days_of(state.timeline.calendar_at(run.starts).timezone, opens, closes)


#: local days, in order
Days = tuple[str, ...]


@lru_cache(maxsize=4096)
def _days_of(timezone: str, opens: float, closes: float) -> tuple[Days, Days]:
    """``days_of`` in ``timezone``: kept, as every run asks it of its windows
    whenever the runs change (measured: its date arithmetic was a tenth of what a
    daily contest added to the fold)."""
    calendar = Calendar(timezone)
    first = date.fromisoformat(calendar.day(opens))
    last = date.fromisoformat(calendar.day(closes - 0.001))
    whole: list[str] = []
    part: list[str] = []
    day = first
    while day <= last:
        key = day.isoformat()
        after = (day + timedelta(days=1)).isoformat()
        inside = calendar.start(key) >= opens and calendar.start(after) <= closes
        (whole if inside else part).append(key)
        day += timedelta(days=1)
    return tuple(whole), tuple(part)


def sale_days(state: State, contest: Contest, run: Run) -> Iterator[str]:
    """The days on which a sale (or contact) is counted one by one, in windows not
    yet taken."""
    for index, (opens, closes) in enumerate(run.windows):
        if not run.taken[index]:
            whole, part = days_of(state, run, opens, closes)
            yield from part
            if by_sale(contest):
                yield from whole


def components(sale: Sale) -> list[int]:
    """What a sale adds, as the tallies' components."""
    return [sale.points, 1, 0, sale.revenue, 0]


def add(tallies: dict[str, list[int]], side: str, sale: Sale, sign: int = 1) -> None:
    counts = tallies.get(side)
    if counts is None:
        counts = tallies[side] = [0] * COMPONENTS
    counts[POINTS] += sign * sale.points
    counts[SALES] += sign
    counts[REVENUE] += sign * sale.revenue


def counted_by_sale(state: State, contest: Contest, run: Run, sale: Sale) -> tuple[int, str] | None:
    """(window, side) if ``sale`` is counted one by one in ``run`` now, else None."""
    at = window(run, sale.ts)
    if at is None or run.taken[at] or not run.starts <= sale.ts < run.ends:
        return None
    if not by_sale(contest) and sale.day not in days_of(state, run, *run.windows[at])[1]:
        return None
    side = participant(contest, state.agents.get(sale.agent), sale.agent, sale.day)
    return None if side is None else (at, side)


def counted_in(state: State, contest: Contest, run: Run, sale: Sale) -> tuple[int, str] | None:
    """(window, side) if ``run`` counts ``sale`` at all (not a late one), else None."""
    at = window(run, sale.ts)
    if at is None or not run.starts <= sale.ts < run.ends or sale.key in run.late:
        return None
    side = participant(contest, state.agents.get(sale.agent), sale.agent, sale.day)
    return None if side is None else (at, side)


def day_totals(state: State, contest: Contest, days: Sequence[str]) -> dict[str, list[int]]:
    """Each side's components over ``days``, from the day totals."""
    sums: dict[str, list[int]] = {}
    wanted = list(dict.fromkeys(days))
    buckets = state.buckets
    # A contest between agents (a challenge's two) reads its own agents' days only.
    agents = contest.participants if contest.kind == "agents" else buckets
    for agent_id in agents:
        agent_days = buckets.get(agent_id)
        if not agent_days:
            continue
        record = state.agents.get(agent_id)
        if not _steady(contest, record):
            for day in wanted:
                bucket = agent_days.get(day)
                if bucket is None:
                    continue
                side = participant(contest, record, agent_id, day)
                if side is not None:
                    _add_buckets(sums, side, [bucket])
            continue
        found = [bucket for day in wanted if (bucket := agent_days.get(day)) is not None]
        if found:
            side = participant(contest, record, agent_id, wanted[0])
            if side is not None:
                _add_buckets(sums, side, found)
    return sums


def _steady(contest: Contest, record: Agent | None) -> bool:
    """Whether an agent plays for the same side (or none) on every day: but for a
    contest of teams or sites whose roster moved them (measured: asking the side
    day by day was most of what taking a week's totals cost)."""
    if contest.kind not in ("teams", "sites") or record is None:
        return True
    return len(record.history) <= 1


def _add_buckets(sums: dict[str, list[int]], side: str, buckets: list[Bucket]) -> None:
    """Add ``buckets`` to the side's components, summed in locals first (measured:
    a call per bucket was most of what taking a week's totals cost)."""
    points = sales = revenue = resolved = 0
    for bucket in buckets:
        points += bucket.sales_pending + bucket.sales_confirmed + bucket.support  # .points
        sales += bucket.sales
        revenue += bucket.revenue
        resolved += bucket.resolved
    counts = sums.get(side)
    if counts is None:
        counts = sums[side] = [0] * COMPONENTS
    counts[POINTS] += points
    counts[SALES] += sales
    counts[REVENUE] += revenue
    counts[RESOLVED] += resolved


def live_totals(state: State, contest: Contest, run: Run) -> list[dict[str, list[int]]]:
    """Each window's tallies as they stand: a window not yet taken with its whole
    days read from the day totals."""
    found = []
    for index, tallies in enumerate(run.totals):
        if run.taken[index] or by_sale(contest):
            found.append(tallies)
            continue
        whole, _ = days_of(state, run, *run.windows[index])
        merged = {side: list(counts) for side, counts in tallies.items()}
        for side, counts in day_totals(state, contest, whole).items():
            into = merged.setdefault(side, [0] * COMPONENTS)
            for n in range(COMPONENTS):
                into[n] += counts[n]
        found.append(merged)
    return found


def pending_by_day(state: State) -> dict[str, list[Sale]]:
    """Local day -> that day's sales (ask each its state). Made from the sales
    book's queue of pending sales the first time, then brought up to date with the
    sales taken since, from the end of the book: a run asks this when decided, so
    that no sale as it comes costs the contests a call."""
    book = state.slice(ContestBook)
    sales = state.sales
    index = book.pending
    if index is None:
        index = book.pending = {}
        pending = (sales[key] for _, key in state.due)
        _index_pending(index, [sale for sale in pending if sale.state == PENDING])
    elif book.indexed < len(sales):
        _index_pending(index, islice(reversed(sales.values()), len(sales) - book.indexed))
        _forget_settled(book, index)
    book.indexed = len(sales)
    return index


def _index_pending(index: dict[str, list[Sale]], sales: Iterable[Sale]) -> None:
    """Add ``sales`` to the index by day, whatever their state (a run asks each):
    grouped in C, by ``sorted`` and ``groupby``, so that a step in Python is one
    per day, not one per sale (measured)."""
    for day, same in groupby(sorted(sales, key=_DAY), key=_DAY):
        found = index.get(day)
        if found is None:
            index[day] = list(same)
        else:
            found.extend(same)


_DAY = attrgetter("day")


def _forget_settled(book: ContestBook, index: dict[str, list[Sale]]) -> None:
    """The days indexed first whose sales have all left their cancellation window,
    forgotten: the index holds about the days of one window, not all history."""
    while index:
        day = next(iter(index))
        if any(sale.state == PENDING for sale in index[day]):
            return
        book.latest.pop(id(index.pop(day)), None)


def pending_in(state: State, contest: Contest, run: Run) -> Iterator[tuple[Sale, str]]:
    """The sales ``run`` counts that are still in their cancellation window, with
    their side."""
    for day in _pending_lists(state, contest, run):
        for sale in day:
            side = _side(state, contest, run, sale)
            if side is not None:
                yield sale, side


def last_due(state: State, contest: Contest, run: Run) -> float | None:
    """When the last sale ``run`` counts leaves its cancellation window (its result
    is final then); None if none is in it any more."""
    lists = _pending_lists(state, contest, run)
    # The latest of them most often counts: max() in C spares a loop in Python
    # over the run's days of pending sales (measured: that loop cost a daily
    # challenge or race most of what it added to the fold). A day's latest is
    # kept while its list does not grow: the week's contests ask the days the
    # daily ones asked.
    if contest.kind == "agents":
        tops = [max(day, key=_DUE) for day in lists if day]
    else:
        tops = [_latest(state.slice(ContestBook), day) for day in lists if day]
    if not tops:
        return None
    latest = max(tops, key=_DUE)
    if _side(state, contest, run, latest) is not None:
        return latest.due
    ranked = sorted((sale for day in lists for sale in day), key=_DUE, reverse=True)
    counting = (sale.due for sale in ranked if _side(state, contest, run, sale) is not None)
    return next(counting, None)


#: what ``last_due`` looks for the latest by: any of several due at once serves
_DUE = attrgetter("due")


def _latest(book: ContestBook, sales: list[Sale]) -> Sale:
    """The sale of ``sales`` (a day of the pending index) due last."""
    kept = book.latest.get(id(sales))
    if kept is None or kept[0] is not sales or kept[1] != len(sales):
        kept = book.latest[id(sales)] = (sales, len(sales), max(sales, key=_DUE))
    return kept[2]


def _pending_lists(state: State, contest: Contest, run: Run) -> list[list[Sale]]:
    """The pending sales that ``run`` may count, by day: of its days, and of its
    own agents for a contest between agents (a challenge's two)."""
    index = pending_by_day(state)
    days = dict.fromkeys(
        day for opens, closes in run.windows for day in _days_asked(state, run, opens, closes)
    )
    found = [index[day] for day in days if day in index]
    if contest.kind == "agents":
        between = frozenset(contest.participants)
        return [[sale for sale in day if sale.agent in between] for day in found]
    return found


def _side(state: State, contest: Contest, run: Run, sale: Sale) -> str | None:
    """The side of a pending sale in ``run``, None if the run does not count it."""
    if sale.state != PENDING or not run.starts <= sale.ts < run.ends or sale.key in run.late:
        return None
    if window(run, sale.ts) is None:
        return None
    return participant(contest, state.agents.get(sale.agent), sale.agent, sale.day)


def _days_asked(state: State, run: Run, opens: float, closes: float) -> list[str]:
    """The local days a window covers; and one either side where a sale's day may
    be in another rule set's calendar than the run's (the rule sets differ in time
    zone)."""
    whole, part = days_of(state, run, opens, closes)
    days = sorted(whole + part)
    zone = state.timeline.calendar_at(run.starts).timezone
    if not days or all(rules.timezone == zone for _, rules in state.timeline.rules):
        return days
    before = (date.fromisoformat(days[0]) - timedelta(days=1)).isoformat()
    after = (date.fromisoformat(days[-1]) + timedelta(days=1)).isoformat()
    return [before, *days, after]


def pending_sides(state: State, contest: Contest, run: Run) -> set[str]:
    """The sides whose score rests on a sale still in its cancellation window."""
    if run.state not in (RUNNING, DECIDED):
        return set()
    return {side for _, side in pending_in(state, contest, run)}


def take(state: State, contest: Contest, run: Run, at: int) -> None:
    """Window ``at`` is over: its whole days' totals join its tallies, which count
    nothing that comes later."""
    if run.taken[at]:
        return
    run.taken[at] = True
    if by_sale(contest):
        return
    tallies = run.totals[at]
    whole, _ = days_of(state, run, *run.windows[at])
    for side, counts in day_totals(state, contest, whole).items():
        into = tallies.setdefault(side, [0] * COMPONENTS)
        for n in range(COMPONENTS):
            into[n] += counts[n]


def sale_amount(contest: Contest, sale: Sale) -> float | None:
    """What a sale adds to a race's total, None if nothing (yet): ``score`` of its
    components, spelled out for the plain metrics (a race asks it of every sale of
    a side when it looks for the line)."""
    metric = contest.metric
    if metric == "sales":
        return 1.0
    if metric == "points":
        return sale.points / 100
    if metric == "revenue":
        return sale.revenue / 100
    if metric == "confirmed_sales":
        return 1.0 if sale.state == CONFIRMED_SALE else None
    return score(contest, components(sale))


def race_entries(state: State, contest: Contest, run: Run, side: str) -> list[list[float]]:
    """[ts, amount] of everything that counts for ``side`` in a race: its contacts,
    and its sales as they stand (a revoked one counts no more)."""
    found = list(run.entries.get(side, {}).values())
    sales = state.sales
    standing = [sale for key in run.counted.get(side, ()) if (sale := sales[key]).state != REVOKED]
    if contest.metric == "sales":  # the same for every sale: no call for each (measured)
        found += [[sale.ts, 1.0] for sale in standing]
        return found
    for sale in standing:
        amount = sale_amount(contest, sale)
        if amount is not None:
            found.append([sale.ts, amount])
    return found


def race_times(state: State, run: Run, side: str) -> list[float]:
    """The times of the sales standing for ``side`` in a race counting sales."""
    sales = state.sales
    return [sale.ts for key in run.counted.get(side, ()) if (sale := sales[key]).state != REVOKED]


def earlier_sales(state: State, contest: Contest, run: Run) -> Iterator[tuple[int, str, Sale]]:
    """Sales made before the contest was launched (or, for a run ended early, on the
    day that became its last) that it counts one by one: (window, side, sale)."""
    if run.starts >= state.clock:
        return
    for sale in state.sales.values():
        if sale.state != REVOKED:
            found = counted_by_sale(state, contest, run, sale)
            if found is not None:
                yield found[0], found[1], sale


def is_confirmed(sale: Sale) -> bool:
    return sale.state == CONFIRMED_SALE


def confirm(tallies: dict[str, list[int]], side: str) -> None:
    counts = tallies.get(side)
    if counts is None:
        counts = tallies[side] = [0] * COMPONENTS
    counts[CONFIRMED] += 1
