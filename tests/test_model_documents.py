"""The claim model end to end: a short wire story written for the tests, mapped through the documented path.

tests/data/model/wire-northland-listing-2024 uses every new mapping field (credit, excerpt, a
country as shorthand for its government, legal basis, the motion that called for a listing and
the demand pointing at it, quantities with a qualifier and a part, an office held, an unnamed
speaker, several claimants, a report of several statements, a date note and an event series). It
is built into a scratch copy of the project and queried in Oxigraph over the union of graphs.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from conftest import copy_project, run_dossier
from model_corpus import add_model_documents, answers, built_model_store

PREFIXES = """PREFIX dos: <https://w3id.org/dossier/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <https://w3id.org/dossier/id/>
PREFIX fact: <https://w3id.org/dossier/fact/wire-northland-listing-2024/>
PREFIX src: <https://w3id.org/dossier/source/>
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> ox.Store:
    return built_model_store(copy_project(tmp_path_factory.mktemp("model")), ["wire-northland-listing-2024"])


def rows(store: ox.Store, query: str) -> set[tuple]:
    return set(answers(store, PREFIXES + query))


def test_source_credit_excerpt_and_genre_apart_from_byline_and_publisher(store):
    got = rows(store, """SELECT ?credit ?publisher ?excerpt ?genre WHERE { src:wire-northland-listing-2024
        dos:credit ?credit ; schema:publisher ?publisher ; dos:excerpt ?excerpt ; dos:genre ?genre }""")
    assert got == {("https://w3id.org/dossier/id/example-wire", "https://w3id.org/dossier/id/example-herald", "true",
                    "https://w3id.org/dossier/ontology/genre/wire-report")}


def test_a_country_named_as_authority_is_its_government_and_the_state_finds_it(store):
    got = rows(store, """SELECT ?authority WHERE { fact:listing dos:authority ?authority .
        ?authority org:subOrganizationOf* ?gov . ?gov dos:governmentOf id:northland }""")
    assert got == {("https://w3id.org/dossier/id/government-of-northland",)}


def test_listing_law_motion_and_demand_are_linked(store):
    got = rows(store, """SELECT ?law ?motion ?demand WHERE { fact:listing dos:legalBasis ?law ; dos:calledForIn ?motion .
        ?law a dos:Legislation . ?demand dos:callsFor fact:listing }""")
    assert got == {("https://w3id.org/dossier/id/example-security-act",
                    "https://w3id.org/dossier/id/northland-assembly-motion-2024",
                    "https://w3id.org/dossier/fact/wire-northland-listing-2024/motion-asks")}


def test_relative_date_keeps_its_note_and_every_date_is_a_dcterms_date(store):
    notes = rows(store, "SELECT ?note WHERE { ?e oa:hasBody fact:listing ; dos:dateNote ?note }")
    assert notes == {("'on Wednesday' in a wire dated Thursday 20 June 2024",)}
    dated = rows(store, """SELECT ?x ?d WHERE { VALUES ?x { fact:listing fact:ana-interior-minister
        src:wire-northland-listing-2024 } ?x dcterms:date ?d }""")
    base = "https://w3id.org/dossier/"
    assert dated == {(base + "fact/wire-northland-listing-2024/listing", "2024-06-19"),
                     (base + "fact/wire-northland-listing-2024/ana-interior-minister", "2021"),
                     (base + "source/wire-northland-listing-2024", "2024-06-20")}


def test_quantities_keep_qualifier_bound_and_part(store):
    got = rows(store, """SELECT ?q ?v ?min ?whole ?group WHERE { ?q a dos:Quantity ; dos:quantityOf id:springfield-raid-2024 ;
        schema:value ?v . OPTIONAL { ?q schema:minValue ?min } OPTIONAL { ?q dos:subsetOf ?whole }
        OPTIONAL { ?q dos:group ?group } }""")
    fact = "https://w3id.org/dossier/fact/wire-northland-listing-2024/"
    assert got == {(fact + "raid-killed", "12", None, None, None),
                   (fact + "raid-residents-killed", "5", "5", fact + "raid-killed", "residents of Springfield")}


def test_unnamed_speaker_is_described_and_not_the_author(store):
    got = rows(store, """SELECT ?label ?isAuthor WHERE { fact:families-overdue dos:speaker ?s . ?s a dos:DescribedAgent ;
        rdfs:label ?label . BIND (EXISTS { src:wire-northland-listing-2024 schema:author ?s } AS ?isAuthor) }""")
    assert got == {("families of the victims", "false")}


def test_several_claimants_and_several_reported_statements(store):
    claimants = rows(store, "SELECT ?c WHERE { ?e oa:hasBody fact:association-rejects ; dos:claimedBy ?c }")
    assert claimants == {("https://w3id.org/dossier/id/example-gazette",), ("https://w3id.org/dossier/id/example-herald",)}
    reported = rows(store, "SELECT ?r WHERE { fact:papers-report dos:reports ?r }")
    assert {r[0].rsplit("/", 1)[-1] for r in reported} == {"association-rejects", "families-overdue"}


def test_office_held_with_its_start_and_event_in_its_series(store):
    got = rows(store, """SELECT ?role ?start WHERE { fact:ana-interior-minister org:member id:ana-example ;
        org:organization id:government-of-northland ; dos:roleName ?role ; schema:startDate ?start }""")
    assert got == {("Interior Minister", "2021")}
    assert rows(store, "SELECT ?s WHERE { id:springfield-raid-2024 schema:superEvent ?s }") == {
        ("https://w3id.org/dossier/id/northland-raids",)}


def test_a_country_without_a_government_cannot_be_an_authority(tmp_path):
    root = copy_project(tmp_path / "p")
    add_model_documents(root, ["wire-northland-listing-2024"])
    registry = root / "mappings" / "entities" / "model.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("  government_of: northland\n", ""), encoding="utf-8")
    proc = run_dossier("validate", cwd=root)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "mappings/wire-northland-listing-2024.yaml:" in out and "'northland' is a place, which cannot act" in out


def test_an_edition_whose_organizer_is_stated_only_for_its_series(tmp_path):
    """tests/data/model/gazette-harbour-forum-2024 states the organizer once, for the yearly forum; the
    example query finds the 2024 edition through schema:superEvent and marks the role as the series'."""
    from conftest import ROOT

    store = built_model_store(copy_project(tmp_path / "p"), ["gazette-harbour-forum-2024"])
    query = (ROOT / "queries" / "events-organized-by-the-mek.rq").read_text(encoding="utf-8")
    query = query.replace("VALUES ?organizingBody { id:mek }", "VALUES ?organizingBody { id:example-civic-association }")
    assert "id:example-civic-association" in query
    got = {tuple(None if v is None else v.value for v in r)[0:6] for r in store.query(query, use_default_graph_as_union=True)}
    base = "https://w3id.org/dossier/id/"
    assert {(e, s, v) for e, _, _, _, s, v in got} == {
        (base + "harbour-forum", base + "harbour-forum", "false"),
        (base + "harbour-forum-2024", base + "harbour-forum", "true")}
    # no source states an organizer for the edition itself
    assert rows(store, """SELECT ?p WHERE { ?p dos:inEvent id:harbour-forum-2024 ; dos:role ?r .
        FILTER (STRENDS(STR(?r), "/organizer") || STRENDS(STR(?r), "/host")) }""") == set()
