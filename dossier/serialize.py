"""Writing triples as sorted N-Quads through pyoxigraph's serializer, and the project's prefixes.

N-Quads has one quad per line and no choices of form, so sorting the lines of what the library
writes gives the same bytes for the same graph, run after run: the build's output is
deterministic without a serializer of our own.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

PREFIXES = {
    "dos": "https://w3id.org/dossier/ontology#",
    "id": "https://w3id.org/dossier/id/",
    "src": "https://w3id.org/dossier/source/",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


def to_oxigraph(term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """The pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_oxigraph(term) -> URIRef | Literal | BNode:
    """The rdflib term for a pyoxigraph term (a plain xsd:string literal stays plain)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value, datatype=None if dt == _XSD_STRING else URIRef(dt))
    raise TypeError(f"unexpected term {term!r}")


def triples_to_oxigraph(triples: Iterable[tuple]) -> list[ox.Triple]:
    return [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples]


def nquads(graph: URIRef, triples: Iterable[tuple]) -> bytes:
    """``triples`` in named graph ``graph`` as N-Quads, one quad per line, lines sorted and unique."""
    name = ox.NamedNode(str(graph))
    quads = []
    terms: dict = {}  # each term converted once: predicates, classes and subjects repeat
    for t in triples:
        converted = []
        for x in t:
            y = terms.get(x)
            if y is None:
                if isinstance(x, BNode):  # labels differ run to run: output would not be byte-identical
                    raise ValueError(f"graph {graph} holds a blank node in {t}: mint an IRI for it")
                y = terms[x] = to_oxigraph(x)
            converted.append(y)
        quads.append(ox.Quad(*converted, name))
    if not quads:
        return b""
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(set(lines)))


def ntriples(triples: Iterable[tuple]) -> bytes:
    """``triples`` as N-Triples, in no particular order (for loading into a store, not for output)."""
    return ox.serialize(triples_to_oxigraph(triples), format=ox.RdfFormat.N_TRIPLES) if triples else b""


def as_ntriples(text: bytes, graph: URIRef) -> bytes:
    """The lines nquads() wrote for ``graph`` as N-Triples: each line's graph name dropped (a line
    ends with it, and a literal's line breaks are escaped, so only line ends match)."""
    return text.replace(b" <" + str(graph).encode() + b"> .\n", b" .\n")
