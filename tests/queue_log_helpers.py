"""Calls as Asterisk writes them to its queue_log, and the contacts they make."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: how each kind of call ends, and whether it is a contact
ENDINGS = {
    "agent": "COMPLETEAGENT",
    "caller": "COMPLETECALLER",
    "blind": "BLINDTRANSFER",
    "attended": "ATTENDEDTRANSFER",
    "old-transfer": "TRANSFER",
}


@dataclass(frozen=True)
class Call:
    epoch: int
    number: int
    member: str
    ending: str  # a key of ENDINGS, or "abandon"
    queue: str = "support"
    hold: int = 7
    talk: int = 95

    @property
    def uniqueid(self) -> str:
        return f"{self.epoch}.{self.number}"

    @property
    def end_epoch(self) -> int:
        return self.epoch + self.hold + self.talk

    @property
    def contact_id(self) -> str | None:
        if self.ending == "abandon":
            return None
        return f"asterisk-{self.uniqueid}-{self.end_epoch}-{ENDINGS[self.ending].lower()}"

    def lines(self) -> list[str]:
        start, uid, queue, member = self.epoch, self.uniqueid, self.queue, self.member
        entered = f"{start}|{uid}|{queue}|NONE|ENTERQUEUE||+4930555{self.number:04d}|1"
        if self.ending == "abandon":
            return [entered, f"{start + self.hold}|{uid}|{queue}|NONE|ABANDON|1|1|{self.hold}"]
        answered = start + self.hold
        data = {
            "agent": f"{self.hold}|{self.talk}|1",
            "caller": f"{self.hold}|{self.talk}|1",
            "blind": f"2000|from-internal|{self.hold}|{self.talk}|1",
            "attended": f"BRIDGE|Local/2000@from-internal|{self.hold}|{self.talk}|1",
            "old-transfer": f"2000|from-internal|{self.hold}|{self.talk}|1",
        }[self.ending]
        return [
            entered,
            f"{answered - 2}|{uid}|{queue}|{member}|RINGNOANSWER|2000",
            f"{answered}|{uid}|{queue}|{member}|CONNECT|{self.hold}|{uid}9|2",
            f"{self.end_epoch}|{uid}|{queue}|{member}|{ENDINGS[self.ending]}|{data}",
        ]


def append(path: Path, text: str) -> None:
    """Write as Asterisk does: append to whatever file has the name now."""
    with path.open("a", encoding="utf-8") as log:
        log.write(text)


def write_calls(path: Path, calls: list[Call]) -> None:
    for call in calls:
        for line in call.lines():
            append(path, line + "\n")
