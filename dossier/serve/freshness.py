"""Is graph/ current? Build it first when it is missing or older than any of its inputs."""

from __future__ import annotations

from pathlib import Path

from ..graphdir import MANIFEST, quad_files, search_file

#: The folders the build reads (dossier/build/); a file in them newer than graph/ makes graph/ stale.
INPUTS = ("documents", "mappings", "ontology")


def stale_reason(root: Path) -> str | None:
    """Why graph/ needs a build (missing file, or the newest input that is newer), or None if it is current."""
    graph = root / "graph"
    if not (graph / MANIFEST).is_file():
        return f"graph/{MANIFEST} is missing"
    search = search_file(graph)
    missing = [p for p in quad_files(graph) + ([search[0]] if search else []) if not p.is_file()]
    if search is None:
        return f"graph/{MANIFEST} names no search documents (graph/ was built by an older version)"
    if missing:
        return f"{missing[0].relative_to(root).as_posix()} is missing"
    built = (graph / MANIFEST).stat().st_mtime  # written last
    for folder in INPUTS:
        files = [p for p in (root / folder).rglob("*") if p.is_file()]
        newer = [p for p in files if p.stat().st_mtime > built]
        if newer:
            newest = max(newer, key=lambda p: p.stat().st_mtime)
            return f"{newest.relative_to(root)} is newer than graph/"
    return None


def ensure_graph(root: Path) -> str | None:
    """Build graph/ if it is stale; returns the build summary, or None when nothing was built.

    Raises dossier.problems.InputError (listing every defect) when the inputs do not build.
    """
    reason = stale_reason(root)
    if reason is None:
        return None
    from ..pipeline import build

    return f"{reason}; {build(root, check_only=False)}"
