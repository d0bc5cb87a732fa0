"""The roster in the console: what it holds, and a CSV import checked against it.

An import is a dry run unless asked to store: it answers with every line it
would write, every bad line with every problem, and warnings (sites and teams
the roster does not know, columns it does not read). ``?commit=1`` stores when
there is nothing to warn about; ``?confirm=1`` stores after the manager has seen
the warnings, creating the missing sites and teams. Either stores everything in
one append or nothing: a bad line anywhere stores no line at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from scoring import views
from scoring.events import InvalidEvent, validate
from scoring.log import format_ts
from scoring.roster import ExternalIdBook
from scoring.scorer import Scorer

from .api import append
from .errors import ApiError
from .identity import require
from .ingest import read_body
from .labels import Labels
from .query import one
from .roster_csv import RosterFileError, Table, read
from .services import services

MANAGER = frozenset({"manager"})


async def roster(request: Request) -> JSONResponse:
    """Sites and teams with today's head count, and the agents, with their names."""
    await require(request, MANAGER)
    scorer = services(request).engine.scorer
    state, labels = scorer.state, Labels(scorer)
    today = views.today(scorer)
    site_heads: dict[str, int] = {}
    team_heads: dict[str, int] = {}
    agents = []
    external_ids = state.slice(ExternalIdBook).external_ids
    for agent in sorted(state.agents.values(), key=lambda a: a.id):
        team, site = agent.placement(today) if agent.history else (None, None)
        if agent.active and site is not None and team is not None:
            site_heads[site] = site_heads.get(site, 0) + 1
            team_heads[team] = team_heads.get(team, 0) + 1
        agents.append(
            {
                "agent": agent.id,
                "name": agent.name,
                "public_name": agent.public_name,
                "team": team,
                "site": site,
                "active": agent.active,
                "opt_out": agent.opt_out,
                "external_ids": external_ids.get(agent.id, {}),
            }
        )
    return JSONResponse(
        {
            "sites": [
                {
                    "site": site,
                    "name": info.get("name", site),
                    "short_name": info.get("short_name"),
                    "colour": info.get("colour"),
                    "heads": site_heads.get(site, 0),
                }
                for site, info in sorted(state.sites.items())
            ],
            "teams": [
                {
                    "team": team,
                    "name": info["name"],
                    "site": info["site"],
                    "site_name": labels.site(info["site"]),
                    "heads": team_heads.get(team, 0),
                }
                for team, info in sorted(state.teams.items())
            ],
            "agents": agents,
        }
    )


