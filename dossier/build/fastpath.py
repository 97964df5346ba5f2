"""The per-document step's fast path set against the reference engines, for tests and benchmarks.

The build reasons with the Reasoner's templates and validates with the Validator (see reason.py,
validate.py, shapecheck.py). Here the same document is also closed by owlrl with the ontology
and the registry, and validated by plain pyshacl over the same triples, so the two can be compared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..mapping import read_document
from ..problems import Problems
from ..reason import infer
from ..validate import Validator, Violation, shacl
from .document import check_document, owner, validation_input
from .plan import Shared


def reference_violations(validator: Validator, triples: list, focus: set | None = None) -> list[Violation]:
    """Plain pyshacl with every shape over ``triples`` and the ontology, kept to ``focus`` nodes if given."""
    found = shacl(_graph(triples), validator.path, validator.ontology)
    if focus is not None:
        keep = {str(n) for n in focus}
        found = [v for v in found if v.focus in keep]
    return found


@dataclass
class Comparison:
    inferences: set
    reference_inferences: set
    violations: list
    reference_violations: list


def compare_document(shared: Shared, path: Path, change: Callable[[Graph], None] | None = None) -> Comparison:
    """The fast path's and the references' inferences and violations for one document (after ``change``)."""
    problems = Problems()
    doc = read_document(shared.root, path, shared.ctx, problems)
    if doc is None:
        raise ValueError(f"{path} does not read: {problems.items[:3]}")
    if change is not None:
        change(doc.graph)
    fast = shared.reasoner.infer_document(doc.graph, shared.registry, shared.registry_inferred)
    both = _graph(list(shared.registry) + list(doc.graph))
    reference = {t for t in infer(shared.ontology, both) if t not in doc.graph}
    reference = {t for t in reference if t not in shared.registry_inferred and t not in shared.registry}
    checked, focus = validation_input(shared, list(doc.graph) + sorted(fast), owner(doc.slug))
    violations, _ = check_document(shared, doc.slug, list(doc.graph), sorted(fast))  # as the build validates
    return Comparison(fast, reference, violations, reference_violations(shared.validator, checked, focus))


def _graph(triples) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g
