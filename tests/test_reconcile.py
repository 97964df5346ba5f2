"""/reconcile: OpenRefine's requests replayed against the real server, every answer checked against the
project's own JSON Schemas of the Reconciliation Service API 0.2 (tests/schemas/reconciliation/)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT
from serve_support import HTTP

SCHEMAS = Path(__file__).parent / "schemas" / "reconciliation"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def check(schema: str, body) -> None:
    jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / schema).read_text()), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(body)


def qid(slug: str) -> str:
    """The QID the project's reviewed link table gives an entity (never one typed from memory)."""
    with open(ROOT / "mappings" / "wikidata.sssom.tsv", encoding="utf-8") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for row in rows:
            if row["subject_id"] == f"dossier:{slug}" and row["object_id"].startswith("wikidata:"):
                return row["object_id"].split(":", 1)[1]
    raise AssertionError(f"no confirmed QID for {slug} in mappings/wikidata.sssom.tsv")


def post(served, **fields) -> dict:
    """A form-encoded POST to /reconcile, as OpenRefine sends queries= and extend=."""
    r = HTTP.post(served.url + "/reconcile", data={k: json.dumps(v) for k, v in fields.items()}, headers=FORM)
    assert r.status_code == 200, r.text
    return r.json()


def test_the_schemas_reject_what_they_should():
    """The schemas are real checks: a candidate without a score, a value of no known kind, fail."""
    with pytest.raises(jsonschema.ValidationError):
        check("reconciliation-result-batch.json", {"q0": {"result": [{"id": "x", "name": "x"}]}})
    with pytest.raises(jsonschema.ValidationError):
        check("data-extension-response.json", {"meta": [], "rows": {"x": {"p": [{"text": "y"}]}}})
    with pytest.raises(jsonschema.ValidationError):
        check("manifest.json", {"versions": ["0.1"], "name": "x", "identifierSpace": "a", "schemaSpace": "b"})


def test_manifest_plain_and_jsonp(served):
    body = HTTP.get(served.url + "/reconcile").json()
    check("manifest.json", body)
    assert body["identifierSpace"] == "https://w3id.org/dossier/id/"
    assert body["view"]["url"] == served.url + "/id/{{id}}"
    jsonp = HTTP.get(served.url + "/reconcile", params={"callback": "jsonp1700000000000"})
    assert jsonp.headers["content-type"].startswith("application/javascript")
    match = re.fullmatch(r"/\*\*/jsonp1700000000000\((.*)\);", jsonp.text, re.S)
    assert match and json.loads(match.group(1)) == body
    assert HTTP.get(served.url + "/reconcile", params={"callback": "alert(1)//"}).status_code == 400


def test_type_guessing_batch(served):
    """OpenRefine first sends a few cells without a type, to propose types from the answers."""
    body = post(served, queries={"q0": {"query": "MEK", "limit": 3}, "q1": {"query": "Stephen Harper", "limit": 3},
                                 "q2": {"query": "Paris", "limit": 3}})
    check("reconciliation-result-batch.json", body)
    assert body["q0"]["result"][0]["id"] == "mek" and body["q0"]["result"][0]["type"][0]["id"] == "Organization"
    assert body["q1"]["result"][0]["type"][0]["id"] == "Person"
    assert body["q2"]["result"][0]["id"] == "paris"


def test_batch_with_types_and_property_conditions(served):
    queries = {
        "q0": {"query": "Mujahedin-e Khalq", "type": "Organization", "type_strict": "should", "limit": 5},
        "q1": {"query": "Peoples Mojahedin", "type": "Organization", "type_strict": "should",
               "properties": [{"pid": "country", "v": "Iran"}]},
        "q2": {"query": "Harpr", "type": "Person", "type_strict": "should"},
        "q3": {"query": "Canda", "type": "Place", "properties": [{"pid": "wikidata", "v": qid("canada")}]},
        "q4": {"query": "no such name anywhere", "type": "Organization"},
    }
    body = post(served, queries=queries)
    check("reconciliation-result-batch.json", body)
    assert [c["id"] for c in body["q0"]["result"]][:1] == ["mek"] and body["q0"]["result"][0]["match"] is True
    assert body["q1"]["result"][0]["id"] == "mek"
    assert body["q2"]["result"][0]["id"] == "stephen-harper"  # a typo, still first, but not an automatic match
    assert body["q2"]["result"][0]["match"] is False
    assert body["q3"]["result"][0] == {**body["q3"]["result"][0], "id": "canada", "score": 100.0, "match": True}
    assert body["q4"]["result"] == []
    assert all(c["type"][0]["id"] == "Organization" for c in body["q0"]["result"])


