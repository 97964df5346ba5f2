"""The SPARQL rules of ontology/rules.ttl: the build's runner (dossier/rules.py) gives what pyshacl's SHACL-AF
rule engine gives on the same data, and a politician is inferred from an office in a body of a state, a
party membership, or the registry's party of one's own country, and from nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import shacl_rules
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from conftest import ROOT
from dossier.graphdir import quad_files
from dossier.namespace import DOS, ORG, SCHEMA, entity_iri
from dossier.rules import Rules
from dossier.turtle import parse_turtle

RULES = ROOT / "ontology" / "rules.ttl"
OFFICE = URIRef("https://w3id.org/dossier/ontology/membership/office")
PARTY = URIRef("https://w3id.org/dossier/ontology/membership/party")
MEMBER = URIRef("https://w3id.org/dossier/ontology/membership/member")


@pytest.fixture(scope="module")
def rules() -> Graph:
    return parse_turtle(RULES, "ontology/rules.ttl")


def reference(rules: Graph, triples) -> set:
    """pyshacl's SHACL-AF rule engine: what it adds to a copy of ``triples``."""
    data = Graph()
    for t in triples:
        data.add(t)
    before = set(data)
    expanded = shacl_rules(data, shacl_graph=rules, advanced=True, inplace=False, iterate_rules=True)
    return set(expanded.triples((None, None, None))) - before


def test_the_runner_gives_what_pyshacl_gives_on_the_corpus(rules: Graph, built_graph: Path):
    triples = set()
    for path in quad_files(built_graph):  # what the registry, curated background and sources assert
        if "inferred" in path.relative_to(built_graph).parts:
            continue
        ds = Dataset()
        ds.parse(path, format="nquads")
        triples |= {(s, p, o) for s, p, o, _ in ds.quads()}
    want = reference(rules, triples)
    assert want, "the rules infer nothing from the corpus"
    assert Rules(rules).infer(triples) == want


def _person(g: Graph, slug: str, country: str | None = "northland") -> URIRef:
    p = entity_iri(slug)
    g.add((p, RDF.type, DOS.Person))
    if country:
        g.add((p, SCHEMA.nationality, entity_iri(country)))
    return p


def _membership(g: Graph, slug: str, person: URIRef, body: str, kind: URIRef) -> None:
    m = URIRef(f"https://w3id.org/dossier/fact/test/{slug}")
    g.add((m, RDF.type, DOS.Membership))
    g.add((m, ORG.member, person))
    g.add((m, ORG.organization, entity_iri(body)))
    g.add((m, DOS.membershipType, kind))


def test_who_is_a_politician_and_who_is_not(rules: Graph):
    g = Graph()
    gov, assembly, party, club, guild = (entity_iri(s) for s in
                                         ("government-of-northland", "northland-assembly", "northland-party",
                                          "harbour-club", "southland-guild"))
    g.add((gov, DOS.governmentOf, entity_iri("northland")))
    g.add((assembly, ORG.subOrganizationOf, gov))
    g.add((party, SCHEMA.location, entity_iri("northland")))
    g.add((guild, SCHEMA.location, entity_iri("southland")))
    _membership(g, "mp", _person(g, "member-of-the-assembly"), "northland-assembly", OFFICE)
    _membership(g, "party", _person(g, "party-member", None), "northland-party", PARTY)
    _membership(g, "club", _person(g, "club-member"), "harbour-club", MEMBER)  # a membership, not an office
    _membership(g, "chair", _person(g, "club-chair"), "harbour-club", OFFICE)  # an office, but in no state body
    g.add((_person(g, "registry-party-member"), ORG.memberOf, party))
    g.add((_person(g, "foreign-guild-member"), ORG.memberOf, guild))  # not a body of their own country
    g.add((entity_iri("not-a-person"), ORG.memberOf, party))
    got = Rules(rules).infer(g)
    assert got == reference(rules, g)
    slug = lambda iri: str(iri).rsplit("/", 1)[1]  # noqa: E731
    politicians = {slug(s): {slug(o) for s2, p2, o in got if s2 == s and p2 == DOS.politicalAffiliation}
                   for s, p, o in got if p == RDF.type and o == DOS.Politician}
    assert politicians == {"member-of-the-assembly": {"northland-assembly"}, "party-member": {"northland-party"},
                           "registry-party-member": {"northland-party"}}


def test_focus_nodes_come_from_the_input_and_context_is_only_joined(rules: Graph):
    person = entity_iri("ana-example")
    context = [(person, RDF.type, DOS.Person), (entity_iri("government-of-northland"), DOS.governmentOf,
                                                 entity_iri("northland")),
               (person, ORG.memberOf, entity_iri("northland-party")),
               (entity_iri("northland-party"), SCHEMA.location, entity_iri("northland")),
               (person, SCHEMA.nationality, entity_iri("northland"))]
    doc = Graph()
    _membership(doc, "minister", person, "government-of-northland", OFFICE)
    got = Rules(rules).infer(doc, context)
    # the office the document states, not the registry's party membership (the registry's own inference)
    assert got == {(person, RDF.type, DOS.Politician),
                   (person, DOS.politicalAffiliation, entity_iri("government-of-northland"))}
    assert Rules(rules).infer(Graph(), context + list(doc)) == set()
    assert Rules().infer(doc, context) == set()  # no rules file: nothing inferred
    assert all(isinstance(x, URIRef) for t in got for x in t)  # rdflib terms come back
