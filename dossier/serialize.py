"""Deterministic serialization: sorted N-Quads, and TriG/Turtle assembled subject by subject in sorted order.

The TriG writer produces what rdflib's Turtle serializer writes for a graph without blank nodes
(same subject, predicate and object order, same term forms), but works one subject at a time,
so a document's part of the output can be written once, cached, and reused when another
document changes. Inside a TriG block, lines are indented except those inside a multi-line
literal, whose text is kept exactly (a source's text must read back unchanged).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, NamespaceManager
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
TRIG_HEAD = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items())) + "\n"

_INDENT = "    "
_PREDICATE_ORDER = (RDF.type, RDFS.label)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a % not starting an escape


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


class TermWriter:
    """Writes terms as rdflib's Turtle serializer does, with the project's prefixes only."""

    def __init__(self):
        g = Graph(bind_namespaces="none")
        for p, ns in PREFIXES.items():
            g.bind(p, ns, override=True, replace=True)
        self._nm: NamespaceManager = g.namespace_manager
        self._namespaces = {URIRef(ns): p for p, ns in PREFIXES.items()}
        self._pnames: dict[str, str | None] = {}

    def pname(self, uri: URIRef) -> str | None:
        """prefix:local for ``uri``, or None where rdflib would write <uri>."""
        if uri in self._pnames:
            return self._pnames[uri]
        try:
            prefix, _, local = self._nm.compute_qname(uri, generate=False)
            local = local.replace("(", r"\(").replace(")", r"\)")
            local = _PERCENT.sub("\\%", local)
            out = None if local.endswith(".") else f"{prefix}:{local}"
        except Exception:
            pfx = self._namespaces.get(uri)
            out = f"{pfx}:" if pfx is not None else None
        if len(self._pnames) > 200_000:
            self._pnames.clear()
        self._pnames[uri] = out
        return out

    def term(self, node, verb: bool = False) -> str:
        if node == RDF.nil:
            return "()"
        if verb and node == RDF.type:
            return "a"
        if isinstance(node, Literal):
            return node._literal_n3(use_plain=True, qname_callback=self.pname)
        if isinstance(node, BNode):
            raise ValueError(f"blank node {node}: mint an IRI for it")
        return self.pname(node) or node.n3()

    def subject_block(self, subject, props: dict) -> str:
        """One subject's statement, as it stands inside a TriG block (indented, ending ' .')."""
        preds = [p for p in _PREDICATE_ORDER if p in props]
        preds += sorted(p for p in props if p not in _PREDICATE_ORDER)
        parts = [_INDENT, self.term(subject)]
        for i, p in enumerate(preds):
            if i:
                parts.append(" ;\n" + _INDENT * 2)
            else:
                parts.append(" ")
            parts.append(self.term(p, verb=True))
            objs = sorted(props[p])
            parts.append(" " + self.term(objs[0]))
            for o in objs[1:]:
                parts.append(",\n" + _INDENT * 3 + self.term(o))
        parts.append(" .")
        return "".join(parts)


def subject_blocks(triples: Iterable[tuple], writer: TermWriter | None = None) -> list[tuple[tuple, str]]:
    """Each subject's block with its sort key (rdfs:Class members first, then by references, then IRI)."""
    writer = writer or TermWriter()
    by_subject: dict = {}
    refs: Counter = Counter()
    classes = set()
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        refs[o] += 1
        if p == RDF.type and o == RDFS.Class:
            classes.add(s)
    return [(block_key(s, refs[s], s in classes), writer.subject_block(s, props)) for s, props in by_subject.items()]


def block_key(subject, refs: int, is_class: bool = False) -> tuple:
    """Where rdflib's Turtle serializer puts a subject: classes first, then fewest references, then by IRI."""
    return (0, "", 0, subject) if is_class else (1, isinstance(subject, BNode), refs, subject)


def trig_block(name: URIRef, blocks: Iterable[str]) -> str:
    """A named graph's TriG block from its subjects' blocks, already in order."""
    return f"<{name}> {{\n" + "\n\n".join(blocks) + "\n}\n"


def graph_block(name: URIRef, triples: Iterable[tuple], writer: TermWriter | None = None) -> str:
    return trig_block(name, (text for _, text in sorted(subject_blocks(triples, writer), key=lambda kv: kv[0])))


def trig(graphs: dict[URIRef, Graph]) -> str:
    """TriG: the prefixes once, then each named graph (sorted by IRI) as a block."""
    writer = TermWriter()
    return TRIG_HEAD + "\n".join(graph_block(name, graphs[name], writer) for name in sorted(graphs))


def _no_blank_nodes(name: URIRef, g) -> None:
    """Blank node labels differ run to run; every node gets an IRI so output is byte-identical."""
    for t in g:
        if any(isinstance(x, BNode) for x in t):
            raise ValueError(f"graph {name} holds a blank node in {t}: mint an IRI for it")

