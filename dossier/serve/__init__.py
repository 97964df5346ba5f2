"""Serving graph/: a read-only SPARQL endpoint, a query page, and pages for entities and sources.

Modules, one job each:

- settings     the limits and paths (Settings)
- freshness    build graph/ first when it is missing or older than its inputs
- policy       what a query may do (read-only, no SERVICE unless allowed, FROM only names graphs)
- engine       running one checked query on an Oxigraph store, writing its result, row cap
- sandbox      what a worker takes away from itself (network, memory)
- store        the on-disk Oxigraph store built from graph/, opened read-only by every worker
- workers      the pool of killable worker processes that run queries under the timeout
- swap         serving a rebuilt graph/ without a restart: a new store and pool, the old one drained
- backend      the narrow run_query interface the HTTP side uses (swap the store here)
- formats      content negotiation: the tables, and the one function that reads Accept
- errors       the one JSON error body
- protocol     the SPARQL 1.1 Protocol over HTTP
- methods      which methods a path answers (HEAD as GET, 404 and 405 with Allow)
- description  the SPARQL service description (via rdflib-endpoint)
- limits       body size, Accept length, security headers (ASGI middleware)
- connections  header size, read and write timeouts, connection cap (uvicorn's h11 protocol, guarded)
- spool        large results streamed from a file, not held whole in the server process
- pages        entity, source and fact pages (sparql/*.rq, templates/*.html)
- site         what the feature routers share with the app (settings, backend, error pages, derived data)
- bound        sparql/*.rq with values bound by a VALUES clause
- search, find the search index (SQLite FTS5) and /search
- cite         citations of facts (plain text, CSL-JSON, BibTeX)
- reconcile    the Reconciliation Service API for OpenRefine
- dataset      the dataset's version and graph files (from graph/manifest.json)
- downloads    /download, VoID/DCAT, the JSON-LD context, ontology, concept and graph IRIs
- app          the FastAPI application wiring it together
"""

from __future__ import annotations

import logging
import sys

from .settings import Settings

__all__ = ["Settings", "serve"]


def serve(settings: Settings) -> int:
    """Build graph/ if stale, then serve it until interrupted; returns the process exit status."""
    import uvicorn

    from ..problems import InputError
    from .app import create_app
    from .backend import LocalBackend
    from .connections import guarded_protocol
    from .freshness import ensure_graph

    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s", stream=sys.stderr)
    log = logging.getLogger("dossier.serve")
    if not settings.store:
        from ..build.atomic import recover

        recover(settings.graph_dir)  # a build killed while swapping graph/ in left it aside
    if settings.build and not settings.store:
        try:
            built = ensure_graph(settings.root)
        except InputError as exc:
            for problem in exc.problems:
                print(problem.human(), file=sys.stderr)
            print(f"{len(exc.problems)} problem(s): graph/ could not be built; fix them, or serve graph/ as it is with --no-build", file=sys.stderr)
            return 1
        if built:
            log.info("built graph/: %s", built)
    if settings.store:
        from .remote import RemoteBackend

        backend = RemoteBackend(settings, settings.store)
    elif not settings.manifest.is_file():
        print(f"{settings.manifest} is missing: run `dossier build` first", file=sys.stderr)
        return 1
    else:
        backend = LocalBackend(settings)
    app = create_app(settings, backend)
    log.info("serving %s on http://%s:%d/ (SPARQL at /sparql)", settings.store or settings.graph_dir, settings.host, settings.port)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        timeout_keep_alive=5,
        http=guarded_protocol(settings.read_timeout, settings.write_timeout, settings.max_connections),
        h11_max_incomplete_event_size=settings.header_bytes,  # the request line and headers (400 beyond)
    )
    return 0
