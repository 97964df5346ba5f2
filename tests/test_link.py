"""Wikidata links: the build emits exactly the reviewed table; `dossier link` proposes but never writes it.

Every network test talks to tests/wikidata_standin.py, a local stand-in server on 127.0.0.1
(not Wikidata); nothing here goes online.
"""

from __future__ import annotations

import csv
import socket
from pathlib import Path

import pyoxigraph
import pytest
import wikidata_standin
from wikidata_standin import Item, WikidataStandIn

from conftest import copy_project, run_dossier
from dossier.draft import load_project
from dossier.link import WikidataClient, cache_key, type_check
from dossier.namespace import DOS, WD, entity_iri, graph_iri
from dossier.serve.engine import load_store

PREFIXES = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "

TABLE = "mappings/wikidata.sssom.tsv"
REVIEW = "review/wikidata-candidates.sssom.tsv"


def closed_port_url() -> str:
    """An API URL on 127.0.0.1 where nothing listens: connecting fails at once, as when offline."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/w/api.php"


def review_rows(root: Path) -> list[dict[str, str]]:
    lines = [ln for ln in (root / REVIEW).read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def link(root: Path, *args: str):
    return run_dossier("link", "--cache", ".cache/wikidata", *args, cwd=root)


# ---------------------------------------------------------------------- the build and the table

@pytest.fixture(scope="module")
def project_build(tmp_path_factory) -> tuple[Path, pyoxigraph.Store]:
    """`dossier build` of a copy of the project, with its registry and link table (and the documents that
    name every registry entity, as `dossier validate` requires)."""
    root = copy_project(tmp_path_factory.mktemp("links"))
    run_dossier("build", cwd=root, check=True)
    store = load_store(root / "graph")
    return root, store


def pairs(store: pyoxigraph.Store, query: str) -> set[tuple[str, str]]:
    return {(row[0].value, row[1].value) for row in store.query(PREFIXES + query)}


def test_build_emits_exactly_the_tables_links_as_skos_exact_match(project_build):
    root, store = project_build
    project = load_project(root)
    assert not project.problems, "\n".join(p.human() for p in project.problems.items)
    reg = project.registry
    want = {(str(entity_iri(eid)), str(WD[link.qid])) for eid, link in reg.links.items() if link.qid}
    got = pairs(store, f"SELECT ?s ?o WHERE {{ GRAPH <{graph_iri('entities')}> {{ ?s skos:exactMatch ?o }} }}")
    assert got == want, (
        f"links in the build but not in {TABLE}: {sorted(got - want)}; in {TABLE} but not built: {sorted(want - got)}"
    )
    anywhere = pairs(store, f"""SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s skos:exactMatch ?o }}
        FILTER(STRSTARTS(STR(?s), "{entity_iri('')}") && STRSTARTS(STR(?o), "{WD}")) }}""")
    assert anywhere == want, "some graph other than the registry's links an entity to Wikidata"


def test_build_never_uses_owl_same_as(project_build):
    _, store = project_build
    same = pairs(store, "SELECT ?s ?o WHERE { GRAPH ?g { ?s owl:sameAs ?o } }")
    assert not same, f"owl:sameAs would copy every fact onto the Wikidata item under OWL-RL: {same[:3]}"


def test_unlinked_entities_say_no_qid_yet(project_build):
    root, store = project_build
    reg = load_project(root).registry
    status = pairs(store, f"SELECT ?s ?o WHERE {{ GRAPH <{graph_iri('entities')}> {{ ?s <{DOS.wikidataStatus}> ?o }} }}")
    linked = {s for s, _ in pairs(store, f"SELECT ?s ?o WHERE {{ GRAPH <{graph_iri('entities')}> {{ ?s skos:exactMatch ?o }} }}")}
    for eid in sorted(reg.entities):
        link = reg.links.get(eid)
        mine = [o for s, o in status if s == str(entity_iri(eid))]
        if link and link.qid:
            assert not mine, f"{eid} has a QID and a 'no QID' status"
        else:
            assert len(mine) == 1 and mine[0], f"{eid}: no QID and no wikidataStatus (see dossier/entities.py)"
            assert str(entity_iri(eid)) not in linked


# ---------------------------------------------------------------------- the stand-in itself

def test_standin_says_it_is_not_wikidata_and_uses_fake_ids():
    assert "NOT WIKIDATA" in wikidata_standin.__doc__
    assert all(int(qid[1:]) >= 999000000 for qid in wikidata_standin.CANNED)


def test_type_check():
    assert type_check("Person", ["Q5"]) == "ok"
    assert type_check("Organization", ["Q5"]) == "mismatch"
    assert type_check("Organization", ["Q43229"]) == "ok"
    assert type_check("Organization", ["Q4167410"]) == "mismatch"
    assert type_check("Event", ["Q123456789"]) == "unverified"


def test_client_caches_answers_by_request(tmp_path):
    with WikidataStandIn() as standin:
        client = WikidataClient(tmp_path / "cache", endpoint=standin.url)
        first = client.search("Maryam Rajavi")
        again = client.search("Maryam Rajavi")
        assert first == again and [h["id"] for h in first] == ["Q999000004", "Q999000005"]
        assert len(standin.requests) == 1 and client.from_cache == 1
    assert (tmp_path / "cache" / cache_key({**standin.requests[0]})).exists()


# ---------------------------------------------------------------------- proposing

def test_link_proposes_into_a_review_file_and_never_writes_the_table(project):
    table_before = (project / TABLE).read_bytes()
    with WikidataStandIn() as standin:
        proc = link(project, "--endpoint", standin.url)
    assert proc.returncode == 0, proc.stderr
    assert "written to review/wikidata-candidates.sssom.tsv for review" in proc.stdout
    assert f"{TABLE} was not changed" in proc.stdout
    assert (project / TABLE).read_bytes() == table_before
    rows = {(r["subject_id"], r["object_id"]): r for r in review_rows(project)}
    mek = rows[("dossier:mek", "wikidata:Q999000001")]
    assert mek["predicate_id"] == "skos:exactMatch" and mek["mapping_justification"] == "semapv:LexicalMatching"
    assert "type check ok" in mek["comment"] and "CANDIDATE, NOT CONFIRMED" in mek["comment"]
    disamb = rows[("dossier:mek", "wikidata:Q999000002")]
    assert "type check mismatch" in disamb["comment"] and float(disamb["confidence"]) < float(mek["confidence"])
    person = rows[("dossier:maryam-rajavi", "wikidata:Q999000004")]
    street = rows[("dossier:maryam-rajavi", "wikidata:Q999000005")]
    assert "type check ok" in person["comment"] and "type check mismatch" in street["comment"]
    # only entities without a confirmed QID are searched
    reg = load_project(project).registry
    linked = {f"dossier:{e}" for e, lk in reg.links.items() if lk.qid}
    assert not linked & {r["subject_id"] for r in rows.values()}
    assert list((project / ".cache" / "wikidata").glob("wbsearchentities-*.json"))


def test_link_offline_says_so_and_answers_from_the_cache(project):
    with WikidataStandIn() as standin:
        assert link(project, "--endpoint", standin.url, "--entity", "mek").returncode == 0
    first = review_rows(project)
    (project / REVIEW).unlink()
    proc = link(project, "--endpoint", closed_port_url(), "--entity", "mek", "--entity", "quds-force")
    assert proc.returncode == 0, proc.stderr
    assert "cannot reach Wikidata (" in proc.stdout and "using cache only" in proc.stdout
    assert "1 entities not searched (not in the cache)" in proc.stdout  # quds-force was never asked
    assert review_rows(project) == first


def test_link_unreachable_with_an_empty_cache_exits_cleanly(project):
    table_before = (project / TABLE).read_bytes()
    proc = link(project, "--endpoint", closed_port_url())
    assert proc.returncode == 0, proc.stderr
    assert "cannot reach Wikidata (" in proc.stdout and "using cache only" in proc.stdout
    assert "not written" in proc.stdout
    assert not (project / REVIEW).exists()
    assert (project / TABLE).read_bytes() == table_before


# ---------------------------------------------------------------------- checking confirmed links

def table_items(root: Path) -> dict[str, Item]:
    """Stand-in items for the table's confirmed links, labelled with the table's own object_label."""
    reg = load_project(root).registry
    return {lk.qid: Item(lk.object_label, "stand-in copy of the table's label") for lk in reg.links.values() if lk.qid}


def test_link_check_passes_when_labels_match(project):
    with WikidataStandIn(table_items(project)) as standin:
        proc = link(project, "--check", "--endpoint", standin.url)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert " 0 problem(s)" in proc.stdout and "0 not checked" in proc.stdout


def test_link_check_detects_a_label_mismatch_online_and_from_the_cache(project):
    items = table_items(project)
    reg = load_project(project).registry
    eid, lk = next((e, lk) for e, lk in sorted(reg.links.items()) if lk.qid)
    items[lk.qid] = Item("Some other item (stand-in)")
    with WikidataStandIn(items) as standin:
        proc = link(project, "--check", "--endpoint", standin.url)
    assert proc.returncode == 1
    expected = f"{TABLE}:{lk.line}: dossier:{eid}: wikidata:{lk.qid} is labelled 'Some other item (stand-in)'"
    assert expected in proc.stdout, proc.stdout
    assert " 1 problem(s)" in proc.stdout
    offline = link(project, "--check", "--offline")
    assert offline.returncode == 1 and expected in offline.stdout


def test_link_check_offline_without_cache_checks_nothing_and_exits_cleanly(project):
    proc = link(project, "--check", "--endpoint", closed_port_url())
    assert proc.returncode == 0
    assert "cannot reach Wikidata (" in proc.stdout and "checked 0 confirmed link(s)" in proc.stdout
    confirmed = sum(1 for lk in load_project(project).registry.links.values() if lk.qid)
    assert f"{confirmed} of {confirmed} confirmed link(s) could not be checked" in proc.stdout


def test_link_check_strict_fails_when_links_go_unchecked_and_passes_when_all_are_checked(project):
    offline = link(project, "--check", "--offline", "--strict")
    assert offline.returncode == 1, offline.stdout
    assert "could not be checked" in offline.stdout and "--strict makes" not in offline.stdout
    with WikidataStandIn(table_items(project)) as standin:
        online = link(project, "--check", "--strict", "--endpoint", standin.url)
    assert online.returncode == 0, online.stdout + online.stderr
    assert "could not be checked" not in online.stdout
