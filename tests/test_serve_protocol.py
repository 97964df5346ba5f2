"""The SPARQL 1.1 Protocol at /sparql, against the real server: methods, formats, dataset, description, CORS."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph, Namespace

from conftest import ROOT
from dossier.graphdir import read_manifest
from serve_support import HTTP

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
GRAPH = "https://w3id.org/dossier/graph/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?s LIMIT 3"
CONSTRUCT = "CONSTRUCT { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } LIMIT 5"


def quads_per_graph(root: Path) -> dict[str, int]:
    return {f.graph: f.triples for f in read_manifest(root / "graph")}


def source_slugs() -> list[str]:
    """The sources whose named graph graph/ holds (every graph but the registry, inferences and ontology)."""
    return sorted(g[len(GRAPH):] for g in quads_per_graph(ROOT)
                  if g[len(GRAPH):] not in ("entities", "ontology") and not g.startswith(GRAPH + "inferred/"))


def count(served, query: str, **params) -> int:
    r = HTTP.get(served.url + "/sparql", params={"query": query, **params}, headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_health(served):
    r = HTTP.get(served.url + "/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and "Oxigraph" in r.json()["store"]


@pytest.mark.parametrize("how", ["GET", "POST form", "POST sparql-query"])
def test_query_by_get_and_post(served, how):
    if how == "GET":
        r = HTTP.get(served.url + "/sparql", params={"query": LABELS})
    elif how == "POST form":
        r = HTTP.post(served.url + "/sparql", data={"query": LABELS})
    else:
        r = HTTP.post(served.url + "/sparql", content=LABELS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert len(r.json()["results"]["bindings"]) == 3


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/html;q=0.9, text/csv;q=0.8", "text/csv"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_result_formats(served, accept, media):
    r = HTTP.get(served.url + "/sparql", params={"query": LABELS}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    if media.endswith("json"):
        assert len(r.json()["results"]["bindings"]) == 3
    elif media.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        assert len(ET.fromstring(r.content).findall(".//r:result", ns)) == 3
    elif media == "text/csv":
        rows = list(csv.reader(io.StringIO(r.text)))
        assert rows[0] == ["s", "label"] and len(rows) == 4
    else:
        lines = r.text.strip().split("\n")
        assert lines[0] == "?s\t?label" and len(lines) == 4


@pytest.mark.parametrize(
    "accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt")]
)
def test_construct_and_describe_formats(served, accept, fmt):
    r = HTTP.post(served.url + "/sparql", data={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == accept
    assert len(Graph().parse(data=r.text, format=fmt)) == 5
    r = HTTP.get(served.url + "/sparql", params={"query": "DESCRIBE <https://w3id.org/dossier/id/irgc>"}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert len(Graph().parse(data=r.text, format=fmt)) > 3


def test_ask(served):
    r = HTTP.get(served.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_default_graph_is_the_union_of_all_graphs(served):
    assert count(served, COUNT) == sum(quads_per_graph(served.root).values())


@pytest.mark.parametrize("slug", source_slugs())
def test_every_source_graph_is_addressable_with_graph(served, slug):
    expected = quads_per_graph(served.root)[GRAPH + slug]
    assert count(served, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}{slug}> {{ ?s ?p ?o }} }}") == expected
    listed = HTTP.get(served.url + "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}).json()
    assert GRAPH + slug in {b["g"]["value"] for b in listed["results"]["bindings"]}


def test_from_selects_a_stored_graph_and_protocol_parameters_too(served):
    entities = quads_per_graph(served.root)[GRAPH + "entities"]
    assert count(served, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}entities> WHERE {{ ?s ?p ?o }}") == entities
    assert count(served, f"PREFIX g: <{GRAPH}> SELECT (COUNT(*) AS ?n) FROM g:entities WHERE {{ ?s ?p ?o }}") == entities
    assert count(served, COUNT, **{"default-graph-uri": GRAPH + "entities"}) == entities
    named = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH}entities> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert count(served, named) == entities


def test_service_description(served):
    for accept, fmt in [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]:
        r = HTTP.get(served.url + "/sparql", headers={"Accept": accept})
        assert r.status_code == 200, r.text
        sd = Graph().parse(data=r.text, format=fmt)
        service = next(sd.subjects(SD.endpoint, None))
        assert str(sd.value(service, SD.endpoint)) == served.url + "/sparql"
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
        assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in sd
        assert (service, SD.feature, SD.BasicFederatedQuery) not in sd
        assert (service, SD.feature, SD.UnionDefaultGraph) in sd
        names = {str(o) for o in sd.objects(None, SD.name)}
        assert {GRAPH + s for s in source_slugs()} <= names


def test_browser_asking_sparql_gets_the_query_page(served):
    r = HTTP.get(served.url + "/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_unsupported_accept_is_406(served):
    r = HTTP.get(served.url + "/sparql", params={"query": LABELS}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["error"] == "not-acceptable"
    r = HTTP.get(served.url + "/sparql", params={"query": LABELS}, headers={"Accept": "text/turtle"})
    assert r.status_code == 406, "a SELECT has no Turtle form"


def test_cors_is_open_for_reads_never_with_credentials(served):
    origin = {"Origin": "https://elsewhere.example"}
    r = HTTP.get(served.url + "/sparql", params={"query": LABELS}, headers=origin)
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = HTTP.options(
        served.url + "/sparql",
        headers={**origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in pre.headers


def test_example_queries_run(served):
    """Every queries/*.rq answers 200 through the endpoint (the query page's tabs)."""
    for path in sorted((ROOT / "queries").glob("*.rq")):
        r = HTTP.post(served.url + "/sparql", data={"query": path.read_text(encoding="utf-8")}, timeout=30)
        assert r.status_code == 200, f"{path.name}: {r.status_code} {r.text[:300]}"
        json.loads(r.text)


def test_relative_iris_resolve_against_the_dossier_namespace(served):
    """The service's base IRI is https://w3id.org/dossier/ (policy.QUERY_BASE), whatever host or port is asked."""
    query = "SELECT ?label WHERE { <id/irgc> <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"
    r = HTTP.get(served.url + "/sparql", params={"query": query})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"], "the relative IRI <id/irgc> did not name the entity"
    r = HTTP.post(served.url + "/sparql", data={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, headers={"Accept": "application/n-triples"})
    assert r.status_code == 200, r.text
    assert r.text.startswith("<https://w3id.org/dossier/s> <https://w3id.org/dossier/p> ")
    r = HTTP.get(served.url + "/sparql", params={"query": "BASE <http://example.org/> CONSTRUCT { <s> <p> 1 } WHERE {}"},
                 headers={"Accept": "application/n-triples"})
    assert r.text.startswith("<http://example.org/s> "), "a query's own BASE wins"


@pytest.mark.parametrize(
    "content_type, body, status",
    [
        ("application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-8"), 415),
        ("application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16"), 415),
        ('application/sparql-query; charset="iso-8859-1"', b"ASK {}", 415),
        ("application/x-www-form-urlencoded; charset=windows-1252", b"query=ASK+%7B%7D", 415),
        ("application/sparql-query; charset=UTF-8", "ASK { FILTER(\"é\" != \"e\") }".encode("utf-8"), 200),
        ("application/sparql-query", b"ASK {}", 200),
    ],
)
def test_a_declared_charset_other_than_utf8_is_refused(served, content_type, body, status):
    r = HTTP.post(served.url + "/sparql", content=body, headers={"Content-Type": content_type})
    assert r.status_code == status, r.text
    if status == 415:
        assert r.json()["error"] == "unsupported-charset" and "UTF-8" in r.json()["message"]
    else:
        assert r.json()["boolean"] is True


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values", "text/csv, text/tab-separated-values;q=0.5"])
def test_ask_has_no_csv_or_tsv_form(served, accept):
    """The SPARQL CSV/TSV formats define no boolean result: 406, naming the formats an ASK has."""
    r = HTTP.get(served.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": accept})
    assert r.status_code == 406, r.text
    assert "application/sparql-results+json" in r.json()["message"] and "text/csv" not in r.json()["message"]
    r = HTTP.get(served.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": accept + ", application/sparql-results+xml;q=0.1"})
    assert r.status_code == 200 and "<boolean>true</boolean>" in r.text


@pytest.mark.parametrize(
    "query, accept, content_type",
    [
        (LABELS, "application/sparql-results+json", "application/sparql-results+json"),
        ("ASK {}", None, "application/sparql-results+json"),
        (LABELS, "application/json", "application/json"),
        (LABELS, "application/sparql-results+xml", "application/sparql-results+xml; charset=utf-8"),
        (LABELS, "text/csv", "text/csv; charset=utf-8"),
        (CONSTRUCT, "application/ld+json", "application/ld+json"),
        (CONSTRUCT, "application/n-triples", "application/n-triples"),
        (CONSTRUCT, "text/turtle", "text/turtle; charset=utf-8"),
    ],
)
def test_content_type_has_charset_only_where_the_media_type_defines_one(served, query, accept, content_type):
    r = HTTP.get(served.url + "/sparql", params={"query": query}, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == content_type


def test_sparql_with_a_trailing_slash_redirects_keeping_method_and_query(served):
    r = HTTP.get(served.url + "/sparql/", params={"query": "ASK {}"}, follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "/sparql?query=ASK+%7B%7D"
    r = HTTP.post(served.url + "/sparql/", data={"query": "ASK {}"}, follow_redirects=True)
    assert r.status_code == 200 and r.json()["boolean"] is True and r.history[0].status_code == 308


@pytest.mark.parametrize("path", ["/nothing-here", "/sparql/x", "/id/irgc/more", "/static/nothing.js"])
def test_unknown_paths_are_404_for_get_head_and_post(served, path):
    for method in ("GET", "HEAD", "POST"):
        r = HTTP.request(method, served.url + path)
        assert r.status_code == 404, f"{method} {path}: {r.status_code} {r.headers}"
        assert "allow" not in r.headers
    assert HTTP.get(served.url + path).json()["error"] == "not-found"


@pytest.mark.parametrize(
    "method, path, allow",
    [
        ("POST", "/health", "GET, HEAD"),
        ("POST", "/id/irgc", "GET, HEAD"),
        ("OPTIONS", "/sparql", "GET, HEAD, POST"),
        ("POST", "/static/dossier/dossier.css", "GET, HEAD"),
    ],
)
def test_a_known_path_with_a_wrong_method_is_405_with_its_allow(served, method, path, allow):
    r = HTTP.request(method, served.url + path)
    assert r.status_code == 405, r.text
    assert r.headers["allow"] == allow
    assert r.json()["error"] == "method-not-allowed"


@pytest.mark.parametrize("method, path", [("PUT", "/sparql"), ("DELETE", "/id/irgc"), ("PATCH", "/nothing-here")])
def test_writes_are_403_on_every_path(served, method, path):
    r = HTTP.request(method, served.url + path)
    assert r.status_code == 403 and r.json()["error"] == "read-only"


def test_an_update_posted_to_any_path_is_403(served):
    r = HTTP.post(served.url + "/nothing-here", data={"update": "CLEAR ALL"})
    assert r.status_code == 403 and r.json()["error"] == "update-refused"


@pytest.mark.parametrize(
    "path, headers",
    [("/health", {}), ("/sparql?query=ASK%20%7B%7D", {}), ("/id/irgc", {"Accept": "text/turtle"}), ("/id/irgc", {"Accept": "text/html"}), ("/", {})],
)
def test_head_answers_wherever_get_does(served, path, headers):
    got = HTTP.get(served.url + path, headers=headers)
    head = HTTP.head(served.url + path, headers=headers)
    assert got.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]


def test_semicolon_is_not_a_parameter_separator(served):
    """Parameters are read as parse_qsl(strict_parsing=True) reads them: only & separates."""
    raw = "/sparql?query=SELECT%20?s%20WHERE%20%7B%20?s%20?p%20?o%20;%20?q%20?r%20%7D%20LIMIT%201"
    r = HTTP.get(served.url + raw)
    assert r.status_code == 200, r.text
    assert len(r.json()["results"]["bindings"]) == 1


@pytest.mark.parametrize("raw", ["/sparql?query", "/sparql?query=ASK%20%7B%7D&", "/sparql?query=%FF"])
def test_malformed_parameters_are_400(served, raw):
    r = HTTP.get(served.url + raw)
    assert r.status_code == 400, r.text
    assert r.json()["error"] in ("bad-request", "not-utf8")


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/json, text/html;q=0.5", "application/json"),
        ("text/html, application/json;q=0.5", "text/html"),
        ("*/*", "text/html"),
        ("application/*", "application/json"),
    ],
)
def test_search_reads_accept_with_the_one_negotiation(served, accept, media):
    r = HTTP.get(served.url + "/search", params={"q": "irgc"}, headers={"Accept": accept})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
