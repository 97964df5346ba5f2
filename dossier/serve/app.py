"""The FastAPI application: routes, middleware, and the rules every response follows.

Routes: the query page (/), the SPARQL endpoint (/sparql), a liveness check (/health), pages for
entities (/id/<slug>), sources (/source/<slug>) and facts (/fact/<source>/<fact>), an index
(/id/), and static files (YASGUI from node_modules, our own CSS and script).

Rules kept here rather than in rdflib-endpoint's SparqlEndpoint, whose app echoes any CORS
origin with credentials and puts no limit on bodies: bodies over the limit get 413 before they
are read; CORS is open for reads (*) and never with credentials; anything that would write
(Update in any form, PUT, DELETE, PATCH) gets 403 on every path; every error is JSON (or an
HTML page for browsers) and never shows a stack trace.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import cite, downloads, find, formats, pages, protocol, reconcile, sections
from .backend import QueryBackend, QueryFailed, select
from .description import SERIALIZERS, service_description
from .limits import AcceptLimit, BodyLimit, SecurityHeaders
from .methods import HeadAsGet, allowed_methods
from .settings import Settings
from .site import Site
from .spool import as_bytes, result_response

log = logging.getLogger("dossier.serve")

HERE = Path(__file__).parent
YASGUI_PACKAGE = Path("node_modules") / "@zazuko" / "yasgui" / "build"
#: Browser libraries from npm the pages use, served from node_modules/ (never a CDN): URL name -> folder.
VENDOR = {
    "vis-timeline": Path("node_modules") / "vis-timeline" / "standalone" / "umd",
    "vis-timeline-css": Path("node_modules") / "vis-timeline" / "styles",
    "cytoscape": Path("node_modules") / "cytoscape" / "dist",
}
TITLE = "Dossier SPARQL endpoint"
ABOUT = "A sourced knowledge graph of organizations, designations, events and statements; every fact cites its quote."

#: Media types an entity, source or fact page is offered in (the first for */*, the first of its
#: major type for text/* or application/*); ?format= picks one in a browser.
RESOURCE_TYPES = {
    "text/html": "html",
    "application/ld+json": "application/ld+json",
    "text/turtle": "text/turtle",
    "application/n-triples": "application/n-triples",
    "application/xhtml+xml": "html",
}
#: What an error is written in: the JSON error body, or an HTML page for browsers.
ERROR_TYPES = ("application/json", "text/html")
#: Methods that would write: refused with 403 on every path, known or not.
WRITES = ("PUT", "DELETE", "PATCH")
FORMAT_PARAM = {"html": "html", "turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples"}


def node_dir(root: Path, folder: Path) -> Path:
    """Where `npm ci` put a package's ``folder``: under the project root, else beside the package."""
    for base in (root, HERE.parent.parent):
        if (base / folder).is_dir():
            return base / folder
    return root / folder


def wants_html(request: Request) -> bool:
    """Whether an error should be an HTML page rather than the JSON body (a browser prefers HTML)."""
    return formats.negotiate(request.headers.get("accept"), ERROR_TYPES) == "text/html"


def resource_format(request: Request) -> str | None:
    """'html' or an RDF media type for a resource page, from ?format= or Accept; None: nothing acceptable."""
    chosen = request.query_params.get("format")
    if chosen:
        return FORMAT_PARAM.get(chosen)
    media = formats.negotiate(request.headers.get("accept"), RESOURCE_TYPES)
    return RESOURCE_TYPES.get(media) if media else None


