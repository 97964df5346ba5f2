"""Data tests over the entity registry: it reads without problems, and `dossier validate` reports each registry
rule (a Wikidata row per entity, neutral wording, every entity named by some document) at its file:line."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL

from conftest import ROOT, copy_project, run_dossier
from dossier.graphdir import quad_files
from dossier.problems import Problems
from dossier.registry import load_registry
from dossier.vocab import entity_classes, load_ontology

ONTOLOGY = load_ontology(ROOT / "ontology" / "dossier.ttl")
_problems = Problems()
REGISTRY = load_registry(ROOT, set(entity_classes(ONTOLOGY)), _problems)


def test_registry_reads_without_problems():
    assert not _problems, "\n".join(p.human() for p in _problems.items)


def test_validate_reports_an_entity_no_document_names_at_its_line(tmp_path):
    """The rule "every registry entity is named by some document" is checked by `dossier validate`
    (and so by every build), at the registry entry's line: here a record no mapping mentions."""
    root = copy_project(tmp_path / "p")
    orgs = root / "mappings" / "entities" / "organizations.yaml"
    text = orgs.read_text(encoding="utf-8")
    line = text.count("\n") + 1
    orgs.write_text(text + "- id: example-unnamed-board\n  type: Organization\n  label: Example Unnamed Board\n"
                    "  description: Fictional board used in the project's tests.\n", encoding="utf-8")
    with open(root / "mappings" / "wikidata.sssom.tsv", "a", encoding="utf-8") as out:
        out.write("dossier:example-unnamed-board\tExample Unnamed Board\tskos:exactMatch\tsssom:NoTermFound\t\t"
                  "semapv:ManualMappingCuration\tdossier:curators\t2026-11-29\tfictional test entity\n")
    proc = run_dossier("validate", cwd=root)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"mappings/entities/organizations.yaml:{line}: example-unnamed-board: no document names this entity" in out
    assert out.count("no document names this entity") == 1, out


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
