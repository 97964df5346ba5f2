"""`dossier push` into real Graph Store Protocol servers, and `serve.py --store` over them.

Each test runs against `oxigraph serve` and against Virtuoso Open Source (Debian's
virtuoso-opensource), both started here on 127.0.0.1 with an empty store; Virtuoso takes
the graphs at /sparql-graph-crud-auth with digest authentication (docs/serving.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest import ROOT, run_dossier
from dossier.graphdir import quad_files, read_manifest
from dossier.synthetic import add_copy, generate
from serve_support import Oxigraph, Server, Virtuoso, free_port, oxigraph_binary


GRAPHS = "https://w3id.org/dossier/graph/"


def _start(kind: str, folder: Path, union: bool = False):
    if kind == "oxigraph":
        if oxigraph_binary() is None:
            pytest.fail("the oxigraph command is missing: `make setup` installs it (pip install oxigraph)")
        return Oxigraph(folder / "oxigraph.log", union=union).start()
    if shutil.which("virtuoso-t") is None:
        pytest.fail("virtuoso-t is missing: `make test` installs it (apt-get install virtuoso-opensource)")
    return Virtuoso(folder / "virtuoso").start(wait=300)  # a new database takes a while on a loaded machine


def _env(store) -> dict:
    """The environment `dossier push` needs for ``store``: Virtuoso's credentials, digest authentication."""
    env = dict(os.environ)
    if isinstance(store, Virtuoso):
        env.update(DOSSIER_PUSH_USER=store.USER, DOSSIER_PUSH_PASSWORD=store.PASSWORD, DOSSIER_PUSH_AUTH="digest")
    return env


# Columns in which Virtuoso 7.2 departs from SPARQL 1.1, compared nowhere else: its MIN over strings
# does not follow SPARQL's ordering of literals (it picked "Resettlement ..." over "MEK convention ...").
VIRTUOSO_DEVIATIONS = {"mek-names.rq": ("quote",)}


def _without(answer: tuple[int, list], columns: tuple[str, ...]) -> tuple[int, list]:
    status, rows = answer
    if not columns or status != 200:
        return answer
    return status, sorted([cell for cell in row if cell[0] not in columns] for row in rows)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def store(request, tmp_path_factory):
    """An empty store of each kind; yields the started server (``store_url``, ``query_url``)."""
    server = _start(request.param, tmp_path_factory.mktemp(request.param))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def project(store, tmp_path_factory) -> Path:
    """Four synthetic documents and a copy of one (removed by a test), built; one project per store, as the
    tests change it in turn."""
    root = tmp_path_factory.mktemp("push") / "project"
    generate(root, 4, seed=3)
    add_copy(root, "synthetic-copy")
    run_dossier("--root", str(root), "build", check=True)
    return root


def push(project: Path, store, *args: str, check: bool = True):
    proc = subprocess.run([sys.executable, "-m", "dossier.cli", "--root", str(project), "push", *args, store.store_url],
                          cwd=ROOT, capture_output=True, text=True, timeout=600, env=_env(store))
    if check and proc.returncode != 0:
        raise AssertionError(f"dossier push failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long")}
BOOLEAN = XSD + "boolean"


def _normal(q: ox.Quad) -> ox.Quad:
    """Oxigraph 0.5's store gives some xsd:nonNegativeInteger literals back as xsd:integer: compare by value."""
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype.value in INTEGERS:
        o = ox.Literal(o.value, datatype=ox.NamedNode(XSD + "integer"))
    return ox.Quad(q.subject, q.predicate, o, q.graph_name)


def _term(t: dict):
    if t["type"] == "uri":
        return ox.NamedNode(t["value"])
    if t["type"] == "bnode":
        return ox.BlankNode(t["value"])
    if "xml:lang" in t:
        return ox.Literal(t["value"], language=t["xml:lang"])
    return ox.Literal(t["value"], datatype=ox.NamedNode(t.get("datatype", XSD + "string")))


def store_quads(store) -> set:
    """Every quad of the store's Dossier graphs, read back with a SPARQL query (the same on every store)."""
    query = f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), \"{GRAPHS}\")) }}"
    r = httpx.post(store.query_url, data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=120)
    r.raise_for_status()
    return {_normal(ox.Quad(_term(b["s"]), _term(b["p"]), _term(b["o"]), _term(b["g"])))
            for b in r.json()["results"]["bindings"]}


def local_quads(root: Path) -> set:
    return {_normal(q) for path in quad_files(root / "graph") for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)}


def graph_names(quads: set) -> set[str]:
    return {q.graph_name.value for q in quads}


def test_push_loads_every_named_graph(store, project):
    proc = push(project, store)
    graphs = len(read_manifest(project / "graph"))
    assert graphs >= 12 and f"pushed {graphs} graph(s)" in proc.stdout  # sources, inferences, entities, agreement, ontology
    assert store_quads(store) == local_quads(project)


def test_second_push_sends_nothing(store, project):
    proc = push(project, store)
    assert "pushed 0 graph(s)" in proc.stdout and f"{len(read_manifest(project / 'graph'))} unchanged" in proc.stdout


