"""The one interface between the HTTP side and whatever runs SPARQL: ``run_query``.

Everything the server shows (the endpoint, the entity and source pages, the service
description) goes through ``QueryBackend.run_query``, so the embedded Oxigraph pool can be
swapped for another store (for example a remote SPARQL endpoint) by writing one class.
"""

from __future__ import annotations

import json
from typing import Protocol

from .engine import Reply, Request
from .settings import Settings
from .spool import Spooled, as_bytes, result_body
from .swap import StoreSwitch
from .workers import Busy, WorkerPool


class QueryFailed(Exception):
    """A query was not answered with 200: carries the HTTP status, headers and JSON body for the client."""

    def __init__(self, reply: Reply):
        super().__init__(reply.body.decode("utf-8", "replace"))
        self.reply = reply


class QueryBackend(Protocol):
    """Runs read-only SPARQL queries under the server's limits."""

    async def run_query(
        self,
        query: str,
        accept: str | None,
        timeout: float,
        default_graphs: tuple[str, ...] = (),
        named_graphs: tuple[str, ...] = (),
    ) -> tuple[str, bytes | Spooled]:
        """(Content-Type, body) of the result; raises QueryFailed with the reply to send otherwise.

        A large body may come as a Spooled file: spool.result_response streams it, spool.as_bytes reads it.
        """
        ...

    def status(self) -> dict:
        """A small JSON-able summary for /health."""
        ...


class LocalBackend:
    """The embedded store: worker processes on an on-disk Oxigraph store built from graph/, switched when graph/ is rebuilt."""

    name = "embedded Oxigraph (pyoxigraph), one on-disk store opened read-only by every worker process"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.stores = StoreSwitch(settings)

    @property
    def pool(self) -> WorkerPool:
        """The pool on the current store; a query that started on the previous one finishes there."""
        return self.stores.pool

    async def start(self) -> None:
        await self.stores.start()

    async def close(self) -> None:
        await self.stores.close()

    @property
    def network(self) -> str:
        states = sorted({w.network for w in self.pool.workers if w.ready})
        return "; ".join(states)

    async def run_query(self, query, accept, timeout, default_graphs=(), named_graphs=()):
        request = Request(query, accept, tuple(default_graphs), tuple(named_graphs))
        try:
            reply = await self.pool.run(request, timeout)
        except Busy as busy:
            reply = Reply.error(503, "busy", str(busy), retry_after=busy.retry_after)
            reply.headers["Retry-After"] = str(busy.retry_after)
        if reply.status != 200:
            raise QueryFailed(reply)
        return reply.content_type, result_body(reply)

    def status(self) -> dict:
        return {"store": self.name, "graph": self.stores.handle.key, "workers": self.pool.status()}


async def select(backend: QueryBackend, query: str, timeout: float) -> list[dict[str, dict]]:
    """Run a SELECT for the server's own pages; the bindings as SPARQL JSON term dicts."""
    _, body = await backend.run_query(query, "application/sparql-results+json", timeout)
    return json.loads(as_bytes(body))["results"]["bindings"]