def create_app(settings: Settings, backend: QueryBackend) -> FastAPI:
    """The application serving ``backend`` under ``settings``'s limits."""
    timeout = settings.timeout
    # The service description, made once: its endpoint IRI comes from the settings, never from the
    # request (a cache keyed by the Host header grew without bound and let clients name the endpoint).
    endpoint = settings.base_url + "sparql"
    described: list = []

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        start = getattr(backend, "start", None)
        if start is not None:
            await start()
        log.info("store: %s", getattr(backend, "name", type(backend).__name__))
        network = getattr(backend, "network", None)
        if network:
            log.info("query workers' network: %s", network)
        yield
        close = getattr(backend, "close", None)
        if close is not None:
            await close()

    app = FastAPI(title=TITLE, description=ABOUT, docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["Retry-After"],
        max_age=600,
    )
    app.add_middleware(BodyLimit, max_body=settings.max_body)
    app.add_middleware(HeadAsGet)
    app.add_middleware(AcceptLimit)
    app.mount("/static/yasgui", StaticFiles(directory=str(node_dir(settings.root, YASGUI_PACKAGE)), check_dir=False), name="yasgui")
    for name, folder in VENDOR.items():
        app.mount(f"/static/{name}", StaticFiles(directory=str(node_dir(settings.root, folder)), check_dir=False), name=name)
    app.mount("/static/dossier", StaticFiles(directory=str(HERE / "static")), name="dossier-static")

    def error_page(request: Request, status: int, code: str, message: str, headers: dict | None = None) -> Response:
        if wants_html(request):
            heading = {404: "Not found", 403: "Refused", 405: "Method not allowed", 406: "Not acceptable", 503: "Unavailable"}.get(status, "Error")
            html = pages.render("error.html", status=status, heading=heading, message=message)
            return HTMLResponse(html, status_code=status, headers=headers)
        return protocol.error_response(status, code, message, headers)

    async def not_found(request: Request, message: str, slug: str | None = None) -> Response:
        """404: the JSON error body for programs; for browsers the error page with a search box and the
        entities and sources the address's words find ("did you mean"), ``slug`` or else the path's last part."""
        if not wants_html(request):
            return protocol.error_response(404, "not-found", message)
        guess, hits = await find.did_you_mean(site, slug if slug is not None else request.url.path)
        html = pages.render("error.html", status=404, heading="Not found", message=message, guess=guess, suggestions=hits)
        return HTMLResponse(html, status_code=404)

    def failed_page(request: Request, failed: QueryFailed) -> Response:
        reply = failed.reply
        if wants_html(request):
            import json

            message = json.loads(reply.body).get("message", "the page's query failed")
            return error_page(request, reply.status, "query-failed", message, reply.headers)
        return Response(reply.body, status_code=reply.status, media_type=reply.content_type, headers=reply.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code in (404, 405):
            allowed = allowed_methods(app.router.routes, request.scope)
            refused = await refuse_writes(request, allowed)
            if refused is not None:
                return refused
            if not allowed:
                return await not_found(request, f"nothing here answers {request.url.path}")
            if request.method not in allowed:
                allow = ", ".join(sorted(allowed))
                return error_page(request, 405, "method-not-allowed", f"{request.url.path} answers {allow}", {"Allow": allow})
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return error_page(request, exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    async def refuse_writes(request: Request, allowed: set[str]) -> Response | None:
        """403 for anything that would write, on any path (the read-only rule); None otherwise.

        A POST is read for an update only where no route takes POST (so its body is still unread).
        """
        if request.method in WRITES:
            return protocol.error_response(403, "read-only", "this server is read-only: it accepts no update, upload or deletion")
        if request.method == "POST" and "POST" not in allowed:
            try:
                await protocol.read_operation(request)
            except protocol.ProtocolError as exc:
                if exc.status == 403:
                    return protocol.error_response(403, exc.code, exc.message)
        return None

    site = Site(settings, backend, error_page, failed_page)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_page(request, 400, "bad-request", "the request's parameters could not be read")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("request failed: %s %s", request.method, request.url.path)
        return protocol.error_response(500, "internal-error", "the server could not answer this request")

    # -- the endpoint -------------------------------------------------------------------------
    @app.get("/health")
    async def health() -> dict:
        return {"status": "ok", **backend.status()}

    async def describe_service(request: Request) -> Response:
        """The service description; a browser (preferring HTML) is sent to the query page instead."""
        media = formats.negotiate(request.headers.get("accept"), [*SERIALIZERS, "text/html", "application/xhtml+xml"])
        if media in ("text/html", "application/xhtml+xml"):
            return RedirectResponse("/", status_code=303)
        if media is None:
            return protocol.error_response(406, "not-acceptable", f"the service description can be had as: {', '.join(SERIALIZERS)}")
        if not described:
            try:
                graph = await service_description(backend, endpoint, TITLE, ABOUT, settings.allow_services, timeout)
            except QueryFailed as failed:
                return failed_page(request, failed)
            described[:] = [graph]
        body = described[0].serialize(format=SERIALIZERS[media])
        return Response(body, media_type=formats.with_charset(media), headers={"Vary": "Accept"})

    @app.api_route("/sparql", methods=["GET", "POST"])
    async def sparql(request: Request) -> Response:
        response = await protocol.answer(request, backend, timeout)
        return response if response is not None else await describe_service(request)

    @app.api_route("/sparql/", methods=["GET", "POST"])
    async def sparql_slash(request: Request) -> Response:
        """/sparql/ is /sparql: a 308 redirect, which (unlike 301/302) keeps the method and body, so a POST follows too."""
        query_string = request.scope.get("query_string", b"").decode("latin-1")
        return RedirectResponse("/sparql" + (f"?{query_string}" if query_string else ""), status_code=308)

    @app.api_route("/", methods=["GET", "POST"])
    async def query_page(request: Request) -> Response:
        """The query page; a SPARQL request sent here (as to rdflib-endpoint's /) is answered as at /sparql."""
        query_string = request.scope.get("query_string", b"")
        if request.method == "GET" and wants_html(request) and request.query_params.get("query"):
            # A browser following a link to /?query=...: open the query page on that query, not raw results.
            return RedirectResponse("/#" + urlencode({"query": request.query_params["query"]}, quote_via=quote), status_code=303)
        if request.method == "POST" or b"query=" in query_string or b"update=" in query_string:
            response = await protocol.answer(request, backend, timeout)
            if response is not None:
                return response
        html = pages.render(
            "query.html",
            examples=pages.examples(settings.queries_dir),
            timeout=f"{timeout:g}",
            max_rows=settings.max_rows,
            graph_base=f"{pages.BASE}graph/",
            base=pages.BASE,
        )
        return HTMLResponse(html)

    # -- entity, source and fact pages ---------------------------------------------------------
    async def rdf_description(request: Request, query: str, media: str, exists: str) -> Response:
        try:
            found = await select(backend, exists, timeout)
            if not found:
                return error_page(request, 404, "not-found", "the graph says nothing of this resource")
            content_type, body = await backend.run_query(query, media, timeout)
        except QueryFailed as failed:
            return failed_page(request, failed)
        if media == "application/ld+json":
            body = downloads.compact(as_bytes(body), settings.base_url + "context.jsonld", downloads.ontology_graph(site))
        return result_response(content_type, body, {"Vary": "Accept"})

    @app.get("/id/")
    async def index(request: Request) -> Response:
        try:
            context = await pages.index_context(backend, timeout)
        except QueryFailed as failed:
            return failed_page(request, failed)
        return HTMLResponse(pages.render("index.html", **context))

    @app.get("/source/")
    async def sources_index() -> Response:
        return RedirectResponse("/id/", status_code=303)

    @app.get("/id/{slug}")
    async def entity(request: Request, slug: str) -> Response:
        if not pages.SLUG.match(slug):
            return await not_found(request, f"'{slug}' is not an entity id", slug)
        chosen = resource_format(request)
        iri = str(pages.entity_iri(slug))
        if chosen is None:
            # what is not there is 404 whatever the client accepts; what is, in no format it takes, 406
            try:
                found = await select(backend, pages.sparql("exists", this=iri), timeout)
            except QueryFailed as failed:
                return failed_page(request, failed)
            if not found:
                return await not_found(request, f"the graph says nothing of {iri}", slug)
            return error_page(request, 406, "not-acceptable", f"an entity can be had as: {', '.join(RESOURCE_TYPES)}")
        if chosen != "html":
            return await rdf_description(request, pages.sparql("describe-entity", this=iri), chosen, pages.sparql("exists", this=iri))
        try:
            context = await pages.entity_context(backend, slug, timeout, sections.section_pages(request.query_params))
        except QueryFailed as failed:
            return failed_page(request, failed)
        if context is None:
            return await not_found(request, f"the graph says nothing of {iri}", slug)
        return HTMLResponse(pages.render("entity.html", **context), headers={"Vary": "Accept"})

    @app.get("/id/{slug}/views")
    async def entity_views(request: Request, slug: str) -> Response:
        """The timeline and network data of an entity page, as JSON (the page's script fetches it)."""
        if not pages.SLUG.match(slug):
            return await not_found(request, f"'{slug}' is not an entity id", slug)
        try:
            views = await pages.views_context(backend, slug, timeout)
        except QueryFailed as failed:
            return failed_page(request, failed)
        if views is None:
            return await not_found(request, f"the graph says nothing of {pages.entity_iri(slug)}", slug)
        return JSONResponse(views)

    @app.get("/source/{slug}")
    async def source(request: Request, slug: str) -> Response:
        if not pages.SLUG.match(slug):
            return await not_found(request, f"'{slug}' is not a source id", slug)
        chosen = resource_format(request)
        if chosen is None:
            return error_page(request, 406, "not-acceptable", f"a source can be had as: {', '.join(RESOURCE_TYPES)}")
        iri = str(pages.source_iri(slug))
        if chosen != "html":
            graph = str(pages.graph_iri(slug))
            exists = pages.sparql("source-exists", this=iri, graph=graph)
            return await rdf_description(request, pages.sparql("source-graph", graph=graph), chosen, exists)
        try:
            context = await pages.source_context(backend, slug, timeout)
        except QueryFailed as failed:
            return failed_page(request, failed)
        if context is None:
            return await not_found(request, f"the graph holds no source {iri}", slug)
        return HTMLResponse(pages.render("source.html", **context), headers={"Vary": "Accept"})

    @app.get("/fact/{source}/{fact:path}")
    async def fact(request: Request, source: str, fact: str) -> Response:
        # the route's pattern ends in "$", which lets "/fact/x/y\n" through as fact "y": compare the whole path
        whole = request.scope["path"] == f"/fact/{source}/{fact}"
        iri = pages.checked_fact_iri(source, fact) if whole else None
        if iri is None:
            return error_page(request, 404, "not-found", "not a fact IRI")
        citation = cite.asked(request, RESOURCE_TYPES)
        if citation:
            return await cite.answer(site, request, iri, citation)
        chosen = resource_format(request)
        if chosen is None:
            return error_page(request, 406, "not-acceptable", f"a fact can be had as: {', '.join(RESOURCE_TYPES)}")
        if chosen == "html":
            try:
                found = await select(backend, pages.sparql("exists", this=iri), timeout)
            except QueryFailed as failed:
                return failed_page(request, failed)
            if not found:
                return error_page(request, 404, "not-found", f"the graph says nothing of {iri}")
            return RedirectResponse(f"/source/{source}#fact-{fact.split('/')[0]}", status_code=303)
        return await rdf_description(request, pages.sparql("describe-fact", this=iri), chosen, pages.sparql("exists", this=iri))

    # -- search, citations, reconciliation, downloads: one router each ----------------------------
    app.include_router(find.router(site))
    app.include_router(reconcile.router(site))
    app.include_router(downloads.router(site))

    return app
