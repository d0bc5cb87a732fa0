"""A CSV file cut into parts a hook takes: each its header line and at most so
many rows and bytes.

Rows are cut where a record ends, not merely a line: a quoted cell may hold a
line break (RFC 4180). A record ends at a line break outside quotes, which is
where the count of ``"`` since the record began is even (an escaped quote,
``""``, keeps it even). The bytes are passed on as they are; ``"`` and line
breaks are single bytes in UTF-8 and in the legacy encodings spreadsheets write.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    first_row: int  # counted from 1, after the header
    last_row: int
    body: bytes


def records(body: bytes) -> list[bytes]:
    """The file's records, each with its line break (the last one may have none)."""
    found: list[bytes] = []
    start = end = quotes = 0
    for line in body.splitlines(keepends=True):
        quotes += line.count(b'"')
        end += len(line)
        if quotes % 2 == 0:
            found.append(body[start:end])
            start, quotes = end, 0
    if start < len(body):
        found.append(body[start:])  # a quote left open at the end
    return found


def parts(body: bytes, *, max_rows: int, max_bytes: int) -> list[Part]:
    """The header and at most ``max_rows`` rows and ``max_bytes`` bytes a part (a
    single row over ``max_bytes`` goes alone, for the server to refuse); blank
    lines between rows are left out."""
    found = records(body)
    if not found:
        return []
    header, rows = found[0], [row for row in found[1:] if row.strip()]
    if not rows:
        return [Part(0, 0, header)]
    cut: list[Part] = []
    chunk: list[bytes] = []
    size = len(header)
    first = 1
    for number, row in enumerate(rows, start=1):
        if chunk and (len(chunk) == max_rows or size + len(row) > max_bytes):
            cut.append(Part(first, number - 1, header + b"".join(chunk)))
            chunk, size, first = [], len(header), number
        chunk.append(row)
        size += len(row)
    cut.append(Part(first, len(rows), header + b"".join(chunk)))
    return cut
