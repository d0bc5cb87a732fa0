"""A message as a Slack incoming webhook's JSON.

Slack's incoming webhooks take ``text`` and Block Kit ``blocks``; with blocks,
``text`` is the fallback shown in notifications
(https://api.slack.com/messaging/webhooks, "Sending messages using incoming
webhooks"; header and section blocks: https://api.slack.com/reference/block-kit/blocks).
"""

from __future__ import annotations

from typing import Any

from .messages import Message
from .words import word


def escape(text: str) -> str:
    """Slack's mrkdwn control characters, as its docs ask: &, <, >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def payload(message: Message) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        # A header block's text is plain_text of at most 150 characters.
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": escape(message.text)}},
    ]
    if message.facts:
        # A section holds at most 10 fields.
        fields = [
            {"type": "mrkdwn", "text": f"*{escape(label)}*\n{escape(value)}"}
            for label, value in message.facts[:10]
        ]
        blocks.append({"type": "section", "fields": fields})
    footer = {"type": "mrkdwn", "text": escape(word("footer", message.language))}
    blocks.append({"type": "context", "elements": [footer]})
    return {"text": f"{message.title}: {message.text}", "blocks": blocks}
