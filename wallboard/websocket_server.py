"""uvicorn's websocket connection, answering a client's malformed message with a
close code rather than an error in the log.

A text message that is not UTF-8 is the client's mistake: RFC 6455 closes the
connection with 1007. uvicorn does close it, but logs the decoding error at ERROR
with a traceback (and, when the client's close came in the same read, a second
one from asyncio); a client could fill the log at will. This subclass checks the
text first, closes with 1007 and says so at debug level. Everything else, frames
written straight to the transport included (:mod:`wallboard.wire`), is uvicorn's.
"""

from __future__ import annotations

import logging

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

log = logging.getLogger(__name__)

#: RFC 6455: a message's data is not consistent with its type (text that is not UTF-8)
CLOSE_INVALID_DATA = 1007


class ServerProtocol(WebSocketsSansIOProtocol):
    def send_receive_event_to_app(self) -> None:
        if self.curr_msg_data_type == "text" and not self.close_sent:
            try:
                b"".join(self.frames).decode()
            except UnicodeDecodeError:
                self.frames = []
                log.debug("closing a websocket from %s that sent invalid UTF-8", self.client)
                if self.conn.close_sent is None:
                    self.conn.send_close(CLOSE_INVALID_DATA, "expected UTF-8 text")
                self.handle_parser_exception()
                return
        super().send_receive_event_to_app()
