"""Deterministic serialization: sorted N-Quads, and TriG/Turtle assembled graph by graph in sorted order."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.plugins.serializers.nquads import _nq_row

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


def nquads(graphs: dict[URIRef, Graph]) -> str:
    """All graphs as N-Quads, one line per quad, sorted: byte-identical for identical content."""
    lines = []
    for name, g in graphs.items():
        _no_blank_nodes(name, g)
        lines.extend(_nq_row(t, name) for t in g)
    return "".join(sorted(lines))


def turtle(g: Graph) -> str:
    """Turtle with the project's prefixes; rdflib sorts subjects, predicates and objects."""
    out = Graph()
    for p, ns in PREFIXES.items():
        out.bind(p, ns, override=True, replace=True)
    for t in g:
        out.add(t)
    return out.serialize(format="turtle")


def trig(graphs: dict[URIRef, Graph]) -> str:
    """TriG: the prefixes once, then each named graph (sorted by IRI) as a Turtle block."""
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    blocks = []
    for name in sorted(graphs):
        body = [ln for ln in turtle(graphs[name]).splitlines() if not ln.startswith("@prefix")]
        text = "\n".join("    " + ln if ln else "" for ln in body).strip("\n")
        blocks.append(f"<{name}> {{\n{text}\n}}\n")
    return head + "\n" + "\n".join(blocks)


def _no_blank_nodes(name: URIRef, g: Graph) -> None:
    """Blank node labels differ run to run; every node gets an IRI so output is byte-identical."""
    for t in g:
        if any(isinstance(x, BNode) for x in t):
            raise ValueError(f"graph {name} holds a blank node in {t}: mint an IRI for it")
