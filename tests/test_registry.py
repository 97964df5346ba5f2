"""Data tests over the entity registry, one per entity: each is used by some document and labelled neutrally."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph
from rdflib.namespace import OWL

from conftest import ROOT
from dossier.graphdir import quad_files
from dossier.namespace import entity_iri
from dossier.problems import Problems
from dossier.registry import load_registry
from dossier.serve.engine import load_store
from dossier.vocab import entity_classes, load_ontology

ONTOLOGY = load_ontology(ROOT / "ontology" / "dossier.ttl")
_problems = Problems()
REGISTRY = load_registry(ROOT, set(entity_classes(ONTOLOGY)), _problems)
# Words that judge rather than describe belong in Statements, not in labels or descriptions.
LOADED = re.compile(r"\b(cult|notorious|regime|genocide|fascist|extremist|militant)\b", re.I)


def test_registry_reads_without_problems():
    assert not _problems, "\n".join(p.human() for p in _problems.items)


@pytest.fixture(scope="module")
def used_in_sources(built_graph) -> set[str]:
    """Entity IRIs that some source's named graph mentions or states something about."""
    store = load_store(built_graph)
    rows = store.query("""
        SELECT DISTINCT ?e WHERE {
            GRAPH ?g { { ?e ?p ?o } UNION { ?s ?p ?e } }
            FILTER (STRSTARTS(STR(?g), "https://w3id.org/dossier/graph/")
                    && !STRSTARTS(STR(?g), "https://w3id.org/dossier/graph/inferred/")
                    && !(?g IN (<https://w3id.org/dossier/graph/entities>, <https://w3id.org/dossier/graph/ontology>)))
            FILTER (STRSTARTS(STR(?e), "https://w3id.org/dossier/id/"))
        }""")
    return {row["e"].value for row in rows}


@pytest.mark.parametrize("entity", sorted(REGISTRY.entities))
def test_entity_is_used_by_a_document(entity, used_in_sources):
    used = str(entity_iri(entity)) in used_in_sources
    assert used, (f"registry entity '{entity}' is not used by any mapping: mention it in the document that names it "
                  f"(mappings/<slug>.yaml, mentions:) or remove it from {REGISTRY.entities[entity].file}")


@pytest.mark.parametrize("entity", sorted(REGISTRY.entities))
def test_label_and_description_are_neutral(entity):
    e = REGISTRY.entities[entity]
    for text in (e.label, e.description or ""):
        m = LOADED.search(text)
        assert not m, f"{e.file}:{e.line}: '{m.group(0)}' in '{text}' is a judgement: say it in a Statement instead"


def test_links_point_at_entities_and_never_use_owl_sameAs(built_graph):
    g = Graph()
    for path in quad_files(built_graph):
        g.parse(path, format="nquads")
    assert not list(g.triples((None, OWL.sameAs, None)))


@pytest.mark.parametrize("entity", sorted(REGISTRY.entities))
def test_entity_has_a_reviewed_wikidata_row(entity):
    assert entity in REGISTRY.links, (
        f"{entity} has no row in mappings/wikidata.sssom.tsv: add one with its confirmed QID, or with "
        "sssom:NoTermFound while none is confirmed (`dossier link` proposes candidates)")
