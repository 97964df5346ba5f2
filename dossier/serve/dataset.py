"""The dataset as published: its version, and the graph files with their sizes and checksums.

The version is the package version plus the first 12 hex digits of the SHA-256 of the graph
files (in dossier.graphdir.quad_files order), so a citation names exactly the graph it was
made from, and the same graph always gives the same version.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..graphdir import quad_files
from ..namespace import BASE

TITLE = "Dossier"
DESCRIPTION = ("A sourced knowledge graph of organizations, designations, events and statements built from documents; "
               "every fact cites its source document and a verbatim quote.")
CODE_LICENSE = "https://spdx.org/licenses/MIT"
HOMEPAGE = BASE
PUBLISHER = "The Dossier project"


@dataclass(frozen=True)
class GraphFile:
    """One file of graph/ as offered for download."""

    name: str
    path: Path
    bytes: int
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=8)
def _files(graph_dir: Path, stamp: tuple) -> tuple[GraphFile, ...]:
    return tuple(GraphFile(p.name, p, p.stat().st_size, _sha256(p)) for p in quad_files(graph_dir) if p.is_file())


def graph_files(graph_dir: Path) -> tuple[GraphFile, ...]:
    """The N-Quads files of graph/, each with its size and SHA-256 (recomputed when a file changes)."""
    paths = [p for p in quad_files(graph_dir) if p.is_file()]
    stamp = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in paths)
    return _files(Path(graph_dir), stamp)


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
    digest = hashlib.sha256("".join(f.sha256 for f in files).encode()).hexdigest()[:12]
    return f"{package_version()}+{digest}"
