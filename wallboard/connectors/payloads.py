"""A received body as the document a mapping reads, by its content type.

- ``application/json`` (and ``+json``; the default): the JSON as sent;
- ``application/x-www-form-urlencoded`` (Twilio): an object of the fields;
- ``text/csv``: a list of objects, one per row by the header line, empty cells
  left out;
- ``text/xml``, ``application/xml``, ``application/soap+xml`` (Salesforce's
  outbound messages): the SOAP body's first element as an object of its child
  elements by local name (text, or objects again), with ``Notification`` always
  a list. XML is read with ``defusedxml``: no entities, no external references.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import parse_qsl
from xml.etree.ElementTree import Element

import defusedxml.ElementTree
import orjson

from ..errors import ApiError
from ..ingest import parse_json

FORM = "application/x-www-form-urlencoded"
CSV = "text/csv"
XML_TYPES = frozenset({"text/xml", "application/xml", "application/soap+xml"})
#: elements that repeat, made lists even when one came
_LISTS = frozenset({"Notification"})
#: rows in one CSV body; more is refused before anything is recorded
MAX_ROWS = 1000


def media_type(header: str | None) -> str:
    """``application/json; charset=utf-8`` -> ``application/json``; none: JSON."""
    kind = (header or "").split(";", 1)[0].strip().lower()
    return kind or "application/json"


def parse(content_type: str, body: bytes) -> Any:
    """The document of ``body``: 400 if it is not what its content type says, 415
    for a content type no connector reads."""
    if content_type == "application/json" or content_type.endswith("+json"):
        document = parse_json(body)
        if not isinstance(document, dict | list):
            raise ApiError(400, "expected a JSON object or array")
        return document
    if content_type == FORM:
        return dict(parse_qsl(_text(body), keep_blank_values=True))
    if content_type == CSV:
        return _rows(_text(body))
    if content_type in XML_TYPES:
        return _soap(body)
    raise ApiError(
        415,
        f"expected a body of application/json, {FORM}, {CSV} or text/xml, got {content_type[:80]}",
    )


def form_pairs(body: bytes) -> list[tuple[str, str]]:
    """A form body's fields, each as often as it came (Twilio signs every one)."""
    return parse_qsl(_text(body), keep_blank_values=True)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(
            400, f"body is not UTF-8: byte {exc.start} is 0x{body[exc.start]:02x}"
        ) from None


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            rows.append({k.strip(): v for k, v in row.items() if k and v not in (None, "")})
            if len(rows) > MAX_ROWS:
                raise ApiError(413, f"a CSV body holds at most {MAX_ROWS} rows")
    except csv.Error as exc:
        raise ApiError(400, f"body is not CSV: line {reader.line_num}: {exc}") from None
    if reader.fieldnames is None:
        raise ApiError(400, "body is not CSV: expected a header line")
    return rows


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element(node: Element) -> Any:
    children = list(node)
    if not children:
        return node.text or ""
    found: dict[str, Any] = {}
    for child in children:
        name, value = _local(child.tag), _element(child)
        if name in found or name in _LISTS:
            held = found.setdefault(name, [])
            if not isinstance(held, list):
                found[name] = held = [held]
            held.append(value)
        else:
            found[name] = value
    return found


def _soap(body: bytes) -> Any:
    try:
        root = defusedxml.ElementTree.fromstring(body)
    except Exception as exc:  # defusedxml's refusals and the parser's errors alike
        raise ApiError(400, f"body is not XML: {str(exc)[:200]}") from None
    if _local(root.tag) == "Envelope":
        bodies = [c for c in root if _local(c.tag) == "Body"]
        inside = next(iter(bodies[0]), None) if bodies else None
        if inside is None:
            raise ApiError(400, "expected a SOAP Body holding one element")
        root = inside
    try:
        return _element(root)
    except RecursionError:
        raise ApiError(400, "body nests XML elements too deeply") from None


def dumps(document: Any) -> str:
    return orjson.dumps(document).decode()
