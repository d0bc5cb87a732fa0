"""A provably fair tombola draw.

When a tombola opens, the service fixes a secret 32-byte seed and publishes its
SHA-256. At the draw it reveals the seed; the winners follow from the seed and
the ticket ledger by this algorithm, which anyone can rerun:

1. Entrants are the agents with at least one ticket, sorted by agent id
   (code point order), each holding a contiguous run of ticket numbers.
2. Random numbers come from SHA-256 in counter mode: block ``k`` is
   ``SHA-256(seed || k)`` with ``k`` as 8 bytes big-endian, k = 0, 1, 2, ...,
   read as a 256-bit big-endian integer.
3. To pick a ticket among ``n``, take the next block ``x``; if ``x`` is at or
   above the largest multiple of ``n`` below 2**256 it is discarded and the next
   block taken (so every ticket is exactly equally likely); the ticket is
   ``x mod n``, and its holder wins.
4. The winner's tickets leave the drum (nobody wins twice in one draw), and
   step 3 repeats until there are as many winners as prizes, or no tickets.

Each agent's chance to be drawn first is their share of the tickets.
The ledger's hash is SHA-256 of its canonical JSON: ``{"agent": tickets, ...}``
with sorted keys, no spaces, agents with zero tickets left out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping

_SPACE = 1 << 256


def seed_hash(seed: bytes) -> str:
    return hashlib.sha256(seed).hexdigest()


def ledger_hash(tickets: Mapping[str, int]) -> str:
    canonical = {agent: count for agent, count in sorted(tickets.items()) if count > 0}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _blocks(seed: bytes) -> Iterator[int]:
    counter = 0
    while True:
        digest = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        yield int.from_bytes(digest, "big")
        counter += 1


def draw(tickets: Mapping[str, int], seed: bytes, winners: int) -> list[str]:
    """The winners, in the order drawn, from ``tickets`` per agent and ``seed``."""
    if winners < 0:
        raise ValueError(f"expected winners >= 0, got {winners}")
    for agent, count in tickets.items():
        if count < 0:
            raise ValueError(f"expected tickets >= 0, got {count} for {agent!r}")
    drum = sorted((agent, count) for agent, count in tickets.items() if count > 0)
    blocks = _blocks(seed)
    chosen: list[str] = []
    while drum and len(chosen) < winners:
        total = sum(count for _, count in drum)
        limit = _SPACE - _SPACE % total
        value = next(blocks)
        while value >= limit:
            value = next(blocks)
        ticket = value % total
        for index, (agent, count) in enumerate(drum):
            if ticket < count:
                chosen.append(agent)
                del drum[index]
                break
            ticket -= count
    return chosen
