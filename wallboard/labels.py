"""Names and local times the console shows in place of ids and UTC stamps.

The log refers to everything by id (``a-17``, ``ber``, ``r-mug:crm:s-9``) and
stamps it in UTC. The console's lists (the audit log, awards, tombola winners,
a roster import's preview) show what the roster calls each thing today, and
each time also in the time zone days are counted in: the rule set's
``timezone``, which holds for every site.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scoring.contests.model import Contest
from scoring.scorer import Scorer

#: fields of an event that name something the state knows by a name
REFERENCES = ("agent", "team", "site", "prize", "tombola", "season", "club")


class Labels:
    """Look-ups of names in one scorer's state; None for what it does not know."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer = scorer
        self.state = scorer.state

    def agent(self, agent_id: str) -> str | None:
        agent = self.state.agents.get(agent_id)
        return agent.name if agent else None

    def team(self, team_id: str) -> str | None:
        team = self.state.teams.get(team_id)
        return str(team["name"]) if team else None

    def site(self, site_id: str) -> str | None:
        site = self.state.sites.get(site_id)
        return str(site.get("name", site_id)) if site is not None else None

    def prize(self, prize_id: str) -> str | None:
        prize = self.scorer.prizes.book.prizes.get(prize_id)
        return prize.name if prize else None

    def tombola(self, tombola_id: str) -> str | None:
        tombola = self.scorer.tombolas.book.tombolas.get(tombola_id)
        return tombola.name if tombola else None

    def season(self, season_id: str) -> str | None:
        league = self.scorer.league.league.seasons.get(season_id)
        if league is not None:
            return league.name
        season = self.state.timeline.seasons.get(season_id)
        return season.name if season else None

    def club(self, club_id: str) -> str | None:
        return self.site(club_id)

    def of(self, event: dict[str, Any]) -> dict[str, str]:
        """The names of what ``event`` refers to: ``{"agent": "Anna Berg", ...}``; a
        handover names its award's agent and prize, a cancellation its sale's agent."""
        names: dict[str, str] = {}
        for field in REFERENCES:
            value = event.get(field)
            if isinstance(value, str):
                name = getattr(self, field)(value)
                if name is not None:
                    names[field] = name
        award_id = event.get("award")
        if isinstance(award_id, str):
            award = self.scorer.prizes.book.awards.get(award_id)
            if award is not None:
                names.update(self.of({"agent": award.agent, "prize": award.prize}))
        sale_id = event.get("sale")
        if event.get("type") == "cancellation" and isinstance(sale_id, str):
            sale = self.state.sales.get(f"{event.get('source')}:{sale_id}")
            if sale is not None:
                names.update(self.of({"agent": sale.agent}))
        return names

    def placement(self, agent_id: str) -> dict[str, str | None]:
        """The agent's team and site today, by id and by name."""
        agent = self.state.agents.get(agent_id)
        if agent is None or not agent.history:
            return {"team": None, "team_name": None, "site": None, "site_name": None}
        clock = self.scorer.clock
        team, site = agent.placement(self.state.timeline.calendar_at(clock).day(clock))
        return {
            "team": team,
            "team_name": self.team(team),
            "site": site,
            "site_name": self.site(site),
        }

    @property
    def timezone(self) -> str:
        """The time zone in force at the log's clock."""
        return self.state.timeline.calendar_at(self.scorer.clock).timezone

    def local(self, epoch: float) -> str:
        """``epoch`` in the time zone in force at that moment, with its offset:
        ``2026-11-23T10:30:00+01:00``."""
        zone = self.state.timeline.calendar_at(epoch).zone
        return datetime.fromtimestamp(epoch, UTC).astimezone(zone).isoformat()

    def local_text(self, stamp: str) -> str:
        """A stamp as the log writes it (``2026-11-23T09:30:00Z``), in local time."""
        return self.local(datetime.fromisoformat(stamp).timestamp())


def contest_names(labels: Labels, contest: Contest) -> Callable[[str], str | None]:
    """A contest's participants as a manager reads them: teams and sites by name,
    agents by full name, groups as named."""
    if contest.kind == "teams":
        return lambda team: labels.team(team) or team
    if contest.kind == "sites":
        return lambda site: labels.site(site) or site
    if contest.kind == "groups":
        return lambda group: group
    return lambda agent: labels.agent(agent) or agent
