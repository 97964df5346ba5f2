"""Data tests over the entity registry: it reads without problems (which include a Wikidata row per entity and
neutral wording, checked by `dossier validate`), and each entity is used by some document."""

from __future__ import annotations


import pytest
from rdflib import Graph
from rdflib.namespace import OWL

from conftest import ROOT, copy_project, run_dossier
from dossier.graphdir import quad_files
from dossier.namespace import entity_iri
from dossier.problems import Problems
from dossier.registry import load_registry
from dossier.serve.engine import load_store
from dossier.vocab import entity_classes, load_ontology

ONTOLOGY = load_ontology(ROOT / "ontology" / "dossier.ttl")
_problems = Problems()
REGISTRY = load_registry(ROOT, set(entity_classes(ONTOLOGY)), _problems)


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


def test_links_point_at_entities_and_never_use_owl_sameAs(built_graph):
    g = Graph()
    for path in quad_files(built_graph):
        g.parse(path, format="nquads")
    assert not list(g.triples((None, OWL.sameAs, None)))


def test_validate_reports_a_missing_wikidata_row_and_a_judging_description_at_their_lines(tmp_path):
    """Registry rules are checked by `dossier validate` (and so by every build), not only here."""
    root = copy_project(tmp_path / "p")
    table = root / "mappings" / "wikidata.sssom.tsv"
    table.write_text("".join(line for line in table.read_text(encoding="utf-8").splitlines(keepends=True)
                             if not line.startswith("dossier:mehr-center\t")), encoding="utf-8")
    orgs = root / "mappings" / "entities" / "organizations.yaml"
    text = orgs.read_text(encoding="utf-8")
    assert "  description: Iranian news agency.\n" in text
    orgs.write_text(text.replace("  description: Iranian news agency.\n", "  description: Notorious Iranian news agency.\n"),
                      encoding="utf-8")
    proc = run_dossier("validate", cwd=root)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    mehr, fars = REGISTRY.entities["mehr-center"], REGISTRY.entities["fars-news-agency"]
    assert f"{mehr.file}:{mehr.line}: mehr-center: no row in mappings/wikidata.sssom.tsv" in out
    assert f"{fars.file}:{fars.line}: fars-news-agency: 'Notorious' in the description is a judgement" in out
