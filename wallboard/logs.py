"""Log lines as text or JSON (``WALLBOARD_LOG_FORMAT``); secrets never appear.

Every line is masked as it is written, whatever logger wrote it (uvicorn's access
and error logs included) and whatever it holds (a message, its arguments, a
traceback): a query parameter whose decoded name looks like a secret loses its
value, and so does anything shaped like one of our tokens.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any, TextIO
from urllib.parse import unquote_plus

import orjson

# uvicorn adds ``color_message``: the same line again, with terminal colours.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "color_message"}

#: a ``name=value`` pair, as in a query string; the name may be percent-encoded
_PAIR = re.compile(r"(?P<name>[^\s?&;=#\"'<>\\]+)=(?P<value>[^\s&#\"'<>\\]*)")
#: words that make a parameter's name a secret's (``token``, ``access_token``, ...)
_SECRET_NAME = re.compile(r"token|secret|passw|session|csrf|seed", re.IGNORECASE)
#: a token as ``tokens.new_token`` makes it, wherever it shows up
_TOKEN_SHAPE = re.compile(r"wb_(?:ingest|display|agent|manager)_[A-Za-z0-9_\-]+")
MASK = "***"


def _decoded(name: str) -> str:
    # Decoded until it stops changing: ``%2574oken`` is a token's name to anything
    # that decodes twice, and masking one value too many costs nothing.
    for _ in range(4):
        plain = unquote_plus(name)
        if plain == name:
            break
        name = plain
    return name


def _mask_pair(match: re.Match[str]) -> str:
    if _SECRET_NAME.search(_decoded(match["name"])):
        return f"{match['name']}={MASK}"
    return match.group(0)


def redact(text: str) -> str:
    """``text`` without the values of secret-looking parameters, nor any token."""
    if "=" in text:
        text = _PAIR.sub(_mask_pair, text)
    return _TOKEN_SHAPE.sub(MASK, text) if "wb_" in text else text


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        # Masked before encoding: in JSON a quote or a backslash would end a value early.
        return orjson.dumps(
            {k: redact(v) if isinstance(v, str) else v for k, v in line.items()}, default=str
        ).decode()


class RedactTokens(logging.Filter):
    """Masks a record's message and arguments, for handlers with a formatter of their
    own (the formatters above mask the whole line, tracebacks included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) if isinstance(arg, str) else arg for arg in record.args)
        record.msg = redact(str(record.msg))
        return True


class _Stderr(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is when a line is written, not when the
    handler was made (a test runner swaps it per test)."""

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


#: the loggers uvicorn configures for itself (handlers of their own, not propagating)
UVICORN = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def configure(log_format: str, level: int = logging.INFO) -> None:
    """Send every log line, uvicorn's included, through one masked handler.

    Called by ``create_app``, so that any server running the app gets it (the
    Procfile's plain uvicorn as well as ``wallboard serve``); calling it again
    replaces the handler it made, and handlers that others put on the root
    logger (a test runner's) stay."""
    handler = _Stderr()
    handler.set_name("wallboard")
    handler.addFilter(RedactTokens())
    handler.setFormatter(JSONFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if h.get_name() != "wallboard"] + [handler]
    root.setLevel(level)
    for name in UVICORN:
        # uvicorn's default handlers write unmasked lines in their own format.
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
