"""Controlled values (roles, statuses, genres...) read from the ontology's SKOS schemes, not repeated in code."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from .namespace import DOS


@lru_cache(maxsize=4)
def load_ontology(path: Path) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def concepts(ontology: Graph, scheme: URIRef) -> dict[str, URIRef]:
    """notation -> concept IRI for every concept in ``scheme``."""
    out = {}
    for c in ontology.subjects(SKOS.inScheme, scheme):
        for n in ontology.objects(c, SKOS.notation):
            out[str(n)] = c
    return dict(sorted(out.items()))


def entity_classes(ontology: Graph) -> dict[str, URIRef]:
    """Local name -> class IRI for the registry's entity types (subclasses of Agent, plus Place, Event, Legislation)."""
    names = {}
    for cls in (DOS.Organization, DOS.Person, DOS.Place, DOS.Event, DOS.Legislation):
        if (cls, RDF.type, None) not in ontology:
            raise ValueError(f"ontology lacks class {cls}")
        names[str(cls).rsplit("#", 1)[1]] = cls
    return names
