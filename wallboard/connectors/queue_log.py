"""Asterisk's ``queue_log`` followed into ``contact`` events.

Asterisk writes one line per queue event, ``epoch|uniqueid|queue|agent|EVENT|data...``
(documented at https://docs.asterisk.org/Operation/Logging/Queue-Logs/ and, for
the transfer events of Asterisk 12 on, in ``apps/app_queue.c``):

- ``COMPLETEAGENT(holdtime|calltime|origposition)``: the agent hung up;
- ``COMPLETECALLER(holdtime|calltime|origposition)``: the caller hung up;
- ``TRANSFER(extension|context|holdtime|calltime|origposition)`` (before 12),
  ``BLINDTRANSFER(extension|context|holdtime|calltime|origposition)`` and
  ``ATTENDEDTRANSFER(method|method-data|holdtime|calltime|origposition)``:
  the agent passed the call on;
- ``CONNECT(holdtime|bridged uniqueid|ringtime)``, ``ABANDON``, ``EXITWITHTIMEOUT``,
  ``RINGNOANSWER`` and the rest.

An answered call ends in exactly one of the completion or transfer lines, and
that line names the agent and carries the talk time, so each one becomes one
``contact`` by itself: no state is kept between lines, and a call still being
talked when the follower stops counts when its last line is written. Calls that
were never answered (``ABANDON``, ``EXITWITHTIMEOUT``, ``EXITEMPTY``) are no
contact of any agent's, and ``RINGNOANSWER`` is a missed ring, not a contact.

The event id is ``asterisk-<uniqueid>-<epoch>-<event>``: the same line read twice
(after a restart, or a rotation read again) is the same event, which
``POST /api/events`` acknowledges as a duplicate.
"""

from __future__ import annotations

import asyncio
import csv
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from scoring.log import format_ts

from .log_tail import LogTail, StateFile
from .sender import FollowerError, Sender, Sleep

#: the events that end an answered call, and where their holdtime and calltime are
ANSWERED: dict[str, int] = {
    "COMPLETEAGENT": 0,
    "COMPLETECALLER": 0,
    "TRANSFER": 2,
    "BLINDTRANSFER": 2,
    "ATTENDEDTRANSFER": 2,
}
TRANSFERS = frozenset({"TRANSFER", "BLINDTRANSFER", "ATTENDEDTRANSFER"})
BATCH = 500
log = logging.getLogger("wallboard.connectors")


@dataclass(frozen=True)
class CallEnd:
    """A line that ends an answered call."""

    epoch: int
    uniqueid: str
    queue: str
    member: str
    event: str
    holdtime: int
    calltime: int


def parse_line(line: bytes) -> CallEnd | None:
    """The answered call a line ends, or None for any other line (or a garbled one)."""
    parts = line.decode("utf-8", errors="replace").split("|")
    if len(parts) < 5 or parts[4] not in ANSWERED:
        return None
    at = ANSWERED[parts[4]]
    data = parts[5:]
    try:
        epoch = int(parts[0])
        holdtime, calltime = int(data[at]), int(data[at + 1])
    except (ValueError, IndexError):
        log.warning("queue_log: a %s line without its times, skipped: %r", parts[4], line)
        return None
    return CallEnd(epoch, parts[1], parts[2], parts[3], parts[4], holdtime, calltime)


class AgentMap:
    """Which product agent a queue member is.

    With a mapping (``--agents``: a CSV of ``member,agent`` rows, ``member`` as
    the queue_log writes it, e.g. ``PJSIP/1001``), only mapped members count;
    without one, a member's agent id is its name without the technology and
    dial suffixes: ``PJSIP/1001`` and ``Local/1001@agents/n`` are ``1001``.
    """

    def __init__(self, mapping: dict[str, str] | None = None) -> None:
        self.mapping = mapping
        self.unmapped: set[str] = set()

    @classmethod
    def from_csv(cls, path: Path) -> AgentMap:
        mapping: dict[str, str] = {}
        with path.open(newline="", encoding="utf-8") as rows:
            for number, row in enumerate(csv.reader(rows), start=1):
                cells = [cell.strip() for cell in row]
                if not cells or not any(cells) or cells[0].startswith("#"):
                    continue
                if number == 1 and [c.lower() for c in cells[:2]] == ["member", "agent"]:
                    continue
                if len(cells) < 2 or not cells[0] or not cells[1]:
                    raise ValueError(f"{path}:{number}: expected 'member,agent', got {row!r}")
                mapping[cells[0]] = cells[1]
        return cls(mapping)

    def agent(self, member: str) -> str | None:
        if self.mapping is None:
            name = member.split("/", 1)[-1] if "/" in member else member
            return name.split("@", 1)[0].split("/", 1)[0] or None
        agent = self.mapping.get(member)
        if agent is None and member not in self.unmapped:
            self.unmapped.add(member)
            log.warning("queue_log: %r is not in the agent mapping; its calls are skipped", member)
        return agent


