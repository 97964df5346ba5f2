"""The query engine on its own, on a real Oxigraph store: results are exact in every format and
the row cap holds to the row, for solutions and for triples."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest

from dossier.serve.engine import Engine, Request

DATA = b"""
<http://example.org/a> <http://example.org/p> "line one\\nline two\\ttab \\"quoted\\" \\\\ back" .
<http://example.org/a> <http://example.org/p> "x"@en .
<http://example.org/a> <http://example.org/p> "12"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://example.org/a> <http://example.org/p> _:b .
<http://example.org/a> <http://example.org/p> "}},{\\"row\\": 1}" .
"""
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("http://example.org/g"))
    return store


def run(store, query, accept=JSON, max_rows=100):
    return Engine(store, max_rows).execute(Request(query, accept))


def test_select_json_keeps_every_term_as_stored(store):
    reply = run(store, "SELECT ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?none } } ORDER BY STR(?o)")
    assert reply.status == 200 and reply.content_type.startswith(JSON)
    body = json.loads(reply.body)
    assert body["head"]["vars"] == ["o", "none"]
    terms = [row["o"] for row in body["results"]["bindings"]]
    assert all("none" not in row for row in body["results"]["bindings"])
    assert {"type": "literal", "value": 'line one\nline two\ttab "quoted" \\ back'} in terms
    assert {"type": "literal", "value": "x", "xml:lang": "en"} in terms
    assert {"type": "literal", "value": "12", "datatype": "http://www.w3.org/2001/XMLSchema#integer"} in terms
    assert {"type": "literal", "value": '}},{"row": 1}'} in terms
    assert sum(t["type"] == "bnode" for t in terms) == 1


def test_select_in_other_formats_has_the_same_rows(store):
    query = "SELECT ?o WHERE { ?s ?p ?o }"
    xml = run(store, query, "application/sparql-results+xml")
    assert xml.status == 200 and xml.body.count(b"<result>") == 5
    rows = list(csv.reader(io.StringIO(run(store, query, "text/csv").body.decode())))
    assert rows[0] == ["o"] and len(rows) == 6
    tsv = run(store, query, "text/tab-separated-values").body.decode()
    assert tsv.splitlines()[0] == "?o" and len(tsv.splitlines()) == 6


@pytest.mark.parametrize("accept", [JSON, "application/sparql-results+xml", "text/csv", "text/tab-separated-values"])
def test_row_cap_is_exact(store, accept):
    query = "SELECT ?o WHERE { ?s ?p ?o }"  # five rows, one of them a literal spanning two lines
    assert run(store, query, accept, max_rows=5).status == 200
    refused = run(store, query, accept, max_rows=4)
    assert refused.status == 422 and json.loads(refused.body)["error"] == "too-many-results"


def test_a_row_with_no_binding_still_counts(store):
    assert json.loads(run(store, "SELECT * WHERE {}", max_rows=1).body)["results"]["bindings"] == [{}]
    assert run(store, "SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF } }", max_rows=1).status == 422


@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/ld+json"])
def test_triple_cap_is_exact(store, accept):
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    reply = run(store, query, accept, max_rows=5)
    assert reply.status == 200
    fmt = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/ld+json": ox.RdfFormat.JSON_LD}[accept]
    assert len(list(ox.parse(reply.body, format=fmt))) == 5
    assert run(store, query, accept, max_rows=4).status == 422


def test_ask(store):
    assert json.loads(run(store, "ASK { ?s ?p ?o }").body)["boolean"] is True
