"""A message as an Adaptive Card for a Microsoft Teams workflow webhook.

Teams' workflow ("Post to a channel when a webhook request is received", Power
Automate) takes a ``message`` whose ``attachments`` hold one card of content type
``application/vnd.microsoft.card.adaptive`` (https://learn.microsoft.com/en-us/
microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook, and
the Adaptive Card schema at https://adaptivecards.io/explorer/). Version 1.4 is
the newest that Teams renders everywhere, mobile included.
"""

from __future__ import annotations

from typing import Any

from .messages import Message
from .words import word

CARD = "application/vnd.microsoft.card.adaptive"


def card(message: Message) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "size": "Large",
            "weight": "Bolder",
            "wrap": True,
        },
        {"type": "TextBlock", "text": message.text, "wrap": True},
    ]
    if message.facts:
        facts = [{"title": label, "value": value} for label, value in message.facts]
        body.append({"type": "FactSet", "facts": facts})
    footer = word("footer", message.language)
    body.append({"type": "TextBlock", "text": footer, "isSubtle": True, "size": "Small"})
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "lang": message.language,
        "body": body,
    }


def payload(message: Message) -> dict[str, Any]:
    return {
        "type": "message",
        "attachments": [{"contentType": CARD, "contentUrl": None, "content": card(message)}],
    }
