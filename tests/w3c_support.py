"""The W3C SPARQL test suites for the conformance tests: where `make setup` unpacks them, and a server over test data.

The suites are third-party text and stay out of the repository: `make setup` fetches the rdflib
source release that carries them into .cache/w3c/. A test that needs them fails (never skips)
when they are missing, naming the command that fetches them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rdflib import Graph, Namespace

from dossier.graphdir import MANIFEST, GraphFile, manifest_text
from serve_support import ROOT, Server

SUITES = ROOT / ".cache" / "w3c" / "rdflib-7.1.4" / "test" / "data" / "suites" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")


def suite(relative: str) -> Path:
    """A suite's folder; fails the test when `make setup` has not unpacked it."""
    folder = SUITES / relative
    if not (folder / "manifest.ttl").is_file():
        pytest.fail(f"the W3C test suite {relative} is missing from {SUITES.relative_to(ROOT)}: run `make setup`", pytrace=False)
    return folder


def manifest_entries(relative: str) -> list[tuple[Graph, object]]:
    """(manifest graph, test node) for each mf:entries item of a suite's manifest, in the manifest's order."""
    folder = SUITES / relative
    if not (folder / "manifest.ttl").is_file():
        return []
    graph = Graph().parse(folder / "manifest.ttl", format="turtle")
    out = []
    for manifest in graph.subjects(MF.entries, None):
        entries = graph.value(manifest, MF.entries)
        out += [(graph, node) for node in graph.items(entries)]
    return out


def serve_quads(root: Path, nquads: str, *args: str) -> Server:
    """The real server over ``nquads`` alone (written where graph/ is read), started; the caller stops it."""
    graph_dir = root / "graph"
    graph_dir.mkdir(parents=True, exist_ok=True)
    data = nquads.encode("utf-8")  # one file of several graphs, listed in the manifest the server reads
    (graph_dir / "w3c.nq").write_bytes(data)
    (graph_dir / MANIFEST).write_text(
        manifest_text([GraphFile("w3c.nq", "", data.count(b"\n"), hashlib.sha256(data).hexdigest())]), encoding="utf-8")
    return Server(root, "--no-build", "--workers", "1", *args).start()
