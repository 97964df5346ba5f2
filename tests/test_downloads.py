"""Downloads and description over HTTP on the real server: graph files, the facts CSV, VoID/DCAT, the JSON-LD
context, the ontology's pages, concept and graph IRIs, the w3id redirects, and the licence and citation files."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tomllib

import yaml
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID

from conftest import ROOT
from dossier.graphdir import quad_files, read_manifest
from serve_support import HTTP

SPDX = Namespace("http://spdx.org/rdf/terms#")
DOS = Namespace("https://w3id.org/dossier/ontology#")


def sparql(served, query: str) -> list[dict]:
    return HTTP.post(served.url + "/sparql", data={"query": query}).json()["results"]["bindings"]


def test_download_lists_every_graph_file_with_its_true_size_and_checksum(served):
    listing = HTTP.get(served.url + "/download", params={"format": "json"}).json()
    files = quad_files(served.root / "graph")
    assert [g["file"] for g in listing["graphs"]] == [str(p.relative_to(served.root / "graph")) for p in files]
    for g, path in zip(listing["graphs"], files):
        body = HTTP.get(served.url + g["url"]).content
        assert body == path.read_bytes()
        assert len(body) == g["bytes"] and hashlib.sha256(body).hexdigest() == g["sha256"]
    html = HTTP.get(served.url + "/download", headers={"Accept": "text/html"}).text
    assert all(f'href="{g["url"]}"' in html for g in listing["graphs"])
    assert HTTP.get(served.url + "/download/graph/../pyproject.toml").status_code == 404
    assert HTTP.get(served.url + "/download/graph/nothing.nq").status_code == 404


def test_facts_csv_has_every_fact_and_each_quote_is_in_its_document(served):
    r = HTTP.get(served.url + "/download/facts.csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    facts = {row["fact"] for row in rows}
    in_graph = sparql(served, "PREFIX dos: <https://w3id.org/dossier/ontology#> SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { "
                              "?f a dos:Fact }")
    assert len(facts) == int(in_graph[0]["n"]["value"])
    quoted = [row for row in rows if row["quote"]]
    assert quoted
    for row in quoted:
        slug = row["source"].rsplit("/", 1)[-1]
        text = (served.root / "documents" / f"{slug}.txt").read_text(encoding="utf-8")
        assert text[int(row["quote_start"]):int(row["quote_start"]) + len(row["quote"])] == row["quote"], row["fact"]
        assert row["source_title"] and row["claimed_by"]
    assert len({row["dataset_version"] for row in rows}) == 1


def test_void_and_dcat_describe_the_files_truly(served):
    g = Graph().parse(data=HTTP.get(served.url + "/.well-known/void", headers={"Accept": "text/turtle"}).text, format="turtle")
    ds = URIRef("https://w3id.org/dossier/dataset")
    assert (ds, RDF.type, VOID.Dataset) in g and (ds, RDF.type, DCAT.Dataset) in g
    manifest = read_manifest(served.root / "graph")
    assert int(g.value(ds, VOID.triples)) == sum(f.triples for f in manifest)
    assert g.value(ds, VOID.sparqlEndpoint) == URIRef(served.url + "/sparql")
    assert g.value(ds, DCTERMS.license) is not None and g.value(ds, DCTERMS.rights) is not None
    distributions = list(g.objects(ds, DCAT.distribution))
    assert len(distributions) == len(manifest) + 1  # every graph file and the CSV
    for d in distributions:
        url = str(g.value(d, DCAT.downloadURL))
        body = HTTP.get(url).content
        assert int(g.value(d, DCAT.byteSize)) == len(body), url
        assert str(g.value(g.value(d, SPDX.checksum), SPDX.checksumValue)) == hashlib.sha256(body).hexdigest(), url
        assert g.value(d, DCTERMS.license) is not None
    as_jsonld = Graph().parse(data=HTTP.get(served.url + "/.well-known/void", params={"format": "jsonld"}).text, format="json-ld")
    assert isomorphic(as_jsonld, g)


def test_json_ld_uses_the_published_context(served):
    context = HTTP.get(served.url + "/context.jsonld").json()["@context"]
    ontology = Graph().parse(ROOT / "ontology" / "dossier.ttl")
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        if str(prop).startswith(str(DOS)):
            assert context[str(prop)[len(str(DOS)):]] == {"@id": str(prop), "@type": "@id"}
    r = HTTP.get(served.url + "/id/stephen-harper", params={"format": "jsonld"})
    document = r.json()
    assert document["@context"] == served.url + "/context.jsonld"
    document["@context"] = context  # what a JSON-LD processor does when it fetches the URL
    compacted = Graph().parse(data=json.dumps(document), format="json-ld")
    turtle = Graph().parse(data=HTTP.get(served.url + "/id/stephen-harper", params={"format": "turtle"}).text, format="turtle")
    assert len(turtle) > 10 and isomorphic(compacted, turtle)


def test_ontology_iri_serves_pylode_documentation_and_rdf(served):
    ontology = Graph().parse(ROOT / "ontology" / "dossier.ttl")
    html = HTTP.get(served.url + "/ontology", headers={"Accept": "text/html"}, timeout=120)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "pyLODE" in html.text
    for cls in (DOS.Designation, DOS.Participation, DOS.Statement):
        assert str(ontology.value(cls, RDFS.label)) in html.text
    turtle = HTTP.get(served.url + "/ontology", headers={"Accept": "text/turtle"})
    assert isomorphic(Graph().parse(data=turtle.text, format="turtle"), ontology)


def test_concept_iris_resolve(served):
    ontology = Graph().parse(ROOT / "ontology" / "dossier.ttl")
    concept = URIRef("https://w3id.org/dossier/ontology/status/ended")
    path = "/ontology/status/ended"
    page = HTTP.get(served.url + path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and str(ontology.value(concept, RDFS.label) or "ended") in page.text
    turtle = Graph().parse(data=HTTP.get(served.url + path, headers={"Accept": "text/turtle"}).text, format="turtle")
    assert set(turtle) == set(ontology.triples((concept, None, None)))
    assert HTTP.get(served.url + "/ontology/status/imaginary").status_code == 404


def test_named_graph_iris_resolve(served):
    for f in read_manifest(served.root / "graph"):
        path = "/" + f.graph[len("https://w3id.org/dossier/"):]
        r = HTTP.get(served.url + path, headers={"Accept": "application/n-quads"})
        assert r.status_code == 200 and r.content == (served.root / "graph" / f.file).read_bytes(), path
        page = HTTP.get(served.url + path, headers={"Accept": "text/html"}, follow_redirects=True)
        assert page.status_code == 200, path
    assert HTTP.get(served.url + "/graph/nothing-here", headers={"Accept": "text/html"}).status_code == 404


SAMPLES = {
    "ontology": "ontology", "ontology/(.+)": "ontology/status/ended", "id/(.*)": "id/mek",
    "source/(.*)": "source/cbc-opinion-harper-mek-2018", "fact/(.*)": "fact/cbc-opinion-harper-mek-2018/harper-speaks-2018",
    "graph/(.*)": "graph/entities", "dataset": "dataset", "context\\.jsonld": "context.jsonld", "": "",
}


def test_every_w3id_redirect_lands_on_a_path_this_server_answers(served):
    rules = re.findall(r"^RewriteRule \^(.*?)\$ https://DOSSIER_HOST/(\S*) \[R=303,L\]$",
                       (ROOT / "docs" / "w3id" / ".htaccess").read_text(), re.M)
    assert {pattern for pattern, _ in rules} == set(SAMPLES)
    for pattern, target in rules:
        public = SAMPLES[pattern]
        path = re.sub(f"^{pattern}$", target.replace("$1", r"\1"), public)
        r = HTTP.get(f"{served.url}/{path}", headers={"Accept": "text/html"}, follow_redirects=True)
        assert r.status_code == 200, (pattern, path, r.status_code)


def test_licence_notice_and_citation_files():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"]["text"] == "MIT" and (ROOT / "LICENSE").read_text().startswith("MIT License")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0" and cff["license"] == "MIT" and cff["version"] == project["version"]
    assert cff["title"] and cff["authors"] and cff["message"]
    notice = (ROOT / "DATA-NOTICE.md").read_text()
    assert "third-party" in notice and "does not license them" in notice


def test_data_notice_is_served(served):
    r = HTTP.get(served.url + "/download/notice")
    assert r.status_code == 200 and "does not license them" in r.text


def test_void_is_turtle_for_programs_and_the_download_page_for_browsers(served):
    plain = HTTP.get(served.url + "/.well-known/void")
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/turtle")
    browser = HTTP.get(served.url + "/.well-known/void", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 303 and browser.headers["location"] == "/download"
