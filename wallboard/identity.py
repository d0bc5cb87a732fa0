"""Who is on the other end of a request or a websocket: the one place that decides.

A caller proves who it is with one of these, tried in this order:

1. ``Authorization: Bearer <token>``: integrations and API clients;
2. ``?token=<token>``: a screen opening its page or its socket (the page then keeps
   the token in an HttpOnly cookie and drops it from the address);
3. a screen page's cookie (``COOKIES``: one for the board, one for the agent's
   widget, so that one desk can hold both);
4. the manager's session cookie (:mod:`wallboard.session`); a state-changing
   request counts it only with the session's CSRF token.

Not every door takes every credential: the API takes 1, 3 and 4, ingest 1 and 4
(and an agent's widget cookie, for its redemptions),
a page 2 and 3 (a token, not a session, opens a screen), the socket 2, 3 and 4.
The roles themselves are ``tokens.ROLES``.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.requests import HTTPConnection, Request

from .errors import ApiError
from .security import SAFE_METHODS
from .services import services
from .session import SESSION_ID, read_session, same_secret
from .store import EventLog, TokenRecord
from .tokens import ROLES, hash_token

#: roles that watch screens and read the API: all but ingest
READERS = frozenset(ROLES) - {"ingest"}
#: the roles whose token opens each kind of page
PAGE_ROLES = {"board": ("display", "manager"), "me": ("agent",)}
#: the cookie each kind of page keeps its token in
COOKIES = {"board": "wallboard_display", "me": "wallboard_agent"}


async def lookup(store: EventLog, token: str | None) -> TokenRecord | None:
    """The live record for ``token``, or None if it is unknown or revoked."""
    if not token or len(token) > 200:
        return None
    token_hash = hash_token(token)
    record = await store.find_token(token_hash)
    if record is None or record.revoked:
        return None
    # The lookup is by hash; compare in constant time all the same.
    return record if same_secret(token_hash, record.hash) else None


def bearer(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def screen_token(connection: HTTPConnection) -> str | None:
    """The token a screen's socket presents: ``?token=``, else its page's cookie
    (the page says which with ``?as=``)."""
    token = connection.query_params.get("token")
    if token:
        return token
    page = connection.query_params.get("as", "board")
    return connection.cookies.get(COOKIES.get(page, COOKIES["board"]))


async def signed_in(connection: HTTPConnection, form_csrf: str | None = None) -> TokenRecord | None:
    """A manager's identity from the session cookie; for a state-changing request
    only when it carries the session's CSRF token (header, or ``form_csrf``)."""
    session = await read_session(connection)
    if session is None:
        return None
    method = connection.scope.get("method", "GET")
    if method not in SAFE_METHODS:
        sent = connection.headers.get("x-csrf-token") or form_csrf or ""
        if not same_secret(sent, session["csrf"]):
            return None
    return TokenRecord(id=SESSION_ID, hash="", role="manager", label=session["u"], created="")


async def identify(
    connection: HTTPConnection, roles: Collection[str] = ROLES
) -> TokenRecord | None:
    """Who ``connection`` is, or None.

    A websocket presents ``screen_token``; a request its bearer header, else a
    screen's cookie (one whose role is in ``roles`` wins over one that is not).
    Either falls back to the manager's session when that finds nobody in ``roles``."""
    store = services(connection).store
    if connection.scope["type"] == "websocket":
        record = await lookup(store, screen_token(connection))
    else:
        record = await lookup(store, bearer(connection))
        if record is None:
            for cookie in COOKIES.values():
                found = await lookup(store, connection.cookies.get(cookie))
                if found is not None and (record is None or found.role in roles):
                    record = found
    if record is None or record.role not in roles:
        record = await signed_in(connection) or record
    return record


async def require(connection: HTTPConnection, roles: Collection[str]) -> TokenRecord:
    """The caller (see ``identify``) if its role is one of ``roles``; 401 or 403
    otherwise."""
    record = await identify(connection, roles)
    if record is None:
        raise ApiError(
            401,
            "expected 'Authorization: Bearer <token>'; the token is missing, unknown or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if record.role not in roles:
        raise ApiError(403, f"a {record.role} token may not read this")
    return record


#: roles that may post events (an agent's token only its own challenges, answers and
#: redemptions: ``wallboard.ingest``)
POSTERS = frozenset({"ingest", "agent", "manager"})


async def require_poster(request: Request) -> TokenRecord:
    """Who posts events: a bearer token, else the manager's session, else an agent's
    widget (its page's cookie: the widget posts its agent's redemptions; a board's
    cookie does not count here); 401 or 403 otherwise."""
    store = services(request).store
    record = await lookup(store, bearer(request)) or await signed_in(request)
    if record is None:
        widget = await lookup(store, request.cookies.get(COOKIES["me"]))
        record = widget if widget is not None and widget.role == "agent" else None
    if record is None:
        raise ApiError(
            401,
            "expected 'Authorization: Bearer <ingest token>'; the token is missing, "
            "unknown or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if record.role not in POSTERS:
        raise ApiError(403, f"a {record.role} token may not post events")
    return record


async def require_page(request: Request, page: str) -> TokenRecord:
    """Who opens a screen's ``page``: ``?token=`` if there is one (only it counts),
    else the page's cookie; 401 saying how to open the page otherwise."""
    roles, store = PAGE_ROLES[page], services(request).store
    token = request.query_params.get("token")
    if token is not None:
        record = await lookup(store, token)
        if record is None or record.role not in roles:
            raise ApiError(
                401, f"this token is unknown, revoked, or not a {' or '.join(roles)} token"
            )
        return record
    record = await lookup(store, request.cookies.get(COOKIES[page]))
    if record is None or record.role not in roles:
        path = "/board" if page == "board" else "/me"
        raise ApiError(401, f"open this page once as {path}?token=<{roles[0]} token>")
    return record
