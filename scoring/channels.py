"""Channels: named playlists of the board's scenes, set in the console.

A screen opened on a channel (``/board?channel=lobby``) shows its scenes in
turn, each for ``rotate`` seconds: of one site (its own matches and leaders) or
of the whole company, and of one league season or of each running one in turn.
A ``channel`` event sets a channel whole; the same ``channel`` again replaces
it, and with ``"active": false`` removes it. Screens on a channel follow a change
by its ``revision``: the id of the event that set it last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .codecs import Codec, records, stored
from .feature import Core, Event, Feature, Handler

#: the board's scenes, in the order a new channel offers them
SCENES = ("league", "leaders", "charts", "contests")
#: seconds a scene stays on screen, unless the channel says otherwise
ROTATE = 20


@dataclass(slots=True)
class Channel:
    id: str
    name: str
    scenes: list[str] = field(default_factory=list)
    rotate: int = ROTATE
    site: str | None = None
    season: str | None = None
    #: the id of the event that set it last
    revision: str = ""


#: optional: a state without channels stores (and hashes) as it did before them
CHANNELS = Codec(records(Channel).dump, records(Channel).load, optional=True)


@dataclass(slots=True)
class ChannelBook:
    channels: dict[str, Channel] = stored(CHANNELS)


class Channels(Feature):
    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.book = core.state.slice(ChannelBook)

    def handlers(self) -> dict[str, Handler]:
        return {"channel": self.set_channel}

    def set_channel(self, event: Event) -> None:
        if event.get("active", True) is False:
            self.book.channels.pop(event["channel"], None)
            return
        self.book.channels[event["channel"]] = Channel(
            id=event["channel"],
            name=event["name"],
            scenes=list(event["scenes"]),
            rotate=event.get("rotate", ROTATE),
            site=event.get("site"),
            season=event.get("season"),
            revision=event["id"],
        )
