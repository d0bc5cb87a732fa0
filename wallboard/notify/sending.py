"""One attempt at sending one message to one channel, in the channel's format.

HTTP goes through one shared ``httpx.AsyncClient`` (asynchronous: a slow
receiver holds no thread); SMTP through ``smtplib`` in a worker thread. Any
failure is a ``SendFailed`` that says what the receiver did, for the console.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from typing import Any

import httpx
import orjson

from . import mail, slack, teams, webhook
from .channels import Channel
from .messages import Message


class SendFailed(Exception):
    """An attempt failed: the receiver refused, answered an error, or is not there."""


class Sender:
    def __init__(self, client: httpx.AsyncClient, timeout: float) -> None:
        self.client = client
        self.timeout = timeout

    async def send(self, channel: Channel, message: Message, key: str, rule: str) -> None:
        if channel.kind == "email":
            composed = mail.compose(channel, message, key)
            try:
                await asyncio.to_thread(mail.send, channel, composed, self.timeout)
            except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
                raise SendFailed(f"SMTP {channel.host}:{channel.port}: {exc}") from exc
            return
        if channel.kind == "webhook":
            raw = webhook.body(message, key, rule)
            await self._post(channel.url, raw, webhook.headers(channel.secret, raw, key))
            return
        shaped: dict[str, Any] = (
            slack.payload(message) if channel.kind == "slack" else teams.payload(message)
        )
        await self._post(channel.url, orjson.dumps(shaped), {"Content-Type": "application/json"})

    async def _post(self, url: str, raw: bytes, headers: dict[str, str]) -> None:
        try:
            answer = await self.client.post(url, content=raw, headers=headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise SendFailed(f"{type(exc).__name__}: {exc}"[:300] or type(exc).__name__) from exc
        if not answer.is_success:
            raise SendFailed(f"HTTP {answer.status_code}: {answer.text[:200]}")
