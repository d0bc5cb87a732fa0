"""A knockout cup: 4 to 64 participants, seeded, in rounds of ties.

- **Seeding**: ``seeding`` is an order of the participants, or a league season's
  id: its table's order, participants the table does not hold after it in the
  order listed. Without it, the order listed.
- **The bracket** has room for the next power of two; the places left over are
  byes, and the top seeds get them. Seeds are placed so that the first two can
  meet only in the final, the first four only in the semi-finals, and so on
  (1 v 8, 4 v 5, 2 v 7, 3 v 6 for eight).
- **Rounds**: each round plays in its own window, or two with ``legs: 2``:
  ``rounds`` lists them ([[from, to], ...], round by round and leg by leg), or
  the contest's time is split into equal windows. A side's score in a leg is the
  metric over the leg's window (with ``target``: percent of its target, with
  ``per_head``: per head).
- **A tie** is decided when the window of its last leg ends plus the grace
  period passes: the higher aggregate score goes through; level, with
  ``away_goals`` in a two-legged tie, the higher score away (the lower seed
  hosts the first leg, so the higher seed plays away in it); level still, a
  seeded draw of lots: each side's lot is SHA-256 of
  ``"{contest}:{run}:{round}:{tie}:{side}"`` as a number, and the lower lot goes
  through. Anyone can recompute it from the log.
- Who goes through stands once decided: the next round cannot wait for the
  cancellation window. A sale revoked afterwards is still taken off the scores,
  visibly; in the final it may change the cup's winner while the result is
  provisional.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Sequence

from .metrics import score, summed
from .model import Contest, Run, Tie

BYE = "-"


def positions(size: int) -> list[int]:
    """Seed indexes (0 best) in bracket order for a power-of-two ``size``."""
    order = [0]
    while len(order) < size:
        span = len(order) * 2
        order = [x for seed in order for x in (seed, span - 1 - seed)]
    return order


def round_count(participants: int) -> int:
    return max(1, math.ceil(math.log2(participants)))


def seeded(contest: Contest, table: Sequence[str] | None) -> list[str]:
    """The participants by seed, best first."""
    if isinstance(contest.seeding, list):
        return list(contest.seeding)
    if table is None:
        return list(contest.participants)
    listed = [p for p in table if p in contest.participants]
    return listed + [p for p in contest.participants if p not in listed]


def bracket(seeds: Sequence[str]) -> list[Tie]:
    """Every tie of every round; the first round's sides placed, byes where no seed is."""
    rounds = round_count(len(seeds))
    order = positions(2**rounds)
    ties = []
    for number in range(len(order) // 2):
        high, low = order[2 * number], order[2 * number + 1]
        home = seeds[high] if high < len(seeds) else BYE
        away = seeds[low] if low < len(seeds) else BYE
        ties.append(Tie(0, number, home, away))
    for round_number in range(1, rounds):
        ties += [Tie(round_number, n, None, None) for n in range(2 ** (rounds - round_number - 1))]
    return ties


def windows(contest: Contest, starts: float, ends: float) -> list[list[float]]:
    """The windows of every round and leg, in order."""
    if contest.rounds:
        return [list(window) for window in contest.rounds]
    count = round_count(len(contest.participants)) * contest.legs
    step = (ends - starts) / count
    return [[starts + n * step, starts + (n + 1) * step] for n in range(count)]


def leg_score(contest: Contest, run: Run, window: int, side: str) -> float:
    raw = score(contest, summed([run.totals[window]], side))
    if contest.fairness == "target":
        return 100 * raw / contest.targets[side]
    if contest.fairness == "per_head":
        return raw / run.heads.get(side, 1)
    return raw


def lots(contest: Contest, run: Run, tie: Tie, side: str) -> int:
    text = f"{contest.id}:{run.number}:{tie.round}:{tie.number}:{side}"
    return int(hashlib.sha256(text.encode()).hexdigest(), 16)


def decide(contest: Contest, run: Run, tie: Tie) -> None:
    """Decide a tie whose sides are known, by the tie-break steps in turn."""
    assert tie.home is not None and tie.away is not None
    if BYE in (tie.home, tie.away):
        tie.winner, tie.by, tie.legs = tie.away if tie.home == BYE else tie.home, "bye", []
        return
    first = tie.round * contest.legs
    # Leg 1 is at the lower seed's (away), leg 2 at the higher seed's (home).
    tie.legs = [
        [
            leg_score(contest, run, first + leg, tie.home),
            leg_score(contest, run, first + leg, tie.away),
        ]
        for leg in range(contest.legs)
    ]
    home = sum(leg[0] for leg in tie.legs)
    away = sum(leg[1] for leg in tie.legs)
    if home != away:
        tie.winner, tie.by = (tie.home if home > away else tie.away), "aggregate"
        return
    if contest.legs == 2 and contest.away_goals:
        home_away, away_away = tie.legs[0][0], tie.legs[1][1]
        if home_away != away_away:
            tie.winner = tie.home if home_away > away_away else tie.away
            tie.by = "away_goals"
            return
    home_lot, away_lot = lots(contest, run, tie, tie.home), lots(contest, run, tie, tie.away)
    tie.winner, tie.by = (tie.home if home_lot < away_lot else tie.away), "lots"


def last_window(contest: Contest, tie: Tie) -> int:
    return tie.round * contest.legs + contest.legs - 1


def advance(
    contest: Contest, run: Run, when: float, decided: Callable[[Tie], None]
) -> float | None:
    """Decide every tie that is due at ``when`` and fill the next round; call
    ``decided`` for each. The next moment a tie falls due, or None."""
    seed_rank = {p: n for n, p in enumerate(run.seeds)}
    upcoming: float | None = None
    for tie in run.ties:
        if tie.winner is not None:
            continue
        due = run.windows[last_window(contest, tie)][1] + contest.grace
        known = tie.home is not None and tie.away is not None
        if known and (BYE in (tie.home, tie.away) or due <= when):
            decide(contest, run, tie)
            _promote(run, tie, seed_rank)
            decided(tie)
        elif upcoming is None or due < upcoming:
            upcoming = due
    return upcoming


def due(contest: Contest, run: Run) -> list[float]:
    """When each tie not yet decided falls due."""
    return [
        run.windows[last_window(contest, tie)][1] + contest.grace
        for tie in run.ties
        if tie.winner is None
    ]


def _promote(run: Run, tie: Tie, seed_rank: dict[str, int]) -> None:
    later = [t for t in run.ties if t.round == tie.round + 1 and t.number == tie.number // 2]
    if not later:
        return
    following = later[0]
    sides = [s for s in (following.home, following.away, tie.winner) if s is not None]
    sides.sort(key=lambda side: seed_rank.get(side, len(seed_rank)))
    following.home = sides[0]
    following.away = sides[1] if len(sides) > 1 else None


def final_tie(run: Run) -> Tie:
    return run.ties[-1]


def redecide_final(contest: Contest, run: Run) -> None:
    """The final again, after a revocation while the cup's result is provisional."""
    tie = final_tie(run)
    if tie.winner is not None and tie.by != "bye":
        decide(contest, run, tie)


def places(run: Run) -> list[list[str]]:
    """The winner, the runner-up, then those out in each earlier round, sharing."""
    final = final_tie(run)
    if final.winner is None:
        return []
    runner_up = final.away if final.winner == final.home else final.home
    result = [[final.winner], [runner_up] if runner_up not in (None, BYE) else []]
    rounds = max(t.round for t in run.ties)
    for round_number in range(rounds - 1, -1, -1):
        out = sorted(
            loser
            for t in run.ties
            if t.round == round_number and t.winner is not None
            for loser in (t.home, t.away)
            if loser not in (None, BYE, t.winner)
        )
        if out:
            result.append(out)
    return [place for place in result if place]
