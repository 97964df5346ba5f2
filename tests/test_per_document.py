"""The build works one document at a time; these check it gets what whole-graph processing gets.

- reasoning: the union of what each document adds (plus the registry's inferences) is owlrl's
  closure of the whole graph (dossier.reason.infer), on the real corpus;
- validation: the Validator (pyshacl for core shapes, Oxigraph for SPARQL constraints) finds
  exactly the violations plain pyshacl finds, on a graph with one defect of each kind planted;
- serialization: each file of graph/ holds one named graph, as the library writes it, sorted,
  and the manifest's counts and checksums are the files'.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD

from conftest import ROOT
from dossier import serialize
from dossier.graphdir import file_of, quad_files, read_manifest
from dossier.namespace import BASE, DOS, OA, SCHEMA, graph_iri
from dossier.reason import Reasoner, decomposable, infer
from dossier.rules import Rules
from dossier.turtle import parse_turtle
from dossier.validate import Validator, shacl

INFERRED, ONTOLOGY, ENTITIES = graph_iri("inferred"), graph_iri("ontology"), graph_iri("entities")
AGREEMENT = graph_iri("agreement")  # derived from the others after reasoning (dossier/agreement.py)
AGREEMENT_INFERRED = graph_iri("inferred/agreement")  # its own inferences, kept apart from the sources' ones


def graphs_of(graph_dir: Path) -> dict[URIRef, Graph]:
    """The named graphs of graph/, the inferences of every source and of the registry together as INFERRED
    (those of the agreement graph apart, as AGREEMENT_INFERRED)."""
    ds = Dataset()
    for path in quad_files(graph_dir):
        ds.parse(path, format="nquads")
    out: dict[URIRef, Graph] = {}
    for s, p, o, g in ds.quads():
        name = g if g == AGREEMENT_INFERRED else INFERRED if str(g).startswith(f"{INFERRED}/") else g
        out.setdefault(name, Graph()).add((s, p, o))
    return out


@pytest.fixture(scope="module")
def built(built_graph) -> dict[URIRef, Graph]:
    return graphs_of(built_graph)


def test_union_of_per_document_inferences_is_the_whole_graph_inference(built):
    ontology = built[ONTOLOGY]
    data = Graph()
    for name, g in built.items():
        if name not in (INFERRED, ONTOLOGY, AGREEMENT, AGREEMENT_INFERRED):
            for t in g:
                data.add(t)
    # the definition: the SPARQL rules of ontology/rules.ttl (they join triples), then OWL-RL over all
    ruled = Rules(parse_turtle(ROOT / "ontology" / "rules.ttl")).infer(data)
    assert ruled, "the rules infer politicians from the corpus"
    for t in ruled:
        data.add(t)
    whole = set(infer(ontology, data)) | ruled
    assert whole, "the corpus yields inferences"
    built_inferred = set(built[INFERRED])
    assert not (whole - built_inferred), f"missing from graph/: {sorted(whole - built_inferred)[:5]}"
    assert not (built_inferred - whole), f"not in the whole-graph closure: {sorted(built_inferred - whole)[:5]}"


def test_the_agreement_graphs_inferences_are_its_closure_about_its_own_nodes(built):
    """The agreement graph is reasoned over like the others: its file of inferences is owlrl's closure of it,
    narrowed to its own nodes (what the closure says of entities and sources, their own graphs say)."""
    own = f"{BASE}agreement/"
    whole = {t for t in infer(built[ONTOLOGY], built[AGREEMENT]) if str(t[0]).startswith(own)}
    assert whole, "the corpus' agreement graph yields inferences"
    assert whole == set(built[AGREEMENT_INFERRED])


def test_each_file_is_its_graph_serialized_and_the_manifest_says_so(built_graph):
    """Each file holds exactly one named graph, byte for byte what serializing that graph gives."""
    files = read_manifest(built_graph)
    assert {f.file for f in files} == {p.relative_to(built_graph).as_posix() for p in built_graph.rglob("*.nq")}
    for f in files:
        data = (built_graph / f.file).read_bytes()
        assert f.file == file_of(f.graph)
        assert (f.triples, f.sha256) == (data.count(b"\n"), hashlib.sha256(data).hexdigest()), f.file
        g = Dataset()
        g.parse(data=data, format="nquads")
        assert {str(c) for _, _, _, c in g.quads()} == {f.graph}, f.file
        assert serialize.nquads(URIRef(f.graph), [(s, p, o) for s, p, o, _ in g.quads()]) == data, f.file


def test_per_document_closure_matches_templates(built):
    """The two ways the Reasoner reasons over one document agree (owlrl closure vs per-triple templates)."""
    ontology, registry = built[ONTOLOGY], built[ENTITIES]
    assert decomposable(ontology), "the ontology has an axiom joining two data triples: builds reason per document"
    fast = Reasoner(ontology)
    slow = Reasoner(ontology)
    slow.decomposable = False
    reg_inferred = fast.infer_registry(registry)
    assert reg_inferred == slow.infer_registry(registry)
    name = sorted(n for n, g in built.items() if _is_source(g))[0]
    assert fast.infer_document(built[name], registry, reg_inferred) == slow.infer_document(built[name], registry, reg_inferred)


def _is_source(g: Graph) -> bool:
    """Whether a named graph is a source document's (not the registry, curated background, agreement or ontology)."""
    return (None, RDF.type, DOS.Source) in g


def _one_document(built) -> tuple[Graph, URIRef]:
    """The registry, the smallest document and the inferences about their nodes."""
    docs = sorted((len(g), n) for n, g in built.items() if _is_source(g))
    name = docs[0][1]
    data = Graph()
    for t in list(built[ENTITIES]) + list(built[name]):
        data.add(t)
    subjects = set(data.subjects())
    for t in built[INFERRED]:
        if t[0] in subjects:
            data.add(t)
    return data, name


def test_validator_finds_what_pyshacl_finds(built):
    ontology = built[ONTOLOGY]
    shapes = ROOT / "ontology" / "shapes.ttl"
    data, name = _one_document(built)
    validator = Validator(shapes, ontology)
    assert validator.checks, "the SPARQL constraints run in Oxigraph"
    assert validator.validate(data) == [] == shacl(data, shapes, ontology)

    # plant one defect of each kind
    statement = next(s for s in data.subjects(RDF.type, DOS.Statement) if str(s).startswith(BASE + "fact/"))
    data.remove((statement, RDFS.label, None))
    position = next(data.subjects(RDF.type, OA.TextPositionSelector))
    start = data.value(position, OA.start)
    data.set((position, OA.start, Literal(int(start) + 1, datatype=XSD.nonNegativeInteger)))
    entity = next(data.subjects(RDF.type, DOS.Organization))
    data.add((entity, SKOS.prefLabel, Literal("A second preferred label", lang="en")))
    event = next(data.subjects(RDF.type, DOS.Event))
    data.add((event, SCHEMA.startDate, Literal("2012-13", datatype=XSD.gYearMonth)))
    source = next(data.subjects(RDF.type, DOS.Source))
    data.set((source, SCHEMA.sha256, Literal("0" * 64)))

    fast = validator.validate(data)
    slow = shacl(data, shapes, ontology)
    assert len(fast) >= 5
    assert fast == slow
