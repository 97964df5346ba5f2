"""build(): the whole pipeline, from inputs to a validated, written graph/ (see build.py for the stages)."""

from __future__ import annotations

from pathlib import Path

from .build import run_build


def build(root: Path, check_only: bool = False, progress: bool | None = None) -> str:
    """Read, map, reason and validate; unless ``check_only``, write graph/. Raises InputError."""
    report = run_build(root, None if check_only else root / "graph", progress)
    per_class = ", ".join(f"{k} {v}" for k, v in sorted(report.types.items()))
    verb = "valid" if check_only else "built graph/"
    return f"{verb}: {report.documents} documents, {report.triples} triples ({per_class})"
