"""Content negotiation: which media types the endpoint answers in, and picking one from an Accept header.

Three tables, because a query form decides what can be returned: SELECT gives solutions (SPARQL
results), ASK a boolean (SPARQL results other than CSV and TSV), CONSTRUCT and DESCRIBE give
triples. The values are the names of pyoxigraph's QueryResultsFormat and RdfFormat members that
write them. ``negotiate`` is the one place an Accept header is read.
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

#: The subset of SOLUTIONS that can carry an ASK answer: the SPARQL 1.1 CSV and TSV result formats
#: define no boolean result (https://www.w3.org/TR/sparql11-results-csv-tsv/ covers SELECT only), so
#: an ASK asked for in CSV or TSV gets 406 rather than a body of our own invention such as "true".
BOOLEAN: dict[str, str] = {media: fmt for media, fmt in SOLUTIONS.items() if fmt in ("JSON", "XML")}

#: The tables by query form's kind (policy.Analysis.kind); each table's first type is what a client
#: that accepts anything gets.
TABLES = {"solutions": SOLUTIONS, "boolean": BOOLEAN, "triples": TRIPLES}

#: Media types that take no charset parameter: their registrations fix the encoding to UTF-8 and
#: define no parameters (application/sparql-results+json, application/json per RFC 8259,
#: application/ld+json, application/n-triples, application/n-quads), and strict clients compare the
#: Content-Type of these exactly.
NO_CHARSET = frozenset(
    {"application/sparql-results+json", "application/json", "application/ld+json", "application/n-triples", "application/n-quads"}
)


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


def negotiate(header: str | None, offered) -> str | None:
    """The media type of ``offered`` (ordered, first = the default) that an Accept header prefers; None: 406.

    The one negotiation of the server: results, the service description, resource pages and error
    bodies all choose here. ``*/*`` gets the first offered type; ``major/*`` the first offered of that
    major type.
    """
    offered = list(offered)
    for media in parse_accept(header):
        if media in offered:
            return media
        if media == "*/*":
            return offered[0] if offered else None
        if media.endswith("/*"):
            major = media[:-1]
            for candidate in offered:
                if candidate.startswith(major):
                    return candidate
    return None


def acceptable_at_all(header: str | None) -> bool:
    """Whether any query form could be answered in a type the header accepts (checked before running)."""
    return any(negotiate(header, table) for table in TABLES.values())


def with_charset(media: str) -> str:
    """The Content-Type header for a media type: text formats state their UTF-8 encoding, unless NO_CHARSET."""
    if media in NO_CHARSET:
        return media
    textual = media.startswith("text/") or media.endswith(("json", "xml")) or media == "application/trig"
    return f"{media}; charset=utf-8" if textual else media
