"""What the agent's widget shows of contests, coins and the store (``screens.agent``).

Their contests (the current run's standings, their own side marked, others by
public name), their challenges (incoming ones to answer, their own waiting, the
live score and the result), the colleagues of their site or team they may
challenge, their wallet and the store's items. As data: the page words it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoring import reward_views
from scoring.contests.metrics import participant
from scoring.contests.model import Contest
from scoring.contests.views import contest_view, current
from scoring.scorer import Scorer

#: movements of the wallet's history the widget lists
HISTORY = 20
#: how long a run that ended stays on the widget, in seconds
SHOWN_AFTER_END = 86400.0

Name = Callable[[str], "str | None"]


def play(scorer: Scorer, agent_id: str, public: Name) -> dict[str, Any]:
    wallet = reward_views.wallet_view(scorer, agent_id, limit=HISTORY)
    return {
        "contests": contests(scorer, agent_id, public),
        "colleagues": colleagues(scorer, agent_id, public),
        "wallet": wallet,
        "store": reward_views.store_view(scorer, manager=False)["rewards"],
    }


def contests(scorer: Scorer, agent_id: str, public: Name) -> list[dict[str, Any]]:
    """The agent's contests whose current run is on, or ended less than a day ago."""
    clock = scorer.clock or 0.0
    shown = []
    for contest in scorer.contests.book.contests.values():
        if contest.hidden:
            continue
        side = _side(scorer, contest, agent_id)
        if side is None:
            continue
        if current(contest, clock).ends + SHOWN_AFTER_END < clock:
            continue
        view = contest_view(
            scorer.state, contest, _names(scorer, contest, agent_id, public), ids=True
        )
        shown.append(_worded(view, contest, side))
    return shown


def _side(scorer: Scorer, contest: Contest, agent_id: str) -> str | None:
    if contest.kind == "agents":
        return agent_id if agent_id in contest.participants else None
    record = scorer.state.agents.get(agent_id)
    day = scorer.state.timeline.calendar_at(scorer.clock or 0.0).day(scorer.clock or 0.0)
    return participant(contest, record, agent_id, day)


def _names(scorer: Scorer, contest: Contest, agent_id: str, public: Name) -> Name:
    if contest.kind == "agents":
        return lambda agent: public(agent) or ("?" if agent == agent_id else None)
    if contest.kind == "teams":
        return lambda team: scorer.state.teams.get(team, {}).get("name") or team
    if contest.kind == "sites":
        return lambda site: scorer.state.sites.get(site, {}).get("name") or site
    return lambda group: group


def _worded(view: dict[str, Any], contest: Contest, side: str) -> dict[str, Any]:
    """The view without agents' ids (an agent's page names colleagues by public
    name), each row marked ``me`` for the agent's own side."""
    rows = [
        {**{k: v for k, v in row.items() if k != "id"}, "me": row["id"] == side}
        for row in view["standings"]
    ]
    shown = {
        key: view[key]
        for key in (
            "contest",
            "name",
            "format",
            "metric",
            "fairness",
            "starts",
            "ends",
            "state",
            "provisional",
        )
    }
    shown["standings"] = rows
    shown["winners"] = [w["name"] for w in view["winners"] or []]
    shown["won"] = any(w.get("id") == side for w in view["winners"] or [])
    if contest.format == "challenge":
        c = view["challenge"]
        shown["challenge"] = {
            "challenger": c["challenger"]["name"],
            "opponent": c["opponent"]["name"],
            "mine": c["challenger"]["id"] == side,
            "stake": c["stake"],
            "answer": c["answer"],
        }
    if contest.format == "race":
        shown["target"] = contest.target
    return shown


def colleagues(scorer: Scorer, agent_id: str, public: Name) -> list[dict[str, str]]:
    """Whom the agent may challenge: the active agents of their site or team, by
    public name (not those who opted out of boards)."""
    me = scorer.state.agents.get(agent_id)
    if me is None or not me.history:
        return []
    team, site = me.history[-1][1], me.history[-1][2]
    found = []
    for other in scorer.state.agents.values():
        if other.id == agent_id or not other.active or not other.history:
            continue
        if other.history[-1][2] == site or other.history[-1][1] == team:
            name = public(other.id)
            if name:
                found.append({"agent": other.id, "name": name})
    return sorted(found, key=lambda c: c["name"].casefold())
