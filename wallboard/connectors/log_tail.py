"""Complete lines of a log file that another program appends to and rotates.

``LogTail.read`` hands out the next complete lines with the position after
them; the follower saves that position (``Position``, in a small JSON state
file) only once it has delivered those lines, so a restart reads on from the
last delivered line, never from the last read one.

The file is known by its inode and by its first bytes (``head``), which is how
both of logrotate's styles are recognised:

- **rename and create**: the path gets a new inode. The renamed file is read to
  its end first (Asterisk keeps writing to it until it reopens its logs), then
  the new file from its start. A follower that was stopped over the rotation
  finds the renamed file beside the path by its inode.
- **copytruncate**: the path keeps its inode but its first bytes change, or it
  gets shorter than what was read. Whatever was written between the last read
  and the truncation is in the copy, found beside the path by its first bytes:
  it is read from the position on, then the truncated file from its start.

A last line without its newline is not taken until the newline comes. A file
rotated away is left for the new one once the new one has lines (its writer
moved on) or it has not grown for ``grace`` seconds; a partial line it ends in
then is dropped with a warning.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import BinaryIO

import orjson

HEAD_BYTES = 64
log = logging.getLogger("wallboard.connectors")


@dataclass(frozen=True)
class Position:
    """Where the follower is: the file (inode, first bytes) and the offset in it."""

    inode: int
    offset: int
    head: str = ""  # the file's first bytes, as latin-1 text (any byte fits)

    def same_start(self, head: bytes) -> bool:
        mine = self.head.encode("latin-1")
        return head[: len(mine)] == mine


@dataclass(frozen=True)
class Chunk:
    """Complete lines (without their newline), and the position after them."""

    lines: list[bytes]
    end: Position


class StateFile:
    """The position, kept across restarts; written whole (write, fsync, rename)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Position | None:
        try:
            data = orjson.loads(self.path.read_bytes())
            return Position(int(data["inode"]), int(data["offset"]), str(data.get("head", "")))
        except FileNotFoundError:
            return None
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{self.path}: not a follower state file ({exc})") from None

    def save(self, position: Position) -> None:
        partial = self.path.with_name(self.path.name + ".tmp")
        with partial.open("wb") as out:
            out.write(orjson.dumps(asdict(position)))
            out.flush()
            os.fsync(out.fileno())
        partial.replace(self.path)


