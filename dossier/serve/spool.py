"""Large results go from a worker to the client through a file, never whole through the main process.

A worker writes a result over ``SPILL_BYTES`` to a file in the pool's spool folder and sends
only its path. The main process opens the file, unlinks it at once (it disappears when the last
reader closes it, whatever happens to the request) and streams it in ``CHUNK`` pieces, each
sent only when the client has taken the one before (the server's flow control). So a client
that stops reading holds at most about one chunk of the main process's memory, not the result;
the write timeout (limits.WriteTimeout) then ends its connection.
"""

from __future__ import annotations

import os
import tempfile

from starlette.responses import Response, StreamingResponse

from .engine import Reply

SPILL_BYTES = 64 * 1024
CHUNK = 64 * 1024


def spill(reply: Reply, folder: str | None) -> Reply:
    """``reply`` with a body over SPILL_BYTES moved to a file in ``folder`` (as is without a folder)."""
    if folder is None or reply.status != 200 or len(reply.body) <= SPILL_BYTES:
        return reply
    fd, path = tempfile.mkstemp(dir=folder, suffix=".result")
    with os.fdopen(fd, "wb") as out:
        out.write(reply.body)
    return Reply(reply.status, reply.content_type, b"", dict(reply.headers), path=path)


class Spooled:
    """A result waiting in a file, already unlinked: read it whole (the server's own pages) or stream it."""

    def __init__(self, path: str):
        self.file = open(path, "rb")
        os.unlink(path)
        self.size = os.fstat(self.file.fileno()).st_size

    def read(self) -> bytes:
        with self.file:
            return self.file.read()

    async def chunks(self):
        with self.file:
            while chunk := self.file.read(CHUNK):
                yield chunk

    def close(self) -> None:
        self.file.close()


def result_body(reply: Reply) -> bytes | Spooled:
    """The body of a worker's reply: bytes, or the spooled file it names."""
    return Spooled(reply.path) if reply.path else reply.body


def as_bytes(body: bytes | Spooled) -> bytes:
    return body.read() if isinstance(body, Spooled) else body


def result_response(content_type: str, body: bytes | Spooled, headers: dict | None = None) -> Response:
    """The HTTP response for a result body; a spooled one is streamed with its length stated."""
    if isinstance(body, Spooled):
        return StreamingResponse(
            body.chunks(), media_type=content_type, headers={**(headers or {}), "Content-Length": str(body.size)}
        )
    return Response(body, media_type=content_type, headers=headers)
