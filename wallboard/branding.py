"""The company on its boards: name, logo, accent colour and theme, from the settings.

A logo given as a file is read once, when the app is made, and served by the
server itself under a name that carries its content's hash (``/brand/logo.<hash>.png``),
so a screen on a network without internet shows it, and fetches it once per change.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .assets import IMMUTABLE
from .errors import ApiError
from .settings import LOGO_TYPES, Settings

#: the largest logo file the server serves (a TV loads it with the board)
MAX_LOGO_BYTES = 1 << 20
PREFIX = "/brand/logo"


@dataclass(frozen=True, slots=True)
class LogoFile:
    content: bytes
    media_type: str
    #: the address pages load it from
    url: str

    @classmethod
    def read(cls, path: Path) -> LogoFile:
        content = path.read_bytes()
        if len(content) > MAX_LOGO_BYTES:
            raise ValueError(
                f"WALLBOARD_LOGO: expected an image of at most {MAX_LOGO_BYTES:,} bytes, "
                f"got {len(content):,} in {path}"
            )
        suffix = path.suffix.lower()
        digest = hashlib.sha256(content).hexdigest()[:8]
        return cls(content, LOGO_TYPES[suffix], f"{PREFIX}.{digest}{suffix}")


@dataclass(frozen=True, slots=True)
class Brand:
    company: str
    #: where a page loads the logo from; "" for none
    logo: str
    accent: str
    #: black or white, whichever reads better on the accent colour
    on_accent: str
    theme: str
    file: LogoFile | None = None

    @classmethod
    def of(cls, settings: Settings) -> Brand:
        """The brand the settings describe; a logo file is read here (too large: a
        ValueError naming the setting, raised when the app is made)."""
        file = None
        logo = settings.logo
        if logo and not logo.startswith("https://"):
            file = LogoFile.read(Path(logo))
            logo = file.url
        return cls(
            company=settings.company.strip(),
            logo=logo,
            accent=settings.accent,
            on_accent=readable_on(settings.accent),
            theme=settings.theme,
            file=file,
        )

    def title(self, site: str | None) -> str:
        """A page's title: the company, and the site for a site's board."""
        return " · ".join(part for part in (self.company, site or "") if part) or "Wallboard"

    def route(self) -> Route:
        async def serve(request: Request) -> Response:
            if self.file is None or request.url.path != self.file.url:
                raise ApiError(404, "no such logo: the board names its logo's current address")
            return Response(
                self.file.content,
                media_type=self.file.media_type,
                headers={"cache-control": IMMUTABLE},
            )

        return Route(PREFIX + ".{name}", serve)


def readable_on(colour: str) -> str:
    """``#000000`` or ``#ffffff``, whichever contrasts more with ``colour`` (WCAG's
    relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with black is (L + 0.05) / 0.05, with white 1.05 / (L + 0.05).
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


@functools.lru_cache(maxsize=8)
def brand(settings: Settings) -> Brand:
    """The settings' brand, made once per settings (the logo file read once)."""
    return Brand.of(settings)
