"""A scorer's state as plain JSON-ready data, and back; and its stable hash.

The data is every stored field of the state, its timeline and each feature's
slice, as its codec stores it (``codecs.py``), in one object. ``state_hash`` is
SHA-256 of that object's JSON with sorted keys: two scorers that folded the
same log hash the same, whichever process or backend ran them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from .codecs import stored_fields
from .feature import Feature
from .scorer import FEATURES, Scorer

FORMAT = 1


def to_data(scorer: Scorer, *, sales: bool = True) -> dict[str, Any]:
    """The state as JSON-ready data; without ``sales`` for a caller that encodes
    them, the biggest part by far, piece by piece."""
    data: dict[str, Any] = {"format": FORMAT}
    for name, codec, owner in stored_fields(scorer.state):
        if name in data:
            raise ValueError(f"expected one stored field named {name!r}, got two")
        if name == "sales" and not sales:
            continue
        value = getattr(owner, name)
        if codec.optional and not value:
            continue
        data[name] = codec.dump(value)
    return data


def from_data(data: dict[str, Any], features: Sequence[type[Feature]] = FEATURES) -> Scorer:
    if data.get("format") != FORMAT:
        raise ValueError(f"expected snapshot format {FORMAT}, got {data.get('format')!r}")
    scorer = Scorer(features=features)
    for name, codec, owner in stored_fields(scorer.state):
        if codec.optional and name not in data:
            continue  # empty: the fresh state's default
        setattr(owner, name, codec.load(data[name]))
    return scorer


def state_hash(scorer: Scorer) -> str:
    text = json.dumps(to_data(scorer), sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(text.encode()).hexdigest()
