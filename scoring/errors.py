"""The scoring package's errors."""

from __future__ import annotations


class ScoringError(Exception):
    """Base of every error the scoring core raises."""


class InvalidRules(ScoringError, ValueError):
    """A rule set broke its schema; ``problems`` maps each path to what was wrong."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{path}: {problem}" for path, problem in problems.items()))
        self.problems = problems
