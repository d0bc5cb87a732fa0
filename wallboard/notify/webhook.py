"""A message as the generic webhook's JSON, signed with HMAC-SHA256.

The receiver checks ``X-Wallboard-Signature: sha256=<hex>``, the HMAC-SHA256 of
the raw body under the channel's key, and de-duplicates by ``Idempotency-Key``
(the same in every attempt: delivery is at least once).
"""

from __future__ import annotations

import hashlib
import hmac

import orjson

from .messages import Message

SIGNATURE = "X-Wallboard-Signature"
IDEMPOTENCY = "Idempotency-Key"


def body(message: Message, key: str, rule: str) -> bytes:
    return orjson.dumps(
        {
            "id": key,
            "rule": rule,
            "kind": message.kind,
            "language": message.language,
            "title": message.title,
            "text": message.text,
            "facts": [{"label": label, "value": value} for label, value in message.facts],
        }
    )


def signature(secret: str, raw: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def headers(secret: str, raw: bytes, key: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        SIGNATURE: signature(secret, raw),
        IDEMPOTENCY: key,
    }
