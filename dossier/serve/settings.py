"""The server's settings: one frozen dataclass, filled from the command line, passed to every part."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

#: The SPARQL endpoint operators most often want to federate with; allowed only when named with --allow-service.
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"


@dataclass(frozen=True)
class Settings:
    """What the server serves and the limits it enforces on every query."""

    root: Path = Path(".")
    """Project folder: graph/ is served from it, queries/*.rq become the query page's tabs."""
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    """Seconds a query may run before its worker process is killed (503)."""
    max_rows: int = 10_000
    """Result rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a query may return; more is an error, never a cut."""
    max_body: int = 1 << 20
    """Bytes a request body may hold (413 beyond)."""
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)
    """Query worker processes, so also the number of queries run at once."""
    queue: int = 256
    """Most queries that may wait for a busy worker (each at most ``timeout`` seconds); a query is admitted
    while its expected wait is within the timeout, and this is the hard bound beyond that (503 with Retry-After)."""
    max_result_bytes: int = 16 << 20
    """Bytes a result may hold, in the format asked for (413 beyond, found while it is written)."""
    max_connections: int = 512
    """Open client connections; one more is closed at once (each holds at most ``header_bytes`` while it sends its request)."""
    header_bytes: int = 32 * 1024
    """Bytes the request line and headers may take together (431 beyond); longer queries go in a POST body."""
    read_timeout: float = 10.0
    """Seconds a client has to send its request line, headers and body, from its first byte (or from connecting)."""
    write_timeout: float = 30.0
    """Seconds one piece of a response may wait for the client to read it; then the connection is closed."""
    public_url: str | None = None
    """The address clients reach the server at (behind a proxy, its public one); the service description
    names its endpoint from this, never from the request's Host header. Default: http://HOST:PORT/."""
    memory_mb: int = 2048
    """Address-space limit of each worker process; a query that needs more kills only its worker."""
    allow_services: tuple[str, ...] = ()
    """SERVICE endpoints a query may call (exact IRIs). Empty: SERVICE is refused and workers get no network."""
    build: bool = True
    """Build graph/ first when it is missing or older than its inputs."""
    watch: float = 1.0
    """Seconds between looks at graph/: a rebuilt graph is served without a restart. 0: never look."""
    store: str | None = None
    """A SPARQL query URL to run queries on instead of the embedded store (see remote.py); graph/ is then not read."""

    @property
    def graph_dir(self) -> Path:
        return self.root / "graph"

    @property
    def manifest(self) -> Path:
        """graph/'s manifest (dossier.graphdir), written last by a build: graph/ is complete when it is there."""
        return self.graph_dir / "manifest.json"

    @property
    def store_cache(self) -> Path:
        """Where the on-disk stores built from graph/ live, one folder per content of graph/ (store.py)."""
        return self.root / ".cache" / "store"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def base_url(self) -> str:
        """``public_url``, or the address the server listens on, ending in '/'."""
        url = self.public_url or f"http://{self.host}:{self.port}/"
        return url if url.endswith("/") else url + "/"


def add_arguments(parser) -> None:
    """The serve options, shared by `dossier serve` and serve.py."""
    d = Settings()
    parser.add_argument("--host", default=d.host, help=f"address to listen on (default: {d.host})")
    parser.add_argument("--port", type=int, default=d.port, help=f"port to listen on (default: {d.port})")
    parser.add_argument("--timeout", type=float, default=d.timeout, help=f"seconds a query may run (default: {d.timeout:g})")
    parser.add_argument("--max-rows", type=int, default=d.max_rows, help=f"rows or triples a result may hold (default: {d.max_rows})")
    parser.add_argument("--workers", type=int, default=d.workers, help=f"query worker processes = queries run at once (default: cores, {d.workers})")
    parser.add_argument("--queue", type=int, default=d.queue,
                        help=f"queries that may wait, each up to --timeout, for a busy worker; 503 beyond (default: {d.queue})")
    parser.add_argument("--max-result-mb", type=float, default=d.max_result_bytes / (1 << 20),
                        help=f"MiB a query result may hold (default: {d.max_result_bytes >> 20})")
    parser.add_argument("--max-connections", type=int, default=d.max_connections,
                        help=f"open client connections at once; more are closed (default: {d.max_connections})")
    parser.add_argument("--header-kb", type=int, default=d.header_bytes >> 10,
                        help=f"KiB a request's line and headers may take (default: {d.header_bytes >> 10})")
    parser.add_argument("--read-timeout", type=float, default=d.read_timeout,
                        help=f"seconds a client has to send its whole request (default: {d.read_timeout:g})")
    parser.add_argument("--write-timeout", type=float, default=d.write_timeout,
                        help=f"seconds a response may wait for the client to read on (default: {d.write_timeout:g})")
    parser.add_argument("--public-url", metavar="URL",
                        help="the server's public address, as clients reach it (default: http://HOST:PORT/); names the endpoint in the service description")
    parser.add_argument("--memory-mb", type=int, default=d.memory_mb, help=f"memory limit of each worker in MiB (default: {d.memory_mb})")
    parser.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="IRI",
        help=f"let queries call this SERVICE endpoint (repeatable; none by default), e.g. {WIKIDATA_SPARQL}",
    )
    parser.add_argument("--watch", type=float, default=d.watch, metavar="SECONDS",
                        help=f"look at graph/ this often and serve a rebuilt graph without a restart; 0: never (default: {d.watch:g})")
    parser.add_argument("--no-build", action="store_true", help="serve graph/ as it is, even if older than its inputs")
    parser.add_argument("--store", metavar="QUERY-URL", help="run queries on this SPARQL endpoint (loaded with `dossier push`) "
                                                            "instead of the embedded store; its default graph must be the union of the named graphs")


def from_arguments(args, root: Path) -> Settings:
    return Settings(
        root=root,
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_rows=args.max_rows,
        workers=args.workers,
        queue=args.queue,
        memory_mb=args.memory_mb,
        max_result_bytes=int(args.max_result_mb * (1 << 20)),
        max_connections=args.max_connections,
        header_bytes=args.header_kb << 10,
        read_timeout=args.read_timeout,
        write_timeout=args.write_timeout,
        public_url=args.public_url,
        allow_services=tuple(args.allow_service),
        build=not args.no_build,
        watch=args.watch,
        store=getattr(args, "store", None),
    )
