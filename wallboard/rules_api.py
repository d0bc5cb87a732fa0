"""``GET /api/rules``: the rule set in force and every version before and after it.

What the console shows before a manager edits the rules, and what they start
the next version from: a ``rules`` event replaces the whole set.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring.rule_history import history

from .identity import require
from .services import services

MANAGER = frozenset({"manager"})


async def rule_sets(request: Request) -> JSONResponse:
    await require(request, MANAGER)
    app = services(request)
    # The clock and the offset of one state; the history is read up to that offset.
    offset, clock = app.engine.scorer.offset, app.engine.scorer.clock
    published = await app.rule_log.follow(app.store, offset)
    return JSONResponse({**history(published, clock), "offset": offset})
