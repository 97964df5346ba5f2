"""Cite this fact: plain text, CSL-JSON and BibTeX by Accept and ?format=, over HTTP on the real server."""

from __future__ import annotations

import json

import pytest

from dossier.serve import dataset
from dossier.serve.cite import Citation, Quote, as_bibtex, bibtex_escape
from serve_support import HTTP

FACT = "/fact/cbc-opinion-harper-mek-2018/harper-spokesperson-national-post"
IRI = "https://w3id.org/dossier" + FACT


def graph_quotes(served, iri: str) -> set[str]:
    """The exact quotes the graph holds for a fact, asked through /sparql."""
    query = ("PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?exact WHERE { ?e oa:hasBody <%s> ; oa:hasTarget/oa:hasSelector ?s . "
             "?s a oa:TextQuoteSelector ; oa:exact ?exact }" % iri)
    rows = HTTP.post(served.url + "/sparql", data={"query": query}).json()["results"]["bindings"]
    return {r["exact"]["value"] for r in rows}


@pytest.mark.parametrize(
    "how, media",
    [
        ({"headers": {"Accept": "text/plain"}}, "text/plain"),
        ({"params": {"format": "text"}}, "text/plain"),
        ({"headers": {"Accept": "application/vnd.citationstyles.csl+json"}}, "application/vnd.citationstyles.csl+json"),
        ({"params": {"format": "csl"}}, "application/vnd.citationstyles.csl+json"),
        ({"headers": {"Accept": "application/x-bibtex"}}, "application/x-bibtex"),
        ({"params": {"format": "bibtex"}}, "application/x-bibtex"),
    ],
)
def test_each_format_by_accept_and_by_parameter(served, how, media):
    r = HTTP.get(served.url + FACT, **how)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert r.headers["link"] == f'<{IRI}>; rel="cite-as"'


def test_plain_text_names_quote_speaker_claimant_source_publisher_date_and_version(served):
    text = HTTP.get(served.url + FACT, headers={"Accept": "text/plain"}).text
    (quote,) = graph_quotes(served, IRI)
    assert f"“{quote}”" in text
    assert "speaker: Harper's spokesperson" in text  # a described agent: the words are not Harper's own
    assert "claimed by Sam Khanlari" in text
    assert "CBC/Radio-Canada" in text and ", 2018," in text
    assert "Western signs of support for Iranian dissident group" in text
    assert f"version {dataset.version(served.root / 'graph')}" in text
    assert IRI in text


def test_csl_json_is_one_dataset_item_with_the_evidence(served):
    (item,) = HTTP.get(served.url + FACT, params={"format": "csl"}).json()
    assert item["type"] == "dataset" and item["URL"] == IRI
    assert item["version"] == dataset.version(served.root / "graph")
    assert item["original-publisher"] == "CBC/Radio-Canada"
    assert item["original-date"] == {"date-parts": [[2018]]}
    assert item["original-author"] == [{"literal": "Sam Khanlari"}]
    assert {q["exact"] for q in item["custom"]["quotes"]} == graph_quotes(served, IRI)
    assert item["custom"]["speaker"] == ["Harper's spokesperson"] and item["custom"]["claimant"] == ["Sam Khanlari"]


def test_bibtex_entry_is_balanced_and_complete(served):
    bib = HTTP.get(served.url + FACT, params={"format": "bibtex"}).text
    assert bib.startswith("@misc{dossier-cbc-opinion-harper-mek-2018-harper-spokesperson-national-post,")
    depth = 0
    for ch in bib.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    for needle in (f"url = {{{IRI}}}", "year = {2018}", "speaker: Harper's spokesperson", "claimed by Sam Khanlari", "CBC/Radio-Canada"):
        assert needle in bib


def test_every_fact_of_a_source_can_be_cited(served):
    query = ("PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dos: <https://w3id.org/dossier/ontology#> SELECT ?f WHERE { "
             "VALUES ?c { dos:Statement dos:Designation dos:Participation } ?f a ?c ; prov:wasDerivedFrom "
             "<https://w3id.org/dossier/source/icc-open-letter-poilievre-2023> } ORDER BY ?f")
    facts = [r["f"]["value"] for r in HTTP.post(served.url + "/sparql", data={"query": query}).json()["results"]["bindings"]]
    assert facts
    for iri in facts:
        path = iri[len("https://w3id.org/dossier"):]
        (item,) = HTTP.get(served.url + path, params={"format": "csl"}).json()
        assert item["URL"] == iri and item["custom"]["quotes"], iri


def test_bibtex_special_characters_are_escaped():
    c = Citation(IRI, "Statement", "50% of {funds} & #1_item", "https://w3id.org/dossier/source/x", "T", "0.1.0",
                 quotes=[Quote("a ~ b ^ c \\ d", 0, ["X"])])
    bib = as_bibtex(c)
    assert r"50\% of \{funds\} \& \#1\_item" in bib
    assert r"a \textasciitilde{} b \textasciicircum{} c \textbackslash{} d" in bib
    assert bibtex_escape("$") == r"\$"


def test_unknown_fact_is_404_and_resource_formats_still_work(served):
    assert HTTP.get(served.url + "/fact/cbc-opinion-harper-mek-2018/no-such-fact", params={"format": "bibtex"}).status_code == 404
    turtle = HTTP.get(served.url + FACT, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    page = HTTP.get(served.url + FACT, params={"format": "cite"})
    assert page.status_code == 200 and "Cite this fact" in page.text
    assert json.loads(HTTP.get(served.url + FACT, params={"format": "csl"}).text)
