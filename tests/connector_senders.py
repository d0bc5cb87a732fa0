"""The sending systems as the tests play them: payloads in each system's
documented format, signed the way each system documents its signature (written
here from the systems' documentation, apart from the product's own code)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import orjson

HUBSPOT_SECRET = "hubspot-client-secret-0001"
ZENDESK_SECRET = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
TWILIO_TOKEN = "twilio-auth-token-0001"


def moment(minutes_ago: int = 60) -> datetime:
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).replace(microsecond=0)


def iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def roster(ts: str | None = None) -> list[dict[str, Any]]:
    """A site, a team and two agents with their ids in each system."""
    ts = ts or iso(moment(24 * 60))
    return [
        {"id": "site-ber", "type": "site", "ts": ts, "site": "ber", "name": "Berlin"},
        {"id": "team-1", "type": "team", "ts": ts, "team": "t-1", "name": "Spree", "site": "ber"},
        {
            "id": "agent-a-1",
            "type": "agent",
            "ts": ts,
            "agent": "a-1",
            "name": "Anna Berg",
            "team": "t-1",
            "site": "ber",
            "external_ids": {
                "hubspot": "512",
                "zendesk": "90210",
                "salesforce": "0058d000001AbCdAAK",
                "twilio": "WK0123456789abcdef0123456789abcdef",
            },
        },
        {
            "id": "agent-a-2",
            "type": "agent",
            "ts": ts,
            "agent": "a-2",
            "name": "Ben Ohl",
            "team": "t-1",
            "site": "ber",
            "external_ids": {"hubspot": "513"},
        },
    ]


# HubSpot ----------------------------------------------------------------------


def hubspot_deal(
    deal: int, owner: str = "512", stage: str = "closedwon", **props: Any
) -> dict[str, Any]:
    """A deal-based workflow's "Send a webhook" body with the properties the preset
    reads (the README's HubSpot steps); dates in epoch milliseconds, as HubSpot
    writes them."""
    closed = props.pop("closed", moment(30))
    return {
        "hs_object_id": deal,
        "dealname": f"Fibre 1000 - deal {deal}",
        "dealstage": stage,
        "amount": "1499.00",
        "hubspot_owner_id": owner,
        "closedate": str(int(closed.timestamp() * 1000)),
        "pipeline": "default",
        **props,
    }


def hubspot_headers(
    url: str, body: bytes, method: str = "POST", stamp: int | None = None
) -> dict[str, str]:
    """X-HubSpot-Signature-v3: base64 HMAC-SHA256 of method + URI + body + timestamp."""
    stamp = stamp if stamp is not None else int(time.time() * 1000)
    source = method.encode() + url.encode() + body + str(stamp).encode()
    digest = hmac.new(HUBSPOT_SECRET.encode(), source, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-v3": base64.b64encode(digest).decode(),
        "X-HubSpot-Request-Timestamp": str(stamp),
    }


# Zendesk ----------------------------------------------------------------------


def zendesk_ticket(
    ticket: int, status: str = "Solved", assignee: str = "90210", **more: Any
) -> dict[str, Any]:
    """The JSON body the README's Zendesk trigger sends, its placeholders filled in."""
    return {
        "ticket_id": str(ticket),
        "status": status,
        "assignee_id": assignee,
        "via": "Phone call",
        "updated_at": iso(more.pop("updated", moment(20))),
        "satisfaction": "Good",
        **more,
    }


def zendesk_headers(body: bytes, stamp: str | None = None) -> dict[str, str]:
    """X-Zendesk-Webhook-Signature: base64(HMAC-SHA256(timestamp + body))."""
    stamp = stamp or iso(datetime.now(UTC).replace(microsecond=0))
    digest = hmac.new(ZENDESK_SECRET.encode(), stamp.encode() + body, hashlib.sha256).digest()
    return {
        "Content-Type": "application/json",
        "X-Zendesk-Webhook-Signature": base64.b64encode(digest).decode(),
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
    }


# Twilio TaskRouter ------------------------------------------------------------


def twilio_event(task: str, event: str = "reservation.completed", age: int = 312) -> dict[str, str]:
    """A TaskRouter event callback's form fields."""
    return {
        "AccountSid": "AC0123456789abcdef0123456789abcdef",
        "WorkspaceSid": "WS0123456789abcdef0123456789abcdef",
        "EventType": event,
        "EventDescription": f"Reservation completed for task {task}",
        "ResourceType": "reservation",
        "ResourceSid": "WR0123456789abcdef0123456789abcdef",
        "Timestamp": str(int(moment(10).timestamp())),
        "TaskSid": task,
        "TaskAge": str(age),
        "TaskChannelUniqueName": "voice",
        "TaskAttributes": orjson.dumps(
            {"type": "support", "resolved": True, "quality": 92}
        ).decode(),
        "WorkerSid": "WK0123456789abcdef0123456789abcdef",
        "WorkerName": "Anna Berg",
    }


def twilio_request(url: str, fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The form body and X-Twilio-Signature: base64 HMAC-SHA1 of the URL and the
    fields sorted by name."""
    message = url + "".join(k + v for k, v in sorted(fields.items()))
    digest = hmac.new(TWILIO_TOKEN.encode(), message.encode(), hashlib.sha1).digest()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": base64.b64encode(digest).decode(),
    }
    return urlencode(fields).encode(), headers


# Salesforce outbound messages -------------------------------------------------

ORGANIZATION = "00D8d000000AbCdEAM"


def salesforce_message(
    opportunities: list[tuple[str, str, str]], organization: str = ORGANIZATION
) -> bytes:
    """An outbound message (SOAP) of Opportunity notifications: (id, stage, amount)."""
    notifications = "".join(
        f"""<Notification><Id>04l8d000000{n:07d}AAA</Id>
<sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
<sf:Id>{opportunity}</sf:Id><sf:AccountId>0018d000003XyZaAAC</sf:AccountId>
<sf:Amount>{amount}</sf:Amount><sf:CloseDate>{moment(0).date().isoformat()}</sf:CloseDate>
<sf:LastModifiedDate>{iso(moment(15)).replace("Z", ".000Z")}</sf:LastModifiedDate>
<sf:OwnerId>0058d000001AbCdAAK</sf:OwnerId><sf:StageName>{stage}</sf:StageName>
<sf:Type>New Customer</sf:Type></sObject></Notification>"""
        for n, (opportunity, stage, amount) in enumerate(opportunities)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body><notifications xmlns="http://soap.sforce.com/2005/09/outbound">
<OrganizationId>{organization}</OrganizationId><ActionId>04k8d000000AbCdAAK</ActionId>
<SessionId xsi:nil="true"/>
<EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/58.0/00D8d000000AbCd</EnterpriseUrl>
<PartnerUrl>https://example.my.salesforce.com/services/Soap/u/58.0/00D8d000000AbCd</PartnerUrl>
{notifications}</notifications></soapenv:Body></soapenv:Envelope>""".encode()


# The custom scheme --------------------------------------------------------------


def custom_headers(
    secret: str, body: bytes, content_type: str = "application/json", stamp: int | None = None
) -> dict[str, str]:
    """X-Wallboard-Signature: sha256=<hex HMAC-SHA256 of the body> (of
    "<timestamp>.<body>" with X-Wallboard-Timestamp)."""
    message = body if stamp is None else f"{stamp}.".encode() + body
    headers = {
        "Content-Type": content_type,
        "X-Wallboard-Signature": "sha256="
        + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest(),
    }
    if stamp is not None:
        headers["X-Wallboard-Timestamp"] = str(stamp)
    return headers
