"""The kinds of change the shell and the browser name are the core's own.

``scoring.changes.KINDS`` lists every kind the fold emits; the topics module and
the pages' scripts take their names from it, and these tests fail when either
names a kind the core does not have (one renamed or dropped in the core).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import orjson
import pytest

from scoring.changes import KINDS
from tests.helpers import running
from wallboard import topics

STATIC = Path(__file__).resolve().parent.parent / "wallboard" / "static"
SCRIPTS = sorted(STATIC.glob("*.js"))


@pytest.mark.parametrize(
    "kinds", ["BOARD_KINDS", "AGENT_KINDS", "PERSONAL_KINDS"], ids=lambda name: name
)
def test_every_kind_a_topic_names_is_one_the_core_emits(kinds: str) -> None:
    named = getattr(topics, kinds)
    assert named, f"topics.{kinds} is empty"
    assert named <= set(KINDS), f"topics.{kinds}: {sorted(named - set(KINDS))} not in KINDS"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_kind_a_script_names_is_one_the_core_emits(script: Path) -> None:
    text = script.read_text()
    named = set(re.findall(r"\bK\.(\w+)", text))
    assert named <= set(KINDS), f"{script.name}: {sorted(named - set(KINDS))} not in KINDS"
    # A kind written as a string would escape the check above.
    literals = re.findall(r"""\bkind\s*[!=]==?\s*["'`](\w+)""", text)
    assert literals == [], f"{script.name} compares kinds with literals: {literals}"


def test_the_board_script_takes_its_kinds_from_the_page() -> None:
    # The board's celebrations are its own script's (celebrations.js) since they left board.js.
    assert "K.goal" in (STATIC / "celebrations.js").read_text()


@pytest.mark.parametrize("page", ["board", "me"])
def test_a_screen_page_passes_the_cores_kinds_to_its_script(page: str) -> None:
    with running() as app:
        role = "display" if page == "board" else "agent"
        response = app.client.get(f"/{page}?token={app.tokens[role]}")
        assert response.status_code == 200, response.text
        found = re.search(r'data-config="([^"]*)"', response.text)
        assert found, "the page carries its config"
        config = orjson.loads(html.unescape(found.group(1)))
        assert config["kinds"] == list(KINDS)
