"""A message as an e-mail (plain text and HTML), sent over SMTP.

``smtplib`` blocks: the deliverer runs ``send`` in a worker thread. The
Message-ID comes from the idempotency key, so a message sent twice (at least
once) is the same message to a mail client.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape

from .channels import Channel
from .messages import Message
from .words import word


def compose(
    channel: Channel, message: Message, key: str, now: datetime | None = None
) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = message.title
    mail["From"] = channel.sender
    mail["To"] = ", ".join(channel.recipients)
    mail["Date"] = format_datetime(now or datetime.now(UTC))
    mail["Message-ID"] = f"<{key}@{channel.sender.rpartition('@')[2]}>"
    mail["Content-Language"] = message.language
    facts = "".join(f"\n{label}: {value}" for label, value in message.facts)
    footer = word("footer", message.language)
    mail.set_content(f"{message.text}\n{facts}\n\n-- \n{footer}\n")
    rows = "".join(
        f"<tr><th align=left>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in message.facts
    )
    mail.add_alternative(
        f"<!doctype html><html lang={message.language}><body>"
        f"<h2>{escape(message.title)}</h2><p>{escape(message.text)}</p>"
        + (f"<table>{rows}</table>" if rows else "")
        + f"<p style='color:#777'>{escape(footer)}</p></body></html>",
        subtype="html",
    )
    return mail


def tls_context(channel: Channel) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if channel.ca_pem:
        context.load_verify_locations(cadata=channel.ca_pem)
    return context


def send(channel: Channel, mail: EmailMessage, timeout: float) -> None:
    """Send ``mail`` (blocking); raises on any failure, the server's refusal included."""
    smtp: smtplib.SMTP
    if channel.security == "tls":
        smtp = smtplib.SMTP_SSL(
            channel.host, channel.port, timeout=timeout, context=tls_context(channel)
        )
    else:
        smtp = smtplib.SMTP(channel.host, channel.port, timeout=timeout)
    with smtp:
        if channel.security == "starttls":
            smtp.starttls(context=tls_context(channel))
        if channel.username:
            smtp.login(channel.username, channel.password)
        smtp.send_message(mail)
