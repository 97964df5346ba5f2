"""What the assembly needs of a document's cache entry, in plain strings (an Outline).

Unpickling every entry's header (its rdflib terms above all) made a rebuild's cost grow with the
number of documents; the outline of every entry is kept in one index file instead, read whole,
and the header of an entry is read only when the entry is new or its size changed since.
"""

from __future__ import annotations

import hashlib
import pickle
from typing import NamedTuple

from rdflib import BNode, URIRef
from rdflib.namespace import RDF

CLASS_MARK = "dossier/ontology#"
_TYPE = RDF.type


class Outline(NamedTuple):
    slug: str
    file: str  # its mapping, relative to the project
    parts: tuple  # (graph IRI, triples, sha256, offset, length) of each of its graph files, as in DocResult
    types: dict  # class local name -> rdf:type triples about its own nodes
    shared_types: tuple  # (node, class IRI) of its rdf:type triples to a Dossier class about shared nodes
    givers: tuple  # (node, property) of its triples and inferences about shared nodes
    entities: tuple  # the registry entity IRIs its own graph names
    claims: str  # sha256 of its claims (agreement.Claim), which the agreement graph is derived from
    start: int  # where the entry's bytes after the header start
    size: int  # the entry's size, to tell it was not replaced or cut since


def outline(head, start: int, size: int) -> Outline:
    """The outline of a DocResult read from an entry of ``size`` bytes whose files start at ``start``."""
    shared = head.shared_asserted + head.shared_inferred
    return Outline(
        head.slug, head.file, tuple(tuple(p) for p in head.parts), dict(head.types),
        tuple(sorted({(node_text(s), str(o)) for s, p, o in shared if p == _TYPE and CLASS_MARK in str(o)})),
        tuple(sorted({(node_text(s), str(p)) for s, p, _ in shared})),
        tuple(str(e) for e in head.entities),
        claims_digest(head.claims), start, size)


def node_text(node) -> str:
    """An IRI as itself, a blank node as ``_:label`` (the two never meet: no IRI starts so)."""
    return str(node) if isinstance(node, URIRef) else f"_:{node}"


def node_of(text: str):
    return BNode(text[2:]) if text.startswith("_:") else URIRef(text)


def claims_digest(claims: list) -> str:
    return hashlib.sha256(pickle.dumps(claims, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def type_count(types, counts) -> None:
    """Add (node, class IRI) pairs to ``counts`` by the class's local name."""
    for _, cls in types:
        counts[cls.rsplit("#", 1)[-1]] += 1
