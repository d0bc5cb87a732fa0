"""Topic names parse into typed values and back; anything else is refused."""

from __future__ import annotations

import pytest

from wallboard.store import TokenRecord
from wallboard.topics import AgentPage, Board, Console, UnknownTopic, allowed, concerns, parse


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("board", Board(None)),
        ("board:ber", Board("ber")),
        ("board:a:b", Board("a:b")),
        ("agent:a-1", AgentPage("a-1")),
        ("agent:x/y", AgentPage("x/y")),
        ("manage", Console()),
        ("board@w49", Board(None, "w49")),
        ("board@w49:ber", Board("ber", "w49")),
        # A season id is percent-encoded, so the first ":" after it starts the site.
        ("board@cup%3A2026%2F1:a:b", Board("a:b", "cup:2026/1")),
        ("board@K%C3%B6ln%20Cup", Board(None, "Köln Cup")),
    ],
)
def test_a_topic_name_parses_and_names_itself_again(name: str, topic: object) -> None:
    assert parse(name) == topic
    assert parse(name).name == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "boards",
        "agent",
        "manage:x",
        "Board",
        "x:board",
        "board@",
        "board@:ber",
        # one spelling per season: not another encoding of the same id
        "board@cup%3a2026",
        "board@K%F6ln",
        "board@a b",
    ],
)
def test_an_unknown_topic_is_refused_by_name(name: str) -> None:
    with pytest.raises(UnknownTopic, match="unknown topic"):
        parse(name)
    manager = TokenRecord(id="m", hash="", role="manager", label="", created="")
    assert not allowed(manager, name)


def test_an_agents_page_celebrates_only_that_agents_changes() -> None:
    page = parse("agent:a-1")
    assert concerns(page, {"kind": "sale", "agent": "a-1"})
    assert not concerns(page, {"kind": "sale", "agent": "a-2"})
    assert not concerns(page, {"kind": "tombola_drawn", "agent": "a-1"})
    assert concerns(parse("board"), {"kind": "tombola_drawn"})


def test_a_board_pinned_to_a_season_celebrates_that_seasons_changes_only() -> None:
    pinned = parse("board@cup")
    assert concerns(pinned, {"kind": "goal", "season": "cup"})
    assert not concerns(pinned, {"kind": "goal", "season": "autumn"})
    assert not concerns(pinned, {"kind": "goal_disallowed", "season": "autumn"})
    assert concerns(pinned, {"kind": "prize", "agent": "a-1"})
    # A board that takes turns hears of every season's goals, with their season.
    assert concerns(parse("board"), {"kind": "goal", "season": "autumn"})
