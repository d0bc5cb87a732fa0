"""Which rules and calendar held when, and what a period is: a pure value.

The rules change by ``rules`` events, each from its ``ts`` on; a sale is scored
by the rules of its own time, and its local day is the day in that rule set's
time zone. Periods are days, ISO weeks, months, and the seasons the managers
declare (``season`` events, inclusive local days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .codecs import CACHE, Codec, records, stored
from .experiments.record import EXPERIMENTS, Experiment
from .model import SeasonPeriod
from .periods import Calendar, period_days, period_of
from .rules import Rules, parse_rules


def _dump_rules(value: list[tuple[float, Rules]]) -> list[Any]:
    return [[since, rules.version, dict(rules.raw)] for since, rules in value]


def _load_rules(data: list[Any]) -> list[tuple[float, Rules]]:
    return [
        (since, Rules() if version == "default" and not raw else parse_rules(raw, version))
        for since, version, raw in data
    ]


@dataclass(slots=True)
class Timeline:
    #: (since, rules), sorted by since; the first is the defaults, since 0
    rules: list[tuple[float, Rules]] = stored(
        Codec(_dump_rules, _load_rules), lambda: [(0.0, Rules())]
    )
    seasons: dict[str, SeasonPeriod] = stored(records(SeasonPeriod))
    #: one calendar per time zone in use (calendars cache their days)
    calendars: dict[str, Calendar] = stored(CACHE)
    #: experiments by id: while one runs, its arms' agents score by the arm's rules
    experiments: dict[str, Experiment] = stored(EXPERIMENTS)

    def add_rules(self, since: float, rules: Rules) -> None:
        self.rules.append((since, rules))
        self.rules.sort(key=lambda entry: entry[0])

    def rules_at(self, epoch: float) -> Rules:
        rules = self.rules
        if epoch >= rules[-1][0]:
            return rules[-1][1]
        for since, candidate in reversed(rules):
            if since <= epoch:
                return candidate
        return rules[0][1]

    def rules_for(self, agent: str, epoch: float) -> Rules:
        """The rules ``agent``'s events at ``epoch`` are scored by: their experiment
        arm's while one runs (``experiments/``), else the rules in force."""
        if self.experiments:
            for experiment in self.experiments.values():
                arm = experiment.rules_of(agent, epoch)
                if arm is not None:
                    return arm
        return self.rules_at(epoch)

    def rules_version(self, version: str) -> Rules:
        for _, rules in self.rules:
            if rules.version == version:
                return rules
        for experiment in self.experiments.values():
            for rules in experiment.rules.values():
                if rules.version == version:
                    return rules
        raise KeyError(version)

    def calendar(self, rules: Rules) -> Calendar:
        calendar = self.calendars.get(rules.timezone)
        if calendar is None:
            calendar = self.calendars[rules.timezone] = Calendar(rules.timezone)
        return calendar

    def calendar_at(self, epoch: float) -> Calendar:
        return self.calendar(self.rules_at(epoch))

    def season_of(self, day: str) -> str | None:
        for season in self.seasons.values():
            if season.starts <= day <= season.ends:
                return season.id
        return None

    def period_key(self, kind: str, day: str) -> str | None:
        """The key of the period of ``kind`` holding local ``day``; None for a day
        in no season."""
        if kind == "season":
            return self.season_of(day)
        return period_of(kind, day)

    def days_of(self, kind: str, key: str) -> tuple[str, str]:
        """First and last local day of a period key."""
        if kind == "season":
            season = self.seasons[key]
            return season.starts, season.ends
        first, after = period_days(kind, key)
        return first.isoformat(), date.fromordinal(after.toordinal() - 1).isoformat()
