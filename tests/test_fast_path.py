"""The build's fast path gives what the reference engines give: owlrl for inferences, pyshacl for violations.

The fast path is the Reasoner's per-triple templates (reason.py) and the Validator (validate.py:
the simplest property shapes checked in Python by shapecheck.py, SPARQL constraints in Oxigraph,
pyshacl on the rest, only for the document's own nodes). The references are owlrl's closure and
plain pyshacl over the same data with the ontology. Compared on every shapes example
(tests/data/valid and invalid), on each document of the corpus, and on the corpus with one defect
of each kind planted; `python -m bench.equivalence` compares them on the benchmark corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from conftest import ROOT
from dossier import validate as validate_module
from dossier.build.document import process_document
from dossier.build.fastpath import compare_document, reference_violations
from dossier.build.plan import load_shared, mapping_files
from dossier.cache import Cache
from dossier.namespace import DOS, OA, SCHEMA
from dossier.problems import Problems
from dossier.reason import Reasoner, infer
from dossier.turtle import parse_turtle
from dossier.validate import Validator

DATA = Path(__file__).resolve().parent / "data"
EXAMPLES = sorted((DATA / "valid").glob("*.ttl")) + sorted((DATA / "invalid").glob("*.ttl"))
SHAPES = ROOT / "ontology" / "shapes.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return parse_turtle(ROOT / "ontology" / "dossier.ttl", "ontology/dossier.ttl")


@pytest.fixture(scope="module")
def validator(ontology) -> Validator:
    return Validator(SHAPES, ontology)


def test_the_fast_path_is_taken(validator, ontology):
    """Most property shapes are checked without pyshacl, and the ontology lets reasoning go triple by triple."""
    assert len(validator.compiled) >= 40, [c.name for c in validator.compiled]
    assert validator.checks, "SPARQL constraints run in Oxigraph"
    assert Reasoner(ontology).decomposable


def test_entity_shapes_are_checked_in_python(validator):
    """A node shape's own sh:or and sh:not (with its own sh:message) are checked without pyshacl."""
    node_level = {c.name for c in validator.compiled if not c.path}
    assert {"EntityShape", "PersonShape", "LegislationShape"} <= node_level, node_level


def _edit(example: str, change):
    def run():
        g = parse_turtle(DATA / "valid" / f"{example}.ttl", f"tests/data/valid/{example}.ttl")
        change(g)
        return g
    return run


def _node(g: Graph, cls) -> URIRef:
    return sorted(g.subjects(RDF.type, cls), key=str)[0]


def _set(cls, p, value):
    return lambda g: g.set((_node(g, cls), p, value))


_LEGISLATION_TOO = DOS.Legislation
#: Values at and past the edges of what shapecheck.py checks itself: value ranges (pyshacl's
#: comparison: ill-typed, string and other-typed literals, IRIs), sh:flags, a node shape's own
#: sh:or of property shapes, and sh:not with a class reached through rdfs:subClassOf.
EDGES = {
    "value-negative": _edit("Quantity", _set(DOS.Quantity, SCHEMA.value, Literal(-1))),
    "value-zero": _edit("Quantity", _set(DOS.Quantity, SCHEMA.value, Literal(0))),
    "value-ill-typed": _edit("Quantity", _set(DOS.Quantity, SCHEMA.value, Literal("twelve", datatype=XSD.integer))),
    "value-plain-string": _edit("Quantity", _set(DOS.Quantity, SCHEMA.value, Literal("12"))),
    "value-decimal": _edit("Quantity", _set(DOS.Quantity, SCHEMA.value, Literal("0.5", datatype=XSD.decimal))),
    "value-iri": _edit("Quantity", _set(DOS.Quantity, SCHEMA.value, DOS.Quantity)),
    "language-upper-case": _edit("Source", _set(DOS.Source, SCHEMA.inLanguage, Literal("PT-br"))),
    "language-underscore": _edit("Source", _set(DOS.Source, SCHEMA.inLanguage, Literal("pt_BR"))),
    "language-tagged": _edit("Source", _set(DOS.Source, SCHEMA.inLanguage, Literal("pt", lang="en"))),
    "entity-neither-link-nor-status": _edit("Entity", lambda g: g.remove((None, DOS.wikidataStatus, None))),
    "entity-literal-link": _edit("Entity", _set(DOS.Person, SKOS.exactMatch, Literal("Q1"))),
    "entity-both": _edit("Entity", _set(DOS.Organization, DOS.wikidataStatus, Literal("also a status"))),
    "person-and-agent-subclass": _edit("Entity", lambda g: g.add((_node(g, DOS.Person), RDF.type, DOS.Organization))),
    "legislation-a-person": _edit("Legislation", lambda g: g.add((_node(g, _LEGISLATION_TOO), RDF.type, DOS.Person))),
    "legislation-a-literal-type": _edit("Legislation", lambda g: g.add((_node(g, _LEGISLATION_TOO), RDF.type, Literal("x")))),
}


