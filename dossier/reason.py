"""OWL-RL inferences (owlrl) over the ontology and the data, minus what was asserted and the trivial."""

from __future__ import annotations

import owlrl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .namespace import BASE

_ONTOLOGY_PREFIX = BASE + "ontology"
_REFLEXIVE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
_UNINFORMATIVE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


def infer(ontology: Graph, data: Graph) -> Graph:
    """The OWL-RL closure's new triples about Dossier instances (entities, sources, facts)."""
    work = Graph()
    for t in ontology:
        work.add(t)
    for t in data:
        work.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    out = Graph()
    for s, p, o in work:
        if not _is_instance(s) or isinstance(o, BNode):
            continue
        if p in _REFLEXIVE and s == o:
            continue
        if p == RDF.type and o in _UNINFORMATIVE_TYPES:
            continue
        if (s, p, o) in data or (s, p, o) in ontology:
            continue
        out.add((s, p, o))
    return out


def _is_instance(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BASE) and not str(term).startswith(_ONTOLOGY_PREFIX)
