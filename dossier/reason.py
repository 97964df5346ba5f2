"""OWL-RL inferences (owlrl) over the ontology and the data, minus what was asserted and the trivial.

``infer`` closes the ontology and a whole graph at once. That is the definition, and what the
tests compare against; owlrl's closure of even one document with the ontology takes about half
a second, and of the whole corpus grows with its size, so builds use a ``Reasoner``:

- When no axiom of the ontology joins two data triples (no functional, transitive or
  property-chain axioms, no keys, class expressions, disjointness or equality), every OWL-RL
  rule that applies to data has one data premise, and the closure of a graph is the union of the
  closures of its triples. The Reasoner then asks owlrl, once per predicate (and per class for
  rdf:type), what it infers from one triple with placeholder nodes, and fills the placeholders in
  for each triple of a document: the same inferences, in microseconds.
- Otherwise (or for a document asserting schema triples) it closes ontology + registry + the one
  document with owlrl, which is exact as long as no rule joins triples of two documents.
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .namespace import BASE

_ONTOLOGY_PREFIX = BASE + "ontology"
_REFLEXIVE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
_UNINFORMATIVE_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}

#: Ontology terms whose OWL-RL rules take two data triples (or depend on a value): with any of
#: them in the ontology, a graph's closure is not the union of its triples' closures.
JOINING = {
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty, OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty, OWL.propertyChainAxiom, OWL.hasKey, OWL.propertyDisjointWith,
    OWL.AllDisjointProperties, OWL.NegativePropertyAssertion, OWL.intersectionOf, OWL.someValuesFrom,
    OWL.allValuesFrom, OWL.hasValue, OWL.maxCardinality, OWL.maxQualifiedCardinality, OWL.cardinality,
    OWL.qualifiedCardinality, OWL.complementOf, OWL.disjointWith, OWL.AllDisjointClasses, OWL.sameAs,
    OWL.differentFrom, OWL.AllDifferent, OWL.oneOf, OWL.members, OWL.distinctMembers,
}
#: Predicates that make a triple part of the schema rather than data.
_SCHEMA_PREDICATES = {
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, RDF.first, RDF.rest,
    OWL.equivalentClass, OWL.equivalentProperty, OWL.inverseOf, OWL.unionOf,
} | JOINING
_SCHEMA_TYPES = {
    OWL.Class, RDFS.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.SymmetricProperty, OWL.Restriction, OWL.Ontology, RDFS.Datatype,
} | JOINING

_TYPE = RDF.type  # (rdflib's namespace attributes are slow to look up in a loop)

_X = URIRef(BASE + "reasoner-placeholder/subject")
_Y = URIRef(BASE + "reasoner-placeholder/object")


def infer(ontology: Graph, data: Graph) -> Graph:
    """The OWL-RL closure's new triples about Dossier instances (entities, sources, facts)."""
    work = Graph()
    for t in ontology:
        work.add(t)
    for t in data:
        work.add(t)
    _close(work)
    out = Graph()
    for t in work:
        if _keep(t) and t not in data and t not in ontology:
            out.add(t)
    return out


def _close(g: Graph) -> None:
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)


def _keep(t) -> bool:
    s, p, o = t
    if not _is_instance(s) or isinstance(o, BNode):
        return False
    if p in _REFLEXIVE and s == o:
        return False
    return not (p == RDF.type and o in _UNINFORMATIVE_TYPES)


def _is_instance(term) -> bool:
    # str's own startswith: rdflib's override on its terms copies the string first
    return isinstance(term, URIRef) and str.startswith(term, BASE) and not str.startswith(term, _ONTOLOGY_PREFIX)


def decomposable(ontology: Graph) -> bool:
    """True when the ontology has no axiom whose OWL-RL rules join two data triples."""
    return not any(p in JOINING or o in JOINING for _, p, o in ontology)


def is_schema_triple(t) -> bool:
    _, p, o = t
    return p in _SCHEMA_PREDICATES or (p == _TYPE and o in _SCHEMA_TYPES)


