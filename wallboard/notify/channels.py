"""A notification channel: where messages go, and the secrets to get them there.

Channels live in the store, beside the log and never in it (the log is exported
and shared): a Slack or Teams webhook address is itself a secret, as are an SMTP
password and a webhook's signing key. Nothing here returns a secret in full: the
console sees its last four characters.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass
from typing import Any

import orjson

KINDS = ("slack", "teams", "email", "webhook")
SECURITY = ("starttls", "tls", "none")
#: the fields that hold a secret, per kind
SECRET_FIELDS = {
    "slack": ("url",),
    "teams": ("url",),
    "email": ("password",),
    "webhook": ("secret",),
}
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class ChannelProblem(ValueError):
    """A channel's settings broke the rules: ``problems`` by field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Channel:
    id: str
    kind: str
    name: str
    #: Slack's, Teams' or the webhook's address
    url: str = ""
    #: the webhook's HMAC-SHA256 key
    secret: str = ""
    host: str = ""
    port: int = 0
    security: str = "starttls"
    username: str = ""
    password: str = ""
    sender: str = ""
    recipients: tuple[str, ...] = ()
    #: a certificate (PEM) to trust for an SMTP server's own certificate authority
    ca_pem: str = ""

    def encode(self) -> bytes:
        return orjson.dumps(asdict(self))

    @classmethod
    def decode(cls, data: bytes) -> Channel:
        raw = orjson.loads(data)
        raw["recipients"] = tuple(raw.get("recipients", ()))
        return cls(**raw)

    def public(self) -> dict[str, Any]:
        """The channel as the console sees it: each secret by its last four characters."""
        shown: dict[str, Any] = {"id": self.id, "kind": self.kind, "name": self.name}
        if self.kind == "email":
            shown.update(
                host=self.host,
                port=self.port,
                security=self.security,
                username=self.username,
                sender=self.sender,
                recipients=list(self.recipients),
                ca_pem=bool(self.ca_pem),
            )
        else:
            shown["url"] = self.url
        for name in SECRET_FIELDS[self.kind]:
            shown[name] = masked(getattr(self, name))
        if self.kind in ("slack", "teams"):
            # The address is the secret: its host tells the manager where it points.
            host = self.url.split("/", 3)[:3]
            shown["url"] = "/".join(host) + "/" + masked(self.url)
        return shown


def masked(secret: str) -> str:
    return "…" + secret[-4:] if len(secret) > 8 else ("…" if secret else "")


def parse_channel(body: Any, existing: Channel | None) -> tuple[Channel, str | None]:
    """A channel from a manager's ``body``; secrets it leaves out are kept from
    ``existing``. Also the signing key made for a new webhook, to show once."""
    if not isinstance(body, dict):
        raise ChannelProblem({"channel": "expected a JSON object"})
    problems: dict[str, str] = {}
    channel_id = body.get("id")
    if not (isinstance(channel_id, str) and _ID.fullmatch(channel_id)):
        problems["id"] = "expected 1 to 64 letters, digits, '.', '_' or '-'"
    kind = body.get("kind")
    if kind not in KINDS:
        problems["kind"] = f"expected one of {', '.join(KINDS)}, got {kind!r}"
        raise ChannelProblem(problems)
    keep = existing if existing is not None and existing.kind == kind else None
    name = body.get("name") or channel_id
    if not isinstance(name, str) or len(name) > 100:
        problems["name"] = "expected a name of at most 100 characters"
    fields, made = _kind_fields(str(kind), body, keep, problems)
    if problems:
        raise ChannelProblem(problems)
    return Channel(id=str(channel_id), kind=str(kind), name=str(name), **fields), made


def _kind_fields(
    kind: str, body: dict[str, Any], keep: Channel | None, problems: dict[str, str]
) -> tuple[dict[str, Any], str | None]:
    if kind == "email":
        return _email_fields(body, keep, problems), None
    fields: dict[str, Any] = {"url": _url(body.get("url"), keep.url if keep else "", problems)}
    made = None
    if kind == "webhook":
        secret = body.get("secret") or (keep.secret if keep else "")
        if not secret:
            secret = made = secrets.token_urlsafe(32)
        if not isinstance(secret, str) or len(secret) < 16:
            problems["secret"] = "expected a signing key of at least 16 characters"
        fields["secret"] = secret
    return fields, made


def _url(value: Any, kept: str, problems: dict[str, str]) -> str:
    url = value or kept
    if not (isinstance(url, str) and re.fullmatch(r"https?://[^\s]{3,2000}", url)):
        problems["url"] = "expected the webhook's https:// address"
        return ""
    return url


def _email_fields(
    body: dict[str, Any], keep: Channel | None, problems: dict[str, str]
) -> dict[str, Any]:
    host = body.get("host")
    if not (isinstance(host, str) and 0 < len(host) <= 253 and " " not in host):
        problems["host"] = "expected the SMTP server's host name"
    security = body.get("security", "starttls")
    if security not in SECURITY:
        problems["security"] = f"expected one of {', '.join(SECURITY)}"
    default_port = {"starttls": 587, "tls": 465}.get(str(security), 25)
    port = body.get("port", default_port)
    if not (type(port) is int and 0 < port < 65536):
        problems["port"] = "expected a port from 1 to 65535"
    sender = body.get("sender")
    if not (isinstance(sender, str) and _ADDRESS.fullmatch(sender)):
        problems["sender"] = "expected the sender's e-mail address"
    recipients = body.get("recipients")
    if isinstance(recipients, str):
        recipients = [r.strip() for r in re.split(r"[,;\s]+", recipients) if r.strip()]
    if not (
        isinstance(recipients, list)
        and 0 < len(recipients) <= 50
        and all(isinstance(r, str) and _ADDRESS.fullmatch(r) for r in recipients)
    ):
        problems["recipients"] = "expected 1 to 50 e-mail addresses"
        recipients = []
    username = body.get("username") or ""
    password = body.get("password") or (keep.password if keep and username else "")
    ca_pem = body.get("ca_pem") or (keep.ca_pem if keep else "")
    for name, value in (("username", username), ("password", password), ("ca_pem", ca_pem)):
        if not isinstance(value, str):
            problems[name] = "expected a string"
    if ca_pem and "BEGIN CERTIFICATE" not in str(ca_pem):
        problems["ca_pem"] = "expected a certificate in PEM form (-----BEGIN CERTIFICATE-----)"
    return {
        "host": host,
        "port": port,
        "security": security,
        "username": username,
        "password": password,
        "sender": sender,
        "recipients": tuple(recipients),
        "ca_pem": ca_pem,
    }
