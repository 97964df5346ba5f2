"""Running one checked query on an Oxigraph store and writing its result, within the row cap.

This is what a worker process does with each request; it holds no process or HTTP logic, so
it can be called directly (tests, benchmarks). Every outcome is a Reply, never an exception.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..graphdir import quad_files
from ..serialize import PREFIXES
from . import formats
from .errors import error_body
from .policy import QUERY_BASE, Analysis, Refusal, analyse

log = logging.getLogger("dossier.serve")


@dataclass(frozen=True)
class Request:
    """One SPARQL query as the protocol received it."""

    query: str
    accept: str | None = None
    default_graphs: tuple[str, ...] = ()  # the protocol's default-graph-uri parameters
    named_graphs: tuple[str, ...] = ()  # the protocol's named-graph-uri parameters


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, Content-Type and body, plus extra headers."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    path: str | None = None  # a large body waits in this file instead (spool.py); ``body`` is then empty

    @classmethod
    def error(cls, status: int, code: str, message: str, **extra) -> "Reply":
        return cls(status, "application/json", error_body(code, message, **extra))

    @classmethod
    def refusal(cls, refusal: Refusal) -> "Reply":
        where = {} if refusal.line is None else {"line": refusal.line, "column": refusal.column}
        return cls.error(refusal.status, refusal.code, refusal.message, **where)


def load_store(graph_dir: Path) -> ox.Store:
    """An in-memory store holding every named graph of graph/ (the files graphdir.quad_files lists); for tests and tools."""
    store = ox.Store()
    for path in quad_files(graph_dir):
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


#: Longest line (one row, or one triple) Oxigraph's TSV and N-Triples parsers read back: their
#: buffer stops at 16 MiB, so a longer one could never be converted to the format asked for.
MAX_LINE_BYTES = (16 << 20) - 1024


class TooManyResults(Exception):
    pass


class ResultTooLarge(Exception):
    """The result is over the byte cap (``what`` = "result") or holds one row too long to convert ("row")."""

    def __init__(self, what: str, limit: int):
        super().__init__(what)
        self.what, self.limit = what, limit


class _LineCap:
    """A file for Oxigraph's serializers that keeps what they write and stops them past ``limit`` lines,
    ``max_bytes`` bytes, or a line over MAX_LINE_BYTES.

    Oxigraph writes solutions as TSV and triples as N-Triples, one per line with newlines inside
    terms escaped, so counting newlines counts results exactly while they stream, and a result
    over a cap is dropped before it is whole (early: a huge term fails as it is written).
    """

    def __init__(self, limit: int, max_bytes: int | None = None):
        self.limit, self.lines, self.parts = limit, 0, []
        self.max_bytes, self.size, self.line_start = max_bytes, 0, 0

    def write(self, data) -> int:
        newlines = data.count(b"\n")
        self.lines += newlines
        if self.lines > self.limit:
            raise TooManyResults
        self.size += len(data)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise ResultTooLarge("result", self.max_bytes)
        before = self.size - len(data)
        if newlines:
            longest = before - self.line_start + data.index(b"\n")
            if newlines > 1:
                longest = max(longest, *(len(line) for line in data.split(b"\n")[1:-1]))
            if longest > MAX_LINE_BYTES:
                raise ResultTooLarge("row", MAX_LINE_BYTES)
            self.line_start = before + data.rindex(b"\n") + 1
        if self.size - self.line_start > MAX_LINE_BYTES:
            raise ResultTooLarge("row", MAX_LINE_BYTES)
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


class Engine:
    """Checks and runs queries on one store; the union of its named graphs is the default graph."""

    def __init__(self, store: ox.Store, max_rows: int, allow_services: tuple[str, ...] = (), max_bytes: int | None = None):
        self.store = store
        self.max_rows = max_rows
        self.allow_services = tuple(allow_services)
        self.max_bytes = max_bytes  # bytes a result may hold, as written and in the format asked for

    def execute(self, request: Request) -> Reply:
        try:
            analysis = analyse(request.query, self.allow_services)
            media = formats.negotiate(request.accept, formats.TABLES[analysis.kind])
            if media is None:
                offered = ", ".join(sorted(formats.TABLES[analysis.kind]))
                return Reply.error(406, "not-acceptable", f"the result of this {analysis.form} query can be had as: {offered}")
            result = self.store.query(analysis.text, base_iri=QUERY_BASE, **self._dataset(analysis, request))
            body = self._write(analysis, result, media)
            if self.max_bytes is not None and len(body) > self.max_bytes:
                raise ResultTooLarge("result", self.max_bytes)
        except Refusal as refusal:
            return Reply.refusal(refusal)
        except TooManyResults:
            unit = "rows" if analysis.form == "SELECT" else "triples"
            return Reply.error(
                422, "too-many-results", f"the query gives more than {self.max_rows} {unit}, the limit here; add LIMIT (and OFFSET to page)"
            )
        except ResultTooLarge as exc:
            return too_large(exc)
        except SyntaxError as exc:  # Oxigraph refused what the checks accepted: still a client error
            return Reply.error(400, "malformed-query", f"malformed query: {excerpt(str(exc))}")
        except OSError as exc:  # an allowed SERVICE call failed; what the remote said is not ours to repeat at length
            return Reply.error(502, "service-failed", f"a SERVICE call failed: {excerpt(str(exc))}")
        except Exception:  # never a stack trace to the client; the log keeps it
            log.exception("query failed")
            return Reply.error(500, "internal-error", "the query could not be run")
        return Reply(200, formats.with_charset(media), body)

    @staticmethod
    def _dataset(analysis: Analysis, request: Request) -> dict:
        """The RDF dataset to query: the protocol's graph parameters, else FROM/FROM NAMED, else the union.

        Graphs are only ever named, never fetched: an IRI the store does not hold is an empty graph.
        """
        if request.default_graphs or request.named_graphs:
            defaults, named = request.default_graphs, request.named_graphs
            sources = ("default-graph-uri", "named-graph-uri")
        elif analysis.has_dataset:
            defaults, named = analysis.default_graphs, analysis.named_graphs
            sources = ("FROM", "FROM NAMED")
        else:
            return {"use_default_graph_as_union": True}
        return {"default_graph": graph_names(defaults, sources[0]), "named_graphs": graph_names(named, sources[1])}

    def _write(self, analysis: Analysis, result, media: str) -> bytes:
        """The result in ``media``, written by Oxigraph itself (no Python object per term or row).

        Solutions go out as TSV through the cap (one line per row after the header), then are
        converted in Oxigraph to the format asked for; triples likewise as N-Triples.
        """
        fmt = formats.TABLES[analysis.kind][media]
        if isinstance(result, ox.QueryBoolean):
            return result.serialize(format=getattr(ox.QueryResultsFormat, fmt))
        if isinstance(result, ox.QuerySolutions):
            sink = _LineCap(self.max_rows + 1, self.max_bytes)  # the header line, then the rows
            result.serialize(sink, format=ox.QueryResultsFormat.TSV)
            tsv = sink.getvalue()
            if fmt == "TSV":
                return tsv
            return ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV).serialize(format=getattr(ox.QueryResultsFormat, fmt))
        sink = _LineCap(self.max_rows, self.max_bytes)
        result.serialize(sink, format=ox.RdfFormat.N_TRIPLES)
        rdf = getattr(ox.RdfFormat, fmt)
        if fmt == "N_TRIPLES":
            return sink.getvalue()
        triples = ox.parse(sink.getvalue(), format=ox.RdfFormat.N_TRIPLES)
        if fmt in ("TURTLE", "TRIG", "N3"):
            return ox.serialize(triples, format=rdf, prefixes=PREFIXES)
        return ox.serialize(triples, format=rdf)


EXCERPT = 200  # characters of a message from elsewhere (a SERVICE endpoint, the parser) repeated to the client


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """At most ``limit`` characters of ``text``, on one line, marked when cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + " [...]"


def graph_names(iris: tuple[str, ...], source: str) -> list[ox.NamedNode]:
    """Graph IRIs as Oxigraph names; a client error (400) naming the parameter when one is not an IRI."""
    names = []
    for iri in iris:
        try:
            names.append(ox.NamedNode(iri))
        except ValueError:
            raise Refusal(400, "bad-graph-uri", f"{source} {excerpt(repr(iri), 100)} is not an absolute IRI") from None
    return names


def too_large(exc: ResultTooLarge) -> Reply:
    """413 for a result over the byte cap, or with one row longer than can be written."""
    if exc.what == "row":
        message = f"one row (or triple) of the result is larger than {exc.limit >> 20} MiB, the most this server can write; select less of it (SUBSTR)"
    else:
        message = f"the result is larger than {exc.limit} bytes, the limit here; add LIMIT (and OFFSET to page) or select fewer or shorter values"
    return Reply.error(413, "result-too-large", message)
