"""What graph/ holds: one sorted N-Quads file per named graph, listed in graph/manifest.json.

Every reader of graph/ (the server, push, downloads, tests, benchmarks) asks here, so the layout
of graph/ is decided in one place. The build writes the manifest last; it names each file with
its named graph, its number of triples and its sha256, in the order a store loads them.

A named graph ``https://w3id.org/dossier/graph/<name>`` is in ``graph/<name>.nq``: a source's
graph in ``<slug>.nq``, the registry in ``entities.nq``, the curated background in
``curated.nq``, the ontology in ``ontology.nq``, the agreement between sources in
``agreement.nq``, and the OWL-RL inferences of each source, of the registry, of the curated
background and of the agreement graph in ``inferred/<slug>.nq``, ``inferred/entities.nq``,
``inferred/curated.nq`` and ``inferred/agreement.nq``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .namespace import BASE

MANIFEST = "manifest.json"
_GRAPH_PREFIX = f"{BASE}graph/"


@dataclass(frozen=True)
class GraphFile:
    """One file of graph/: where it is (relative to graph/), the named graph it holds, its size in triples and its sha256."""

    file: str
    graph: str
    triples: int
    sha256: str


def file_of(graph: str) -> str:
    """The file, relative to graph/, that holds named graph ``graph``."""
    if not graph.startswith(_GRAPH_PREFIX) or not graph[len(_GRAPH_PREFIX):]:
        raise ValueError(f"{graph} is not a Dossier named graph")
    return graph[len(_GRAPH_PREFIX):] + ".nq"


def read_manifest(graph_dir: Path) -> list[GraphFile]:
    """The files of graph/ as its manifest lists them; FileNotFoundError when graph/ was never built."""
    path = Path(graph_dir) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `dossier build` first")
    data = json.loads(path.read_text(encoding="utf-8"))
    return [GraphFile(f["file"], f["graph"], int(f["triples"]), f["sha256"]) for f in data["files"]]


def manifest_text(files: list[GraphFile], search: GraphFile | None = None) -> str:
    """The manifest for ``files``: sorted by file, no timestamps, so the same graph gives the same bytes.

    ``search`` is the derived search documents file (searchdocs.py), named apart: it holds no triples.
    The text is json.dumps(..., indent=1, sort_keys=True, ensure_ascii=False), written out row by row
    (json's indenting encoder is pure Python: a second for 20,000 files).
    """
    ordered = sorted(files, key=lambda f: f.file)
    q = _string
    rows = ",\n".join(f'  {{\n   "file": {q(f.file)},\n   "graph": {q(f.graph)},\n   "sha256": {q(f.sha256)},\n'
                      f'   "triples": {int(f.triples)}\n  }}' for f in ordered)
    out = ['{\n "files": [\n' + rows + '\n ],\n' if rows else '{\n "files": [],\n']
    if search is not None:
        out.append(f' "search": {{\n  "file": {q(search.file)},\n  "records": {int(search.triples)},\n'
                   f'  "sha256": {q(search.sha256)}\n }},\n')
    out.append(f' "triples": {sum(int(f.triples) for f in ordered)}\n}}\n')
    return "".join(out)


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def search_file(graph_dir: Path) -> tuple[Path, str] | None:
    """The search documents file of graph/ and its sha256, as the manifest names it; None if it names none."""
    path = Path(graph_dir) / MANIFEST
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run `dossier build` first")
    search = json.loads(path.read_text(encoding="utf-8")).get("search")
    return (Path(graph_dir) / search["file"], search["sha256"]) if search else None


def quad_files(graph_dir: Path) -> list[Path]:
    """The N-Quads files that together hold every named graph of the built graph, in load order."""
    return [Path(graph_dir) / f.file for f in read_manifest(graph_dir)]