def test_push_replaces_changed_graphs_and_deletes_removed_sources(store, project):
    gone = project / "mappings" / "synthetic-copy.yaml"
    gone.unlink()
    (project / "documents" / f"{gone.stem}.txt").unlink()
    run_dossier("--root", str(project), "build", check=True)
    proc = push(project, store)
    assert "2 deleted" in proc.stdout  # its graph and its inferences
    quads = store_quads(store)
    assert quads == local_quads(project)
    assert f"{GRAPHS}{gone.stem}" not in graph_names(quads)


def test_push_all_resends_after_the_store_was_wiped(store, project):
    auth = httpx.DigestAuth(store.USER, store.PASSWORD) if isinstance(store, Virtuoso) else None
    for name in graph_names(store_quads(store)):
        httpx.delete(store.store_url, params={"graph": name}, auth=auth, timeout=30).raise_for_status()
    assert not store_quads(store)
    push(project, store, "--all")
    assert store_quads(store) == local_quads(project)


def test_push_reports_a_refusing_server(project):
    port = free_port()  # nothing listens there
    proc = run_dossier("--root", str(project), "push", f"http://127.0.0.1:{port}/store")
    assert proc.returncode == 1 and "push failed" in proc.stderr


def test_push_without_a_build_says_what_to_run(tmp_path):
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    proc = run_dossier("--root", str(tmp_path), "push", "http://127.0.0.1:9/store")
    assert proc.returncode == 1 and "dossier build" in proc.stderr


# ---------------------------------------------------------------------------- serve.py --store


def _rows(base: str, query: str) -> tuple[int, list]:
    r = httpx.post(f"{base}/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    if r.status_code != 200:
        return r.status_code, [r.json().get("error")]
    body = r.json()
    if "boolean" in body:
        return 200, [body["boolean"]]

    def norm(term: dict) -> tuple:
        dt, value = term.get("datatype"), term["value"]
        if dt == BOOLEAN:  # Virtuoso writes a computed xsd:boolean (BOUND(...)) as the integer 1 or 0
            dt, value = XSD + "integer", {"true": "1", "false": "0"}.get(value, value)
        return (term["type"], value, "integer" if dt in INTEGERS else dt, term.get("xml:lang"))

    return 200, sorted(sorted((k, norm(v)) for k, v in row.items()) for row in body["results"]["bindings"])


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request, tmp_path_factory):
    """A project (four synthetic documents, built) pushed into a store whose default graph is the union of its graphs.

    Virtuoso's default graph is that union as installed; `oxigraph serve` needs --union-default-graph.
    """
    folder = tmp_path_factory.mktemp(f"remote-{request.param}")
    root = folder / "project"
    generate(root, 4, seed=3)
    run_dossier("--root", str(root), "build", check=True)
    server = _start(request.param, folder, union=True)
    try:
        push(root, server)
        yield root, server
    finally:
        server.stop()


def test_serve_over_a_remote_store_answers_as_the_embedded_one(remote):
    project, store = remote
    with Server(project, "--no-build", "--workers", "1", log=project / "embedded.log") as embedded, \
            Server(project, "--store", store.query_url, "--workers", "1", log=project / "remote.log") as served:
        e_base, r_base = embedded.url, served.url
        assert "remote SPARQL endpoint" in httpx.get(f"{r_base}/health").json()["store"]
        queries = sorted((ROOT / "queries").glob("*.rq"))
        assert queries
        for q in queries:
            text = q.read_text(encoding="utf-8")
            unlike = VIRTUOSO_DEVIATIONS.get(q.name, ()) if isinstance(store, Virtuoso) else ()
            assert _without(_rows(r_base, text), unlike) == _without(_rows(e_base, text), unlike), q.name
        # relative IRIs resolve against the same base (policy.QUERY_BASE) on both
        relative = "SELECT ?p ?o WHERE { <id/mek> ?p ?o }"
        status, rows = _rows(r_base, relative)
        assert status == 200 and rows and (status, rows) == _rows(e_base, relative)
        # the same policy: updates and SERVICE calls are refused before reaching the store
        for bad in ("INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                    "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"):
            assert _rows(r_base, bad) == _rows(e_base, bad)
            assert _rows(r_base, bad)[0] >= 400
        # the same pages
        slug = sorted((project / "mappings").glob("synthetic-*.yaml"))[0].stem
        for path in (f"/source/{slug}", "/id/mek"):
            a, b = httpx.get(e_base + path, timeout=60), httpx.get(r_base + path, timeout=60)
            if path == "/id/mek" and isinstance(store, Virtuoso):
                # Known deviation, not yet worked around: Virtuoso 7's optimizer fails (SQ156, "Internal
                # Optimized compiler error") on one of an organization's section queries, so the page is a 502
                # naming the store's error. The test fails if this changes, either way.
                assert a.status_code == 200 and b.status_code == 502 and "SQ156" in b.text, (path, b.status_code)
                continue
            assert a.status_code == b.status_code == 200, path
            assert a.text == b.text, path
