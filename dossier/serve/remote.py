"""A remote store behind the same server: `serve.py --store <query-url>` (after `dossier push`).

An operator who outgrows one machine loads graph/ into Fuseki, GraphDB, Virtuoso, QLever or an
Oxigraph server (`dossier push`) and points the server at that store's SPARQL query URL. The
pages and the endpoint stay the same: every query is checked by the same policy (read-only, no
SERVICE unless allowed, datasets only by name), sent on with the SPARQL 1.1 Protocol, and its
result counted against the row cap and written in the negotiated format by the same code as for
the embedded store (engine.Engine). Only the store runs elsewhere.

As in the embedded store, a query without FROM or GRAPH reads the union of the named graphs; the
store must be set up that way (Oxigraph: `serve --union-default-graph`; Fuseki:
`tdb2:unionDefaultGraph true`). Queries naming graphs (FROM, the protocol's default-graph-uri
and named-graph-uri) are passed on as protocol parameters.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

from .backend import QueryFailed
from .engine import Engine, Reply, Request, excerpt
from .settings import Settings

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
_RDF_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


class StoreUnavailable(BaseException):
    """The remote store failed or timed out. Not an Exception, so that Engine.execute's catch-all
    (which turns a fault in the embedded store into a 500) lets it through to RemoteEngine."""

    def __init__(self, reply: Reply):
        super().__init__(reply.body.decode("utf-8", "replace"))
        self.reply = reply


class RemoteStore:
    """What Engine needs of a store (``query``), over HTTP: results come back as pyoxigraph objects."""

    def __init__(self, url: str, client: httpx.Client, timeout: float):
        self.url, self.client, self.timeout = url, client, timeout

    def query(self, text: str, base_iri: str | None = None, use_default_graph_as_union: bool = False, default_graph=(), named_graphs=()):
        params = [("query", f"BASE <{base_iri}>\n{text}" if base_iri else text)]
        params += [("default-graph-uri", g.value) for g in default_graph or ()]
        params += [("named-graph-uri", g.value) for g in named_graphs or ()]
        try:
            r = self.client.post(self.url, content=urlencode(params).encode(), timeout=self.timeout,
                                 headers={"Accept": ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
        except httpx.TimeoutException:
            raise StoreUnavailable(Reply.error(503, "timeout", f"the store did not answer within {self.timeout:g} s")) from None
        except httpx.HTTPError as exc:
            raise StoreUnavailable(Reply.error(502, "store-unavailable", f"the store could not be reached: {exc}")) from None
        if r.status_code != 200:
            status = 400 if r.status_code == 400 else 502
            raise StoreUnavailable(Reply.error(status, "store-refused", f"the store answered {r.status_code}: {excerpt(r.text)}"))
        media = r.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(r.content, ox.QueryResultsFormat.JSON)
        if media == "application/sparql-results+xml":
            return ox.parse_query_results(r.content, ox.QueryResultsFormat.XML)
        if media in _RDF_FORMATS:
            return list(ox.parse(r.content, format=_RDF_FORMATS[media]))
        raise StoreUnavailable(Reply.error(502, "store-format", f"the store answered in {media or 'no declared format'}"))


class RemoteEngine(Engine):
    def execute(self, request: Request) -> Reply:
        try:
            return super().execute(request)
        except StoreUnavailable as failure:
            return failure.reply


class RemoteBackend:
    """Runs the server's queries on a SPARQL endpoint elsewhere, at most ``settings.workers`` at once."""

    def __init__(self, settings: Settings, url: str):
        self.url = url
        self.name = f"remote SPARQL endpoint {url}"
        self.settings = settings
        self.client = httpx.Client(limits=httpx.Limits(max_connections=max(1, settings.workers)))
        self.slots = asyncio.Semaphore(max(1, settings.workers))

    async def close(self) -> None:
        self.client.close()

    async def run_query(self, query, accept, timeout, default_graphs=(), named_graphs=()):
        engine = RemoteEngine(
            RemoteStore(self.url, self.client, timeout), self.settings.max_rows, self.settings.allow_services, self.settings.max_result_bytes
        )
        async with self.slots:
            reply = await asyncio.to_thread(engine.execute, Request(query, accept, tuple(default_graphs), tuple(named_graphs)))
        if reply.status != 200:
            raise QueryFailed(reply)
        return reply.content_type, reply.body

    def status(self) -> dict:
        return {"store": self.name}
