"""``POST /hooks/{connector}``: a sending system's own payload, proven by its own
signature, recorded before it is mapped.

In order: 404 no such connector; 413 a body over 1 MiB; 401 a signature that is
missing, wrong or stale (the message says which); 415 a content type no
connector reads; 400 a body that is not what its content type says. Then the
payload is recorded durably, and only then acknowledged: 200 with what its
mapping stored (or why it became a dead letter, which the 200 does not undo:
the payload is kept for a replay). A Salesforce outbound message is answered
with the SOAP acknowledgement Salesforce waits for.
"""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from scoring.log import format_ts

from ..errors import ApiError
from ..ingest import read_body
from ..services import services
from ..store import InboxEntry
from . import payloads, signatures
from .intake import deliver
from .model import Connector, find

#: Salesforce's outbound messaging WSDL: notificationsResponse with Ack true, or it
#: sends the message again.
#: https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm
SOAP_ACK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
    b"<soapenv:Body>"
    b'<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">'
    b"<Ack>true</Ack></notificationsResponse>"
    b"</soapenv:Body></soapenv:Envelope>"
)


def signed_url(request: Request) -> str:
    """The URL the sender called, as it signs it: ``WALLBOARD_PUBLIC_URL`` with the
    request's path and query, else the URL the request names."""
    public = services(request).settings.public_url
    if not public:
        return str(request.url)
    query = request.url.query
    return public + request.url.path + (f"?{query}" if query else "")


def check_signature(connector: Connector, request: Request, body: bytes, now: datetime) -> None:
    """401 unless ``body`` is proven to come from the connector's system."""
    headers, secret = request.headers, connector.secret
    try:
        if connector.scheme == "hubspot":
            signatures.hubspot_v3(secret, request.method, signed_url(request), body, headers, now)
        elif connector.scheme == "zendesk":
            signatures.zendesk(secret, body, headers, now)
        elif connector.scheme == "twilio":
            signatures.twilio(secret, signed_url(request), payloads.form_pairs(body), headers)
        elif connector.scheme == "salesforce":
            signatures.query_secret(secret, request.query_params.get("secret"))
        else:
            signatures.custom(secret, body, headers, now)
    except signatures.SignatureRefused as refused:
        raise ApiError(401, f"connector {connector.name}: {refused}") from None
    except ApiError as error:  # a form body that is not UTF-8
        raise ApiError(400, error.message) from None


def _check_organization(connector: Connector, document: object) -> None:
    expected = connector.organization_id
    if expected is None:
        return
    sent = document.get("OrganizationId") if isinstance(document, dict) else None
    if not isinstance(sent, str) or sent[:15] != expected[:15]:
        raise ApiError(
            401, f"connector {connector.name}: the outbound message is from another organization"
        )


async def receive(request: Request) -> Response:
    try:
        return await _receive(request)
    except ApiError as error:
        # counted with ingest's refusals, by status, in /metrics
        services(request).metrics.reject(error.status)
        raise


async def _receive(request: Request) -> Response:
    app = services(request)
    connector = await find(app.store, request.path_params["connector"])
    body = await read_body(request)
    now = app.clock()
    check_signature(connector, request, body, now)
    content_type = payloads.media_type(request.headers.get("content-type"))
    document = payloads.parse(content_type, body)  # 400/415 before anything is kept
    if connector.scheme == "salesforce":
        _check_organization(connector, document)
    mapping = connector.compiled()
    received = format_ts(now)
    seq = await app.store.record_payload(connector.name, received, content_type, body)
    entry = InboxEntry(seq, received, content_type, body)
    outcome = await deliver(app, connector, mapping, entry, document=document)
    if connector.scheme == "salesforce":
        return Response(SOAP_ACK, media_type="text/xml; charset=utf-8")
    answer = {
        "received": seq,
        "accepted": outcome.accepted,
        "duplicates": outcome.duplicates,
        "dead_letter": outcome.failed,
    }
    return JSONResponse(answer)