@pytest.mark.parametrize("edge", sorted(EDGES))
def test_edge_values_give_the_same_violations(edge, validator):
    triples = list(EDGES[edge]())
    subjects = {s for s, _, _ in triples if isinstance(s, URIRef)}
    reference = reference_violations(validator, triples, subjects)
    assert validator.validate(triples, subjects) == reference
    assert validator.validate(triples) == reference_violations(validator, triples)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_same_violations_and_inferences_on_each_shapes_example(example, validator, ontology):
    data = parse_turtle(example, example.relative_to(ROOT).as_posix())
    triples = list(data)
    reference = reference_violations(validator, triples)
    assert validator.validate(triples) == reference
    subjects = {s for s in data.subjects() if isinstance(s, URIRef)}
    assert validator.validate(triples, subjects) == [v for v in reference if URIRef(v.focus) in subjects]
    if example.parent.name == "invalid":
        assert reference, f"{example.name} fails its shape"
    fast = Reasoner(ontology).infer_registry(data)
    assert fast == set(infer(ontology, data)) - set(data)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    root = tmp_path_factory.mktemp("fastpath")
    for name in ("documents", "mappings", "ontology"):
        (root / name).symlink_to(ROOT / name)
    found = Problems()
    shared = load_shared(ROOT, Cache(root), found)
    assert shared is not None and not found
    return shared


@pytest.mark.parametrize("mapping", mapping_files(ROOT), ids=lambda p: p.stem)
def test_same_violations_and_inferences_on_each_document(mapping, shared):
    result = compare_document(shared, mapping)
    assert result.inferences == result.reference_inferences
    assert result.violations == result.reference_violations == []


@pytest.mark.parametrize("mapping", mapping_files(ROOT), ids=lambda p: p.stem)
def test_no_document_runs_pyshacl(mapping, shared, monkeypatch):
    """Every shape that can target a document's nodes is checked in Python or in Oxigraph.

    A shape using a constraint shapecheck.py does not know sends every document it may target
    through pyshacl: teach shapecheck.py the constraint (with a case in EDGES below).
    """
    calls = []
    real = validate_module._pyshacl
    monkeypatch.setattr(validate_module, "_pyshacl", lambda *a: calls.append(a) or real(*a))
    result, _, problems = process_document(shared, mapping)
    assert result is not None and not problems, problems
    assert not calls, f"pyshacl ran; shapes left to it target {shared.validator.core_classes}"


def test_same_violations_with_a_defect_of_each_kind_planted(shared):
    """The smallest document, broken six ways: the fast path and pyshacl report the same."""
    mapping = min(mapping_files(ROOT), key=lambda p: p.stat().st_size)

    def plant(g: Graph) -> None:
        statement = next(s for s in g.subjects(RDF.type, DOS.Statement))
        g.remove((statement, RDFS.label, None))
        g.add((statement, DOS.statementType, Literal("not a concept")))
        position = next(g.subjects(RDF.type, OA.TextPositionSelector))
        g.remove((position, OA.start, None))  # (an ill-typed start: Oxigraph and rdflib's SPARQL differ on it)
        source = next(g.subjects(RDF.type, DOS.Source))
        g.set((source, SCHEMA.sha256, Literal("0" * 64)))
        g.add((source, SCHEMA.url, Literal("relative/path", datatype=XSD.anyURI)))
        g.add((source, SCHEMA.datePublished, Literal("2012-13", datatype=XSD.gYearMonth)))
        quote = next(g.subjects(RDF.type, OA.TextQuoteSelector))
        g.set((quote, OA.exact, Literal("")))
        g.add((next(g.subjects(RDF.type, DOS.Evidence)), SKOS.note, Literal("untouched by any shape")))

    result = compare_document(shared, mapping, plant)
    assert len(result.reference_violations) >= 6, result.reference_violations
    assert result.violations == result.reference_violations