class Reasoner:
    """owlrl's OWL-RL inferences for the registry and for one document at a time (see the module docstring)."""

    def __init__(self, ontology: Graph, templates: dict | None = None):
        self.ontology = ontology
        self.decomposable = decomposable(ontology)
        self.templates: dict[tuple, tuple] = dict(templates or {})
        self.new_templates: dict[tuple, tuple] = {}
        self._ontology = frozenset(ontology)
        self._steps: dict[tuple, tuple] = {}  # template key -> its entries, ready to fill in (_fill)
        self._registry: tuple = (None, frozenset())  # (registry graph, its triples as a set)

    @staticmethod
    def key(t) -> tuple:
        _, p, o = t
        return ("type", o) if p == _TYPE else ("property", p)

    def prepare(self, keys: Iterable[tuple]) -> None:
        """Ask owlrl, in one closure, what one triple of each missing kind entails."""
        missing = sorted({k for k in keys if k not in self.templates}, key=lambda k: (k[0], str(k[1])))
        if not missing:
            return
        work = Graph()
        for t in self.ontology:
            work.add(t)
        slots = []
        for i, (kind, term) in enumerate(missing):
            x, y = URIRef(f"{_X}/{i}"), URIRef(f"{_Y}/{i}")
            work.add((x, RDF.type, term) if kind == "type" else (x, term, y))
            slots.append((x, y))
        _close(work)
        found: dict[URIRef, tuple[int, str]] = {}
        for i, (x, y) in enumerate(slots):
            found[x], found[y] = (i, "s"), (i, "o")
        out: list[list] = [[] for _ in missing]
        for s, p, o in work:
            if s not in found:
                continue
            i, role = found[s]
            obj = found[o][1] if o in found else o
            if isinstance(obj, BNode):
                continue
            out[i].append((role, p, obj))
        for key, triples in zip(missing, out):
            self.templates[key] = self.new_templates[key] = tuple(sorted(triples, key=repr))

    def infer_triples(self, triples: Iterable[tuple], asserted) -> set:
        """The filtered inferences of ``triples`` not in ``asserted`` (a graph or set) nor the ontology."""
        triples = list(triples)
        keys = [self.key(t) for t in triples]
        self.prepare(keys)
        asserted = asserted if isinstance(asserted, (set, frozenset)) else set(asserted)
        out = set()
        for (s, _, o), key in zip(triples, keys):
            steps = self._steps.get(key)
            if steps is None:
                steps = self._steps[key] = _fill(self.templates[key])
            for from_subject, p, obj, reflexive in steps:
                subj = s if from_subject else o
                if not _is_instance(subj):
                    continue
                if obj is _SUBJECT or obj is _OBJECT:
                    obj = s if obj is _SUBJECT else o
                    if isinstance(obj, BNode) or (p == _TYPE and obj in _UNINFORMATIVE_TYPES):
                        continue
                if reflexive and subj == obj:
                    continue
                new = (subj, p, obj)
                if new not in asserted and new not in self._ontology:
                    out.add(new)
        return out

    def infer_registry(self, registry: Graph) -> set:
        """Inferences from the entity registry alone."""
        if self.decomposable and not any(is_schema_triple(t) for t in registry):
            return self.infer_triples(registry, registry)
        return set(infer(self.ontology, registry))

    def infer_document(self, doc: Iterable, registry: Graph, registry_inferred: set) -> set:
        """What one document (its graph or triples) adds to the inferences (those of the registry left out)."""
        asserted = doc if isinstance(doc, (set, frozenset)) else set(doc)
        if self.decomposable and not any(is_schema_triple(t) for t in asserted):
            found = self.infer_triples(asserted, asserted)
        else:
            both = Graph()
            for t in registry:
                both.add(t)
            for t in asserted:
                both.add(t)
            found = {t for t in infer(self.ontology, both) if t not in asserted}
        registry = self._triples_of(registry)
        return {t for t in found if t not in registry_inferred and t not in registry}

    def _triples_of(self, registry) -> frozenset:
        """The registry's triples as a set, made once: every document of a build is read against the same registry."""
        if isinstance(registry, (set, frozenset)):
            return registry
        if self._registry[0] is not registry or len(self._registry[1]) != len(registry):
            self._registry = (registry, frozenset(registry))
        return self._registry[1]


_SUBJECT, _OBJECT = "s", "o"  # a template's placeholders, filled in with a data triple's subject and object


def _fill(template: tuple) -> tuple:
    """A template's entries as (from the subject?, predicate, object or placeholder, reflexive predicate?),
    without those the filter (_keep) always drops."""
    out = []
    for role, p, obj in template:
        constant = type(obj) is not str
        if constant and (isinstance(obj, BNode) or (p == _TYPE and obj in _UNINFORMATIVE_TYPES)):
            continue
        out.append((role == "s", p, obj if constant else (_SUBJECT if obj == "s" else _OBJECT), p in _REFLEXIVE))
    return tuple(out)
