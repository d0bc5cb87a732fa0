"""Whatever order lines, half lines, reads, rotations of both styles and restarts
come in, the tail hands out every line once, in order.

The writer is Asterisk: it appends whole lines, or a line in two writes; after
a rename it goes on writing to the renamed file until it reopens its logs.
logrotate rotates once a day, so a rotation comes only once the follower has
caught up with the one before and has read a line of the current file.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wallboard.connectors.log_tail import LogTail, StateFile

STEPS = ("line", "half", "read", "rename", "reload", "copytruncate", "restart")


class World:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "queue_log"
        self.writing = self.path  # the file the writer appends to
        self.state = StateFile(folder / "state.json")
        self.written: list[str] = []
        self.taken: list[str] = []
        self.half: str | None = None
        self.behind = False  # a rotation the tail has not caught up with
        self.line()
        self.tail = LogTail(self.path, None, clock=lambda: 0.0)
        self.read()

    def next_line(self) -> str:
        number = len(self.written) + (self.half is not None)
        return f"{1_796_000_000 + number}|{number}.7|support|PJSIP/1001|COMPLETEAGENT|4|60|1"

    def append(self, text: str) -> None:
        with self.writing.open("a") as log:
            log.write(text)

    def line(self) -> None:
        if self.half is not None:
            whole, self.half = self.half, None
            self.append(whole[len(whole) // 2 :] + "\n")
        else:
            whole = self.next_line()
            self.append(whole + "\n")
        self.written.append(whole)

    def start_half(self) -> None:
        if self.half is None:
            self.half = self.next_line()
            self.append(self.half[: len(self.half) // 2])

    def read(self) -> None:
        while (chunk := self.tail.read()) is not None:
            self.taken += [line.decode() for line in chunk.lines]
            self.state.save(chunk.end)
        position = self.tail.position
        if position and position.inode == self.path.stat().st_ino and position.head:
            self.behind = False

    def may_rotate(self) -> bool:
        return self.half is None and not self.behind and self.writing == self.path

    def shift(self) -> Path:
        rotated = self.folder / "queue_log.1"
        if rotated.exists():
            rotated.replace(self.folder / "queue_log.2")
        return rotated

    def rename(self) -> None:
        if self.may_rotate():
            rotated = self.shift()
            self.path.rename(rotated)
            self.writing = rotated
            self.path.touch()
            self.behind = True

    def reload(self) -> None:
        if self.half is None:
            self.writing = self.path

    def copytruncate(self) -> None:
        if self.may_rotate():
            shutil.copyfile(self.path, self.shift())
            with self.path.open("r+b") as truncated:
                truncated.truncate(0)
            self.behind = True

    def restart(self) -> None:
        self.tail.close()
        self.tail = LogTail(self.path, self.state.load(), clock=lambda: 0.0)

    def play(self, steps: list[str]) -> None:
        actions = {
            "line": self.line,
            "half": self.start_half,
            "read": self.read,
            "rename": self.rename,
            "reload": self.reload,
            "copytruncate": self.copytruncate,
            "restart": self.restart,
        }
        try:
            for step in steps:
                actions[step]()
            if self.half is not None:
                self.line()
            self.reload()
            self.line()
            self.read()
        finally:
            self.tail.close()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(STEPS), max_size=40))
def test_every_line_is_read_once_in_order(steps: list[str]) -> None:
    with TemporaryDirectory() as folder:
        world = World(Path(folder))
        world.play(steps)
        assert world.taken == world.written