@dataclass(frozen=True)
class ContactFields:
    """What a queue_log line cannot say, fixed per follower: whether a completed
    call counts as resolved at first contact, and the quality it is given (None: no
    score; a quality average counts only the calls that have one)."""

    resolved: bool = False
    quality: float | None = None


def contact(call: CallEnd, agent: str, fields: ContactFields) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": f"asterisk-{call.uniqueid}-{call.epoch}-{call.event.lower()}",
        "type": "contact",
        "ts": format_ts(datetime.fromtimestamp(call.epoch, UTC)),
        "agent": agent,
        "channel": "phone",
        "duration_s": max(call.calltime, 0),
        # A transferred call was passed on: not resolved where it first landed.
        "resolved": fields.resolved and call.event not in TRANSFERS,
        "referral": False,
    }
    if fields.quality is not None:
        event["quality"] = fields.quality
    return event


class QueueLogFollower:
    """Reads the queue_log as it grows, posts its answered calls, saves its place.

    ``step`` does one read and delivery; ``run`` repeats it, sleeping
    ``poll_seconds`` when there is nothing new, or returns then if ``until_idle``.
    """

    def __init__(
        self,
        tail: LogTail,
        state: StateFile | None,
        sender: Sender,
        *,
        events_url: str,
        token: str,
        agents: AgentMap | None = None,
        queues: Collection[str] = (),
        fields: ContactFields | None = None,
        sleep: Sleep = asyncio.sleep,
        poll_seconds: float = 1.0,
    ) -> None:
        self.tail = tail
        self.state = state
        self.sender = sender
        self.events_url = events_url
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.agents = agents or AgentMap()
        self.queues = frozenset(queues)
        self.fields = fields or ContactFields()
        self.sleep = sleep
        self.poll_seconds = poll_seconds

    def events(self, lines: list[bytes]) -> list[dict[str, Any]]:
        events = []
        for line in lines:
            call = parse_line(line)
            if call is None or (self.queues and call.queue not in self.queues):
                continue
            agent = self.agents.agent(call.member)
            if agent is not None:
                events.append(contact(call, agent, self.fields))
        return events

    async def step(self) -> bool:
        chunk = self.tail.read()
        if chunk is None:
            return False
        events = self.events(chunk.lines)
        for start in range(0, len(events), BATCH):
            await self.deliver(events[start : start + BATCH])
        if self.state is not None:
            self.state.save(chunk.end)
        return True

    async def run(self, *, until_idle: bool = False) -> None:
        while True:
            if await self.step():
                continue
            if until_idle:
                return
            await self.sleep(self.poll_seconds)

    async def deliver(self, events: list[dict[str, Any]]) -> None:
        """Post until the server has them all: those it finds invalid are logged
        and left out, the rest posted again."""
        while events:
            answer = await self.sender.post(self.events_url, orjson.dumps(events), self.headers)
            if answer.ok:
                log.info("queue_log: %d contacts posted: %s", len(events), answer.text(200))
                return
            found = _invalid(answer.json()) if answer.status == 422 else {}
            invalid = {n: problems for n, problems in found.items() if 0 <= n < len(events)}
            # Every contact has the type: refused, it is the token that may not post them.
            if not invalid or any(isinstance(p, dict) and "type" in p for p in invalid.values()):
                raise FollowerError(f"{self.events_url}: HTTP {answer.status} {answer.text()}")
            for index, problems in sorted(invalid.items()):
                log.warning("queue_log: %s refused, left out: %s", events[index]["id"], problems)
            events = [event for n, event in enumerate(events) if n not in invalid]


def _invalid(body: Any) -> dict[int, Any]:
    """The problems of each event a 422 from ``POST /api/events`` names, by index."""
    if not isinstance(body, dict) or not isinstance(body.get("invalid"), list):
        return {}
    return {
        item["index"]: item.get("problems")
        for item in body["invalid"]
        if isinstance(item, dict) and isinstance(item.get("index"), int)
    }
