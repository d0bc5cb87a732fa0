"""Adding a sale to a run's tallies, and taking it off again."""

from __future__ import annotations

from ..model import CONFIRMED as CONFIRMED_SALE
from ..model import REVOKED, Sale
from ..state import State
from .book import ContestBook
from .metrics import participant
from .model import COMPONENTS, CONFIRMED, POINTS, REVENUE, SALES, Contest, Run


def window(run: Run, ts: float) -> int | None:
    """The window of ``run`` holding ``ts`` (a cup's gaps hold none)."""
    windows = run.windows
    if len(windows) == 1:
        return 0
    for index, (opens, closes) in enumerate(windows):
        if opens <= ts < closes:
            return index
    return None


def late(contest: Contest, run: Run, at: int, now: float) -> bool:
    """Whether what reaches the log ``now`` for window ``at`` is too late for it (a
    single window's run is decided, and takes nothing more, at the same moment)."""
    return len(run.windows) > 1 and now >= run.windows[at][1] + contest.grace


def components(sale: Sale) -> list[int]:
    """What a sale adds, as the tallies' components."""
    return [sale.points, 1, 0, sale.revenue, 0]


def add_sale(
    book: ContestBook,
    state: State,
    contest: Contest,
    run: Run,
    sale: Sale,
    *,
    confirmed: bool = False,
    now: float | None = None,
) -> str | None:
    """Count ``sale`` (made inside the run) for its side; the side, or None if it
    plays for nobody in the contest. A pending sale is remembered until it is
    confirmed or revoked.

    With ``now`` (a sale reaching the log), one made in a cup window whose grace
    period has passed is late: its tie is decided."""
    side = participant(contest, state.agents.get(sale.agent), sale.agent, sale.day)
    if side is None:
        return None
    at = window(run, sale.ts)
    if at is None:
        return None
    if now is not None and late(contest, run, at, now):
        return None
    tallies = run.totals[at].get(side)
    if tallies is None:
        tallies = run.totals[at][side] = [0] * COMPONENTS
    tallies[POINTS] += sale.points
    tallies[SALES] += 1
    tallies[REVENUE] += sale.revenue
    if confirmed:
        tallies[CONFIRMED] += 1
    else:
        run.waiting[side] = run.waiting.get(side, 0) + 1
        book.pending.setdefault(sale.key, []).append([contest.id, run.number, at, side])
    return side


def take_back(run: Run, at: int, side: str, sale: Sale) -> None:
    tallies = run.totals[at][side]
    tallies[POINTS] -= sale.points
    tallies[SALES] -= 1
    tallies[REVENUE] -= sale.revenue


def settle(run: Run, side: str) -> None:
    """One of the side's pending sales was confirmed or revoked."""
    left = run.waiting.get(side, 0) - 1
    if left > 0:
        run.waiting[side] = left
    else:
        run.waiting.pop(side, None)


def earlier_sales(state: State, run: Run) -> list[Sale]:
    """Sales made in the run's window before the contest was launched, that stand."""
    if run.starts >= state.clock:
        return []
    return [
        sale
        for sale in state.sales.values()
        if run.starts <= sale.ts < run.ends and sale.state != REVOKED
    ]


def is_confirmed(sale: Sale) -> bool:
    return sale.state == CONFIRMED_SALE
