"""Each sending system's own way of proving a request is its own, over the raw body.

A refusal (``SignatureRefused``) is a 401 that says what was wrong, never which
signature was expected. Comparisons take constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping, Sequence
from datetime import datetime

#: how far a signed timestamp may be from the server's clock (HubSpot's own limit)
MAX_AGE_SECONDS = 300
CUSTOM_HEADER = "x-wallboard-signature"
CUSTOM_TIMESTAMP = "x-wallboard-timestamp"


class SignatureRefused(Exception):
    """The request is not proven to come from the connector's system."""


def _equal(sent: str, expected: str) -> bool:
    return hmac.compare_digest(sent.encode(), expected.encode())


def _b64_hmac(secret: str, message: bytes, digest: str) -> str:
    return base64.b64encode(hmac.new(secret.encode(), message, digest).digest()).decode()


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if not value:
        raise SignatureRefused(f"expected the {name} header")
    return value


def _fresh(epoch_seconds: float, now: datetime, header: str) -> None:
    if abs(now.timestamp() - epoch_seconds) > MAX_AGE_SECONDS:
        raise SignatureRefused(
            f"{header} is more than {MAX_AGE_SECONDS // 60} minutes from the server's clock: "
            "a replayed request, or a clock that is wrong"
        )


# HubSpot decodes these in the URI before signing (its "Validate the v3 request
# signature" steps).
_HUBSPOT_DECODED = {
    "%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$", "%27": "'",
    "%28": "(", "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";",
}  # fmt: skip


def hubspot_v3(
    secret: str, method: str, url: str, body: bytes, headers: Mapping[str, str], now: datetime
) -> None:
    """HubSpot's v3 signature: base64 HMAC-SHA256, keyed with the app's client
    secret, of method + URI + body + X-HubSpot-Request-Timestamp (epoch ms), refused
    when the timestamp is more than 5 minutes old.
    https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
    """
    sent = _header(headers, "x-hubspot-signature-v3")
    stamp = _header(headers, "x-hubspot-request-timestamp")
    if not stamp.isascii() or not stamp.isdigit():
        raise SignatureRefused("expected X-HubSpot-Request-Timestamp in epoch milliseconds")
    _fresh(int(stamp) / 1000, now, "X-HubSpot-Request-Timestamp")
    for encoded, plain in _HUBSPOT_DECODED.items():
        url = url.replace(encoded, plain).replace(encoded.lower(), plain)
    message = method.encode() + url.encode() + body + stamp.encode()
    if not _equal(sent, _b64_hmac(secret, message, "sha256")):
        raise SignatureRefused("X-HubSpot-Signature-v3 does not match the body and secret")


def zendesk(secret: str, body: bytes, headers: Mapping[str, str], now: datetime) -> None:
    """Zendesk's webhook signature: base64 HMAC-SHA256, keyed with the webhook's
    signing secret, of X-Zendesk-Webhook-Signature-Timestamp + body.
    https://developer.zendesk.com/documentation/webhooks/verifying/
    """
    sent = _header(headers, "x-zendesk-webhook-signature")
    stamp = _header(headers, "x-zendesk-webhook-signature-timestamp")
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise SignatureRefused(
            "expected X-Zendesk-Webhook-Signature-Timestamp as an ISO 8601 time"
        ) from None
    if moment.tzinfo is None:
        raise SignatureRefused("expected X-Zendesk-Webhook-Signature-Timestamp with its offset")
    _fresh(moment.timestamp(), now, "X-Zendesk-Webhook-Signature-Timestamp")
    if not _equal(sent, _b64_hmac(secret, stamp.encode() + body, "sha256")):
        raise SignatureRefused("X-Zendesk-Webhook-Signature does not match the body and secret")


def twilio(
    secret: str, url: str, form: Sequence[tuple[str, str]], headers: Mapping[str, str]
) -> None:
    """Twilio's request signature: base64 HMAC-SHA1, keyed with the account's auth
    token, of the full URL Twilio called followed by each POST field's name and
    value, sorted by name. Twilio sends no timestamp: a replay is a duplicate.
    https://www.twilio.com/docs/usage/webhooks/webhooks-security
    """
    sent = _header(headers, "x-twilio-signature")
    message = url + "".join(name + value for name, value in sorted(form))
    if not _equal(sent, _b64_hmac(secret, message.encode(), "sha1")):
        raise SignatureRefused("X-Twilio-Signature does not match the URL, fields and auth token")


def query_secret(secret: str, sent: str | None) -> None:
    """Salesforce's outbound messages carry no signature (its documented options are
    an IP allowlist, a client certificate, and what the endpoint URL and the
    message hold); the endpoint URL holds the connector's secret (``?secret=``),
    sent over TLS, and ``hooks`` checks the message's OrganizationId when told one.
    https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_setting_up.htm
    """
    if not sent:
        raise SignatureRefused("expected ?secret= in the URL, as the outbound message's endpoint")
    if not _equal(sent, secret):
        raise SignatureRefused("the URL's secret is not this connector's")


def custom(secret: str, body: bytes, headers: Mapping[str, str], now: datetime) -> None:
    """``X-Wallboard-Signature: sha256=<hex HMAC-SHA256>`` of the raw body, keyed with
    the connector's secret; with ``X-Wallboard-Timestamp`` (epoch seconds) the HMAC
    is of ``<timestamp>.<body>`` and a timestamp over 5 minutes off is refused."""
    sent = _header(headers, CUSTOM_HEADER)
    scheme, _, digest = sent.partition("=")
    if scheme.strip().lower() != "sha256" or not digest:
        raise SignatureRefused("expected X-Wallboard-Signature: sha256=<hex HMAC-SHA256>")
    message = body
    stamp = headers.get(CUSTOM_TIMESTAMP)
    if stamp is not None:
        if not stamp.isascii() or not stamp.isdigit():
            raise SignatureRefused("expected X-Wallboard-Timestamp in epoch seconds")
        _fresh(int(stamp), now, "X-Wallboard-Timestamp")
        message = stamp.encode() + b"." + body
    expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    if not _equal(digest.strip().lower(), expected):
        raise SignatureRefused("X-Wallboard-Signature does not match the body and secret")


def sign_custom(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """The headers a sender of the custom scheme adds (the folder importer, tests)."""
    message = body if timestamp is None else f"{timestamp}.".encode() + body
    headers = {
        "X-Wallboard-Signature": "sha256="
        + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    }
    if timestamp is not None:
        headers["X-Wallboard-Timestamp"] = str(timestamp)
    return headers
