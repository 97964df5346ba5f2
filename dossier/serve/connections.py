"""Limits on client connections, enforced below the application, in the HTTP protocol itself.

uvicorn's HTTP/1.1 protocol (h11) bounds the size of a request's line and headers (the server
passes ``Settings.header_bytes``; 400 beyond), but not how long a client may take to send them,
how long it may leave a response unread, nor how many connections it may open: a client
trickling header bytes over hundreds of connections held about 1 MiB each for as long as it
liked, and one that never read its response kept it in memory. ``guarded_protocol`` returns the
h11 protocol with three more rules:

- at most ``max_connections`` open connections; one more is closed at once;
- ``read_timeout`` seconds from a request's first byte (or from connecting) until it has been
  received whole, headers and body; then 408 and the connection is closed;
- ``write_timeout`` seconds that the response may stay blocked on a client that does not read
  (the transport's buffer full); then the connection is dropped, and what it held is freed.
"""

from __future__ import annotations

import logging

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("dossier.serve")

#: The client's side of h11's state machine while a request is still being received.
_RECEIVING = (h11.IDLE, h11.SEND_BODY)
_MESSAGE = b"the request was not sent in time\n"
_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain\r\ncontent-length: %d\r\nconnection: close\r\n\r\n%s"
    % (len(_MESSAGE), _MESSAGE)
)


def guarded_protocol(read_timeout: float, write_timeout: float, max_connections: int) -> type:
    """uvicorn's h11 protocol class with a read deadline, a write timeout and a connection cap."""

    class GuardedH11Protocol(H11Protocol):
        _read_deadline = None
        _write_deadline = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            if len(self.connections) > max_connections:
                transport.abort()
                return
            self._read_deadline = self.loop.call_later(read_timeout, self._read_too_slow)

        def data_received(self, data: bytes) -> None:
            if self._read_deadline is None and self.conn.their_state is h11.IDLE:
                # the first byte of a next request on a kept-alive connection
                self._read_deadline = self.loop.call_later(read_timeout, self._read_too_slow)
            super().data_received(data)
            if self.conn.their_state not in _RECEIVING:
                self._cancel_read_deadline()

        def pause_writing(self) -> None:
            super().pause_writing()
            if self._write_deadline is None:
                self._write_deadline = self.loop.call_later(write_timeout, self._not_reading)

        def resume_writing(self) -> None:
            super().resume_writing()
            if self._write_deadline is not None:
                self._write_deadline.cancel()
                self._write_deadline = None

        def connection_lost(self, exc) -> None:
            self._cancel_read_deadline()
            if self._write_deadline is not None:
                self._write_deadline.cancel()
                self._write_deadline = None
            super().connection_lost(exc)

        def _cancel_read_deadline(self) -> None:
            if self._read_deadline is not None:
                self._read_deadline.cancel()
                self._read_deadline = None

        def _read_too_slow(self) -> None:
            self._read_deadline = None
            if self.conn.their_state in _RECEIVING and not self.transport.is_closing():
                if self.conn.our_state is h11.IDLE:
                    self.transport.write(_TIMED_OUT)
                self.transport.close()

        def _not_reading(self) -> None:
            self._write_deadline = None
            log.warning("dropped a connection from %s: it read nothing of its response for %g s", (self.client or ("?",))[0], write_timeout)
            self.transport.abort()

    return GuardedH11Protocol
