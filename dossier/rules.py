"""The SHACL-AF SPARQL rules of ontology/rules.ttl: inferences that join several triples, run in Oxigraph.

OWL-RL as the build runs it (reason.py) draws what follows from one triple at a time; a rule such
as "who holds an office in a body of a state is a politician" joins a membership, its body and
the body's government, so it is written as a SPARQL rule (sh:SPARQLRule, a CONSTRUCT) on a node
shape, as SHACL Advanced Features define them: the rule runs once per focus node of the shape
($this), the nodes its sh:targetClass, sh:targetSubjectsOf or sh:targetNode select. Rules are
applied until nothing new follows. pyshacl's ``shacl_rules`` is the reference the tests compare with.

The focus nodes are taken from the triples given as input; ``context`` (the registry entities a
document names) is only joined with, so a document's inferences hold what follows from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from .serialize import from_oxigraph, triples_to_oxigraph

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetNode)


@dataclass(frozen=True)
class Rule:
    shape: URIRef
    query: str  # the CONSTRUCT with its prefixes, $this written ?this
    targets: tuple[tuple[URIRef, URIRef], ...]  # (target predicate, value)

    def focus(self, triples: Iterable[tuple]) -> set:
        """The focus nodes among ``triples``: typed with a target class, subjects of a target predicate, or named."""
        by = {}
        for p, v in self.targets:
            by.setdefault(p, set()).add(v)
        classes, predicates = by.get(SH.targetClass, set()), by.get(SH.targetSubjectsOf, set())
        rdf_type = RDF.type  # once: rdflib's namespace attributes are slow, and this runs per triple of a document
        found = {s for s, p, o in triples if (p == rdf_type and o in classes) or p in predicates}
        return found | by.get(SH.targetNode, set())


class Rules:
    """The rules of one rules graph, ready to run over any set of triples."""

    def __init__(self, graph: Graph | None = None, where: str = "ontology/rules.ttl"):
        self.rules: list[Rule] = []
        if graph is None:
            return
        for shape, rule in sorted(graph.subject_objects(SH.rule)):
            if (rule, RDF.type, SH.SPARQLRule) not in graph:
                raise ValueError(f"{where}: {shape}: only sh:SPARQLRule rules are supported")
            construct = str(graph.value(rule, SH.construct) or "")
            if not _WHERE.search(construct):
                raise ValueError(f"{where}: {shape}: a rule is one CONSTRUCT ... WHERE {{ ... }}")
            prefixes = sorted(f"PREFIX {graph.value(d, SH.prefix)}: <{graph.value(d, SH.namespace)}>"
                              for node in graph.objects(rule, SH.prefixes) for d in graph.objects(node, SH.declare))
            query = "\n".join(prefixes) + "\n" + construct.replace("$this", "?this")
            targets = tuple(sorted((p, v) for p in _TARGETS for v in graph.objects(shape, p)))
            self.rules.append(Rule(shape, query, targets))

    def infer(self, triples: Iterable[tuple], context: Iterable[tuple] = ()) -> set:
        """Every triple the rules give from ``triples`` (joined with ``context``) that neither holds."""
        triples = set(triples)
        known = triples | set(context)
        new: set = set()
        focus_from = triples
        while self.rules:
            todo = [(rule, rule.focus(focus_from)) for rule in self.rules]
            todo = [(rule, nodes) for rule, nodes in todo if nodes]
            if not todo:
                break
            store = ox.Store()
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples_to_oxigraph(known))
            found = set()
            for rule, nodes in todo:
                values = "VALUES ?this { " + " ".join(f"<{n}>" for n in sorted(nodes)) + " }\n"
                query = _WHERE.sub(lambda m: m.group(0) + "\n" + values, rule.query, count=1)
                for t in store.query(query):
                    found.add((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
            found -= known
            if not found:
                break
            new |= found
            known |= found
            focus_from = found
        return new

    def infer_with(self, reasoner, triples: list, context: list = ()) -> set:
        """What the rules give from ``triples`` (joined with ``context``) and what OWL-RL (``reasoner``, a
        reason.Reasoner) draws from that, less what ``triples`` and ``context`` hold."""
        ruled = self.infer(triples, context)
        if not ruled:
            return set()
        return (ruled | reasoner.infer_triples(sorted(ruled), ruled)) - set(triples) - set(context)
