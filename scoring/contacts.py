"""Handled contacts: support points by the rules of the contact's time.

A contact earns points for being resolved, for a referral (an NPS promoter, or
a flag) and for its quality score, if it has one (a phone system's calls often
have none: they count in no quality average); they stand at once (contacts are
not cancelled), so features hear of them through ``contact_counted``.
"""

from __future__ import annotations

from collections.abc import Callable

from .feature import Core, Event, Feature, hooked
from .rules import PROMOTER
from .state import State


class Contacts:
    def __init__(self, core: Core, features: list[Feature]) -> None:
        self.state = core.state
        self.outbox = core.outbox
        self.epoch = core.epoch
        self._counted: list[Callable[[str, str], None]] = hooked(features, "contact_counted")

    def contact(self, event: Event) -> None:
        ts = self.epoch(event["ts"])
        timeline = self.state.timeline
        rules = timeline.rules_for(event["agent"], ts)
        referral, quality, resolved = event["referral"], event.get("quality"), event["resolved"]
        referred = referral is True or (type(referral) is int and referral >= PROMOTER)
        points = round(rules.contact_points(resolved, referred, quality) * 100)
        agent = event["agent"]
        day = timeline.calendar(rules).day(ts)
        bucket = self.state.bucket(agent, day)
        bucket.contacts += 1
        bucket.support += points
        if quality is not None:
            bucket.quality += round(quality * 100)
            bucket.rated += 1
        bucket.referrals += referred
        bucket.resolved += resolved
        self.outbox.dirty.add(agent)
        self.state.remember(
            agent,
            ["contact", event["id"], ts, points, rules.version, resolved, referred, quality],
        )
        for hook in self._counted:
            hook(agent, day)


def latest_contact(state: State, agent: str) -> tuple[str, float, int, bool]:
    """(id, ts, support points, resolved) of the contact ``agent`` handled last: what
    a feature's ``contact_counted`` hook is called for (``contact`` remembers it first)."""
    row = state.recent[agent][-1]
    return row[1], row[2], row[3], row[5]
