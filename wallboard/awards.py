"""Awards for the console: who won what, by name, and handing a prize over.

A handover is a ``handover`` event naming the award. ``POST
/api/manage/awards/{award}/handover`` writes it in one request, under an id
made from the award's, so that a second click (or two managers at once) stores
it once. The award's state changes when the scorer folds the event, a moment
later; the console's ``manage`` topic pushes the new state.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring.log import format_ts
from scoring.model import AWARDED, HANDED_OVER, REVOKED, Award, Tombola
from scoring.validators import MAX_ID_LENGTH
from scoring.views import iso

from .errors import ApiError
from .identity import require
from .ingest import check_batch, to_records
from .labels import Labels
from .query import MOST, number, one, words
from .services import services
from .tokens import MANAGER_SOURCE

MANAGER = frozenset({"manager"})
STATES = frozenset({AWARDED, HANDED_OVER, REVOKED})
TOMBOLA_RULE = "tombola:"


def handover_id(award_id: str) -> str:
    """The id of the handover event for ``award_id``: the same for every request."""
    readable = f"handover-{award_id}"
    if len(readable) <= MAX_ID_LENGTH:
        return readable
    return f"handover-{hashlib.sha256(award_id.encode()).hexdigest()[:32]}"


def handover_path(award_id: str) -> str:
    return f"/api/manage/awards/{quote(award_id, safe='')}/handover"


async def awards(request: Request) -> JSONResponse:
    """Awards, newest first, ``limit`` at a time (``next_before`` asks for the page
    after); filters ``state``, ``agent``, ``prize``, ``tombola``. And every tombola
    with its winners, by name."""
    await require(request, MANAGER)
    app = services(request)
    scorer = app.engine.scorer
    labels = Labels(scorer)
    states = words(request, "state", STATES)
    agent, prize, tombola = (one(request, name) or None for name in ("agent", "prize", "tombola"))
    limit = number(request, "limit", 100, 1, 1000) or 100
    before = number(request, "before", None, 1, MOST)
    # The index knows who handed each award over, and when.
    await app.audit.catch_up(app.store)
    given = list(scorer.prizes.book.awards.values())
    page: list[tuple[int, Award]] = []
    more = False
    # An award's place in the book (1, 2, ...) is fixed: awards are never removed.
    for position in range(min(len(given), (before or MOST) - 1), 0, -1):
        award = given[position - 1]
        if (
            (states is not None and award.state not in states)
            or (agent is not None and award.agent != agent)
            or (prize is not None and award.prize != prize)
            or (tombola is not None and award.rule != TOMBOLA_RULE + tombola)
        ):
            continue
        if len(page) == limit:
            more = True
            break
        page.append((position, award))
    shown = Shown(labels, app.audit.handovers)
    return JSONResponse(
        {
            "awards": [shown.award(award, position) for position, award in page],
            "next_before": page[-1][0] if more else None,
            "counts": {s: sum(a.state == s for a in given) for s in sorted(STATES)},
            "tombolas": [
                shown.tombola(t) for t in reversed(scorer.tombolas.book.tombolas.values())
            ],
            "timezone": labels.timezone,
            "offset": scorer.offset,
        }
    )


class Shown:
    """Awards and tombolas as the console lists them: names beside every id."""

    def __init__(self, labels: Labels, handovers: dict[str, tuple[str, float]]) -> None:
        self.labels = labels
        self.book = labels.scorer.prizes.book
        self.handovers = handovers

    def award(self, award: Award, position: int) -> dict[str, Any]:
        labels = self.labels
        rule = self.book.prize_rules.get(award.rule)
        tombola = award.rule[len(TOMBOLA_RULE) :] if award.rule.startswith(TOMBOLA_RULE) else None
        handed = self.handovers.get(award.id) if award.state == HANDED_OVER else None
        return {
            "award": award.id,
            "position": position,
            "prize": award.prize,
            "prize_name": labels.prize(award.prize) or award.prize,
            "agent": award.agent,
            "agent_name": labels.agent(award.agent),
            **labels.placement(award.agent),
            "kind": "tombola" if tombola is not None else (rule.kind if rule else None),
            "rule": award.rule,
            "tombola": tombola,
            "tombola_name": labels.tombola(tombola) if tombola is not None else None,
            "reason": award.reason,
            "period": award.period,
            "ts": iso(award.ts),
            "ts_local": labels.local(award.ts),
            "state": award.state,
            "handed_over": award.state == HANDED_OVER,
            "handed_over_by": handed[0] if handed else None,
            "handed_over_at": iso(handed[1]) if handed else None,
            "handover": handover_path(award.id) if award.state == AWARDED else None,
        }

    def tombola(self, drum: Tombola) -> dict[str, Any]:
        labels = self.labels
        winners = []
        for agent, prize in zip(drum.winners or [], drum.prizes, strict=False):
            award = self.book.awards.get(f"{TOMBOLA_RULE}{drum.id}:{agent}")
            winners.append(
                {
                    "agent": agent,
                    "agent_name": labels.agent(agent),
                    "prize": prize,
                    "prize_name": labels.prize(prize) or prize,
                    # None: the prize was out of stock when the tombola was drawn
                    "award": award.id if award else None,
                    "state": award.state if award else None,
                    "handover": handover_path(award.id)
                    if award and award.state == AWARDED
                    else None,
                }
            )
        return {
            "tombola": drum.id,
            "name": drum.name,
            "state": drum.state,
            "closes": iso(drum.closes),
            "closes_local": labels.local(drum.closes),
            "winners": winners,
        }


async def hand_over(request: Request) -> JSONResponse:
    """Mark an award handed over: 201 when this request wrote the handover, 200 when
    it was handed over already, 404 for no such award, 409 for a revoked one."""
    manager = await require(request, MANAGER)
    award_id = request.path_params["award"]
    app = services(request)
    award = app.engine.scorer.prizes.book.awards.get(award_id)
    if award is None:
        raise ApiError(404, f"no award {award_id!r:.200}")
    if award.state == REVOKED:
        raise ApiError(
            409,
            f"award {award_id!r:.200} was revoked (its sale was cancelled): nothing to hand over",
        )
    event_id = handover_id(award_id)
    answer = {"award": award_id, "state": HANDED_OVER, "event": event_id}
    if award.state == HANDED_OVER:
        return JSONResponse({**answer, "stored": False})
    now = format_ts(app.clock())
    event = {"id": event_id, "type": "handover", "ts": now, "award": award_id}
    records = to_records(check_batch([event], None), MANAGER_SOURCE, now, manager.label)
    [stored] = await app.store.append(records)
    return JSONResponse({**answer, "stored": stored}, status_code=201 if stored else 200)
