"""The seeded, stratified assignment of units to arms, as anyone can rerun it.

When an experiment is set up, the service fixes a secret 32-byte seed and
publishes its SHA-256 in the ``experiment`` event. At ``starts`` it assigns
the units (agents, teams or sites as the roster holds them then) and writes
the assignment, with each unit's stratum, into the log; at ``ends`` it reveals
the seed. The assignment follows from the seed, the units' strata and the arms
by these steps:

1. Group the units by stratum (the stratum's label: the unit's values of the
   experiment's ``strata``, joined by ``|``; one group when there are none).
   Take the groups in code-point order of their labels, and the units of each
   group in code-point order of their ids.
2. Random numbers come from SHA-256 in counter mode: block ``k`` is
   ``SHA-256(seed || k)``, ``k`` as 8 bytes big-endian, k = 0, 1, 2, ..., read
   as a 256-bit big-endian integer; one stream for the whole assignment.
3. Shuffle each group (Fisher-Yates): for ``i`` from the group's size - 1
   down to 1, pick ``j`` among ``0..i`` from the next block ``x`` (a block at or
   above the largest multiple of ``i + 1`` below 2**256 is discarded and the
   next one taken, so every ``j`` is equally likely: ``j = x mod (i + 1)``), and
   swap the units at ``i`` and ``j``.
4. Deal the shuffled units to the arms in turn, in the order the experiment
   lists them; the next group's dealing starts at the arm after the one the
   previous group ended on, so each stratum and the whole are balanced to
   within one unit per arm.

``verify`` reruns this and checks the seed against its published hash.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence

_SPACE = 1 << 256


def seed_hash(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def _blocks(seed: bytes) -> Iterator[int]:
    counter = 0
    while True:
        digest = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        yield int.from_bytes(digest, "big")
        counter += 1


def _below(blocks: Iterator[int], bound: int) -> int:
    limit = _SPACE - _SPACE % bound
    value = next(blocks)
    while value >= limit:
        value = next(blocks)
    return value % bound


def assign(seed: bytes, strata: Mapping[str, str], arms: Sequence[str]) -> dict[str, str]:
    """Each unit's arm, from ``strata`` (unit id -> its stratum's label) and ``seed``."""
    if len(arms) < 2:
        raise ValueError(f"expected two or more arms, got {list(arms)!r}")
    groups: dict[str, list[str]] = {}
    for unit, label in strata.items():
        groups.setdefault(label, []).append(unit)
    blocks = _blocks(seed)
    assignment: dict[str, str] = {}
    turn = 0
    for label in sorted(groups):
        units = sorted(groups[label])
        for i in range(len(units) - 1, 0, -1):
            j = _below(blocks, i + 1)
            units[i], units[j] = units[j], units[i]
        for unit in units:
            assignment[unit] = arms[turn % len(arms)]
            turn += 1
    return dict(sorted(assignment.items()))


def verify(
    seed_hex: str,
    published_hash: str,
    strata: Mapping[str, str],
    arms: Sequence[str],
    assignment: Mapping[str, str],
) -> bool:
    """Whether the revealed seed matches its published hash and gives ``assignment``."""
    try:
        seed = bytes.fromhex(seed_hex)
    except ValueError:
        return False
    if seed_hash(seed) != published_hash:
        return False
    return assign(seed, strata, arms) == dict(assignment)
