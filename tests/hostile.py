"""The corpus of hostile strings: what an integration, a manager or an agent might
send by mistake or on purpose, in any name field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hostile:
    key: str
    value: str
    #: what the refusal names (a code point, "only whitespace"), None if the string is fine
    refused: str | None = None


CORPUS = (
    Hostile("script", "<script>alert(1)</script>"),
    Hostile("img", "<img src=x onerror=alert(2)>"),
    Hostile("svg", '"><svg onload=alert(3)>'),
    Hostile("javascript-url", "javascript:alert(4)"),
    Hostile("template", "{{7*7}} ${7*7} <%= 7*7 %>"),
    Hostile("entity", "Tom &amp; Jerry &lt;b&gt;"),
    Hostile("nul", "Anna\x00Berg", refused="U+0000"),
    Hostile("escape", "Anna\x1b[2J", refused="U+001B"),
    Hostile("next-line", "Anna\x85Berg", refused="U+0085"),
    Hostile("right-to-left-override", "Anna\u202egreB", refused="U+202E"),
    Hostile("isolate", "\u2066Anna\u2069", refused="U+2066"),
    Hostile("zero-width-joiner", "👩\u200d💻 Dev\u200dOps"),
    Hostile("astral", "🦄 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🀄"),
    Hostile("combining", "Ze\u0301ro Z\u0338\u0322\u0354a\u0334l\u0337g\u0336o"),
    Hostile("huge", "x" * 100_000),
    Hostile("empty", ""),
    Hostile("blank", " \t ", refused="only whitespace"),
    Hostile("zero-width", "\u200b\u200c\u200d\u2060", refused="only invisible characters"),
    Hostile("hangul-filler", "\u3164\u3164", refused="only invisible characters"),
    Hostile("marks-only", "\u0301\u0338", refused="only invisible characters"),
    Hostile("byte-order-mark", "\ufeff", refused="only invisible characters"),
)
ACCEPTED = [h for h in CORPUS if h.refused is None and 0 < len(h.value) <= 40]
