"""Curated background (mappings/curated/memberships.yaml): dated offices and memberships the corpus does not
state, in their own named graph, attributed to the project with a reference and never presented as a
source's statement; a defect in the file is reported by `dossier validate` at its file:line."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_dossier
from dossier.serve.engine import load_store
from model_corpus import answers

CURATED = "mappings/curated/memberships.yaml"
PREFIXES = """PREFIX dos: <https://w3id.org/dossier/ontology#>
PREFIX id: <https://w3id.org/dossier/id/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
"""


@pytest.fixture(scope="module")
def store(built_graph: Path) -> ox.Store:
    return load_store(built_graph)


def rows(store: ox.Store, query: str) -> set[tuple]:
    return set(answers(store, PREFIXES + query))


def test_curated_offices_are_in_their_own_graph_with_dates_and_a_reference(store):
    got = rows(store, """SELECT ?member ?role ?start ?end ?reference WHERE {
        GRAPH <https://w3id.org/dossier/graph/curated> {
          ?m a dos:CuratedMembership ; org:member ?member ; dos:membershipType ?kind ; schema:citation ?reference ;
             prov:wasAttributedTo <https://w3id.org/dossier/project> .
          OPTIONAL { ?m dos:roleName ?role } OPTIONAL { ?m schema:startDate ?start } OPTIONAL { ?m schema:endDate ?end } } }""")
    base = "https://w3id.org/dossier/id/"
    assert (base + "stephen-harper", "Prime Minister", "2006-02-06", "2015-11-04",
            "https://en.wikipedia.org/wiki/Stephen_Harper") in got
    assert (base + "david-kilgour", "Member of Parliament", "1979", "2006",
            "https://en.wikipedia.org/wiki/David_Kilgour") in got


def test_curated_background_is_never_a_sources_statement(store):
    # no quote, no source, not a dos:Fact even with the inferences: a query for sourced facts never returns it
    wrong = rows(store, """SELECT ?m WHERE { ?m a dos:CuratedMembership .
        { ?m prov:wasDerivedFrom ?src } UNION { ?e oa:hasBody ?m } UNION { ?m a dos:Fact } UNION { ?m a dos:Membership } }""")
    assert wrong == set()
    # yet one pattern finds sourced and curated memberships alike, told apart by class
    both = rows(store, """SELECT DISTINCT ?curated WHERE { ?m a org:Membership ; org:member id:david-kilgour .
        BIND (EXISTS { ?m a dos:CuratedMembership } AS ?curated) }""")
    assert both == {("true",), ("false",)}


def test_validate_names_file_and_line_of_each_defect(project: Path):
    path = project / CURATED
    path.write_text(path.read_text(encoding="utf-8") + """- id: ana-prime-minister
  member: stephen-harpr
  organization: government-of-canada
  kind: ofice
  start: "2015"
  end: "2006"
  citation: wiki/Stephen_Harper
- id: no-reference
  member: stephen-harper
  organization: canada
  kind: office
""", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    at = {text: i + 1 for i, text in enumerate(lines) if i >= len(lines) - 11}
    proc = run_dossier("validate", cwd=project)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    where = f"{CURATED}:"
    assert f"{where}{at['  member: stephen-harpr']}: curated membership ana-prime-minister: unknown entity id 'stephen-harpr' (did you mean 'stephen-harper'?)" in out
    assert f"{where}{at['  kind: ofice']}: curated membership ana-prime-minister: kind 'ofice' is not one of" in out
    end = at['  end: "2006"']
    assert f"{where}{end}: curated membership ana-prime-minister: end 2006 is before start 2015" in out
    assert f"{where}{at['  citation: wiki/Stephen_Harper']}: curated membership ana-prime-minister: 'wiki/Stephen_Harper' is a relative IRI" in out
    assert f"{where}{at['- id: no-reference']}: curated membership no-reference: missing required key 'citation'" in out
    assert f"{where}{at['  organization: canada']}: curated membership no-reference: 'canada' is a Place; organization must be a Organization" in out
