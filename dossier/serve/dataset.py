"""The dataset as published: its version, and the graph files with their named graph, size and checksum.

The files and their checksums come from graph/manifest.json (dossier.graphdir), written by the
build. The version is the package version plus the first 12 hex digits of a SHA-256 over the
manifest's checksums, so a citation names exactly the graph it was made from, and the same
graph always gives the same version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..graphdir import read_manifest

TITLE = "Dossier"
DESCRIPTION = ("A sourced knowledge graph of organizations, designations, events and statements built from documents; "
               "every fact cites its source document and a verbatim quote.")
PUBLISHER = "The Dossier project"


@dataclass(frozen=True)
class GraphFile:
    """One file of graph/ as offered for download."""

    name: str
    graph: str
    path: Path
    triples: int
    bytes: int
    sha256: str


def graph_files(graph_dir: Path) -> tuple[GraphFile, ...]:
    """The N-Quads files of graph/ in the manifest's order; empty when graph/ has no manifest (a remote store)."""
    try:
        listed = read_manifest(graph_dir)
    except FileNotFoundError:
        return ()
    out = []
    for f in listed:
        path = Path(graph_dir) / f.file
        if path.is_file():
            out.append(GraphFile(f.file, f.graph, path, f.triples, path.stat().st_size, f.sha256))
    return tuple(out)


def package_version() -> str:
    try:
        return metadata.version("dossier")
    except metadata.PackageNotFoundError:
        return "0"


def version(graph_dir: Path) -> str:
    """'<package version>+<12 hex digits of the graph's checksum>', or the package version without graph files."""
    files = graph_files(graph_dir)
    if not files:
        return package_version()
    digest = hashlib.sha256("".join(f"{f.name} {f.sha256}\n" for f in files).encode()).hexdigest()[:12]
    return f"{package_version()}+{digest}"
