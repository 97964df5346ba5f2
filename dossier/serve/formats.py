"""Content negotiation: which media types the endpoint answers in, and picking one from an Accept header.

Two tables, because a query form decides what can be returned: SELECT and ASK give solutions
(SPARQL results), CONSTRUCT and DESCRIBE give triples. The values are the names of pyoxigraph's
QueryResultsFormat and RdfFormat members that write them.
"""

from __future__ import annotations

SOLUTIONS: dict[str, str] = {
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}

TRIPLES: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/ld+json": "JSON_LD",
    "application/n-triples": "N_TRIPLES",
    "text/plain": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/xml": "RDF_XML",
    "application/n-quads": "N_QUADS",
    "application/trig": "TRIG",
    "text/n3": "N3",
}

#: What a client that accepts anything gets.
DEFAULT = {"solutions": "application/sparql-results+json", "triples": "text/turtle"}

#: The two tables by query form.
TABLES = {"solutions": SOLUTIONS, "triples": TRIPLES}


def parse_accept(header: str | None) -> list[str]:
    """Media ranges of an Accept header, most preferred first (stable for equal q); q=0 ranges dropped."""
    if not header or not header.strip():
        return ["*/*"]
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            ranked.append((-q, i, media))
    return [media for _, _, media in sorted(ranked)]


def negotiate(header: str | None, kind: str) -> str | None:
    """The media type to answer a ``kind`` ("solutions" or "triples") result in, or None (406)."""
    table, default = TABLES[kind], DEFAULT[kind]
    for media in parse_accept(header):
        if media in table:
            return media
        if media == "*/*":
            return default
        if media.endswith("/*"):
            major = media[:-1]
            if default.startswith(major):
                return default
            for candidate in table:
                if candidate.startswith(major):
                    return candidate
    return None


def acceptable_at_all(header: str | None) -> bool:
    """Whether any query form could be answered in a type the header accepts (checked before running)."""
    return any(negotiate(header, kind) for kind in TABLES)


def with_charset(media: str) -> str:
    """The Content-Type header for a media type: text formats state their UTF-8 encoding."""
    textual = media.startswith("text/") or media.endswith(("json", "xml")) or media in ("application/n-triples", "application/n-quads", "application/trig")
    return f"{media}; charset=utf-8" if textual else media
