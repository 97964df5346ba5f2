"""Listings and counts compared across sources: each source's designation or quantity is grouped with the
others that report the same fact, and their dates, status and qualified numbers are compared.

The build test uses the model documents (tests/data/model/, short texts written for the tests): a wire
says the Government of Northland listed an association on 19 June 2024 and that a raid killed 12; a
bulletin says the Interior Ministry (a body of that government) listed it on 17 June 2024 and that the
raid killed more than 12; a digest says Northland listed it in June 2024 and that about 13 died.
The rules themselves are checked on claims made here, one case each.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from conftest import copy_project
from dossier.agreement import Claim, derive, number_range
from dossier.namespace import BASE, DOS, SCHEMA, entity_iri, fact_iri, source_iri
from model_corpus import answers, built_model_store

PREFIX = ("PREFIX dos: <https://w3id.org/dossier/ontology#>\nPREFIX schema: <https://schema.org/>\n"
          "PREFIX prov: <http://www.w3.org/ns/prov#>\n")
LISTING = "<https://w3id.org/dossier/agreement/designation/government-of-northland/example-civic-association/terrorist-listing>"
TOLL = "<https://w3id.org/dossier/agreement/quantity/springfield-raid-2024/killed>"
SLUGS = ["bulletin-northland-listing-2024", "digest-northland-listing-2024"]
SRC = "https://w3id.org/dossier/source/"
Q = "https://w3id.org/dossier/ontology/qualifier/"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> ox.Store:
    return built_model_store(copy_project(tmp_path_factory.mktemp("agreement-facts")), SLUGS)


def rows(store: ox.Store, query: str) -> list[tuple]:
    return answers(store, PREFIX + query)


def test_one_listing_reported_by_three_sources_is_one_group_whatever_body_they_name(store):
    got = rows(store, f"""SELECT ?src ?authority WHERE {{ {LISTING} a dos:DesignationGroup ; dos:groupsFact ?d .
        ?d prov:wasDerivedFrom ?src ; dos:authority ?authority }}""")
    gov, ministry = str(entity_iri("government-of-northland")), str(entity_iri("northland-interior-ministry"))
    assert got == [(SRC + "bulletin-northland-listing-2024", ministry), (SRC + "digest-northland-listing-2024", gov),
                   (SRC + "wire-northland-listing-2024", gov)]


def test_listing_dates_disagree_and_the_month_agrees_with_both_days(store):
    got = rows(store, f"""SELECT ?x ?src WHERE {{ ?d a dos:Disagreement ; dos:onEntity {LISTING} ;
        dos:onProperty dos:listingDate ; dos:statedValue ?v . ?v dos:value ?x ; dos:statedIn ?src }}""")
    assert got == [("2024-06", SRC + "digest-northland-listing-2024"), ("2024-06-17", SRC + "bulletin-northland-listing-2024"),
                   ("2024-06-19", SRC + "wire-northland-listing-2024")]
    consistent = rows(store, f"""SELECT ?a ?b WHERE {{ ?v dos:onEntity {LISTING} ; dos:onProperty dos:listingDate ;
        dos:value ?a ; dos:consistentWith ?w . ?w dos:value ?b . FILTER (STR(?a) < STR(?b)) }}""")
    assert consistent == [("2024-06", "2024-06-17"), ("2024-06", "2024-06-19")]


def test_the_status_three_independent_sources_give_is_corroborated_with_its_claimants(store):
    got = rows(store, f"""SELECT ?n ?m ?who WHERE {{ ?v a dos:CorroboratedValue ; dos:onEntity {LISTING} ;
        dos:onProperty dos:status ; dos:sourceCount ?n ; dos:independentSourceCount ?m ; dos:statedBy ?who }}""")
    assert got == [("3", "3", str(entity_iri(x))) for x in ("example-bulletin", "example-digest", "example-wire")]
    assert rows(store, f"SELECT ?d WHERE {{ ?d a dos:Disagreement ; dos:onEntity {LISTING} ; dos:onProperty dos:status }}") == []


def test_death_tolls_with_qualifiers_disagree_and_about_agrees_within_its_tolerance(store):
    values = rows(store, f"""SELECT ?q ?x ?src WHERE {{ ?d a dos:Disagreement ; dos:onEntity {TOLL} ;
        dos:onProperty schema:value ; dos:statedValue ?v . ?v dos:value ?x ; dos:valueQualifier ?q ; dos:statedIn ?src }}""")
    assert values == [(Q + "about", "13", SRC + "digest-northland-listing-2024"),
                      (Q + "exactly", "12", SRC + "wire-northland-listing-2024"),
                      (Q + "more-than", "12", SRC + "bulletin-northland-listing-2024")]
    consistent = rows(store, f"""SELECT ?qa ?a ?qb ?b WHERE {{ ?v dos:onEntity {TOLL} ; dos:value ?a ; dos:valueQualifier ?qa ;
        dos:consistentWith ?w . ?w dos:value ?b ; dos:valueQualifier ?qb . FILTER (STR(?qa) < STR(?qb)) }}""")
    assert consistent == [(Q + "about", "13", Q + "exactly", "12"), (Q + "about", "13", Q + "more-than", "12")]


def test_a_part_of_a_count_is_compared_only_with_the_same_group(store):
    got = rows(store, """SELECT ?g WHERE { ?g a dos:QuantityGroup ; dos:groupsFact ?q .
        ?q dos:quantityOf <https://w3id.org/dossier/id/springfield-raid-2024> }""")
    assert sorted(set(got)) == [(TOLL[1:-1],), (TOLL[1:-1] + "/residents-of-springfield",)]


def test_the_agreement_graph_has_its_own_owl_rl_inferences(store):
    graph = f"<{BASE}graph/inferred/agreement>"
    got = rows(store, f"SELECT ?c WHERE {{ GRAPH {graph} {{ {LISTING} a ?c }} }}")
    assert ("https://w3id.org/dossier/ontology#FactGroup",) in got
    derived = rows(store, f"""SELECT ?src WHERE {{ ?v dos:onEntity {TOLL} ; dos:valueQualifier <{Q}about> .
        GRAPH {graph} {{ ?v prov:wasDerivedFrom ?src }} }}""")
    assert derived == [(SRC + "digest-northland-listing-2024",)]


# ---------------------------------------------------------------- the rules, one case each

def _claims(prop, stated: list[tuple], group=("quantity", entity_iri("raid"), URIRef(BASE + "ontology/measure/killed"), "")):
    """One claim per (value, qualifier, source slug, published), each from its own source and origin."""
    out = []
    for value, qualifier, slug, published in stated:
        fact = fact_iri(slug, "x")
        out.append(Claim(fact, prop, value, source_iri(slug), entity_iri(slug), (entity_iri(slug),),
                         URIRef(f"{fact}/evidence"), qualifier, group, published))
    return out


def _disagree(triples) -> bool:
    return any(p == RDF.type and o == DOS.Disagreement for _, p, o in triples)


@pytest.mark.parametrize("a, b, agree", [
    (("176", "at-least"), ("177", "exactly"), True),
    (("176", "exactly"), ("177", "exactly"), False),
    (("170", "about"), ("176", "exactly"), True),
    (("170", "about"), ("190", "exactly"), False),  # 170 give or take 10 % is 153 to 187
    (("176", "more-than"), ("176", "exactly"), False),
    (("176", "up-to"), ("177", "at-least"), False),
    (("176", "exactly"), ("176", "at-least"), True),
])
def test_qualified_numbers(a, b, agree):
    stated = [(Literal(int(a[0])), URIRef(Q + a[1]), "one", "2020"), (Literal(int(b[0])), URIRef(Q + b[1]), "two", "2020")]
    assert _disagree(derive(_claims(SCHEMA.value, stated))) is not agree


def test_about_reads_ten_percent_outwards():
    assert number_range(170, URIRef(Q + "about")) == (153, 187)


@pytest.mark.parametrize("a, b, agree", [
    ("2018", "2018-06-11", True), ("2012-09", "2012-09-07", True), ("2012-09-07", "2012-09-10", False),
])
def test_listing_dates_at_their_precision(a, b, agree):
    kind = URIRef(BASE + "ontology/designation/terrorist-listing")
    group = ("designation", entity_iri("government-of-x"), entity_iri("y"), kind)
    stated = [(Literal(a, datatype=XSD.gYear if len(a) == 4 else XSD.gYearMonth if len(a) == 7 else XSD.date), "", s, "2020")
              for a, s in ((a, "one"), (b, "two"))]
    assert _disagree(derive(_claims(SCHEMA.startDate, stated, group))) is not agree


def test_a_body_of_a_state_and_its_government_make_one_group():
    kind = URIRef(BASE + "ontology/designation/terrorist-listing")
    gov, body = entity_iri("government-of-x"), entity_iri("x-ministry")
    claims = (_claims(DOS.status, [(URIRef(BASE + "ontology/status/in-force"), "", "one", "2020")], ("designation", gov, entity_iri("y"), kind))
              + _claims(DOS.status, [(URIRef(BASE + "ontology/status/in-force"), "", "two", "2020")], ("designation", body, entity_iri("y"), kind)))
    groups = {s for s, p, o in derive(claims, authority_of={body: gov}) if o == DOS.DesignationGroup}
    assert groups == {URIRef(f"{BASE}agreement/designation/government-of-x/y/terrorist-listing")}
    assert len({s for s, p, o in derive(claims) if o == DOS.DesignationGroup}) == 2  # without the rule, two


@pytest.mark.parametrize("a, pa, b, pb, agree", [
    ("in-force", "2020-05", "ended", "2020-05-03", False),  # the same time: they cannot both hold
    ("in-force", "2010", "ended", "2013", True),  # in force then, ended since
    ("ended", "2012", "proposed", "2021", True),  # listed again: a proposal after the end
    ("in-force", "2020", "unknown", "2020", True),
])
def test_statuses_as_of_each_source(a, pa, b, pb, agree):
    kind = URIRef(BASE + "ontology/designation/terrorist-listing")
    group = ("designation", entity_iri("government-of-x"), entity_iri("y"), kind)
    stated = [(URIRef(BASE + "ontology/status/" + a), "", "one", pa), (URIRef(BASE + "ontology/status/" + b), "", "two", pb)]
    assert _disagree(derive(_claims(DOS.status, stated, group))) is not agree


def test_statuses_of_thousands_of_sources():
    """Thousands of sources on each side: in force as of 2001 to 2010, ended as of 2012 to 2020, then one
    more source saying 'in force' as of 2015, which no other date orders against the 'ended' ones of 2015."""
    kind = URIRef(BASE + "ontology/designation/terrorist-listing")
    group = ("designation", entity_iri("government-of-x"), entity_iri("y"), kind)
    in_force, ended = URIRef(BASE + "ontology/status/in-force"), URIRef(BASE + "ontology/status/ended")
    stated = [(in_force, "", f"a{i}", str(2001 + i % 10)) for i in range(3000)]
    stated += [(ended, "", f"b{i}", str(2012 + i % 9)) for i in range(3000)]
    assert not _disagree(derive(_claims(DOS.status, stated, group)))
    assert _disagree(derive(_claims(DOS.status, stated + [(in_force, "", "c", "2015-05")], group)))
