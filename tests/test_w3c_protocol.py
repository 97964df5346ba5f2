"""The W3C SPARQL 1.1 Protocol test suite (query side) against the real server on 127.0.0.1.

The suite's manifest (fetched by `make setup`, not in the repository) names the tests; the
requests themselves are those the SPARQL 1.1 Protocol test descriptions give for each name,
written out below in this project's own terms. Every query-side test is sent as described and
its status, media type and (for ASK) answer are checked. This endpoint is read-only, so every
update-side test must be refused with a 4xx, and the data must be unchanged afterwards.

The data is this project's own: four small graphs named with the IRIs the tests query.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from rdflib import Graph

from serve_support import HTTP
from w3c_support import manifest_entries, serve_quads, suite

SUITE = "sparql11/protocol"
D = "http://kasei.us/2009/09/sparql/data/"
DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
DATA = "".join(
    f'<{D}data{n}.rdf> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DOCUMENT}> <{D}data{n}.rdf> .\n'
    f'<{D}data{n}.rdf> <http://purl.org/dc/terms/title> "test graph {n}" <{D}data{n}.rdf> .\n'
    for n in range(4)
)
FORM = "application/x-www-form-urlencoded"
ASK_TYPES = ("application/sparql-results+xml", "application/sparql-results+json")
SELECT_TYPES = ASK_TYPES + ("text/tab-separated-values", "text/csv")
GRAPH_TYPES = ("application/rdf+xml", "text/turtle", "application/n-triples", "text/html", "application/ld+json")


@dataclass(frozen=True)
class Call:
    """One HTTP request of a test: parameters in the URL, and a body (form fields or raw bytes)."""

    method: str
    url: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] | None = None
    body: bytes | None = None
    content_type: str | None = None
    accept: str | None = None


@dataclass(frozen=True)
class Expect:
    """What the answer must be: success (2xx/3xx) or a client error (4xx), its media type, the ASK answer."""

    success: bool
    types: tuple[str, ...] = ()
    boolean: bool | None = None


def dataset(defaults=(), named=()) -> tuple[tuple[str, str], ...]:
    return tuple(("default-graph-uri", D + g) for g in defaults) + tuple(("named-graph-uri", D + g) for g in named)


TWO_DEFAULTS = f"ASK {{ <{D}data1.rdf> a ?type . <{D}data2.rdf> a ?type . }}"
TWO_NAMED = f"ASK {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
FULL = f"ASK {{ <{D}data3.rdf> a ?type GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
FROM_AND_PROTOCOL = f"ASK FROM <{D}data3.rdf> {{ GRAPH ?g1 {{ <{D}data1.rdf> a ?type }} GRAPH ?g2 {{ <{D}data2.rdf> a ?type }} }}"
D0 = dataset(["data0.rdf"])
ONE_TWO = ["data1.rdf", "data2.rdf"]
ASKED_TRUE = Expect(True, ASK_TYPES, True)

#: The query-side tests, by the manifest's names: the request each describes and the answer it expects.
QUERY_TESTS: dict[str, tuple[Call, Expect]] = {
    "query_get": (Call("GET", (("query", "ASK {}"),) + D0), ASKED_TRUE),
    "query_post_form": (Call("POST", form=(("query", "ASK {}"),) + D0, content_type=FORM), ASKED_TRUE),
    "query_post_direct": (Call("POST", D0, body=b"ASK {}", content_type="application/sparql-query"), ASKED_TRUE),
    "query_dataset_default_graphs_get": (Call("GET", (("query", TWO_DEFAULTS),) + dataset(ONE_TWO)), ASKED_TRUE),
    "query_dataset_default_graphs_post": (Call("POST", form=(("query", TWO_DEFAULTS),) + dataset(ONE_TWO), content_type=FORM), ASKED_TRUE),
    "query_dataset_named_graphs_post": (Call("POST", form=(("query", TWO_NAMED),) + dataset(named=ONE_TWO), content_type=FORM), ASKED_TRUE),
    "query_dataset_named_graphs_get": (Call("GET", (("query", TWO_NAMED),) + dataset(named=ONE_TWO)), ASKED_TRUE),
    "query_dataset_full": (
        Call("POST", form=(("query", FULL),) + dataset(["data3.rdf"], ONE_TWO), content_type=FORM), ASKED_TRUE
    ),
    "query_multiple_dataset": (
        Call("POST", form=(("query", FROM_AND_PROTOCOL),) + dataset(named=ONE_TWO), content_type=FORM), ASKED_TRUE
    ),
    "query_content_type_select": (
        Call("POST", form=(("query", "SELECT (1 AS ?value) {}"),) + D0, content_type=FORM), Expect(True, SELECT_TYPES)
    ),
    "query_content_type_ask": (Call("POST", form=(("query", "ASK {}"),) + D0, content_type=FORM), Expect(True, ASK_TYPES)),
    "query_content_type_describe": (
        Call("POST", form=(("query", "DESCRIBE <http://example.org/>"),) + D0, content_type=FORM), Expect(True, GRAPH_TYPES)
    ),
    "query_content_type_construct": (
        Call("POST", form=(("query", "CONSTRUCT { <s> <p> 1 } WHERE {}"),) + D0, content_type=FORM), Expect(True, GRAPH_TYPES)
    ),
    "bad_query_method": (Call("PUT", (("query", "ASK {}"),) + D0), Expect(False)),
    "bad_multiple_queries": (Call("GET", (("query", "ASK {}"), ("query", "SELECT * {}")) + D0), Expect(False)),
    "bad_query_wrong_media_type": (Call("POST", D0, body=b"ASK {}", content_type="text/plain"), Expect(False)),
    "bad_query_missing_form_type": (Call("POST", body=urlencode((("query", "ASK {}"),) + D0).encode()), Expect(False)),
    "bad_query_missing_direct_type": (Call("POST", D0, body=b"ASK {}"), Expect(False)),
    "bad_query_non_utf8": (
        Call("POST", D0, body="ASK {}".encode("utf-16"), content_type="application/sparql-query; charset=UTF-16"), Expect(False)
    ),
    "bad_query_syntax": (Call("GET", (("query", "ASK {"),) + D0), Expect(False)),
}

USING = (("using-graph-uri", D + "data0.rdf"),)
INSERT_FROM_DEFAULT = (
    "PREFIX dc: <http://purl.org/dc/terms/> PREFIX foaf: <http://xmlns.com/foaf/0.1/> CLEAR ALL ; "
    f"INSERT DATA {{ GRAPH <{D}data1.rdf> {{ <{D}data1.rdf> a foaf:Document }} }} ; "
    "INSERT { GRAPH <http://example.org/protocol-update-dataset-test/> { ?s a dc:BibliographicResource } } WHERE { ?s a foaf:Document }"
)
INSERT_FROM_NAMED = INSERT_FROM_DEFAULT.replace("CLEAR ALL", "DROP ALL").replace("WHERE { ?s", "WHERE { GRAPH ?g { ?s").replace("Document }", "Document } }", 1)

#: The update-side tests: each request as described; every one must be refused (read-only by design).
UPDATE_TESTS: dict[str, Call] = {
    "update_dataset_default_graph": Call("POST", dataset(["data1.rdf"]), form=(("update", INSERT_FROM_DEFAULT),), content_type=FORM),
    "update_dataset_default_graphs": Call("POST", dataset(ONE_TWO), form=(("update", INSERT_FROM_DEFAULT.replace("CLEAR", "DROP")),), content_type=FORM),
    "update_dataset_named_graphs": Call("POST", dataset(named=ONE_TWO), form=(("update", INSERT_FROM_NAMED),), content_type=FORM),
    "update_dataset_full": Call("POST", dataset(["data1.rdf"], ONE_TWO), form=(("update", INSERT_FROM_NAMED),), content_type=FORM),
    "update_post_form": Call("POST", form=(("update", "CLEAR ALL"),), content_type=FORM),
    "update_post_direct": Call("POST", body=b"CLEAR ALL", content_type="application/sparql-update"),
    "update_base_uri": Call(
        "POST",
        form=(("update", "CLEAR SILENT GRAPH <http://example.org/protocol-base-test/> ; INSERT DATA { GRAPH "
                         "<http://example.org/protocol-base-test/> { <http://example.org/s> <http://example.org/p> <test> } }"),),
        content_type=FORM,
    ),
    "bad_update_get": Call("GET", (("update", "CLEAR ALL"),) + USING),
    "bad_multiple_updates": Call("POST", USING, form=(("update", "CLEAR ALL"), ("update", "CLEAR DEFAULT")), content_type=FORM),
    "bad_update_wrong_media_type": Call("POST", USING, body=b"CLEAR NAMED", content_type="text/plain"),
    "bad_update_missing_form_type": Call("POST", USING, body=b"CLEAR NAMED"),
    "bad_update_non_utf8": Call("POST", USING, body="CLEAR NAMED".encode("utf-16"), content_type="application/sparql-update; charset=UTF-16"),
    "bad_update_syntax": Call("POST", USING, form=(("update", "CLEAR XYZ"),), content_type=FORM),
    "bad_update_dataset_conflict": Call(
        "POST",
        form=(
            ("using-named-graph-uri", "http://example/people"),
            ("update", "PREFIX foaf: <http://xmlns.com/foaf/0.1/> WITH <http://example/addresses> "
                       "DELETE { ?person foaf:givenName 'Bill' } INSERT { ?person foaf:givenName 'William' } WHERE { ?person foaf:givenName 'Bill' }"),
        ),
        content_type=FORM,
    ),
}

ENTRIES = [str(node).rsplit("#", 1)[-1] for _, node in manifest_entries(SUITE)] or ["suite-missing"]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    server = serve_quads(tmp_path_factory.mktemp("w3c-protocol"), DATA)
    yield server
    server.stop()


def send(endpoint, call: Call):
    url = endpoint.url + "/sparql"
    if call.url:
        url += "?" + urlencode(call.url, quote_via=quote)
    headers = {}
    if call.content_type:
        headers["Content-Type"] = call.content_type
    if call.accept:
        headers["Accept"] = call.accept
    body = urlencode(call.form, quote_via=quote).encode() if call.form is not None else call.body
    return HTTP.request(call.method, url, content=body, headers=headers, follow_redirects=False)


def test_every_manifest_test_is_encoded_here():
    """A test added to the manifest fails here until its request is written out above."""
    suite(SUITE)
    named = set(ENTRIES)
    assert named == set(QUERY_TESTS) | set(UPDATE_TESTS), (
        f"not encoded: {sorted(named - set(QUERY_TESTS) - set(UPDATE_TESTS))}; not in the manifest: "
        f"{sorted(set(QUERY_TESTS) | set(UPDATE_TESTS) - named)}"
    )


@pytest.mark.parametrize("name", [n for n in ENTRIES if n not in UPDATE_TESTS])
def test_query_side(endpoint, name):
    suite(SUITE)
    assert name in QUERY_TESTS, f"{name}: the manifest names a test whose request is not written out in this file"
    call, expect = QUERY_TESTS[name]
    r = send(endpoint, call)
    if not expect.success:
        assert 400 <= r.status_code < 500, f"{name}: expected 4xx, got {r.status_code}: {r.text[:300]}"
        return
    assert 200 <= r.status_code < 400, f"{name}: expected 2xx/3xx, got {r.status_code}: {r.text[:300]}"
    media = r.headers.get("content-type", "").split(";")[0].strip()
    assert media in expect.types, f"{name}: media type {media!r} is none of {expect.types}"
    if expect.boolean is not None:
        answer = r.json()["boolean"] if media.endswith("json") else "<boolean>true</boolean>" in r.text
        assert answer is expect.boolean, f"{name}: ASK answered {answer}"
    if media in ("text/turtle", "application/n-triples"):
        Graph().parse(data=r.text, format="turtle" if media == "text/turtle" else "nt")


@pytest.mark.parametrize("name", [n for n in ENTRIES if n in UPDATE_TESTS] or ["suite-missing"])
def test_update_side_refused_by_design(endpoint, name):
    suite(SUITE)
    before = send(endpoint, Call("GET", (("query", "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"),))).json()
    r = send(endpoint, UPDATE_TESTS[name])
    assert 400 <= r.status_code < 500, f"{name}: a read-only endpoint must refuse an update with 4xx, got {r.status_code}"
    after = send(endpoint, Call("GET", (("query", "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"),))).json()
    assert before == after and int(after["results"]["bindings"][0]["n"]["value"]) == DATA.count("\n")


@pytest.mark.parametrize(
    "query, params",
    [
        (TWO_DEFAULTS, dataset(["data1.rdf"])),
        (TWO_NAMED, dataset(named=["data1.rdf"])),
        (FULL, dataset(["data0.rdf"], ONE_TWO)),
        (f"ASK FROM <{D}data3.rdf> {{ <{D}data3.rdf> a ?type }}", dataset(named=ONE_TWO)),
    ],
)
def test_the_dataset_tests_answer_false_with_a_dataset_lacking_a_graph(endpoint, query, params):
    """The suite's dataset tests expect true; this shows the answer comes from the dataset asked for
    (not from the union of all graphs, and not from FROM when the protocol names graphs)."""
    r = send(endpoint, Call("POST", form=(("query", query),) + params, content_type=FORM))
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is False
