"""Reading a roster file: its encoding, its delimiter, its header and its rows.

What spreadsheets write: comma-separated files, and semicolon-separated ones where
the comma is the decimal mark (German Excel); UTF-8 with or without a byte order
mark. Header names may be English or German (``Agent``, ``Name``, ``Team``,
``Standort``), in any order and case. Anything else is refused with the line and
byte where it went wrong, so the manager knows what to fix, not what Python saw.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

BOM = b"\xef\xbb\xbf"
DELIMITERS = (",", ";", "\t")
#: header names each field is known by, compared in lower case with spaces and
#: hyphens as underscores
COLUMNS = {
    "agent": ("agent", "agent_id", "id", "mitarbeiter", "mitarbeiter_id", "personalnummer"),
    "name": ("name", "full_name", "vollständiger_name"),
    "team": ("team", "team_id"),
    "site": ("site", "site_id", "standort", "niederlassung"),
    "public_name": ("public_name", "anzeigename", "öffentlicher_name"),
}
REQUIRED = ("agent", "name", "team", "site")
SAVE_AS = 'save it as "CSV UTF-8" (in German Excel: "CSV UTF-8 (durch Trennzeichen getrennt)")'


class RosterFileError(ValueError):
    """The file as a whole cannot be read: nothing in it is looked at further."""


@dataclass
class Table:
    """A roster file read: its delimiter, which column holds which field, the
    columns it ignores, and the data rows with their line numbers."""

    delimiter: str
    bom: bool
    #: field -> (position, the header as the file spells it)
    columns: dict[str, tuple[int, str]]
    #: how many columns the header names
    width: int
    ignored: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def read(body: bytes) -> Table:
    text, bom = decode(body)
    delimiter = sniff(text)
    # Lines end at "\n" alone ("\r\n" included): a bare "\r" inside a line is refused.
    reader = csv.reader(io.StringIO(text, newline="\n"), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        # "new-line character seen in unquoted field - do you need to open ...": the
        # advice after the dash is for Python programmers, not for the manager.
        problem = str(exc).split(" - ")[0]
        raise RosterFileError(f"line {reader.line_num} is not valid CSV: {problem}") from None
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise RosterFileError(f"the file is empty: expected a header line ({_expected()})")
    header_line, header = rows[0]
    columns, ignored = _columns(header, header_line)
    return Table(delimiter, bom, columns, len(header), ignored, rows[1:])


def decode(body: bytes) -> tuple[str, bool]:
    """The file's text, and whether it began with a byte order mark; refused, with
    where, when it is not UTF-8."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RosterFileError(f"the file is UTF-16 (Excel's 'Unicode text'): {SAVE_AS}")
    bom = body.startswith(BOM)
    start = len(BOM) if bom else 0
    try:
        return body[start:].decode("utf-8"), bom
    except UnicodeDecodeError as exc:
        at = start + exc.start
        line = body.count(b"\n", 0, at) + 1
        in_line = at - (body.rfind(b"\n", 0, at) + 1) + 1
        raise RosterFileError(
            f"line {line} is not UTF-8: byte {in_line} of the line (byte {at + 1} of the "
            f"file) is 0x{body[at]:02x}, which looks like Windows-1252 or Latin-1; {SAVE_AS}"
        ) from None


def sniff(text: str) -> str:
    """The delimiter of the header line: the one of ``,``, ``;`` and tab it holds
    most often outside quotes (a comma when there is none)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _columns(header: Sequence[str], line: int) -> tuple[dict[str, tuple[int, str]], list[str]]:
    aliases = {alias: name for name, known in COLUMNS.items() for alias in known}
    columns: dict[str, tuple[int, str]] = {}
    ignored = []
    for position, cell in enumerate(header):
        spelled = cell.strip()
        name = aliases.get(spelled.lower().replace(" ", "_").replace("-", "_"))
        if name is None:
            if spelled:
                ignored.append(spelled)
            continue
        if name in columns:
            raise RosterFileError(
                f"columns {columns[name][0] + 1} ({columns[name][1]!r}) and {position + 1} "
                f"({spelled!r}) are both the {name}"
            )
        columns[name] = (position, spelled)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        got = ", ".join(repr(cell.strip()) for cell in header[:8])
        raise RosterFileError(
            f"expected a header line with {_expected()}; no column for "
            f"{', '.join(missing)} in line {line}: {got}"
        )
    return columns, ignored


def _expected() -> str:
    return "agent,name,team,site[,public_name] (or Agent;Name;Team;Standort[;Anzeigename])"
