"""`dossier push` into a real Graph Store Protocol server: an `oxigraph serve` started on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from conftest import ROOT, run_dossier
from dossier.graphdir import quad_files

sys.path.insert(0, str(ROOT))
from bench.generate import generate  # noqa: E402
from bench.harness import free_port, oxigraph_binary  # noqa: E402


@pytest.fixture(scope="module")
def oxigraph():
    """An empty in-memory `oxigraph serve`; yields its base URL."""
    try:
        binary = oxigraph_binary()
    except FileNotFoundError:
        pytest.skip("the oxigraph command is not installed (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph serve did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("push") / "project"
    generate(root, 4, seed=3)
    run_dossier("--root", str(root), "build", check=True)
    return root


XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "int", "long")}


def _normal(q: ox.Quad) -> ox.Quad:
    """Oxigraph 0.5's store gives some xsd:nonNegativeInteger literals back as xsd:integer: compare by value."""
    o = q.object
    if isinstance(o, ox.Literal) and o.datatype.value in INTEGERS:
        o = ox.Literal(o.value, datatype=ox.NamedNode(XSD + "integer"))
    return ox.Quad(q.subject, q.predicate, o, q.graph_name)


def store_quads(base: str) -> set:
    r = httpx.get(f"{base}/store", headers={"Accept": "application/n-quads"}, timeout=60)
    r.raise_for_status()
    return {_normal(q) for q in ox.parse(r.content, format=ox.RdfFormat.N_QUADS)}


def local_quads(root: Path) -> set:
    return {_normal(q) for path in quad_files(root / "graph") for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)}


def graph_names(quads: set) -> set[str]:
    return {q.graph_name.value for q in quads}


def test_push_loads_every_named_graph(oxigraph, project):
    proc = run_dossier("--root", str(project), "push", f"{oxigraph}/store", check=True)
    assert "pushed 12 graph(s)" in proc.stdout  # 4 sources and their inferences, entities and its inferences, agreement, ontology
    assert store_quads(oxigraph) == local_quads(project)


def test_second_push_sends_nothing(oxigraph, project):
    proc = run_dossier("--root", str(project), "push", f"{oxigraph}/store", check=True)
    assert "pushed 0 graph(s)" in proc.stdout and "12 unchanged" in proc.stdout


def test_push_replaces_changed_graphs_and_deletes_removed_sources(oxigraph, project):
    gone = sorted((project / "mappings").glob("synthetic-*.yaml"))[0]
    gone.unlink()
    (project / "documents" / f"{gone.stem}.txt").unlink()
    run_dossier("--root", str(project), "build", check=True)
    proc = run_dossier("--root", str(project), "push", f"{oxigraph}/store", check=True)
    assert "2 deleted" in proc.stdout  # its graph and its inferences
    quads = store_quads(oxigraph)
    assert quads == local_quads(project)
    assert f"https://w3id.org/dossier/graph/{gone.stem}" not in graph_names(quads)


def test_push_all_resends_after_the_store_was_wiped(oxigraph, project):
    httpx.delete(f"{oxigraph}/store", params={"default": ""}, timeout=30)
    for name in graph_names(store_quads(oxigraph)):
        httpx.delete(f"{oxigraph}/store", params={"graph": name}, timeout=30)
    assert not store_quads(oxigraph)
    run_dossier("--root", str(project), "push", "--all", f"{oxigraph}/store", check=True)
    assert store_quads(oxigraph) == local_quads(project)


def test_push_reports_a_refusing_server(project):
    port = free_port()  # nothing listens there
    proc = run_dossier("--root", str(project), "push", f"http://127.0.0.1:{port}/store")
    assert proc.returncode == 1 and "push failed" in proc.stderr


def test_push_without_a_build_says_what_to_run(tmp_path):
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    proc = run_dossier("--root", str(tmp_path), "push", "http://127.0.0.1:9/store")
    assert proc.returncode == 1 and "dossier build" in proc.stderr


# ---------------------------------------------------------------------------- serve.py --store


def _serve(args: list[str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "serve.py"), *args, "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "1"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if proc.poll() is not None:
            pytest.fail(f"serve.py exited: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    pytest.fail("serve.py did not start")


def _rows(base: str, query: str) -> tuple[int, list]:
    r = httpx.post(f"{base}/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=60)
    if r.status_code != 200:
        return r.status_code, [r.json().get("error")]
    body = r.json()
    if "boolean" in body:
        return 200, [body["boolean"]]

    def norm(term: dict) -> tuple:
        dt = term.get("datatype")
        return (term["type"], term["value"], "integer" if dt in INTEGERS else dt, term.get("xml:lang"))

    return 200, sorted(sorted((k, norm(v)) for k, v in row.items()) for row in body["results"]["bindings"])


@pytest.fixture(scope="module")
def union_oxigraph(project):
    """`oxigraph serve --union-default-graph` loaded with `dossier push`; yields its base URL."""
    binary = oxigraph_binary()
    port = free_port()
    proc = subprocess.Popen([binary, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        run_dossier("--root", str(project), "push", f"{base}/store", check=True)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_over_a_remote_store_answers_as_the_embedded_one(project, union_oxigraph):
    embedded, e_base = _serve(["--root", str(project), "--no-build"])
    remote, r_base = _serve(["--root", str(project), "--store", f"{union_oxigraph}/query"])
    try:
        assert "remote SPARQL endpoint" in httpx.get(f"{r_base}/health").json()["store"]
        queries = sorted((ROOT / "queries").glob("*.rq"))
        assert queries
        for q in queries:
            text = q.read_text(encoding="utf-8")
            assert _rows(r_base, text) == _rows(e_base, text), q.name
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
            assert a.status_code == b.status_code == 200, path
            assert a.text == b.text, path
    finally:
        for proc in (embedded, remote):
            proc.terminate()
            proc.wait(timeout=20)
