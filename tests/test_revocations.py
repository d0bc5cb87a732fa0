"""Revoking a token closes the screens that hold it; the others carry on."""

from __future__ import annotations

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.helpers import running, sale
from tests.test_api_scoring import setup
from tests.test_push import connect, frames, now, subscribe
from wallboard.revocations import close_revoked
from wallboard.tokens import hash_token


def test_a_revoked_tokens_open_screens_are_closed_and_cannot_come_back() -> None:
    with running() as app:
        setup(app)
        app.settle()
        publisher = app.services.publisher
        with connect(app, "display") as board, connect(app, "agent") as widget:
            subscribe(board, "board")
            subscribe(widget, "agent:a-1")
            frames(board, 1)
            frames(widget, 1)
            # Nothing revoked: a round closes nothing.
            assert app.call(close_revoked, publisher, app.store) == 0

            token_id = hash_token(app.tokens["display"])[:12]
            assert app.call(app.store.revoke_token, token_id)
            assert app.call(close_revoked, publisher, app.store) == 1
            with pytest.raises(WebSocketDisconnect) as closed:
                frames(board, 1)
            assert closed.value.code == 4401

            # The agent's widget, on another token, still gets its updates.
            app.post(sale("s-1", agent="a-1", revenue="100.00", ts=now()))
            app.settle()
            [update] = frames(widget, 1)
            assert update["type"] == "update"

        with pytest.raises(WebSocketDisconnect) as refused, connect(app, "display") as again:
            again.receive_text()
        assert refused.value.code == 4401
