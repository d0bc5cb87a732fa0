"""The browser's files (``wallboard/static/``), under names that carry their content's hash.

Pages name each file by ``url("board.js")``: ``/static/board.1a2b3c4d.js``, the
first 8 hex digits of the content's SHA-256. Such a name is cached for a year
(``immutable``), so a TV fetches plotly.js once per release and not on every
reload. The plain name (``/static/board.js``) still answers, with ``no-cache``
(revalidated by its ETag), for old pages and bookmarks; so does a hashed name
whose hash is not the current file's (a page from a server of the previous
release, during a rolling restart).

The files are read, hashed and gzipped once, when the app is made, and served
from memory: a release's files do not change under a running server (a changed
file shows after a restart). Compressing plotly.js for every request costs about
70 ms of the event loop each time (measured on one core), and every screen of
the wall fetches it at once after a release; compressed once, none.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

STATIC = Path(__file__).resolve().parent / "static"
PREFIX = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
#: smaller bodies are sent as they are, files and JSON alike: gzip saves too little
COMPRESS_FROM = 1024
#: ``board.1a2b3c4d.js``: the plain name with 8 hex digits before its suffix
HASHED = re.compile(r"(?P<stem>.+)\.[0-9a-f]{8}(?P<suffix>\.[^./]+)")
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".md": "text/markdown"}


@dataclass(frozen=True, slots=True)
class Asset:
    content: bytes
    #: the content gzipped, or None for a file under COMPRESS_FROM bytes
    gzipped: bytes | None
    media_type: str
    digest: str

    @classmethod
    def read(cls, path: Path) -> Asset:
        content = path.read_bytes()
        gzipped = gzip.compress(content, 9, mtime=0) if len(content) >= COMPRESS_FROM else None
        media_type = MEDIA_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
        return cls(
            content,
            gzipped,
            media_type or "application/octet-stream",
            hashlib.sha256(content).hexdigest()[:8],
        )

    def name(self, plain: str) -> str:
        stem, _, suffix = plain.rpartition(".")
        return f"{stem}.{self.digest}.{suffix}"

    def response(self, headers: Headers, *, immutable: bool) -> Response:
        gzipped = self.gzipped if "gzip" in headers.get("accept-encoding", "") else None
        etag = f'"{self.digest}-gzip"' if gzipped else f'"{self.digest}"'
        answer = {
            "cache-control": IMMUTABLE if immutable else REVALIDATE,
            "etag": etag,
            "vary": "Accept-Encoding",
        }
        if etag in headers.get("if-none-match", ""):
            return Response(status_code=304, headers=answer)
        if gzipped:
            answer["content-encoding"] = "gzip"
        return Response(gzipped or self.content, media_type=self.media_type, headers=answer)


class Assets:
    """The files of ``directory``, served by :meth:`serve` under :data:`PREFIX`."""

    def __init__(self, directory: Path) -> None:
        self.files = {
            path.relative_to(directory).as_posix(): Asset.read(path)
            for path in sorted(directory.rglob("*"))
            if path.is_file() and path.suffix
        }
        self.names = {asset.name(plain): plain for plain, asset in self.files.items()}

    def url(self, plain: str) -> str:
        """The file's hashed address; a name that is not a file raises KeyError."""
        return f"{PREFIX}/{self.files[plain].name(plain)}"

    def find(self, name: str) -> tuple[Asset, bool]:
        """The file ``name`` asks for, and whether it names the current content."""
        if name in self.names:
            return self.files[self.names[name]], True
        if name in self.files:
            return self.files[name], False
        hashed = HASHED.fullmatch(name)
        if hashed and (plain := hashed["stem"] + hashed["suffix"]) in self.files:
            return self.files[plain], False
        raise HTTPException(404)

    async def serve(self, request: Request) -> Response:
        asset, immutable = self.find(request.path_params["name"])
        return asset.response(request.headers, immutable=immutable)

    def mount(self) -> Mount:
        return Mount(PREFIX, routes=[Route("/{name:path}", self.serve)], name="static")


@functools.cache
def assets() -> Assets:
    """The package's files, read once."""
    return Assets(STATIC)


def url(plain: str) -> str:
    """``/static/<name>.<hash>.<suffix>`` for the templates."""
    return assets().url(plain)
