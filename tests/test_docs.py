"""The README documents what the code declares, and CI runs the README's commands."""

from __future__ import annotations

from pathlib import Path

from scoring.events import EVENT_TYPES
from wallboard.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_every_setting_is_documented_with_its_default() -> None:
    for env, default, _help in Settings.documentation():
        assert f"| `{env}` | `{default}` |" in README, env


def test_every_event_type_and_field_is_documented() -> None:
    for name, event_type in EVENT_TYPES.items():
        row = next((line for line in README.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, f"event type {name} is missing from the README"
        for field in event_type.fields:
            assert f"`{field.name}`" in row, f"{name}.{field.name} is missing from the README"


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in README and "make demo" in README
    assert "CI=true make test" in ci
    makefile = (ROOT / "Makefile").read_text()
    assert "\ntest:" in makefile and "\ndemo:" in makefile
