"""The browser's files: the vendored plotly.js is the one its record names."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "wallboard" / "static"


def test_the_vendored_plotly_is_the_one_its_readme_records() -> None:
    record = (STATIC / "vendor" / "README.md").read_text()
    content = (STATIC / "vendor" / "plotly-basic.min.js").read_bytes()
    version = re.search(r"\| version \| ([\d.]+) \|", record)
    assert version, "the vendor README names the version"
    assert f"plotly.js (basic - minified) v{version.group(1)}\n" in content[:200].decode()
    assert f"`{hashlib.sha256(content).hexdigest()}`" in record


def test_the_board_draws_only_traces_the_basic_bundle_has() -> None:
    board = (STATIC / "board.js").read_text()
    types = set(re.findall(r"""\btype:\s*["'](\w+)["']""", board))
    assert types <= {"scatter", "bar", "pie"}, types