@dataclass
class Plan:
    """What an import would write, and what stands in its way."""

    agents: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    #: sites and teams to create: id -> lines (and, for a team, its site)
    sites: dict[str, list[int]] = field(default_factory=dict)
    teams: dict[str, tuple[str, list[int]]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def warnings(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = [
            {
                "kind": "unknown_site",
                "site": site,
                "lines": lines,
                "message": f"site {site!r} is not in the roster: confirming creates it",
            }
            for site, lines in self.sites.items()
        ]
        found += [
            {
                "kind": "unknown_team",
                "team": team,
                "site": site,
                "lines": lines,
                "message": f"team {team!r} is not in the roster: confirming creates it "
                f"at site {site!r}",
            }
            for team, (site, lines) in self.teams.items()
        ]
        found += [
            {
                "kind": "ignored_column",
                "column": column,
                "message": f"column {column!r} is not read",
            }
            for column in self.ignored
        ]
        return found

    def events(self) -> list[dict[str, Any]]:
        """Sites first, then teams, then the agents that change: one append."""
        events: list[dict[str, Any]] = [
            {"type": "site", "site": site, "name": site} for site in self.sites
        ]
        events += [
            {"type": "team", "team": team, "name": team, "site": site}
            for team, (site, _lines) in self.teams.items()
        ]
        for line in self.agents:
            if line["changes"]:
                events.append({"type": "agent", **line["event"]})
        return events


class Planner:
    """Checks each line of a table against the roster the scorer holds today."""

    def __init__(self, scorer: Scorer, table: Table) -> None:
        self.state = scorer.state
        self.labels = Labels(scorer)
        self.today = views.today(scorer)
        self.table = table
        self.now = format_ts(datetime.now(UTC))
        self.plan = Plan(ignored=list(table.ignored))
        self.seen: dict[str, int] = {}

    def run(self) -> Plan:
        for number, row in self.table.rows:
            self.line(number, [cell.strip() for cell in row])
        return self.plan

    def line(self, number: int, cells: list[str]) -> None:
        columns = self.table.columns
        event = {
            name: cells[position] if position < len(cells) else ""
            for name, (position, _) in columns.items()
        }
        if not event.get("public_name"):
            event.pop("public_name", None)
        event["site"], site_known = self.site(event["site"])
        event["team"], team_known = self.team(event["team"], event["site"])
        problems = self.problems(number, cells, event, team_known)
        if problems:
            spelled = {name: columns[name][1] for name in columns}
            self.plan.errors.append(
                {
                    "line": number,
                    "agent": event["agent"] or None,
                    "problems": problems,
                    "error": "; ".join(f"{spelled.get(k, k)}: {v}" for k, v in problems.items()),
                }
            )
            return
        self.seen[event["agent"]] = number
        if not site_known:
            self.plan.sites.setdefault(event["site"], []).append(number)
        if not team_known:
            self.plan.teams.setdefault(event["team"], (event["site"], []))[1].append(number)
        self.plan.agents.append(
            {
                "line": number,
                "event": event,
                "changes": self.changes(event),
                "team_name": self.labels.team(event["team"]),
                "site_name": self.labels.site(event["site"]),
            }
        )

    def problems(
        self, number: int, cells: list[str], event: dict[str, str], team_known: bool
    ) -> dict[str, str]:
        problems: dict[str, str] = {}
        width = self.table.width
        if any(cells[width:]):
            problems["line"] = f"{len(cells)} cells, but the header names {width} columns"
        try:
            validate({**event, "type": "agent", "id": "check", "ts": self.now})
        except InvalidEvent as invalid:
            problems.update(invalid.problems)
        agent, team, site = event["agent"], event["team"], event["site"]
        if agent in self.seen:
            problems["agent"] = f"{agent!r} is on line {self.seen[agent]} already"
        if team_known and self.state.teams[team]["site"] != site:
            problems["site"] = (
                f"team {team!r} is at site {self.state.teams[team]['site']!r}, not {site!r}: "
                "correct the line, or move the team first"
            )
        elif team in self.plan.teams and self.plan.teams[team][0] != site:
            first, lines = self.plan.teams[team][0], self.plan.teams[team][1]
            problems["site"] = f"team {team!r} is at site {first!r} on line {lines[0]}"
        return problems

    def site(self, cell: str) -> tuple[str, bool]:
        """The site a cell names, by id or else by its name; whether the roster has it."""
        sites = self.state.sites
        if cell in sites:
            return cell, True
        named = [
            s
            for s, info in sites.items()
            if str(info.get("name", "")).casefold() == cell.casefold()
        ]
        return (named[0], True) if cell and len(named) == 1 else (cell, False)

    def team(self, cell: str, site: str) -> tuple[str, bool]:
        """The team a cell names, by id or else by its name at ``site``."""
        teams = self.state.teams
        if cell in teams:
            return cell, True
        named = [
            t
            for t, info in teams.items()
            if info["site"] == site and info["name"].casefold() == cell.casefold()
        ]
        return (named[0], True) if cell and len(named) == 1 else (cell, False)

    def changes(self, event: dict[str, str]) -> list[str]:
        """How the line changes the roster: ``new``, or any of ``moved``, ``renamed``
        and ``public_name``; nothing for an agent the roster already has so."""
        agent = self.state.agents.get(event["agent"])
        if agent is None or not agent.history:
            return ["new"]
        changes = []
        if agent.placement(self.today) != (event["team"], event["site"]):
            changes.append("moved")
        if agent.name != event["name"]:
            changes.append("renamed")
        if "public_name" in event and agent.public_name != event["public_name"]:
            changes.append("public_name")
        return changes


def _flag(request: Request, name: str) -> bool:
    value = one(request, name)
    if value not in (None, "0", "1"):
        raise ApiError(422, f"expected {name}=1 or {name}=0, got {value!r:.40}")
    return value == "1"


async def import_roster(request: Request) -> JSONResponse:
    """A roster CSV: a dry run, or with ``commit=1`` (nothing to warn about) or
    ``confirm=1`` (warnings seen) stored whole."""
    token = await require(request, MANAGER)
    confirm = _flag(request, "confirm")
    commit = _flag(request, "commit") or confirm
    try:
        table = read(await read_body(request))
    except RosterFileError as problem:
        raise ApiError(422, str(problem)) from None
    plan = Planner(services(request).engine.scorer, table).run()
    warnings = plan.warnings()
    body = _answer(table, plan, warnings)
    if plan.errors:
        lines = len(table.rows)
        error = f"{len(plan.errors)} of {lines} lines are invalid; nothing was stored"
        return JSONResponse({"error": error, **body}, status_code=422)
    if not commit:
        return JSONResponse(body)
    if warnings and not confirm:
        error = f"{len(warnings)} warnings to confirm (confirm=1); nothing was stored"
        return JSONResponse({"error": error, **body}, status_code=409)
    events = plan.events()
    if events:
        await append(request, events, "manage", by=token.label)
    kinds = [event["type"] for event in events]
    stored = {kind: kinds.count(kind) for kind in ("site", "team", "agent")}
    return JSONResponse({**body, "committed": True, "stored": stored}, status_code=201)


def _answer(table: Table, plan: Plan, warnings: list[dict[str, Any]]) -> dict[str, Any]:
    agents = [
        {"line": line["line"], **line["event"], **_names(line), "changes": line["changes"]}
        for line in plan.agents
    ]
    counts = {"lines": len(table.rows), "errors": len(plan.errors)}
    for kind in ("new", "moved", "renamed", "public_name"):
        counts[kind] = sum(kind in line["changes"] for line in plan.agents)
    counts["unchanged"] = sum(not line["changes"] for line in plan.agents)
    return {
        "committed": False,
        "needs_confirm": bool(warnings),
        "delimiter": table.delimiter,
        "bom": table.bom,
        "columns": {name: spelled for name, (_, spelled) in table.columns.items()},
        "agents": agents,
        "errors": plan.errors,
        "warnings": warnings,
        "counts": counts,
    }


def _names(line: dict[str, Any]) -> dict[str, Any]:
    return {"team_name": line["team_name"], "site_name": line["site_name"]}
