"""Topic names: what each one is, who may subscribe, which changes it shows, how it renders.

A screen subscribes by name: ``board`` (the company's board), ``board:<site>``
(one site's), ``agent:<id>`` (an agent's own page) and ``manage`` (the console's
overview). A board pinned to one season of the league puts the season's id,
percent-encoded, after an ``@``: ``board@<season>``, ``board@<season>:<site>``
(encoded, a season id holds no ``:``, so any site id follows as it is). ``parse``
turns a name into one of the types below; the rest of the shell works with those
rather than slicing strings.

The kinds of change a topic shows are names from ``scoring.changes.KINDS``,
checked when this module loads, so a kind the core drops fails here at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, unquote

from scoring.changes import KINDS
from scoring.scorer import Scorer

from . import screens
from .store import TokenRecord


@dataclass(frozen=True, slots=True)
class Board:
    """The company's board (``site`` None) or one site's; pinned to one ``season``
    of the league, or (None) showing every running season in turn."""

    site: str | None
    season: str | None = None

    @property
    def name(self) -> str:
        board = "board" if self.season is None else f"board@{quote(self.season, safe='')}"
        return board if self.site is None else f"{board}:{self.site}"


@dataclass(frozen=True, slots=True)
class AgentPage:
    """An agent's own page: their figures and their celebrations only."""

    agent: str

    @property
    def name(self) -> str:
        return f"agent:{self.agent}"


@dataclass(frozen=True, slots=True)
class Console:
    """The manager console's overview."""

    @property
    def name(self) -> str:
        return "manage"


TopicName = Board | AgentPage | Console


class UnknownTopic(ValueError):
    pass


def parse(name: str) -> TopicName:
    if name == "board":
        return Board(None)
    if name == "manage":
        return Console()
    if name.startswith("board@"):
        return _pinned(name)
    prefix, colon, rest = name.partition(":")
    if colon and prefix == "board":
        return Board(rest)
    if colon and prefix == "agent":
        return AgentPage(rest)
    raise UnknownTopic(f"unknown topic {name!r}")


def _pinned(name: str) -> Board:
    encoded, colon, site = name.removeprefix("board@").partition(":")
    try:
        season = unquote(encoded, errors="strict")
    except UnicodeDecodeError:
        season = ""
    # One spelling per topic: another encoding of the same id would be another topic.
    if not season or quote(season, safe="") != encoded:
        raise UnknownTopic(f"unknown topic {name!r}: expected board@<season, percent-encoded>")
    return Board(site if colon else None, season)


def _kinds(*names: str) -> frozenset[str]:
    unknown = [name for name in names if name not in KINDS]
    if unknown:
        raise ValueError(f"expected kinds from scoring.changes.KINDS, got {unknown}")
    return frozenset(names)


#: the celebrations a board (and the console) shows
BOARD_KINDS = _kinds(
    "goal",
    "goal_disallowed",
    "prize",
    "goal_reached",
    "tombola_drawn",
    "match_final",
    "season_ended",
    "sale",
    "contest_provisional",
    "contest_final",
)
#: the celebrations an agent's page shows, of that agent's own changes
AGENT_KINDS = _kinds("sale", "revoked", "prize", "prize_revoked", "goal_reached", "goal")
#: changes about one agent's own figures: a public board leaves them out for an
#: agent who opted out (or for everyone, with the works council setting)
PERSONAL_KINDS = _kinds("sale", "revoked", "prize", "goal_reached")


def allowed(token: TokenRecord, name: str) -> bool:
    """Who may subscribe to what; the README's "Who may do what" table states it,
    and tests/test_roles.py holds the two together."""
    try:
        topic = parse(name)
    except UnknownTopic:
        return False
    if token.role == "manager":
        return True
    if token.role == "display":
        return isinstance(topic, Board)
    if token.role == "agent":
        return isinstance(topic, AgentPage) and topic.agent == token.agent
    return False


def missing(scorer: Scorer, token: TokenRecord, topic: TopicName) -> str | None:
    """What ``topic`` names that does not exist, or None: a site's board needs a site
    the roster names, a pinned board a season the league has, an agent's page an agent
    the roster names (or the caller's own, before the roster names them). The
    publisher makes a topic on its first subscription; one for a made-up name would
    hold a rendered state and its frames for nothing."""
    match topic:
        case Board(site, season):
            if site is not None and site not in scorer.state.sites:
                return "the roster names no such site"
            if season is not None and season not in scorer.league.league.seasons:
                return "the league has no such season"
        case AgentPage(agent):
            if agent not in scorer.state.agents and token.agent != agent:
                return "the roster names no such agent"
    return None


def concerns(topic: TopicName, change: Mapping[str, Any]) -> bool:
    """Whether ``topic`` celebrates ``change``."""
    kind = change.get("kind")
    if isinstance(topic, AgentPage):
        return change.get("agent") == topic.agent and kind in AGENT_KINDS
    if isinstance(topic, Board) and topic.season is not None:
        # A board pinned to a season celebrates no other season's goals.
        season = change.get("season", topic.season)
        return kind in BOARD_KINDS and season == topic.season
    return kind in BOARD_KINDS


def touched(topic: TopicName, agents: Collection[str]) -> bool:
    """Whether a fold that changed the figures of ``agents`` changes what ``topic``
    shows: an agent's page only changes with its own agent (boards rank everyone)."""
    return not isinstance(topic, AgentPage) or topic.agent in agents


def render(
    scorer: Scorer, topic: TopicName | str, *, works_council: bool = False
) -> dict[str, Any]:
    """The whole state a screen of ``topic`` shows."""
    match parse(topic) if isinstance(topic, str) else topic:
        case Board(site, season):
            return screens.board(scorer, site, works_council, season)
        case AgentPage(agent):
            return screens.agent(scorer, agent)
        case Console():
            return screens.manage(scorer)


def present(
    scorer: Scorer,
    topic: TopicName | str,
    events: list[Mapping[str, Any]],
    *,
    works_council: bool = False,
) -> list[Mapping[str, Any]]:
    """Celebrations as ``topic`` may show them: on public boards agents by their
    public name, personal changes of hidden agents left out, never an agent id."""
    if isinstance(parse(topic) if isinstance(topic, str) else topic, Board):
        return screens.public_events(scorer, events, PERSONAL_KINDS, works_council)
    return events