class LogTail:
    def __init__(
        self,
        path: Path,
        start: Position | None,
        *,
        clock: Callable[[], float],
        from_end: bool = False,
        grace: float = 10.0,
        max_bytes: int = 256 * 1024,
    ) -> None:
        self.path = path
        self.clock = clock
        self.grace = grace
        self.max_bytes = max_bytes
        self.file: BinaryIO | None = None
        self.position = start
        self.from_end = from_end
        #: since when a rotated-away file has had its size, and that size
        self.quiet_since: tuple[float, int] | None = None

    def __enter__(self) -> LogTail:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None

    def read(self) -> Chunk | None:
        """The next complete lines, or the position of the next file once this
        one is read to its end and rotated away; None when there is nothing new."""
        if self.file is None and not self._open_first():
            return None
        assert self.file is not None and self.position is not None
        shrunk = os.fstat(self.file.fileno()).st_size < self.position.offset
        if shrunk or not self.position.same_start(_head(self.file)):
            return self._truncated()
        chunk = self._lines()
        if chunk is not None:
            return chunk
        return self._rotated()

    # -- opening ---------------------------------------------------------------

    def _open_first(self) -> bool:
        """Open where the saved position points: the path, or the file it was
        rotated to while the follower was stopped."""
        saved = self.position
        try:
            file = self.path.open("rb")
        except FileNotFoundError:
            # renamed and not created again yet: the renamed file may hold lines
            old = self._find_rotated(saved, by_inode=True) if saved else None
            if old is not None and saved is not None:
                self._use(old.open("rb"), saved)
            return old is not None
        inode = os.fstat(file.fileno()).st_ino
        if saved is None:
            offset = os.fstat(file.fileno()).st_size if self.from_end else 0
            offset = _line_start(file, offset)
            self._use(file, Position(inode, offset, _head(file).decode("latin-1")))
            return True
        if saved.inode == inode and saved.same_start(_head(file)):
            self._use(file, saved)
            return True
        old = self._find_rotated(saved, by_inode=saved.inode != inode)
        if old is None:
            log.warning(
                "%s was rotated while the follower was stopped and the rotated file is "
                "not beside it; reading the new file from its start",
                self.path,
            )
            self._use(file, Position(inode, 0, _head(file).decode("latin-1")))
            return True
        file.close()
        log.info("%s: finishing %s first, from byte %d", self.path, old.name, saved.offset)
        self._use(old.open("rb"), saved)
        return True

    def _use(self, file: BinaryIO, position: Position) -> None:
        """Read ``file`` on from ``position``'s offset; a copy found beside the path
        has an inode of its own, which the position takes."""
        self.close()
        self.file = file
        self.position = replace(position, inode=os.fstat(file.fileno()).st_ino)
        self.quiet_since = None
        file.seek(position.offset)

    def _find_rotated(self, saved: Position, *, by_inode: bool) -> Path | None:
        """The rotated file beside the path that holds the saved position: the one
        with its inode (renamed), or else one that starts with its first bytes and
        reaches its offset (copied before a truncation)."""
        siblings = []
        for sibling in self.path.parent.iterdir():
            if sibling.name.startswith(self.path.name) and sibling != self.path:
                try:  # logrotate may compress or delete one meanwhile
                    siblings.append((sibling.stat(), sibling))
                except FileNotFoundError:
                    continue
        for info, sibling in sorted(siblings, key=lambda s: s[0].st_mtime, reverse=True):
            if not stat.S_ISREG(info.st_mode):
                continue
            if by_inode and info.st_ino == saved.inode:
                return sibling
            if not by_inode and saved.head and info.st_size >= saved.offset:
                with contextlib.suppress(FileNotFoundError), sibling.open("rb") as candidate:
                    if saved.same_start(_head(candidate)):
                        return sibling
        return None

    # -- reading ---------------------------------------------------------------

    def _lines(self) -> Chunk | None:
        assert self.file is not None and self.position is not None
        self.file.seek(self.position.offset)
        data = self.file.read(self.max_bytes)
        cut = data.rfind(b"\n")
        if cut < 0:
            return None
        lines = [line.rstrip(b"\r") for line in data[:cut].split(b"\n")]
        head = self.position.head
        if len(head) < HEAD_BYTES:
            head = _head(self.file).decode("latin-1")
        self.position = Position(self.position.inode, self.position.offset + cut + 1, head)
        self.quiet_since = None
        return Chunk([line for line in lines if line], self.position)

    def _rotated(self) -> Chunk | None:
        """At the end of the open file: if it was rotated away and its writer has
        left it, move to the path's new file."""
        assert self.file is not None and self.position is not None
        try:
            successor = self.path.stat()
        except FileNotFoundError:
            return None  # renamed, its successor not created yet
        if successor.st_ino == self.position.inode:
            return None
        size = os.fstat(self.file.fileno()).st_size
        # The writer appends to one file at a time: once the new file has lines,
        # the old one is finished; while it is empty, the old one may still grow.
        if successor.st_size == 0 and not self._quiet(size):
            return None
        last = self._lines()  # written between the last read and the look at the path
        if last is not None:
            return last
        if size > self.position.offset:
            log.warning(
                "%s: the rotated file ends in %d bytes without a newline; dropped",
                self.path,
                size - self.position.offset,
            )
        return self._switch_to_path()

    def _quiet(self, size: int) -> bool:
        """Whether the open file has kept ``size`` for ``grace`` seconds."""
        now = self.clock()
        if self.quiet_since is None or self.quiet_since[1] != size:
            self.quiet_since = (now, size)
            return False
        return now - self.quiet_since[0] >= self.grace

    def _switch_to_path(self) -> Chunk | None:
        try:
            file = self.path.open("rb")
        except FileNotFoundError:
            return None
        inode = os.fstat(file.fileno()).st_ino
        self._use(file, Position(inode, 0, _head(file).decode("latin-1")))
        assert self.position is not None
        return Chunk([], self.position)

    def _truncated(self) -> Chunk | None:
        """The open file starts with other bytes than it did: copied and truncated.
        Read the rest from the copy, if it is beside the path, then the file anew."""
        assert self.file is not None and self.position is not None
        saved = self.position
        copy = self._find_rotated(saved, by_inode=False)
        if copy is not None:
            log.info("%s was copied and truncated; finishing %s first", self.path, copy.name)
            self._use(copy.open("rb"), saved)
            return self.read()
        log.warning(
            "%s was truncated and its copy is not beside it; reading it from its start",
            self.path,
        )
        return self._switch_to_path()


def _head(file: BinaryIO) -> bytes:
    """A file's first bytes, up to the end of its first line."""
    where = file.tell()
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(where)
    newline = head.find(b"\n")
    return head if newline < 0 else head[: newline + 1]


def _line_start(file: BinaryIO, offset: int) -> int:
    """``offset`` moved back to the start of the line it falls in (within 4 KiB)."""
    back = min(offset, 4096)
    file.seek(offset - back)
    cut = file.read(back).rfind(b"\n")
    if cut < 0:
        return 0 if back == offset else offset
    return offset - back + cut + 1
