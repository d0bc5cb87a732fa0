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
    ],
)
def test_a_topic_name_parses_and_names_itself_again(name: str, topic: object) -> None:
    assert parse(name) == topic
    assert parse(name).name == name


@pytest.mark.parametrize("name", ["", "boards", "agent", "manage:x", "Board", "x:board"])
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
