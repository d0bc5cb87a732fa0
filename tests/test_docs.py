"""The README documents what the code declares, and CI runs the README's commands."""

from __future__ import annotations

import re
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


def layout() -> str:
    return README.split("## Layout", 1)[1]


def test_the_module_map_names_every_module_of_the_core_and_the_shell() -> None:
    section = layout()
    for package in ("scoring", "leagues", "wallboard"):
        for path in sorted((ROOT / package).glob("*.py")):
            if path.name in ("__init__.py", "__main__.py"):
                continue
            name = f"{package}/{path.name}"
            assert f"`{name}`" in section, f"{name} is missing from the README's layout"


def test_every_path_the_module_map_names_exists() -> None:
    for path in re.findall(r"`((?:scoring|leagues|wallboard|tests|bench)/[^`]*)`", layout()):
        assert (ROOT / path).exists(), f"the README's layout names {path}, which does not exist"
