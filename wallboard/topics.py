"""Topic names: what each one is, who may subscribe, which changes it shows, how it renders.

A screen subscribes by name: ``board`` (the company's board), ``board:<site>``
(one site's), ``agent:<id>`` (an agent's own page) and ``manage`` (the console's
overview). ``parse`` turns a name into one of the types below; the rest of the
shell works with those rather than slicing strings.

The kinds of change a topic shows are names from ``scoring.changes.KINDS``,
checked when this module loads, so a kind the core drops fails here at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from scoring.changes import KINDS
from scoring.scorer import Scorer

from . import screens
from .store import TokenRecord


@dataclass(frozen=True, slots=True)
class Board:
    """The company's board (``site`` None) or one site's."""

    site: str | None

    @property
    def name(self) -> str:
        return "board" if self.site is None else f"board:{self.site}"


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
    prefix, colon, rest = name.partition(":")
    if colon and prefix == "board":
        return Board(rest)
    if colon and prefix == "agent":
        return AgentPage(rest)
    raise UnknownTopic(f"unknown topic {name!r}")


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


def known(scorer: Scorer, token: TokenRecord, topic: TopicName) -> bool:
    """Whether ``topic`` is one the roster has: a site's board for a site it names, an
    agent's page for an agent it names (or the caller's own, before the roster names
    them). The publisher makes a topic on its first subscription; one for a made-up
    name would hold a rendered state and its frames for nothing."""
    match topic:
        case Board(site):
            return site is None or site in scorer.state.sites
        case AgentPage(agent):
            return agent in scorer.state.agents or token.agent == agent
        case Console():
            return True


def concerns(topic: TopicName, change: Mapping[str, Any]) -> bool:
    """Whether ``topic`` celebrates ``change``."""
    kind = change.get("kind")
    if isinstance(topic, AgentPage):
        return change.get("agent") == topic.agent and kind in AGENT_KINDS
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
        case Board(site):
            return screens.board(scorer, site, works_council)
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
