"""The mappings shipped with the product, one per sending system, and the
signature scheme each system uses. The README's "Connectors" section gives each
one's setup steps in the sending system; the payloads they assume are there too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: who issues the secret: the sending system (the manager hands it over) or us
SYSTEM_ISSUED = frozenset({"hubspot", "zendesk", "twilio"})
SCHEMES = ("hubspot", "zendesk", "twilio", "salesforce", "custom")


@dataclass(frozen=True)
class Preset:
    name: str
    scheme: str
    mapping: dict[str, Any]


_CHANNELS = {
    "voice": "phone",
    "Phone call": "phone",
    "phone": "phone",
    "chat": "chat",
    "Chat": "chat",
    "sms": "chat",
    "Messaging": "chat",
    "email": "email",
    "Email": "email",
    "Mail": "email",
    "Web form": "web",
    "Web Form": "web",
    "Web service": "web",
}

HUBSPOT = Preset(
    "hubspot",
    "hubspot",
    {
        # A deal-based workflow's "Send a webhook" action sends one deal; the
        # webhooks API batches up to 100 in an array: either is taken.
        "each": "[] || [@]",
        "filter": "dealstage == 'closedwon'",
        "event": {
            "type": {"const": "sale"},
            # A deal is won once: a retried or repeated webhook is a duplicate.
            "id": "join('-', ['hubspot-deal', to_string(hs_object_id)])",
            "ts": "to_ts(closedate)",
            "agent": {"lookup": "hubspot", "from": "to_string(hubspot_owner_id)"},
            "product": {"expr": "dealtype", "default": "deal"},
            "revenue": "amount",
            "currency": "deal_currency_code",
            "channel": {"const": "phone"},
            "customer": "to_string(hs_object_id)",
        },
    },
)

ZENDESK = Preset(
    "zendesk",
    "zendesk",
    {
        "filter": "status == 'solved' || status == 'Solved'",
        "event": {
            "type": {"const": "contact"},
            "id": "join('-', ['zendesk-ticket', to_string(ticket_id), 'solved'])",
            "ts": "to_ts(updated_at)",
            "agent": {"lookup": "zendesk", "from": "to_string(assignee_id)"},
            "channel": {"expr": "via", "map": _CHANNELS, "default": "email"},
            "resolved": {"const": True},
            # Rated good or bad by the customer; otherwise no quality score.
            "quality": {
                "expr": "satisfaction",
                "map": {"good": 100, "Good": 100, "bad": 0, "Bad": 0},
            },
            "referral": {"const": False},
        },
    },
)

SALESFORCE = Preset(
    "salesforce",
    "salesforce",
    {
        "each": "Notification",
        "filter": "sObject.StageName == 'Closed Won'",
        "event": {
            "type": {"const": "sale"},
            "id": "join('-', ['salesforce-opportunity', sObject.Id])",
            "ts": "to_ts(sObject.LastModifiedDate || sObject.CloseDate)",
            "agent": {"lookup": "salesforce", "from": "sObject.OwnerId"},
            "product": {"expr": "sObject.Type", "default": "opportunity"},
            "revenue": "sObject.Amount",
            "channel": {"const": "phone"},
            "customer": "sObject.AccountId",
        },
    },
)

TWILIO = Preset(
    "twilio",
    "twilio",
    {
        # task.completed carries no worker: the reservation the worker completed does.
        "filter": "EventType == 'reservation.completed'",
        "event": {
            "type": {"const": "contact"},
            "id": "join('-', ['twilio-task', TaskSid])",
            "ts": "to_ts(Timestamp)",
            "agent": {"lookup": "twilio", "from": "WorkerSid"},
            "channel": {"expr": "TaskChannelUniqueName", "map": _CHANNELS, "default": "phone"},
            "duration_s": "to_number(TaskAge)",
            "resolved": {"expr": "to_bool(from_json(TaskAttributes).resolved)", "default": True},
            "quality": "to_number(from_json(TaskAttributes).quality)",
            "referral": {"expr": "from_json(TaskAttributes).referral", "default": False},
        },
    },
)

CSV = Preset(
    "csv",
    "custom",
    {
        # One event per row; the columns are the events' fields.
        "each": "@",
        "event": {
            "type": "type",
            "id": "id",
            "ts": "ts",
            "agent": "agent",
            "product": "product",
            "revenue": "revenue",
            "currency": "currency",
            "channel": "channel",
            "quantity": "to_number(quantity)",
            "customer": "customer",
            "sale": "sale",
            "reason": "reason",
            "duration_s": "to_number(duration_s)",
            "resolved": "to_bool(resolved)",
            "quality": "to_number(quality)",
            "referral": "to_number(referral) || to_bool(referral)",
        },
    },
)

PRESETS = {preset.name: preset for preset in (HUBSPOT, ZENDESK, SALESFORCE, TWILIO, CSV)}