def test_a_wikidata_qid_finds_its_entity_under_any_name(served):
    body = post(served, queries={"q0": {"query": "a name the registry does not hold",
                                        "properties": [{"pid": "wikidata", "v": f"http://www.wikidata.org/entity/{qid('canada')}"}]}})
    assert body["q0"]["result"][0]["id"] == "canada" and body["q0"]["result"][0]["match"] is True


def test_single_query_forms(served):
    r = HTTP.get(served.url + "/reconcile", params={"query": "Poilievre"})
    assert r.json()["result"][0]["id"] == "pierre-poilievre"
    r = HTTP.get(served.url + "/reconcile", params={"query": json.dumps({"query": "Poilievre", "type": "Person"})})
    assert r.json()["result"][0]["id"] == "pierre-poilievre"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"queries": "{not json"}, "queries is not JSON"),
        ({"queries": json.dumps({"q0": {"query": "x", "type": "Spaceship"}})}, "unknown type"),
        ({"queries": json.dumps({"q0": {"query": "x", "properties": [{"pid": "shoe-size", "v": "9"}]}})}, "unknown property"),
        ({"queries": json.dumps({"q0": {"query": "x", "limit": 0}})}, "limit must be"),
        ({"extend": json.dumps({"ids": ["mek"], "properties": [{"id": "nope"}]})}, "unknown properties"),
    ],
)
def test_bad_requests_are_400_with_the_reason(served, fields, message):
    r = HTTP.post(served.url + "/reconcile", data=fields, headers=FORM)
    assert r.status_code == 400 and message in r.json()["message"]


def test_suggest_services(served):
    entity = HTTP.get(served.url + "/reconcile/suggest/entity", params={"prefix": "Poil", "type": "Person", "type_strict": "should"}).json()
    check("suggest-entities.json", entity)
    assert entity["result"][0]["id"] == "pierre-poilievre"
    types = HTTP.get(served.url + "/reconcile/suggest/type", params={"prefix": "org"}).json()
    check("suggest-named.json", types)
    assert [t["id"] for t in types["result"]] == ["Organization"]
    props = HTTP.get(served.url + "/reconcile/suggest/property", params={"prefix": "designation"}).json()
    check("suggest-named.json", props)
    assert "designation_authority" in {p["id"] for p in props["result"]}
    jsonp = HTTP.get(served.url + "/reconcile/suggest/entity", params={"prefix": "Poil", "callback": "cb"})
    assert jsonp.text.startswith("/**/cb(")


def test_preview_card(served):
    manifest = HTTP.get(served.url + "/reconcile").json()
    r = HTTP.get(manifest["preview"]["url"].replace("{{id}}", "mek"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "People&#39;s Mojahedin Organization of Iran" in r.text and "Iran" in r.text
    assert HTTP.get(served.url + "/reconcile/preview", params={"id": "nobody"}).status_code == 404


def test_extension_proposal_and_designations_with_evidence(served):
    proposal = HTTP.get(served.url + "/reconcile/extend/propose", params={"type": "Organization"}).json()
    check("properties-proposal.json", proposal)
    wanted = ["wikidata", "designation", "designation_authority", "designation_status", "designation_end",
              "designation_quote", "designation_source", "designation_claimant"]
    assert set(wanted) <= {p["id"] for p in proposal["properties"]}
    body = post(served, extend={"ids": ["mek", "irgc", "canada", "nobody"], "properties": [{"id": p} for p in wanted]})
    check("data-extension-response.json", body)
    assert [m["id"] for m in body["meta"]] == wanted
    mek = body["rows"]["mek"]
    n = len(mek["designation"])
    assert n >= 1 and all(len(mek[p]) == n for p in wanted[1:] if p != "wikidata")  # one value per designation, aligned
    listings = list(zip(*(mek[p] for p in wanted[1:])))
    canada_ended = [d for d in listings if "Canada" in d[1].get("name", "") and d[2] == {"str": "ended"}]
    assert canada_ended, listings
    designation, _, _, end, quote, source, claimant = canada_ended[0]
    assert end == {"str": "2012"} and quote["str"] and claimant["str"] and source["name"]
    # the quote is the source's own words: it is in the source's text
    text = (ROOT / "documents" / f"{source['id']}.txt").read_text(encoding="utf-8")
    assert all(q in text for q in quote["str"].split(" / "))
    assert body["rows"]["canada"]["wikidata"] == [{"str": qid("canada")}]
    assert body["rows"]["canada"]["designation"] == []
    assert body["rows"]["nobody"] == {p: [] for p in wanted}
