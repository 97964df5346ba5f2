"""build(): the whole pipeline, from inputs to a validated, written graph/ (see dossier/build/ for the stages)."""

from __future__ import annotations

from pathlib import Path

from .build import run_build


def build(root: Path, check_only: bool = False, progress: bool | None = None,
          shard: tuple[int, int] | None = None) -> str:
    """Read, map, reason and validate; unless ``check_only``, write graph/. Raises InputError.

    With ``shard`` = (i, n), build only the i-th of n shares of the documents into the cache.
    """
    report = run_build(root, None if check_only else root / "graph", progress, shard)
    if shard is not None:
        return (f"built share {shard[0]}/{shard[1]} into the cache: {report.documents} documents, "
                f"{report.processed} made, {report.documents - report.processed} already there")
    per_class = ", ".join(f"{k} {v}" for k, v in sorted(report.types.items()))
    verb = "valid" if check_only else "built graph/"
    return f"{verb}: {report.documents} documents, {report.triples} triples ({per_class})"
