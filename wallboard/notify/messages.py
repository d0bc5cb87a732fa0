"""A change worded as a notification, with public names only.

A change is first made public exactly as a public board shows it
(``screens.public_events``): agents by their public name, a personal change of an
agent who opted out (or of anyone, with ``WALLBOARD_WORKS_COUNCIL``) left out, a
tombola's or contest's winners the board may not name left unnamed. The message
is then worded in the rule's language; each channel's module lays it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from scoring.scorer import Scorer

from .. import screens
from ..topics import PERSONAL_KINDS
from .words import word


@dataclass(frozen=True)
class Message:
    kind: str
    language: str
    title: str
    text: str
    #: (label, value) pairs a channel may show as a table
    facts: tuple[tuple[str, str], ...] = ()

    def encode(self) -> bytes:
        return orjson.dumps(
            {
                "kind": self.kind,
                "language": self.language,
                "title": self.title,
                "text": self.text,
                "facts": [list(fact) for fact in self.facts],
            }
        )

    @classmethod
    def decode(cls, data: bytes) -> Message:
        raw = orjson.loads(data)
        return cls(
            kind=raw["kind"],
            language=raw["language"],
            title=raw["title"],
            text=raw["text"],
            facts=tuple((str(label), str(value)) for label, value in raw["facts"]),
        )


def message(
    scorer: Scorer, change: Mapping[str, Any], language: str, works_council: bool
) -> Message | None:
    """``change`` worded in ``language``; None when a public board would not show it."""
    shown = screens.public_events(scorer, [change], PERSONAL_KINDS, works_council)
    if not shown:
        return None
    wording = WORDING.get(str(change["kind"]))
    return wording(shown[0], language) if wording else None


def test_message(language: str) -> Message:
    return Message("test", language, word("test_title", language), word("test_text", language))


def _prize(event: Mapping[str, Any], language: str) -> Message:
    text = word("prize_text", language, agent=event["agent"], prize=event["prize"])
    facts = ((word("fact_prize", language), str(event["prize"])),)
    return Message("prize", language, word("prize_title", language), text, facts)


def _goal_reached(event: Mapping[str, Any], language: str) -> Message:
    text = word("goal_reached_text", language, agent=event["agent"], title=event["title"])
    return Message("goal_reached", language, word("goal_reached_title", language), text)


def _tombola_drawn(event: Mapping[str, Any], language: str) -> Message:
    title = word("tombola_drawn_title", language, name=event.get("name", event["tombola"]))
    prizes = event.get("prizes", [])
    facts = tuple(
        (str(each["prize"]), str(each["winner"] or word("not_named", language))) for each in prizes
    )
    text = word("tombola_drawn_text" if facts else "tombola_nobody", language)
    return Message("tombola_drawn", language, title, text, facts)


def _contest_final(event: Mapping[str, Any], language: str) -> Message:
    title = word("contest_final_title", language, name=event.get("name", event["contest"]))
    winners = [str(w) for w in event.get("winners", [])]
    if winners:
        text = word("contest_final_text", language, winners=", ".join(winners))
    else:
        text = word("contest_nobody", language)
    facts = tuple((word("fact_winner", language), w) for w in winners)
    return Message("contest_final", language, title, text, facts)


def _goal(event: Mapping[str, Any], language: str) -> Message:
    home_goals, away_goals = event["score"]
    home = event.get("home_name", event.get("home", ""))
    away = event.get("away_name", event.get("away", ""))
    title = word(
        "goal_title", language, home=home, away=away, home_goals=home_goals, away_goals=away_goals
    )
    club = home if event["club"] == event.get("home") else away
    minute = event["minute"]
    if event.get("agent"):
        text = word("goal_text", language, agent=event["agent"], club=club, minute=minute)
    else:
        text = word("goal_text_unnamed", language, club=club, minute=minute)
    facts = ((word("fact_score", language), f"{home} {home_goals}:{away_goals} {away}"),)
    return Message("goal", language, title, text, facts)


def _record_day(event: Mapping[str, Any], language: str) -> Message:
    title = word("record_day_title", language, day=event["day"])
    text = word("record_day_text", language, sales=event["sales"], previous=event["previous"])
    facts = ((word("fact_revenue", language), f"{event['revenue']} €"),)
    return Message("record_day", language, title, text, facts)


WORDING: dict[str, Callable[[Mapping[str, Any], str], Message]] = {
    "prize": _prize,
    "goal_reached": _goal_reached,
    "tombola_drawn": _tombola_drawn,
    "contest_final": _contest_final,
    "goal": _goal,
    "record_day": _record_day,
}
