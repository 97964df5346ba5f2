"""Agreement between sources as data: the build records each value with its sources, corroboration and disagreement.

Built from a scratch copy of the project plus the model documents (tests/data/model/): four short
texts giving the date of one vote as 11 March 2024, 13 March 2024 (twice from one wire agency's
copy, once first-hand) and March 2024. Queried in Oxigraph, as the endpoint would.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import copy_project, run_dossier
from dossier.graphdir import quad_files
from model_corpus import add_model_documents, answers, built_model_store

PREFIX = "PREFIX dos: <https://w3id.org/dossier/ontology#>\nPREFIX schema: <https://schema.org/>\n"
VOTE = "<https://w3id.org/dossier/id/northland-harbour-vote-2024>"
SLUGS = ["gazette-harbour-vote-2024", "herald-harbour-vote-2024", "courier-harbour-vote-2024", "monthly-harbour-vote-2024"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> ox.Store:
    return built_model_store(copy_project(tmp_path_factory.mktemp("agreement")), SLUGS)


def rows(store: ox.Store, query: str) -> list[tuple]:
    return answers(store, PREFIX + query)


def test_each_value_lists_its_sources_and_counts(store):
    got = rows(store, f"""SELECT ?x ?n ?m WHERE {{ ?v a dos:SourcedValue ; dos:onEntity {VOTE} ;
        dos:onProperty schema:startDate ; dos:value ?x ; dos:sourceCount ?n ; dos:independentSourceCount ?m }}""")
    # two copies of one agency's text count once among independent sources
    assert got == [("2024-03", "1", "1"), ("2024-03-11", "1", "1"), ("2024-03-13", "3", "2")]


def test_corroborated_only_with_independent_sources(store):
    got = rows(store, f"SELECT ?x WHERE {{ ?v a dos:CorroboratedValue ; dos:onEntity {VOTE} ; dos:value ?x }}")
    assert got == [("2024-03-13",)]


def test_conflicting_dates_are_one_disagreement_listing_every_value_with_sources(store):
    got = rows(store, f"""SELECT ?x ?src WHERE {{ ?d a dos:Disagreement ; dos:onEntity {VOTE} ;
        dos:onProperty schema:startDate ; dos:statedValue ?v . ?v dos:value ?x ; dos:statedIn ?src }}""")
    base = "https://w3id.org/dossier/source/"
    assert got == [("2024-03", base + "monthly-harbour-vote-2024"), ("2024-03-11", base + "gazette-harbour-vote-2024"),
                   ("2024-03-13", base + "courier-harbour-vote-2024"), ("2024-03-13", base + "herald-harbour-vote-2024"),
                   ("2024-03-13", base + "monthly-harbour-vote-2024")]


def test_a_coarser_date_is_consistent_not_a_disagreement(store):
    got = rows(store, f"""SELECT ?a ?b WHERE {{ ?v dos:onEntity {VOTE} ; dos:value ?a ; dos:consistentWith ?w .
        ?w dos:value ?b }}""")
    assert got == [("2024-03", "2024-03-11"), ("2024-03", "2024-03-13"), ("2024-03-11", "2024-03"), ("2024-03-13", "2024-03")]


def test_agreeing_sources_make_no_disagreement(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    add_model_documents(root, ["herald-harbour-vote-2024", "monthly-harbour-vote-2024"])
    run_dossier("build", cwd=root, check=True)
    s = ox.Store()
    for f in quad_files(root / "graph"):
        s.bulk_load(path=str(f), format=ox.RdfFormat.N_QUADS)
    assert rows(s, f"SELECT ?d WHERE {{ ?d a dos:Disagreement ; dos:onEntity {VOTE} }}") == []
    assert rows(s, f"SELECT ?x WHERE {{ ?v a dos:CorroboratedValue ; dos:onEntity {VOTE} ; dos:value ?x }}") == [("2024-03-13",)]


def test_one_source_two_values_for_a_single_valued_property_is_a_validate_error(tmp_path: Path):
    root = copy_project(tmp_path / "p")
    add_model_documents(root, ["herald-harbour-vote-2024"])
    mapping = root / "mappings" / "herald-harbour-vote-2024.yaml"
    mapping.write_text(mapping.read_text(encoding="utf-8") + """  - id: vote-date-again
    event: northland-harbour-vote-2024
    date: "2024-03-12"
    quote: EXAMPLE HERALD, 15 March 2024
""", encoding="utf-8")
    proc = run_dossier("validate", cwd=root)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "mappings/herald-harbour-vote-2024.yaml:" in out
    assert "single-valued" in out and "2024-03-12" in out and "2024-03-13" in out


def test_the_derived_graph_passes_the_shapes(store):
    from rdflib import Graph, URIRef

    from conftest import ROOT
    from dossier.namespace import graph_iri
    from dossier.validate import Validator
    from dossier.vocab import load_ontology

    data = Graph()
    for q in store.quads_for_pattern(None, None, None, None):
        name = q.graph_name.value
        if not name.startswith(str(graph_iri("inferred/"))) and name != str(graph_iri("ontology")):
            data.add(tuple(_term(x) for x in (q.subject, q.predicate, q.object)))
    focus = {s for s in data.subjects() if isinstance(s, URIRef) and "/agreement/" in str(s)}
    assert len(focus) >= 4
    validator = Validator(ROOT / "ontology" / "shapes.ttl", load_ontology(ROOT / "ontology" / "dossier.ttl"))
    assert validator.validate(data, focus) == []


def _term(x):
    from rdflib import Literal, URIRef

    if isinstance(x, ox.NamedNode):
        return URIRef(x.value)
    if isinstance(x, ox.Literal):
        return Literal(x.value, lang=x.language, datatype=None if x.language else URIRef(x.datatype.value))
    raise AssertionError(f"unexpected term {x!r}")
