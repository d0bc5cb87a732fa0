"""The manager console's words, in English and German, side by side, one module per
group of tabs.

Each key holds its English and its German text, so that neither can be left out;
``{name}`` marks a value the page fills in. The labels are the README's words
("Cancellation window", "Base points", ...). tests/test_console_words.py checks
that every key the console's template and scripts use is here.
"""

from __future__ import annotations

from . import (
    connectors,
    contests,
    experiments,
    frame,
    league,
    notify,
    people,
    prizes,
    publish,
    rules,
)

PARTS = (frame, rules, prizes, league, people, publish, contests, experiments, notify, connectors)


def _merged() -> dict[str, tuple[str, str]]:
    words: dict[str, tuple[str, str]] = {}
    for part in PARTS:
        twice = words.keys() & part.WORDS.keys()
        if twice:
            raise ValueError(f"console words defined twice: {sorted(twice)}")
        words.update(part.WORDS)
    return words


WORDS = _merged()
